package dev.sentikit.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * RFC 4180 CSV with a header row: comma-separated fields, fields optionally enclosed in double quotes, a doubled
 * quote inside a quoted field stands for one quote, and a quoted field may span lines (its line breaks become
 * {@code \n}). A quote inside an unquoted field is kept literally. Every data row must have as many fields as the
 * header, so that an unquoted comma in a text cannot silently cut it short.
 */
final class CsvParser implements RecordParser {

    /** Longest record kept, in characters; beyond this a record is reported as malformed (an unclosed quote?). */
    static final int MAX_RECORD_CHARS = 4 * 1024 * 1024;

    private static final char QUOTE = '"';
    private static final char SEPARATOR = ',';

    private final String labelColumn;
    private final String textColumn;

    CsvParser(String labelColumn, String textColumn) {
        this.labelColumn = Objects.requireNonNull(labelColumn, "labelColumn");
        this.textColumn = Objects.requireNonNull(textColumn, "textColumn");
    }

    @Override
    public void parse(Utf8LineReader lines, RowCollector rows) throws IOException, DataFormatException {
        Record record = new Record();
        List<String> header = null;
        int labelIndex = -1;
        int textIndex = -1;
        Utf8LineReader.Line line;
        while ((line = lines.next()) != null) {
            if (!record.inProgress() && line.ok() && line.text().isBlank()) {
                rows.blankLine();
                continue;
            }
            if (!record.feed(line)) {
                continue;
            }
            if (header == null) {
                if (record.problem != null) {
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
            record = new Record();
        }
        if (record.inProgress()) {
            String reason = String.format(Locale.ROOT, "quoted field opened on line %,d is never closed "
                    + "(reached the end of the file at line %,d); close the quote or double the quotes inside it",
                    record.startLine, lines.linesRead());
            if (header == null) {
                throw rows.fileError("cannot read the CSV header: " + reason);
            }
            rows.reject(record.startLine, BadRow.Kind.MALFORMED, reason);
        } else if (header == null) {
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

    /** One CSV record being assembled from one or more physical lines. */
    private static final class Record {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        long startLine;
        boolean inQuotes;
        boolean afterClosingQuote;
        long chars;
        BadRow.Kind problemKind;
        String problem;

        boolean inProgress() {
            return inQuotes;
        }

        /**
         * Consumes one physical line.
         *
         * @return true when the record is complete
         */
        boolean feed(Utf8LineReader.Line line) {
            if (startLine == 0) {
                startLine = line.number();
            } else {
                append('\n');
            }
            if (!line.ok()) {
                problem(line.problemKind(), line.problem());
            }
            String text = line.text();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (inQuotes) {
                    if (c != QUOTE) {
                        append(c);
                    } else if (i + 1 < text.length() && text.charAt(i + 1) == QUOTE) {
                        append(QUOTE);
                        i++;
                    } else {
                        inQuotes = false;
                        afterClosingQuote = true;
                    }
                } else if (c == SEPARATOR) {
                    endField();
                } else if (afterClosingQuote) {
                    problem(BadRow.Kind.MALFORMED, String.format(Locale.ROOT,
                            "unexpected character '%c' after the closing quote of field %d on line %,d; "
                                    + "a quote inside a quoted field must be doubled (\"\")",
                            c, fields.size() + 1, line.number()));
                    append(c);
                } else if (c == QUOTE && field.length() == 0) {
                    inQuotes = true;
                } else {
                    append(c);
                }
            }
            if (inQuotes) {
                return false;
            }
            endField();
            return true;
        }

        private void endField() {
            fields.add(field.toString());
            field.setLength(0);
            afterClosingQuote = false;
        }

        private void append(char c) {
            chars++;
            if (chars <= MAX_RECORD_CHARS) {
                field.append(c);
            } else if (chars == MAX_RECORD_CHARS + 1L) {
                problem(BadRow.Kind.MALFORMED, String.format(Locale.ROOT,
                        "record starting on line %,d is longer than %,d characters; is a quote left unclosed?",
                        startLine, MAX_RECORD_CHARS));
            }
        }

        private void problem(BadRow.Kind kind, String reason) {
            if (problem == null) {
                problemKind = kind;
                problem = reason;
            }
        }
    }
}
