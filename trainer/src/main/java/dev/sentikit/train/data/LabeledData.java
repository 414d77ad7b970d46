package dev.sentikit.train.data;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The result of reading one training file: the usable rows, the label set, the rejected rows and the counts.
 *
 * <p>Invariant: {@code rowsRead() == rows().size() + skippedCount()}. Blank lines and the header are not rows.
 * Instances are immutable.
 */
public final class LabeledData {

    private final Path source;
    private final DataFormat format;
    private final List<String> labels;
    private final List<LabeledText> rows;
    private final List<BadRow> badRows;
    private final long skipped;
    private final Map<BadRow.Kind, Long> skippedByKind;
    private final long blankLines;
    private final long linesRead;
    private final String sha256;
    private final int[] labelIndices;

    LabeledData(Path source, DataFormat format, List<String> labels, List<LabeledText> rows, List<BadRow> badRows,
                long skipped, Map<BadRow.Kind, Long> skippedByKind, long blankLines, long linesRead, String sha256) {
        this.source = Objects.requireNonNull(source, "source");
        this.format = Objects.requireNonNull(format, "format");
        this.labels = List.copyOf(labels);
        this.rows = List.copyOf(rows);
        this.badRows = List.copyOf(badRows);
        this.skipped = skipped;
        EnumMap<BadRow.Kind, Long> byKind = new EnumMap<>(BadRow.Kind.class);
        byKind.putAll(skippedByKind);
        this.skippedByKind = Collections.unmodifiableMap(byKind);
        this.blankLines = blankLines;
        this.linesRead = linesRead;
        this.sha256 = Objects.requireNonNull(sha256, "sha256");
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < this.labels.size(); i++) {
            index.put(this.labels.get(i), i);
        }
        this.labelIndices = new int[this.rows.size()];
        for (int i = 0; i < labelIndices.length; i++) {
            Integer id = index.get(this.rows.get(i).label());
            if (id == null) {
                throw new IllegalArgumentException("row on line " + this.rows.get(i).line() + " has label '"
                        + this.rows.get(i).label() + "', which is not in the label set " + this.labels);
            }
            labelIndices[i] = id;
        }
    }

    /** @return the file that was read */
    public Path source() {
        return source;
    }

    /** @return the format it was read as */
    public DataFormat format() {
        return format;
    }

    /**
     * @return the label set: the caller's fixed labels in the caller's order, or else the distinct labels of the
     *     used rows sorted in {@link String} natural order (so that runs are reproducible)
     */
    public List<String> labels() {
        return labels;
    }

    /** @return the usable rows, in file order */
    public List<LabeledText> rows() {
        return rows;
    }

    /**
     * @return the rejected rows in file order, each with line and reason; at most the reader's
     *     {@code maxBadRowsKept} of them, while {@link #skippedCount()} is always exact
     */
    public List<BadRow> badRows() {
        return badRows;
    }

    /** @return the number of rows read: used plus skipped (the header and blank lines are not rows) */
    public long rowsRead() {
        return rows.size() + skipped;
    }

    /** @return the number of rows rejected */
    public long skippedCount() {
        return skipped;
    }

    /** @return the number of rejected rows of each kind that occurred (kinds with none are absent) */
    public Map<BadRow.Kind, Long> skippedByKind() {
        return skippedByKind;
    }

    /** @return the number of lines holding nothing but whitespace, which were ignored and are not rows */
    public long blankLines() {
        return blankLines;
    }

    /** @return the number of physical lines in the file, including the header and blank lines */
    public long linesRead() {
        return linesRead;
    }

    /** @return the SHA-256 of the file's bytes as 64 lower-case hex digits, for provenance */
    public String sha256() {
        return sha256;
    }

    /** @return for each row of {@link #rows()}, the index of its label in {@link #labels()}; a fresh copy */
    public int[] labelIndices() {
        return labelIndices.clone();
    }

    /** @return the number of used rows per label, in {@link #labels()} order (labels with no rows map to 0) */
    public Map<String, Long> labelCounts() {
        long[] counts = new long[labels.size()];
        for (int id : labelIndices) {
            counts[id]++;
        }
        Map<String, Long> result = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            result.put(labels.get(i), counts[i]);
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * @return one line such as {@code "read 1,234 rows: 1,200 used, 34 skipped (12 empty text, 22 unknown label)"},
     *     with {@code "; 3 blank lines ignored"} appended when there were blank lines
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "read %,d rows: %,d used, %,d skipped",
                rowsRead(), rows.size(), skipped));
        if (skipped > 0) {
            StringJoiner kinds = new StringJoiner(", ", " (", ")");
            skippedByKind.forEach((kind, count) ->
                    kinds.add(String.format(Locale.ROOT, "%,d %s", count, kind.description())));
            sb.append(kinds);
        }
        if (blankLines > 0) {
            sb.append(String.format(Locale.ROOT, "; %,d blank line%s ignored", blankLines, blankLines == 1 ? "" : "s"));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source + " (" + format + ", sha256 " + sha256 + "): " + summary();
    }
}
