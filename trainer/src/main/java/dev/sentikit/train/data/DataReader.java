package dev.sentikit.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a labelled training file (TSV, CSV or JSONL) into {@link LabeledData}.
 *
 * <p>Contract:
 * <ul>
 *   <li>The format is the one set on the builder, or else chosen from the file's extension
 *       ({@link DataFormat#fromPath}).</li>
 *   <li>The file is UTF-8. A byte-order mark at the start of a line is ignored (one starts the file, or a file
 *       joined to it); lines end at LF, CRLF or a lone CR, as in every line reader of Sentikit.
 *       Each physical line is decoded strictly: a line that is not valid UTF-8 makes its row bad rather than
 *       being silently repaired.</li>
 *   <li>A bad row (empty label, label outside the fixed set, blank text, invalid UTF-8, malformed CSV/JSON, missing
 *       field) is skipped, counted and kept with its 1-based line number and reason in
 *       {@link LabeledData#badRows()}. In strict mode the first bad row throws {@link DataFormatException}
 *       instead. Lines holding only whitespace are not rows; they are counted in {@link LabeledData#blankLines()}.
 *       </li>
 *   <li>Labels are stripped of surrounding whitespace; texts are kept as they are.</li>
 *   <li>The label set is the fixed one, in its order, when given; else the distinct labels of the used rows, sorted
 *       in {@link String} natural order so that runs are reproducible.</li>
 *   <li>The file is streamed: apart from the rows kept, memory use is bounded by the longest line
 *       (16 MiB at most; longer lines are bad rows) or CSV record (4 Mi characters at most).</li>
 *   <li>Nothing is printed; details go to the returned {@link LabeledData} (and to SLF4J at DEBUG).</li>
 * </ul>
 *
 * <p>Instances are immutable and may be shared between threads.
 *
 * <pre>{@code
 * LabeledData data = DataReader.builder()
 *         .labels(List.of("negative", "neutral", "positive"))
 *         .build()
 *         .read(Path.of("reviews.csv"));
 * }</pre>
 */
public final class DataReader {

    /** The default CSV column / JSONL field holding the label. */
    public static final String DEFAULT_LABEL_COLUMN = "label";
    /** The default CSV column / JSONL field holding the text. */
    public static final String DEFAULT_TEXT_COLUMN = "text";
    /** The default number of bad rows kept with their reasons; all of them are counted regardless. */
    public static final int DEFAULT_MAX_BAD_ROWS_KEPT = 10_000;

    private static final String DIGEST_ALGORITHM = "SHA-256";

    private final DataFormat format;
    private final String labelColumn;
    private final String textColumn;
    private final List<String> labels;
    private final boolean strict;
    private final int maxBadRowsKept;

    private DataReader(Builder builder) {
        this.format = builder.format;
        this.labelColumn = builder.labelColumn;
        this.textColumn = builder.textColumn;
        this.labels = builder.labels;
        this.strict = builder.strict;
        this.maxBadRowsKept = builder.maxBadRowsKept;
    }

    /** @return a builder with the defaults: format from the extension, columns {@code label}/{@code text}, labels
     *     from the data, lenient */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a whole file.
     *
     * @param file the training file
     * @return its rows, labels, bad rows, counts and SHA-256
     * @throws IOException              if the file cannot be read
     * @throws DataFormatException      if the file as a whole is unusable (CSV without a header, or without the
     *                                  label or text column), or, in strict mode, at the first bad row
     * @throws IllegalArgumentException if no format was set and the extension is not a supported one
     */
    public LabeledData read(Path file) throws IOException, DataFormatException {
        Objects.requireNonNull(file, "file");
        DataFormat resolved = format != null ? format : DataFormat.fromPath(file);
        MessageDigest digest = newDigest();
        RowCollector rows = new RowCollector(file, labels, strict, maxBadRowsKept);
        try (InputStream raw = Files.newInputStream(file);
             Utf8LineReader lines = new Utf8LineReader(new DigestInputStream(raw, digest))) {
            parser(resolved).parse(lines, rows);
            return rows.finish(resolved, lines.linesRead(), HexFormat.of().formatHex(digest.digest()));
        }
    }

    private RecordParser parser(DataFormat resolved) {
        return switch (resolved) {
            case TSV -> new TsvParser();
            case CSV -> new CsvParser(labelColumn, textColumn);
            case JSONL -> new JsonlParser(labelColumn, textColumn);
        };
    }

    /** The SHA-256 of a file's bytes, in lower-case hex: the hash {@link LabeledData#sha256()} records. */
    public static String sha256(Path file) throws IOException {
        return dev.sentikit.io.Sha256.of(file);
    }

    /** The SHA-256 of bytes, in lower-case hex. */
    public static String sha256(byte[] bytes) {
        return dev.sentikit.io.Sha256.of(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(DIGEST_ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(DIGEST_ALGORITHM + " is required of every Java platform but is missing", e);
        }
    }

    /** @return the explicit format, or empty when it is chosen from each file's extension */
    public Optional<DataFormat> format() {
        return Optional.ofNullable(format);
    }

    /** @return the CSV column / JSONL field holding the label */
    public String labelColumn() {
        return labelColumn;
    }

    /** @return the CSV column / JSONL field holding the text */
    public String textColumn() {
        return textColumn;
    }

    /** @return the fixed label set in its order, or empty when the labels are taken from the data */
    public Optional<List<String>> labels() {
        return Optional.ofNullable(labels);
    }

    /** @return true when the first bad row throws instead of being skipped */
    public boolean strict() {
        return strict;
    }

    /** @return how many bad rows are kept with their reasons */
    public int maxBadRowsKept() {
        return maxBadRowsKept;
    }

    @Override
    public String toString() {
        return "DataReader[format=" + (format == null ? "from extension" : format) + ", labelColumn=" + labelColumn
                + ", textColumn=" + textColumn + ", labels=" + (labels == null ? "from data" : labels)
                + ", strict=" + strict + "]";
    }

    /** Builds a {@link DataReader}. Not thread-safe. */
    public static final class Builder {
        private DataFormat format;
        private String labelColumn = DEFAULT_LABEL_COLUMN;
        private String textColumn = DEFAULT_TEXT_COLUMN;
        private List<String> labels;
        private boolean strict;
        private int maxBadRowsKept = DEFAULT_MAX_BAD_ROWS_KEPT;

        private Builder() {
        }

        /**
         * @param format the format of every file read, or null to choose it from each file's extension
         * @return this builder
         */
        public Builder format(DataFormat format) {
            this.format = format;
            return this;
        }

        /**
         * @param name the CSV header column / JSONL field holding the label (ignored for TSV)
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder labelColumn(String name) {
            this.labelColumn = columnName(name, "label");
            return this;
        }

        /**
         * @param name the CSV header column / JSONL field holding the text (ignored for TSV)
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder textColumn(String name) {
            this.textColumn = columnName(name, "text");
            return this;
        }

        /**
         * Fixes the label set: rows with any other label are bad ({@link BadRow.Kind#UNKNOWN_LABEL}), and
         * {@link LabeledData#labels()} is this list in this order even if some labels have no rows.
         *
         * @param labels the labels, or null to take them from the data
         * @return this builder
         * @throws IllegalArgumentException if the list is empty, or has a blank, padded or repeated label
         */
        public Builder labels(List<String> labels) {
            if (labels == null) {
                this.labels = null;
                return this;
            }
            if (labels.isEmpty()) {
                throw new IllegalArgumentException("the fixed label list is empty; give at least one label, "
                        + "or none at all (null) to take the labels from the data");
            }
            Set<String> seen = new HashSet<>();
            List<String> copy = new ArrayList<>(labels.size());
            for (String label : labels) {
                if (label == null || label.isBlank() || !label.equals(label.strip())) {
                    throw new IllegalArgumentException("fixed label " + (label == null ? "null" : "'" + label + "'")
                            + " in " + labels + " is blank or has surrounding whitespace");
                }
                if (!seen.add(label)) {
                    throw new IllegalArgumentException("fixed label '" + label + "' appears twice in " + labels);
                }
                copy.add(label);
            }
            this.labels = List.copyOf(copy);
            return this;
        }

        /**
         * @param strict true to throw {@link DataFormatException} at the first bad row instead of skipping it
         * @return this builder
         */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * @param max how many bad rows to keep with their reasons (all are counted regardless); 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is negative
         */
        public Builder maxBadRowsKept(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxBadRowsKept must be 0 or more, was " + max);
            }
            this.maxBadRowsKept = max;
            return this;
        }

        /** @return a reader with these settings */
        public DataReader build() {
            return new DataReader(this);
        }

        private static String columnName(String name, String role) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the " + role + " column name must not be blank, was "
                        + (name == null ? "null" : "'" + name + "'"));
            }
            return name;
        }
    }
}
