package dev.sentikit.train.data;

import java.io.IOException;

/** {@code label<TAB>text}: split on the first tab only; the rest of the line, tabs included, is the text. */
final class TsvParser implements RecordParser {

    /** The optional header, compared ignoring case, on the first line only. */
    static final String HEADER = "label\ttext";

    @Override
    public void parse(Utf8LineReader lines, RowCollector rows) throws IOException, DataFormatException {
        Utf8LineReader.Line line;
        while ((line = lines.next()) != null) {
            if (!line.ok()) {
                rows.reject(line.number(), line.problemKind(), line.problem());
                continue;
            }
            String text = line.text();
            if (line.number() == 1 && text.equalsIgnoreCase(HEADER)) {
                continue;
            }
            if (text.isBlank()) {
                rows.blankLine();
                continue;
            }
            int tab = text.indexOf('\t');
            if (tab < 0) {
                rows.reject(line.number(), BadRow.Kind.MISSING_FIELD,
                        "no tab in the line; expected label<TAB>text");
                continue;
            }
            rows.accept(line.number(), text.substring(0, tab), text.substring(tab + 1));
        }
    }
}
