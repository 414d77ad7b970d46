package dev.sentikit.train.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The supported training-file formats, and how a file's extension maps to them. */
public enum DataFormat {
    /** {@code label<TAB>text}, one example per line; an optional first line {@code label<TAB>text} is a header. */
    TSV(List.of(".tsv", ".txt")),
    /** RFC 4180 CSV with a header row; label and text columns chosen by name. */
    CSV(List.of(".csv")),
    /** One JSON object per line; label and text fields chosen by name. */
    JSONL(List.of(".jsonl", ".ndjson"));

    private final List<String> extensions;

    DataFormat(List<String> extensions) {
        this.extensions = extensions;
    }

    /** @return the file extensions (lower case, with the dot) that select this format */
    public List<String> extensions() {
        return extensions;
    }

    /**
     * Chooses the format from the file name's extension, ignoring case.
     *
     * @param file the training file
     * @return the format its extension selects
     * @throws IllegalArgumentException if the extension is not one of the supported ones; the message lists them
     */
    public static DataFormat fromPath(Path file) {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        for (DataFormat format : values()) {
            for (String extension : format.extensions) {
                if (lower.endsWith(extension)) {
                    return format;
                }
            }
        }
        throw new IllegalArgumentException("cannot tell the format of '" + file + "' from its extension; supported: "
                + supportedExtensions() + "; rename the file or set the format explicitly");
    }

    /** @return e.g. {@code ".tsv .txt (TSV), .csv (CSV), .jsonl .ndjson (JSONL)"} */
    static String supportedExtensions() {
        StringBuilder sb = new StringBuilder();
        for (DataFormat format : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(String.join(" ", format.extensions)).append(" (").append(format).append(')');
        }
        return sb.toString();
    }
}
