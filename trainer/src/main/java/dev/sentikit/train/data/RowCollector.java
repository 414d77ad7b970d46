package dev.sentikit.train.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the rows a format parser finds, checks labels and text, and counts everything: used rows, bad rows by
 * kind, blank lines. In strict mode the first bad row throws.
 */
final class RowCollector {

    private static final Logger LOG = LoggerFactory.getLogger(RowCollector.class);

    /** Bad rows logged one by one at DEBUG; the rest are only counted (and kept, up to the caller's limit). */
    static final int MAX_BAD_ROWS_LOGGED = 20;

    private static final String STRICT_ADVICE =
            "strict mode stops at the first bad row; fix it, or read without strict mode to skip and count bad rows";

    private final Path file;
    private final List<String> fixedLabels;
    private final Map<String, String> canonicalLabels = new HashMap<>();
    private final boolean strict;
    private final int maxBadRowsKept;
    private final List<LabeledText> rows = new ArrayList<>();
    private final List<BadRow> badRows = new ArrayList<>();
    private final EnumMap<BadRow.Kind, Long> skippedByKind = new EnumMap<>(BadRow.Kind.class);
    private long skipped;
    private long blankLines;

    /**
     * @param fixedLabels the caller's label set in its order, or null to take the labels from the data
     */
    RowCollector(Path file, List<String> fixedLabels, boolean strict, int maxBadRowsKept) {
        this.file = Objects.requireNonNull(file, "file");
        this.fixedLabels = fixedLabels;
        this.strict = strict;
        this.maxBadRowsKept = maxBadRowsKept;
        if (fixedLabels != null) {
            for (String label : fixedLabels) {
                canonicalLabels.put(label, label);
            }
        }
    }

    /** The file being read, for parsers' file-level errors. */
    Path file() {
        return file;
    }

    /**
     * Checks and records one row. Checks, in this order: label present, label known (when fixed), text not blank.
     *
     * @param rawLabel the label as found, may be null; surrounding whitespace is stripped
     * @param text     the text as found, may be null
     */
    void accept(long line, String rawLabel, String text) throws DataFormatException {
        String label = rawLabel == null ? "" : rawLabel.strip();
        if (label.isEmpty()) {
            reject(line, BadRow.Kind.MISSING_LABEL, "empty label");
            return;
        }
        String canonical = canonicalLabels.get(label);
        if (canonical == null) {
            if (fixedLabels != null) {
                reject(line, BadRow.Kind.UNKNOWN_LABEL,
                        "unknown label '" + label + "'; expected one of " + fixedLabels);
                return;
            }
            canonical = label;
        }
        if (text == null || text.isBlank()) {
            reject(line, BadRow.Kind.EMPTY_TEXT, "empty text");
            return;
        }
        canonicalLabels.putIfAbsent(canonical, canonical);
        rows.add(new LabeledText(canonical, text, line));
    }

    /** Records a bad row; in strict mode throws instead. */
    void reject(long line, BadRow.Kind kind, String reason) throws DataFormatException {
        if (strict) {
            throw new DataFormatException(file, line, reason, STRICT_ADVICE);
        }
        skipped++;
        skippedByKind.merge(kind, 1L, Long::sum);
        if (badRows.size() < maxBadRowsKept) {
            badRows.add(new BadRow(line, kind, reason));
        }
        if (skipped <= MAX_BAD_ROWS_LOGGED && LOG.isDebugEnabled()) {
            LOG.debug("{}, line {}: skipped: {}", file, line, reason);
            if (skipped == MAX_BAD_ROWS_LOGGED) {
                LOG.debug("{}: further bad rows are counted but not logged; see LabeledData.badRows()", file);
            }
        }
    }

    /** Counts a line that holds nothing but whitespace; it is not a row. */
    void blankLine() {
        blankLines++;
    }

    /** A file-level error, thrown whatever the strict setting. */
    DataFormatException fileError(String reason) {
        return new DataFormatException(file, reason);
    }

    LabeledData finish(DataFormat format, long linesRead, String sha256) {
        List<String> labels = fixedLabels != null ? fixedLabels : List.copyOf(new TreeSet<>(canonicalLabels.keySet()));
        LabeledData data = new LabeledData(file, format, labels, rows, badRows, skipped, skippedByKind, blankLines,
                linesRead, sha256);
        LOG.debug("{}: {}", file, data.summary());
        return data;
    }
}
