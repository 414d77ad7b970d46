package dev.sentikit.samples;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV, streamed: {@link Reader} gives one record at a time, {@link #write} writes one.
 *
 * <p>Reading: fields are separated by commas; a field that starts with {@code "} is quoted and may hold commas,
 * line breaks and doubled quotes {@code ""}; records end with CRLF, LF or CR. A byte-order mark at the start is
 * skipped (and remembered), as is one at the start of a later line (a file joined to another with {@code cat});
 * empty lines are skipped. A quote inside an unquoted field is kept as it is (a common deviation from
 * the RFC). Errors, naming the input and the line: text after a closing quote, a quoted field without its
 * closing quote, a record longer than {@link #MAX_RECORD_CHARS}.
 */
final class Csv {

    /** The longest record read, in characters: memory stays bounded whatever the file holds. */
    static final int MAX_RECORD_CHARS = 16 << 20;

    private Csv() {}

    /** A malformed CSV file. */
    static final class CsvException extends IOException {
        CsvException(String message) {
            super(message);
        }
    }

    /** Reads records one at a time from a character stream. */
    static final class Reader implements Closeable {
        private final java.io.Reader in;
        private final String name;
        private final char[] buffer = new char[1 << 16];
        private int position;
        private int limit;
        private boolean atStart = true;
        private long line = 1;
        private long recordLine;
        private long endLine;
        private long records;
        private String lineEnding;
        private boolean byteOrderMark;

        /**
         * @param in   the characters
         * @param name what errors call the input (the file as given, or {@code standard input})
         */
        Reader(java.io.Reader in, String name) {
            this.in = in;
            this.name = name;
        }

        /** The next record, or null at the end of the input. */
        List<String> next() throws IOException {
            if (atStart) {
                atStart = false;
                if (peek() == '\uFEFF') {
                    position++;
                    byteOrderMark = true;
                }
            }
            while (true) {
                int c = peek();
                if (c < 0) {
                    return null;
                }
                if (c == '\n' || c == '\r') {
                    // An empty line: no record.
                    readLineEnd();
                    continue;
                }
                if (c == '\uFEFF') {
                    position++; // a byte-order mark where another file begins
                    continue;
                }
                break;
            }
            recordLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            long chars = 0;
            while (true) {
                field.setLength(0);
                int c = peek();
                if (c == '"') {
                    position++;
                    while (true) {
                        c = read();
                        if (c < 0) {
                            throw new CsvException(name + " line " + recordLine + ": a quoted field has no "
                                    + "closing quote before the end of the file; a quote inside a quoted field is "
                                    + "written \"\"");
                        }
                        if (c == '"') {
                            if (peek() == '"') {
                                position++;
                                field.append('"');
                            } else {
                                break;
                            }
                        } else {
                            if (c == '\n' || (c == '\r' && peek() != '\n')) {
                                line++;
                            }
                            field.append((char) c);
                        }
                        checkLength(chars + field.length());
                    }
                    c = peek();
                    if (c >= 0 && c != ',' && c != '\n' && c != '\r') {
                        throw new CsvException(name + " line " + line + ": '" + (char) c + "' after the closing "
                                + "quote of field " + (fields.size() + 1) + "; a quote inside a quoted field is "
                                + "written \"\"");
                    }
                } else {
                    while ((c = peek()) >= 0 && c != ',' && c != '\n' && c != '\r') {
                        position++;
                        field.append((char) c);
                        if ((field.length() & 0xFFF) == 0) {
                            checkLength(chars + field.length());
                        }
                    }
                    checkLength(chars + field.length());
                }
                chars += field.length() + 1;
                fields.add(field.toString());
                c = read();
                if (c == ',') {
                    continue;
                }
                endLine = line;
                if (c == '\r' || c == '\n') {
                    position--;
                    readLineEnd();
                }
                records++;
                return fields;
            }
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
            return position < limit || in.ready();
        }

        /** Records read so far. */
        long records() {
            return records;
        }

        /** How the first record ended: "\r\n", "\n" or "\r"; null when it ended the file. */
        String lineEnding() {
            return lineEnding;
        }

        /** Whether the input began with a byte-order mark. */
        boolean byteOrderMark() {
            return byteOrderMark;
        }

        private void checkLength(long chars) throws CsvException {
            if (chars > MAX_RECORD_CHARS) {
                throw new CsvException(name + " line " + recordLine + ": the record is longer than "
                        + MAX_RECORD_CHARS + " characters; is a quote left open on that line?");
            }
        }

        private void readLineEnd() throws IOException {
            int c = read();
            String ending = "\n";
            if (c == '\r') {
                ending = "\r";
                if (peek() == '\n') {
                    position++;
                    ending = "\r\n";
                }
            }
            if (lineEnding == null) {
                lineEnding = ending;
            }
            line++;
        }

        private int peek() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position];
        }

        private int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++];
        }

        private boolean fill() throws IOException {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                position = 0;
                limit = 0;
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
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
