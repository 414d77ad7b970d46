package dev.sentikit.samples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.Closeable;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 4180 CSV, streamed: {@link Reader} gives one record at a time, read by Jackson's CSV parser
 * ({@code jackson-dataformat-csv}, the reader of the trainer's CSV files too); {@link #write} writes one.
 *
 * <p>Reading: fields are separated by commas; a field that starts with {@code "} is quoted and may hold commas,
 * line breaks and doubled quotes {@code ""}; records end with CRLF, LF or CR. A byte-order mark at the start of a
 * line is skipped (the file's is remembered): one starts the file, or a file joined to another with {@code cat}.
 * Empty lines are skipped. A quote inside an unquoted field is kept as it is (a common deviation from the RFC), and
 * spaces between a closing quote and the next comma are ignored. Errors, naming the input and the line: text after
 * a closing quote, a quoted field without its closing quote, a record longer than {@link #MAX_RECORD_CHARS}.
 */
final class Csv {

    /** The longest record read, in characters: memory stays bounded whatever the file holds. */
    static final int MAX_RECORD_CHARS = 16 << 20;

    /** Jackson's message for a character after a closing quote: "Unexpected character ('x' (code 120)): …". */
    private static final Pattern UNEXPECTED = Pattern.compile("^Unexpected character \\('.*?' \\(code (\\d+)\\)\\)");

    private static final Factory FACTORY = new Factory();

    private Csv() {}

    /** A malformed CSV file. */
    static final class CsvException extends IOException {
        CsvException(String message) {
            super(message);
        }
    }

    /** Reads records one at a time from a character stream. */
    static final class Reader implements Closeable {
        private final Marks in;
        private final QuotedParser csv;
        private final String name;
        private long recordLine;
        private long endLine;
        private long records;
        /**
         * The last record was taken as complete at its line end, with no input behind it: Jackson ends a record
         * (END_ARRAY) only once it sees whether more input follows, which a pipe's writer may not send for a while.
         */
        private boolean endPending;

        /**
         * @param in   the characters
         * @param name what errors call the input (the file as given, or {@code standard input})
         */
        Reader(java.io.Reader in, String name) throws IOException {
            this.in = new Marks(in);
            this.csv = (QuotedParser) FACTORY.createParser(this.in);
            this.name = name;
        }

        /** The next record, or null at the end of the input. */
        List<String> next() throws IOException {
            while (true) {
                List<String> fields = new ArrayList<>();
                long chars = 0;
                boolean quoted = false;
                recordLine = 0;
                while (true) {
                    JsonToken token;
                    try {
                        token = csv.nextToken();
                        if (endPending) {
                            endPending = false;
                            if (token == JsonToken.END_ARRAY) {
                                continue; // the end of the record returned before
                            }
                        }
                    } catch (StreamConstraintsException e) {
                        throw tooLong();
                    } catch (JsonProcessingException e) {
                        throw refused(e, fields.size());
                    }
                    if (token == null) {
                        return null;
                    }
                    if (token == JsonToken.VALUE_STRING) {
                        String value = csv.getText();
                        long line = csv.currentTokenLocation().getLineNr();
                        if (recordLine == 0) {
                            recordLine = line;
                        }
                        quoted |= csv.quoted();
                        chars += value.length() + 1;
                        if (chars > MAX_RECORD_CHARS) {
                            throw tooLong();
                        }
                        fields.add(value);
                        endLine = line + lineBreaks(value);
                        if (in.atLineEnd() && csv.buffered() == 0) {
                            endPending = true; // the value ended at the line end just read: so did the record
                            break;
                        }
                    } else if (token == JsonToken.END_ARRAY && recordLine > 0) {
                        break;
                    }
                }
                if (fields.size() == 1 && fields.get(0).isEmpty() && !quoted) {
                    continue; // an empty line: no record
                }
                records++;
                return fields;
            }
        }

        private CsvException tooLong() {
            return new CsvException(name + " line " + (recordLine > 0 ? recordLine : csv.currentTokenLocation()
                    .getLineNr()) + ": the record is longer than " + MAX_RECORD_CHARS + " characters; is a quote "
                    + "left open on that line?");
        }

        private CsvException refused(JsonProcessingException e, int field) {
            String message = e.getOriginalMessage();
            long start = recordLine > 0 ? recordLine : csv.currentTokenLocation().getLineNr();
            if (message.startsWith("Missing closing quote")) {
                return new CsvException(name + " line " + start + ": a quoted field has no closing quote before the "
                        + "end of the file; a quote inside a quoted field is written \"\"");
            }
            Matcher m = UNEXPECTED.matcher(message);
            if (m.find()) {
                long line = e.getLocation() == null ? start : e.getLocation().getLineNr();
                return new CsvException(name + " line " + line + ": '" + Character.toString(Integer.parseInt(
                        m.group(1))) + "' after the closing quote of field " + (field + 1) + "; a quote inside a "
                        + "quoted field is written \"\"");
            }
            return new CsvException(name + " line " + start + ": " + message);
        }

        /** The line on which the last record began, from 1. */
        long recordLine() {
            return recordLine;
        }

        /** The line on which the last record ended (its last line break inside quotes counted). */
        long endLine() {
            return endLine;
        }

        /** What errors call the input. */
        String name() {
            return name;
        }

        /** True when the next record can be read, at least in part, without waiting for input. */
        boolean ready() throws IOException {
            return csv.buffered() > 0 || in.ready();
        }

        /** Records read so far. */
        long records() {
            return records;
        }

        /** How the first line ended: "\r\n", "\n" or "\r"; null when no line ended. */
        String lineEnding() {
            return in.lineEnding;
        }

        /** Whether the input began with a byte-order mark. */
        boolean byteOrderMark() {
            return in.byteOrderMark;
        }

        @Override
        public void close() throws IOException {
            csv.close();
            in.close();
        }
    }

    /** Line breaks in a field: CRLF, LF and CR each count one, as they count lines. */
    private static int lineBreaks(String value) {
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == value.length() || value.charAt(i + 1) != '\n'))) {
                n++;
            }
        }
        return n;
    }

    /**
     * The characters as Jackson reads them, without the byte-order marks at the start of a line; notes the file's
     * mark and how the first line ended.
     */
    private static final class Marks extends FilterReader {
        boolean byteOrderMark;
        String lineEnding;
        private boolean lineStart = true;
        private boolean sawCr;
        private boolean first = true;

        Marks(java.io.Reader in) {
            super(in);
        }

        /** Whether the last character passed on ended a line. */
        boolean atLineEnd() {
            return lineStart && !first;
        }

        @Override
        public int read() throws IOException {
            char[] one = new char[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            while (true) {
                int n = super.read(buffer, offset, length);
                if (n <= 0) {
                    return n;
                }
                int kept = offset;
                for (int i = offset; i < offset + n; i++) {
                    char c = buffer[i];
                    if (c == '\uFEFF' && lineStart) {
                        byteOrderMark |= first;
                        first = false;
                        continue; // lineStart stays: CR LF BOM BOM is still a line start
                    }
                    first = false;
                    if (lineEnding == null || sawCr) {
                        if (sawCr) {
                            lineEnding = c == '\n' ? "\r\n" : "\r";
                            sawCr = false;
                        } else if (c == '\n') {
                            lineEnding = "\n";
                        } else if (c == '\r') {
                            lineEnding = "\r";
                            sawCr = true;
                        }
                    }
                    lineStart = c == '\n' || c == '\r';
                    buffer[kept++] = c;
                }
                if (kept > offset) {
                    return kept - offset;
                }
            }
        }
    }

    /** Jackson's CSV factory, making parsers that say whether a value was quoted; records of 16 Mi characters. */
    private static final class Factory extends CsvFactory {
        Factory() {
            setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_RECORD_CHARS).build());
        }

        @Override
        protected CsvParser _createParser(java.io.Reader r, IOContext ctxt) throws IOException {
            return new QuotedParser(ctxt, _parserFeatures, _csvParserFeatures, _objectCodec, r);
        }
    }

    /** A parser that says whether the value just read was quoted: an empty line and {@code ""} both read as "". */
    private static final class QuotedParser extends CsvParser {
        private final CountingWriter counter = new CountingWriter();

        QuotedParser(IOContext ctxt, int stdFeatures, int csvFeatures, com.fasterxml.jackson.core.ObjectCodec codec,
                java.io.Reader reader) {
            super(ctxt, stdFeatures, csvFeatures, codec, reader);
        }

        boolean quoted() {
            return _reader.isCurrentTokenQuoted();
        }

        /** Characters read from the input that the parser has not parsed yet. */
        int buffered() throws IOException {
            counter.count = 0;
            releaseBuffered(counter); // writes what is buffered, without consuming it
            return counter.count;
        }
    }

    /** Counts what is written to it, keeping nothing. */
    private static final class CountingWriter extends Writer {
        int count;

        @Override
        public void write(char[] buffer, int offset, int length) {
            count += length;
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** Writes one record and its line ending, quoting the fields that need it. */
    static void write(Writer out, List<String> fields, String lineEnding) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            writeField(out, fields.get(i));
        }
        out.write(lineEnding);
    }

    /** A field, in quotes (with inner quotes doubled) when it holds a comma, a quote or a line break. */
    static void writeField(Writer out, String field) throws IOException {
        boolean quote = false;
        for (int i = 0; i < field.length() && !quote; i++) {
            char c = field.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            out.write(field);
            return;
        }
        out.write('"');
        out.write(field.replace("\"", "\"\""));
        out.write('"');
    }
}
