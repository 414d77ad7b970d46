package dev.sentikit.cli;

import dev.sentikit.train.data.DataFormat;
import dev.sentikit.train.data.DataFormatException;
import dev.sentikit.train.data.DataReader;
import dev.sentikit.train.data.LabeledData;
import dev.sentikit.train.data.LabeledText;
import dev.sentikit.train.Examples;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How data files are read: shared by train and evaluate. */
final class DataOptions {

    /** Bad rows printed one by one before the rest are only counted. */
    static final int BAD_ROWS_SHOWN = 20;

    @Option(names = "--format", paramLabel = "tsv|csv|jsonl",
            description = "Data format (default: from the file extension: .tsv/.txt, .csv, .jsonl/.ndjson).")
    String format;

    @Option(names = "--label-column", defaultValue = DataReader.DEFAULT_LABEL_COLUMN,
            description = "Label column of CSV files / field of JSONL files (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--text-column", defaultValue = DataReader.DEFAULT_TEXT_COLUMN,
            description = "Text column of CSV files / field of JSONL files (default: ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--strict", description = "Fail on the first bad row instead of reporting and skipping it.")
    boolean strict;

    /** Reads a file, printing its summary and bad rows to {@code err}. */
    LabeledData read(Path file, List<String> labels, PrintWriter err) throws IOException, DataFormatException {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory; give a data file (TSV, CSV or JSONL)");
        }
        DataReader.Builder b = DataReader.builder().labelColumn(labelColumn).textColumn(textColumn).strict(strict);
        if (format != null) {
            b.format(DataFormat.valueOf(parseFormat(format)));
        }
        if (labels != null) {
            b.labels(labels);
        }
        LabeledData data = b.build().read(file);
        err.println(file + ": " + data.summary());
        int shown = 0;
        for (var bad : data.badRows()) {
            if (shown++ == BAD_ROWS_SHOWN) {
                err.println("  … " + (data.skippedCount() - BAD_ROWS_SHOWN) + " more skipped rows not shown");
                break;
            }
            err.println("  skipped " + bad);
        }
        return data;
    }

    /**
     * Reports on {@code err} when {@code file} no longer has the SHA-256 it had when it was read, e.g. because
     * another process rewrote it during a long training run; the model was trained on what was read.
     *
     * @return true when the file changed
     */
    static boolean reportIfChanged(Path file, String sha256AtRead, PrintWriter err) throws IOException {
        String now;
        try {
            now = DataReader.sha256(file);
        } catch (java.nio.file.NoSuchFileException e) {
            now = "(file deleted)";
        }
        if (now.equals(sha256AtRead)) {
            return false;
        }
        err.println("warning: " + file + " changed while training (SHA-256 " + sha256AtRead + " when read, " + now
                + " now). The model was trained on the content read at the start, whose SHA-256 the model card "
                + "records; train again to use the new content.");
        return true;
    }

    static Examples toExamples(LabeledData data) {
        List<String> texts = new ArrayList<>(data.rows().size());
        for (LabeledText row : data.rows()) {
            texts.add(row.text());
        }
        return new Examples(data.labels(), texts, data.labelIndices());
    }

    private static String parseFormat(String f) {
        String u = f.trim().toUpperCase(Locale.ROOT);
        for (DataFormat d : DataFormat.values()) {
            if (d.name().equals(u)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown data format '" + f + "': supported formats are tsv, csv, jsonl");
    }
}
