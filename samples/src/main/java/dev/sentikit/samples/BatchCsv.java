package dev.sentikit.samples;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.sentiment.Cli;
import dev.sentikit.sentiment.ModelOptions;
import dev.sentikit.sentiment.Utf8Input;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scores a CSV file: reads the texts of one column, and writes the file again with the columns {@code label}
 * (the most probable label) and {@code p_LABEL} (the probability of each of the model's labels) added at the end.
 *
 * <p>The file is streamed: rows are read, analyzed in batches of up to {@value #BATCH} (fewer when the input has
 * nothing more ready, as a pipe whose writer pauses) and written in the same order, each batch flushed, so memory
 * does not grow with the file. The CSV is RFC 4180 ({@link Csv}): quoted fields may hold commas, quotes and line
 * breaks, and the output quotes what needs quoting. Probabilities are written as the model gives them (32-bit
 * floats, shortest exact form). The output file appears only when scoring succeeded (it is written beside, to
 * {@code .NAME.*.part}, then moved into place), so {@code --output} may name the input file; a killed run leaves
 * the rows it had scored in that {@code .part} file.
 *
 * <p>Every row gives one output row, in order. Bytes that are not UTF-8 are replaced by U+FFFD (in every column)
 * and the rows they were on reported at the end ({@link Utf8Input}); {@code --strict} stops at the first one.
 *
 * <pre>
 * bin/sample BatchCsv --input reviews.csv --column review --output reviews-scored.csv
 * </pre>
 */
@Command(name = "BatchCsv", mixinStandardHelpOptions = true,
        description = "Adds the columns label and p_LABEL (one per label of the model) to a CSV file with a header "
                + "row, scoring the texts of one column.")
public final class BatchCsv implements Callable<Integer> {

    /** Rows analyzed together. */
    static final int BATCH = 256;

    /** How often a plain progress line is written when the output is not a terminal, in nanoseconds. */
    private static final long PLAIN_PROGRESS_EVERY = 10_000_000_000L;
    /** How often the terminal progress line is redrawn, in nanoseconds. */
    private static final long BAR_PROGRESS_EVERY = 100_000_000L;

    @Option(names = "--input", required = true, paramLabel = "FILE|-", description = "The CSV file (UTF-8, with a "
            + "header row), or - for standard input.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "FILE|-", description = "Where to write the scored "
            + "CSV, or - for standard output. May be the input file.")
    String output;

    @Option(names = "--column", defaultValue = "text", paramLabel = "NAME",
            description = "The header of the column holding the texts (default: ${DEFAULT-VALUE}).")
    String column;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--strict", description = "Stop at the first line that is not valid UTF-8, naming it, with exit "
            + "status 1 and no output file (default: replace each bad byte sequence by U+FFFD, score the row, and "
            + "report the lines at the end).")
    boolean strict;

    @Option(names = "--prefix", defaultValue = "", paramLabel = "TEXT",
            description = "Put TEXT before the names of the added columns, for files that already have a column "
                    + "named label or p_LABEL.")
    String prefix;

    @Option(names = "--progress", paramLabel = "bar|lines|none", description = "A line redrawn in place, a plain "
            + "line every 10 s, or nothing (default: bar when standard error is a terminal, else lines).")
    ProgressMode progressMode;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** How progress is shown on standard error. */
    enum ProgressMode { bar, lines, none }

    public static void main(String[] args) {
        Cli.main(new BatchCsv(), args);
    }

    /** Runs the program and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return Cli.run(new BatchCsv(), args, out, err);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!"-".equals(input) && !Files.isRegularFile(Path.of(input))) {
            throw new IllegalArgumentException((Files.isDirectory(Path.of(input)) ? "--input " + input
                    + " is a directory" : "input file not found: " + Path.of(input).toAbsolutePath())
                    + "; give a CSV file with a header row, or - for standard input");
        }
        boolean toStdout = "-".equals(output);
        Path outputFile = toStdout ? null : Path.of(output).toAbsolutePath();
        Path temporary = null;
        long started = System.nanoTime();
        long rows;
        String name = "-".equals(input) ? "standard input" : input;
        Utf8Input text;
        try (SentimentAnalyzer analyzer = modelOptions.open();
             CountingInputStream bytes = new CountingInputStream(openInput());
             Csv.Reader reader = new Csv.Reader(text = new Utf8Input(bytes, name), name)) {
            long size = "-".equals(input) ? -1 : Files.size(Path.of(input));
            OutputStream sink;
            if (toStdout) {
                sink = new java.io.FilterOutputStream(System.out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // standard output stays open
                    }
                };
            } else {
                Path dir = outputFile.getParent();
                Files.createDirectories(dir);
                temporary = Files.createTempFile(dir, "." + outputFile.getFileName() + ".", ".part");
                sink = Files.newOutputStream(temporary);
            }
            Progress progress = new Progress(err, mode(), size);
            try (Writer writer = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16)) {
                rows = score(analyzer, reader, text, writer, bytes, progress);
            }
            progress.done(rows);
        } catch (IOException | RuntimeException e) {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
            throw e;
        }
        if (temporary != null) {
            try {
                Files.move(temporary, outputFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, outputFile, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        err.printf("scored %d rows in %.1f s%s%n", rows, (System.nanoTime() - started) / 1e9,
                toStdout ? "" : ": " + output);
        for (String line : text.report()) {
            err.println(line);
        }
        err.flush();
        return 0;
    }

    /** Copies the CSV from {@code reader} to {@code writer}, adding the scores; returns the rows scored. */
    private long score(SentimentAnalyzer analyzer, Csv.Reader reader, Utf8Input text, Writer writer,
            CountingInputStream bytes, Progress progress) throws IOException {
        List<String> header = reader.next();
        if (header == null) {
            throw new Csv.CsvException(reader.name() + " is empty: a header row is needed (the column names, "
                    + "such as text)");
        }
        Utf8Input.BadLine badHeader = text.badLineThrough(reader.endLine());
        if (badHeader != null && strict) {
            throw new Csv.CsvException(text.strictError(badHeader));
        }
        int textColumn = header.indexOf(column);
        if (textColumn < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in the header " + header + " of "
                    + reader.name() + " (line " + reader.recordLine() + "); choose one with --column");
        }
        List<String> added = new ArrayList<>();
        added.add(prefix + "label");
        for (String label : analyzer.labels()) {
            added.add(prefix + "p_" + label);
        }
        Set<String> names = new HashSet<>(header);
        for (String name : added) {
            if (!names.add(name)) {
                throw new IllegalArgumentException("the input already has a column named '" + name
                        + "'; give --prefix (such as --prefix predicted_) to name the added columns apart");
            }
        }
        String lineEnding = reader.lineEnding() == null ? "\n" : reader.lineEnding();
        if (reader.byteOrderMark()) {
            writer.write('\uFEFF');
        }
        List<String> out = new ArrayList<>(header);
        out.addAll(added);
        Csv.write(writer, out, lineEnding);

        List<List<String>> batch = new ArrayList<>(BATCH);
        List<String> texts = new ArrayList<>(BATCH);
        long rows = 0;
        for (List<String> record = reader.next(); ; record = reader.next()) {
            if (record != null) {
                if (record.size() != header.size()) {
                    throw new Csv.CsvException(reader.name() + " line " + reader.recordLine() + ": " + record.size()
                            + " fields, but the header has " + header.size() + "; a field that holds a comma, a "
                            + "quote or a line break must be in quotes (\"a, b\")");
                }
                Utf8Input.BadLine bad = text.badLineThrough(reader.endLine());
                if (bad != null && strict) {
                    rows += write(analyzer, batch, texts, writer, lineEnding); // the rows before it
                    writer.flush();
                    throw new Csv.CsvException(text.strictError(bad));
                }
                batch.add(record);
                texts.add(record.get(textColumn));
            }
            if (!batch.isEmpty() && (batch.size() == BATCH || record == null || !reader.ready())) {
                rows += write(analyzer, batch, texts, writer, lineEnding);
                writer.flush(); // a killed run keeps the rows scored so far
                progress.update(rows, bytes.count());
            }
            if (record == null) {
                return rows;
            }
        }
    }

    /** Scores {@code batch} (whose texts are {@code texts}), writes its rows and clears both; returns the rows. */
    private static int write(SentimentAnalyzer analyzer, List<List<String>> batch, List<String> texts, Writer writer,
            String lineEnding) throws IOException {
        if (batch.isEmpty()) {
            return 0;
        }
        List<Sentiment> results = analyzer.analyzeAll(texts);
        for (int i = 0; i < batch.size(); i++) {
            List<String> row = new ArrayList<>(batch.get(i));
            Sentiment s = results.get(i);
            row.add(s.label());
            for (String label : analyzer.labels()) {
                row.add(Float.toString((float) s.score(label)));
            }
            Csv.write(writer, row, lineEnding);
        }
        int n = batch.size();
        batch.clear();
        texts.clear();
        return n;
    }

    private InputStream openInput() throws IOException {
        if ("-".equals(input)) {
            return new FilterInputStream(System.in) {
                @Override
                public void close() {
                    // standard input stays open
                }
            };
        }
        return Files.newInputStream(Path.of(input));
    }

    private ProgressMode mode() {
        if (progressMode != null) {
            return progressMode;
        }
        return System.console() != null ? ProgressMode.bar : ProgressMode.lines;
    }

    /** Progress on standard error: rows, rows per second and, for a file, the share of its bytes read. */
    static final class Progress {
        private final PrintWriter err;
        private final ProgressMode mode;
        private final long size;
        private final long start = System.nanoTime();
        private long last = start;
        private boolean drawn;

        Progress(PrintWriter err, ProgressMode mode, long size) {
            this.err = err;
            this.mode = mode;
            this.size = size;
        }

        void update(long rows, long bytesRead) {
            long now = System.nanoTime();
            long every = mode == ProgressMode.bar ? BAR_PROGRESS_EVERY : PLAIN_PROGRESS_EVERY;
            if (mode == ProgressMode.none || now - last < every) {
                return;
            }
            last = now;
            String line = describe(rows, bytesRead, now);
            if (mode == ProgressMode.bar) {
                err.print("\r" + line + "\u001B[K");
                drawn = true;
            } else {
                err.println(line);
            }
            err.flush();
        }

        void done(long rows) {
            if (drawn) {
                err.print("\r\u001B[K");
                err.flush();
            }
        }

        private String describe(long rows, long bytesRead, long now) {
            double seconds = Math.max(1e-9, (now - start) / 1e9);
            String share = size > 0 ? String.format(" (%.0f%%)", Math.min(100.0, 100.0 * bytesRead / size)) : "";
            return String.format("scoring: %,d rows%s, %,.0f rows/s", rows, share, rows / seconds);
        }
    }

    /** Counts the bytes read through it, for the progress display. */
    static final class CountingInputStream extends FilterInputStream {
        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
