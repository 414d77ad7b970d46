package dev.sentikit.sentiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The input of the batch CLIs ({@code sentiment --input}, {@code BatchCsv}): UTF-8 bytes decoded so that one bad
 * byte costs one line, not the run.
 *
 * <p>Each byte sequence that is not UTF-8 (a stray {@code 0xFF}, a lone surrogate {@code ED A0 80}, a cut-off
 * sequence at the end) becomes one U+FFFD per maximal bad subpart, as the Unicode standard recommends; the line it
 * was on is recorded, with the bytes and the character where the first one began. Lines are numbered from 1 and
 * end at LF, CRLF or a lone CR, as {@link java.io.BufferedReader#readLine} and the samples' CSV reader count them. Lines
 * holding a NUL character (valid UTF-8, but a sign of a UTF-16 file) are recorded apart.
 *
 * <p>Callers learn which lines were bad in the order they consume them ({@link #badLineThrough}), so that
 * {@code --strict} stops exactly at the first bad line after printing the results before it, and a summary
 * ({@link #report}) gives the counts at the end. Memory stays bounded: only the first {@value #LINES_LISTED} bad
 * lines are kept for the summary, and the queue of lines not yet consumed holds at most one buffer's worth.
 */
public final class Utf8Input extends Reader {

    /** Bad lines named in the summary; the rest are counted. */
    static final int LINES_LISTED = 10;

    private static final int BUFFER = 1 << 16;

    /** A line with bytes that are not UTF-8: where its first bad sequence began, and how many it had. */
    public static final class BadLine {
        private final long line;
        private final long column;
        private final String bytes;
        private int sequences = 1;

        BadLine(long line, long column, String bytes) {
            this.line = line;
            this.column = column;
            this.bytes = bytes;
        }

        /** The line's number, from 1. */
        public long line() {
            return line;
        }

        /** "the bytes FF FE at character 3", or "2 bad sequences, the first FF at character 3". */
        public String describe() {
            return (sequences == 1 ? "the bytes " : sequences + " bad sequences, the first ") + bytes
                    + " at character " + column;
        }
    }

    private final InputStream in;
    private final String name;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
    private final CharBuffer chars = CharBuffer.allocate(BUFFER);
    private boolean endOfInput;
    private boolean flushed;

    // Position of the decoder in the text: the line and the column of the next character it produces.
    private long line = 1;
    private long column = 1;
    private boolean afterCr;

    // Bad lines not yet consumed, in order; the last one, current, may still be growing.
    private final ArrayDeque<BadLine> pending = new ArrayDeque<>();
    private BadLine current;
    private final List<BadLine> listed = new ArrayList<>();
    private long badLines;
    private long badSequences;
    private final List<Long> nulListed = new ArrayList<>();
    private long nulLines;
    private long lastNulLine;

    // readLine(): the last line ended at a CR, so an LF that follows is part of its line end.
    private boolean afterCrLine;

    /**
     * @param in   the bytes; closed with this reader
     * @param name what the messages call the input: the file as given, or {@code standard input}
     */
    public Utf8Input(InputStream in, String name) {
        this.in = Objects.requireNonNull(in, "in");
        this.name = Objects.requireNonNull(name, "name");
        bytes.flip();
        chars.flip();
    }

    /** What the messages call the input. */
    public String name() {
        return name;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, cbuf.length);
        if (len == 0) {
            return 0;
        }
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, chars.remaining());
        chars.get(cbuf, off, n);
        return n;
    }

    @Override
    public int read() throws IOException {
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        return chars.get();
    }

    /**
     * True when a read would not block: decoded characters are waiting, or the stream has bytes available. The
     * CLIs analyze what they have when this is false, so that results appear while a pipe's writer pauses.
     */
    @Override
    public boolean ready() throws IOException {
        if (afterCrLine && chars.hasRemaining() && chars.get(chars.position()) == '\n') {
            afterCrLine = false;
            chars.get(); // the rest of a CRLF, not the start of a line
        }
        return chars.hasRemaining() || (!endOfInput && in.available() > 0);
    }

    /**
     * The next line without its line end (LF, CRLF or CR), with a byte-order mark at its start removed (one begins
     * a file, or a file that {@code cat} joined to another); null at the end of the input. A last line without a
     * line end is returned too.
     */
    public String readLine() throws IOException {
        StringBuilder text = null;
        while (true) {
            if (!chars.hasRemaining() && !fill()) {
                return text == null ? null : text.toString();
            }
            if (afterCrLine) {
                // The line before ended at CR; an LF right after it belongs to that line end.
                afterCrLine = false;
                if (chars.get(chars.position()) == '\n') {
                    chars.get();
                    continue;
                }
            }
            if (text == null) {
                text = new StringBuilder();
                if (chars.get(chars.position()) == '\uFEFF') {
                    chars.get();
                    continue;
                }
            }
            while (chars.hasRemaining()) {
                char c = chars.get();
                if (c == '\n') {
                    return text.toString();
                }
                if (c == '\r') {
                    afterCrLine = true; // returned at once: a pipe's writer may send the LF later, or never
                    return text.toString();
                }
                text.append(c);
            }
        }
    }

    /**
     * The first bad line up to and including {@code lastLine} not returned before, or null; the bad lines up to
     * {@code lastLine} are then consumed. Call it with the last line of each line or record read, in order.
     */
    public BadLine badLineThrough(long lastLine) {
        BadLine first = null;
        while (!pending.isEmpty() && pending.peekFirst().line() <= lastLine) {
            BadLine b = pending.pollFirst();
            if (first == null) {
                first = b;
            }
        }
        return first;
    }

    /** Lines that had bytes that are not UTF-8. */
    long badLines() {
        return badLines;
    }

    /** Lines holding a NUL character. */
    long nulLines() {
        return nulLines;
    }

    /**
     * The error {@code --strict} gives for {@code bad}: the input, the line, the bytes, and what to do.
     */
    public String strictError(BadLine bad) {
        return name + " line " + bad.line() + ": not valid UTF-8 (" + bad.describe() + "). Re-save the file as UTF-8, or leave out --strict to analyze such lines with each bad sequence "
                + "replaced by U+FFFD";
    }

    /**
     * What the end of the run says on standard error about bad bytes and NUL characters: at most two lines, none
     * when the input was clean.
     */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        if (badLines > 0) {
            StringBuilder b = new StringBuilder("warning: ").append(name).append(": ")
                    .append(count(badLines, "line")).append(badLines == 1 ? " was" : " were")
                    .append(" not valid UTF-8 and ").append(badLines == 1 ? "was" : "were")
                    .append(" analyzed with each bad byte sequence replaced by U+FFFD (")
                    .append(count(badSequences, "sequence")).append("): ");
            for (int i = 0; i < listed.size(); i++) {
                b.append(i == 0 ? "line " : ", line ").append(listed.get(i).line()).append(" (")
                        .append(listed.get(i).describe()).append(')');
            }
            if (badLines > listed.size()) {
                b.append(String.format(Locale.ROOT, " and %,d more", badLines - listed.size()));
            }
            b.append(". Re-save the file as UTF-8 to analyze those lines as written; --strict stops at the first one.");
            lines.add(b.toString());
        }
        if (nulLines > 0) {
            StringBuilder b = new StringBuilder("warning: ").append(name).append(": ").append(count(nulLines, "line"))
                    .append(nulLines == 1 ? " holds" : " hold")
                    .append(" NUL characters, analyzed as separators: line");
            b.append(nulListed.size() == 1 ? " " : "s ");
            for (int i = 0; i < nulListed.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(nulListed.get(i));
            }
            if (nulLines > nulListed.size()) {
                b.append(String.format(Locale.ROOT, " and %,d more", nulLines - nulListed.size()));
            }
            b.append(". Text files hold none; many of them usually mean a UTF-16 file: re-save it as UTF-8.");
            lines.add(b.toString());
        }
        return lines;
    }

    private static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    /** Decodes more characters into {@link #chars}; false at the end of the input. */
    private boolean fill() throws IOException {
        chars.compact();
        try {
            while (true) {
                if (flushed) {
                    return chars.position() > 0;
                }
                int start = chars.position();
                CoderResult r = decoder.decode(bytes, chars, endOfInput);
                track(start, chars.position());
                if (r.isError()) {
                    if (!chars.hasRemaining()) {
                        return true; // room for the U+FFFD next time
                    }
                    bad(r.length());
                    continue;
                }
                if (r.isOverflow()) {
                    return true;
                }
                // Underflow: all complete sequences are decoded.
                if (chars.position() > 0) {
                    return true;
                }
                if (endOfInput) {
                    decoder.flush(chars);
                    flushed = true;
                    continue;
                }
                readBytes();
            }
        } finally {
            chars.flip();
        }
    }

    /** Reads what the stream has (blocking only until some bytes come), keeping an incomplete sequence. */
    private void readBytes() throws IOException {
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfInput = true;
            } else {
                bytes.position(bytes.position() + n);
            }
        } finally {
            bytes.flip();
        }
    }

    /** Replaces the {@code length} bad bytes at the decoder's position with U+FFFD and records their line. */
    private void bad(int length) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length; i++) {
            hex.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02X", bytes.get() & 0xFF));
        }
        badSequences++;
        if (current != null && current.line == line) {
            current.sequences++;
        } else {
            current = new BadLine(line, column, hex.toString());
            badLines++;
            pending.addLast(current);
            if (listed.size() < LINES_LISTED) {
                listed.add(current);
            }
        }
        chars.put('\uFFFD');
        afterCr = false;
        column++;
    }

    /** Advances the line and column over the characters decoded into {@code chars[from, to)}. */
    private void track(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = chars.get(i);
            if (c == '\r') {
                line++;
                column = 1;
                afterCr = true;
                continue;
            }
            if (c == '\n') {
                if (!afterCr) {
                    line++;
                }
                column = 1;
                afterCr = false;
                continue;
            }
            afterCr = false;
            if (c == '\0' && lastNulLine != line) {
                lastNulLine = line;
                nulLines++;
                if (nulListed.size() < LINES_LISTED) {
                    nulListed.add(line);
                }
            }
            column++;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
