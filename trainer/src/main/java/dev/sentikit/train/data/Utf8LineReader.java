package dev.sentikit.train.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Splits a byte stream into physical lines and decodes each one strictly as UTF-8.
 *
 * <p>Lines end at {@code \n}, {@code \r\n} or a lone {@code \r}, each one line end: the rule of every line reader of
 * Sentikit ({@code sentiment --input} and BatchCsv through the CLI's {@code Utf8Input}, the JavaScript package's
 * {@code utf8-lines.js}, {@link java.io.BufferedReader#readLine}), so that a file gives the same lines, numbered
 * alike, to the trainer and to the CLI, and a file with CR line ends (old Mac programs) is never one huge line.
 * A UTF-8 byte-order mark at the start of a line is removed: one starts the file, or a file joined to another with
 * {@code cat}, and left in place it would become part of a label. Splitting on the bytes {@code 0x0A} and
 * {@code 0x0D} is safe because they never occur inside a multi-byte UTF-8 sequence. A line that is not valid UTF-8
 * comes back with a problem and a lenient decoding (invalid bytes replaced by U+FFFD) so that callers can keep track
 * of structure such as CSV quotes. A line longer than {@link #MAX_LINE_BYTES} is truncated and comes back with a
 * problem, so that one huge line cannot exhaust memory.
 */
final class Utf8LineReader implements Closeable {

    /** Longest line kept, in bytes; longer lines are reported as malformed. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int INITIAL_LINE_BYTES = 256;
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /**
     * One physical line.
     *
     * @param number      1-based line number
     * @param text        the decoded line without its line end; a lenient decoding when {@code problemKind} is set
     * @param problemKind null when the line is fine
     * @param problem     null when the line is fine, else the reason
     */
    record Line(long number, String text, BadRow.Kind problemKind, String problem) {
        boolean ok() {
            return problemKind == null;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int position;
    private int limit;
    private byte[] line = new byte[INITIAL_LINE_BYTES];
    private int lineLength;
    private long lineNumber;
    /** The line before ended at a CR: an LF right after it is the rest of that line end, not an empty line. */
    private boolean afterCr;

    Utf8LineReader(InputStream in) {
        this(in, MAX_LINE_BYTES);
    }

    Utf8LineReader(InputStream in, int maxLineBytes) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be 1 or more, was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** @return the number of physical lines returned so far */
    long linesRead() {
        return lineNumber;
    }

    /**
     * @return the next line, or null at the end of the stream
     * @throws IOException if reading fails
     */
    Line next() throws IOException {
        lineLength = 0;
        boolean tooLong = false;
        boolean sawBytes = false;
        while (true) {
            if (position == limit) {
                int n = in.read(buffer);
                if (n < 0) {
                    position = 0;
                    limit = 0;
                    if (!sawBytes) {
                        return null;
                    }
                    break;
                }
                position = 0;
                limit = n;
                continue;
            }
            if (afterCr) {
                afterCr = false;
                if (buffer[position] == '\n') {
                    position++; // the LF of a CRLF, perhaps in the buffer after its CR
                    continue;
                }
            }
            sawBytes = true;
            int end = -1;
            for (int i = position; i < limit; i++) {
                byte b = buffer[i];
                if (b == '\n' || b == '\r') {
                    end = i;
                    break;
                }
            }
            int stop = end < 0 ? limit : end;
            tooLong |= append(position, stop - position);
            if (end < 0) {
                position = limit;
                continue;
            }
            afterCr = buffer[end] == '\r';
            position = end + 1;
            break;
        }
        lineNumber++;
        int start = startsWithBom() ? UTF8_BOM.length : 0;
        if (tooLong) {
            return new Line(lineNumber, lenient(start), BadRow.Kind.MALFORMED, String.format(Locale.ROOT,
                    "line %,d is longer than %,d bytes; check that the file is %s text with line breaks",
                    lineNumber, maxLineBytes, "UTF-8"));
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, start, lineLength - start);
        try {
            return new Line(lineNumber, decoder.reset().decode(bytes).toString(), null, null);
        } catch (CharacterCodingException e) {
            int byteColumn = bytes.position() - start + 1;
            return new Line(lineNumber, lenient(start), BadRow.Kind.INVALID_UTF8, String.format(Locale.ROOT,
                    "invalid UTF-8 at byte %,d of line %,d; re-save the file as UTF-8", byteColumn, lineNumber));
        }
    }

    /** Appends bytes to the current line, keeping at most {@link #maxLineBytes}; returns true if any were cut. */
    private boolean append(int from, int count) {
        int room = maxLineBytes - lineLength;
        int kept = Math.min(count, room);
        if (kept > 0) {
            if (lineLength + kept > line.length) {
                int capacity = (int) Math.min(maxLineBytes, Math.max((long) line.length * 2, lineLength + kept));
                line = Arrays.copyOf(line, capacity);
            }
            System.arraycopy(buffer, from, line, lineLength, kept);
            lineLength += kept;
        }
        return kept < count;
    }

    private boolean startsWithBom() {
        return lineLength >= UTF8_BOM.length
                && line[0] == UTF8_BOM[0] && line[1] == UTF8_BOM[1] && line[2] == UTF8_BOM[2];
    }

    private String lenient(int start) {
        return new String(line, start, lineLength - start, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
