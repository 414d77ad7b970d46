package dev.sentikit.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The file formats {@code trainer export --format} writes. */
public enum ExportFormat {
    /** One self-contained ONNX file: graph, labels, encoder and vocabulary, provenance, metrics. */
    ONNX;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a format name.
     *
     * @throws IllegalArgumentException listing the supported formats
     */
    public static ExportFormat parse(String name) {
        for (ExportFormat f : values()) {
            if (f.id().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown export format '" + name + "': supported formats are "
                + Arrays.stream(values()).map(ExportFormat::id).collect(Collectors.joining(", ")));
    }
}
