package dev.sentikit.train.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 4180 CSV with a header row, read by Jackson's CSV parser ({@code jackson-dataformat-csv}, the reader that
 * BatchCsv uses too): comma-separated fields, fields optionally enclosed in double quotes, a doubled quote inside a
 * quoted field stands for one quote, and a quoted field may span lines (its line breaks become {@code \n}). A quote
 * inside an unquoted field is kept literally, and spaces between a closing quote and the next comma are ignored.
 * Every data row must have as many fields as the header, so that an unquoted comma in a text cannot silently cut it
 * short. Lines holding nothing but whitespace between records are blank lines, as is a line holding only
 * {@code ""}.
 *
 * <p>The lines come from {@link Utf8LineReader} (line ends, byte-order marks and bad UTF-8 are settled there), so
 * that a record with a line that is not valid UTF-8 or too long is rejected with that line's problem, naming the
 * line where the record starts; a record Jackson cannot parse is rejected with the reason, and reading goes on with
 * the next record.
 */
final class CsvParser implements RecordParser {

    /**
     * Longest record kept, in characters (a field longer than this is not even read whole: Jackson's limit on one
     * value); beyond this a record is reported as malformed (an unclosed quote?).
     */
    static final int MAX_RECORD_CHARS = 4 * 1024 * 1024;

    private static final char SEPARATOR = ',';

    /** Jackson's message for a character after a closing quote: "Unexpected character ('x' (code 120)): …". */
    private static final Pattern UNEXPECTED = Pattern.compile("^Unexpected character \\('.*?' \\(code (\\d+)\\)\\)");

    private static final CsvFactory FACTORY = CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_RECORD_CHARS).build())
            .build();

    private final String labelColumn;
    private final String textColumn;

    CsvParser(String labelColumn, String textColumn) {
        this.labelColumn = Objects.requireNonNull(labelColumn, "labelColumn");
        this.textColumn = Objects.requireNonNull(textColumn, "textColumn");
    }

    @Override
    public void parse(Utf8LineReader lines, RowCollector rows) throws IOException, DataFormatException {
        LineText text = new LineText(lines);
        List<String> header = null;
        int labelIndex = -1;
        int textIndex = -1;
        try (com.fasterxml.jackson.dataformat.csv.CsvParser csv = FACTORY.createParser(text)) {
            Record record;
            while ((record = Record.next(csv, text)) != null) {
                if (record.problem == null && record.fields.size() == 1 && record.fields.get(0).isBlank()
                        && record.startLine == record.endLine) {
                    rows.blankLine();
                    continue;
                }
                if (header == null) {
                    if (record.problem != null) {
                        if (record.unclosed) {
                            throw rows.fileError("cannot read the CSV header: " + record.problem);
                        }
                        throw rows.fileError("cannot read the CSV header on line " + record.startLine + ": "
                                + record.problem);
                    }
                    header = new ArrayList<>();
                    for (String name : record.fields) {
                        header.add(name.strip());
                    }
                    labelIndex = column(header, labelColumn, "label", rows);
                    textIndex = column(header, textColumn, "text", rows);
                } else {
                    emit(record, header, labelIndex, textIndex, rows);
                }
            }
        }
        if (header == null) {
            throw rows.fileError("no CSV header row; the first line must name the columns, e.g. "
                    + labelColumn + SEPARATOR + textColumn);
        }
    }

    private static int column(List<String> header, String name, String role, RowCollector rows)
            throws DataFormatException {
        int index = header.indexOf(name);
        if (index < 0) {
            throw rows.fileError("the CSV header has no " + role + " column '" + name + "'; its columns are " + header
                    + "; choose the " + role + " column by name");
        }
        if (header.lastIndexOf(name) != index) {
            throw rows.fileError("the CSV header names the " + role + " column '" + name + "' more than once "
                    + "(columns " + (index + 1) + " and " + (header.lastIndexOf(name) + 1) + " of " + header + ")");
        }
        return index;
    }

    private static void emit(Record record, List<String> header, int labelIndex, int textIndex, RowCollector rows)
            throws DataFormatException {
        if (record.problem != null) {
            rows.reject(record.startLine, record.problemKind, record.problem);
        } else if (record.fields.size() != header.size()) {
            boolean fewer = record.fields.size() < header.size();
            rows.reject(record.startLine, fewer ? BadRow.Kind.MISSING_FIELD : BadRow.Kind.MALFORMED,
                    String.format(Locale.ROOT, "row has %d field%s but the header has %d %s; "
                                    + "enclose fields that contain commas in double quotes",
                            record.fields.size(), record.fields.size() == 1 ? "" : "s", header.size(), header));
        } else {
            rows.accept(record.startLine, record.fields.get(labelIndex), record.fields.get(textIndex));
        }
    }

    /** One CSV record, its lines, and the first problem found in them. */
    private static final class Record {
        final List<String> fields = new ArrayList<>();
        long startLine;
        long endLine;
        /** The characters of the record's fields so far, a separator each. */
        long chars;
        BadRow.Kind problemKind;
        String problem;
        /** The record reached the end of the file inside a quoted field. */
        boolean unclosed;

        /** The next record, or null at the end of the file. */
        static Record next(com.fasterxml.jackson.dataformat.csv.CsvParser csv, LineText text) throws IOException {
            Record record = new Record();
            long failedAt = -1;
            while (true) {
                JsonToken token;
                try {
                    token = csv.nextToken();
                } catch (JsonProcessingException e) {
                    // Jackson goes on after the character it refused; never twice at one place.
                    long at = csv.currentLocation().getCharOffset();
                    if (at == failedAt) {
                        throw e;
                    }
                    failedAt = at;
                    if (!record.failed(e, csv, text)) {
                        continue;
                    }
                    return record;
                }
                if (token == null) {
                    return record.startLine == 0 ? null : record;
                }
                if (token == JsonToken.VALUE_STRING) {
                    record.startIfNeeded(csv);
                    String value = csv.getText();
                    record.fields.add(value);
                    record.chars += value.length() + 1;
                    if (record.chars > MAX_RECORD_CHARS) {
                        record.problem(BadRow.Kind.MALFORMED, String.format(Locale.ROOT, "record starting on line "
                                + "%,d is longer than %,d characters; is a quote left unclosed?", record.startLine,
                                MAX_RECORD_CHARS));
                    }
                    long breaks = value.chars().filter(c -> c == '\n').count();
                    record.endLine = csv.currentTokenLocation().getLineNr() + breaks;
                } else if (token == JsonToken.END_ARRAY && record.startLine > 0) {
                    record.lineProblems(text);
                    return record;
                }
            }
        }

        /**
         * Takes what Jackson refused as the record's problem; returns true when the record ends there (the end of
         * the file inside a quoted field).
         */
        private boolean failed(JsonProcessingException e, com.fasterxml.jackson.dataformat.csv.CsvParser csv,
                LineText text) {
            startIfNeeded(csv);
            if (e instanceof StreamConstraintsException) {
                problem(BadRow.Kind.MALFORMED, String.format(Locale.ROOT,
                        "record starting on line %,d is longer than %,d characters; is a quote left unclosed?",
                        startLine, MAX_RECORD_CHARS));
                return false;
            }
            String message = e.getOriginalMessage();
            if (message.startsWith("Missing closing quote")) {
                unclosed = true;
                endLine = text.lines.linesRead();
                problemKind = BadRow.Kind.MALFORMED;
                problem = String.format(Locale.ROOT, "quoted field opened on line %,d is never closed (reached the "
                        + "end of the file at line %,d); close the quote or double the quotes inside it", startLine,
                        text.lines.linesRead());
                return true;
            }
            Matcher m = UNEXPECTED.matcher(message);
            problem(BadRow.Kind.MALFORMED, m.find()
                    ? String.format(Locale.ROOT, "unexpected character '%s' after the closing quote of field %d on "
                            + "line %,d; a quote inside a quoted field must be doubled (\"\")",
                            Character.toString(Integer.parseInt(m.group(1))), fields.size() + 1,
                            e.getLocation() == null ? startLine : e.getLocation().getLineNr())
                    : message);
            return false;
        }

        private void startIfNeeded(com.fasterxml.jackson.dataformat.csv.CsvParser csv) {
            if (startLine == 0) {
                startLine = csv.currentTokenLocation().getLineNr();
                endLine = startLine;
            }
        }

        /** A problem of the record's lines (bad UTF-8, too long) is the record's, before one Jackson found. */
        private void lineProblems(LineText text) {
            Utf8LineReader.Line bad = text.problemThrough(startLine, endLine);
            if (bad != null) {
                problemKind = bad.problemKind();
                problem = bad.problem();
            }
        }

        private void problem(BadRow.Kind kind, String reason) {
            if (problem == null) {
                problemKind = kind;
                problem = reason;
            }
        }
    }

    /**
     * The lines of a {@link Utf8LineReader} as one stream of characters, each line ended by {@code \n}, for Jackson;
     * the lines with a problem are kept until the records over them are read.
     */
    private static final class LineText extends Reader {
        final Utf8LineReader lines;
        private final ArrayDeque<Utf8LineReader.Line> problems = new ArrayDeque<>();
        private String current = "";
        private int position;
        private boolean ended;

        LineText(Utf8LineReader lines) {
            this.lines = lines;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position == current.length()) {
                if (ended) {
                    return -1;
                }
                Utf8LineReader.Line line = lines.next();
                if (line == null) {
                    ended = true;
                    return -1;
                }
                if (!line.ok()) {
                    problems.addLast(line);
                }
                current = line.text() + "\n";
                position = 0;
            }
            int n = Math.min(length, current.length() - position);
            current.getChars(position, position + n, buffer, offset);
            position += n;
            return n;
        }

        /**
         * The first line with a problem from {@code first} through {@code last}, or null; the problems of lines up
         * to {@code last} are dropped.
         */
        Utf8LineReader.Line problemThrough(long first, long last) {
            Utf8LineReader.Line found = null;
            while (!problems.isEmpty() && problems.peekFirst().number() <= last) {
                Utf8LineReader.Line line = problems.pollFirst();
                if (found == null && line.number() >= first) {
                    found = line;
                }
            }
            return found;
        }

        @Override
        public void close() {
            // the Utf8LineReader belongs to the caller
        }
    }
}
