package dev.sentikit.sentiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.server.ResultJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sentiment}: analyzes texts and prints one JSON object per text, in input order:
 * {@code {"text":…,"label":…,"score":…,"scores":{label:probability,…},"read":{…}}} ({@link ResultJson}); with
 * {@code --explain}, each object also has {@code "explanation":[{"token":…,"contribution":…},…]}.
 * {@code sentiment serve} runs the same analysis as a REST service ({@link ServeCommand},
 * {@link dev.sentikit.server.SentimentServer}).
 */
@Command(name = "sentiment", mixinStandardHelpOptions = true,
        description = "Analyzes the sentiment of texts with a Sentikit model (default: the English zoo model "
                + "`en`) and prints one JSON object per text.",
        subcommands = ServeCommand.class)
public final class SentimentCli implements Callable<Integer> {

    /** Lines analyzed together when reading --input, so memory stays constant for any file size. */
    static final int BATCH = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--input", paramLabel = "FILE|-", description = "Read one text per line (UTF-8; lines end at "
            + "LF, CRLF or CR) from FILE, or from standard input with -. Every line gives one result, in order, "
            + "printed as soon as it is ready; bytes that are not UTF-8 are replaced by U+FFFD and the lines "
            + "they were on reported at the end.")
    String input;

    @Option(names = "--strict", description = "With --input: stop at the first line that is not valid UTF-8, "
            + "naming it, with exit status 1 (the results before it are printed).")
    boolean strict;

    @Option(names = "--explain", description = "Add to each result an \"explanation\": what each token adds to "
            + "the probability of the label (leave one token out), largest first.")
    boolean explain;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to analyze.")
    List<String> texts = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // JSON is UTF-8 (RFC 8259), whatever the locale: a C locale would turn every non-ASCII character into '?'.
        Cli.main(new SentimentCli(), args, new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8),
                true));
    }

    /** Runs the program and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return Cli.run(new SentimentCli(), args, out, err);
    }

    @Override
    public Integer call() throws Exception {
        if (texts.isEmpty() && input == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "nothing to analyze: give TEXT arguments or --input FILE (or - for standard input)");
        }
        if (strict && input == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--strict applies to --input: TEXT arguments are always valid text");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Utf8Input in = openInput(input); SentimentAnalyzer analyzer = modelOptions.open();
                Printer printer = new Printer(out)) {
            if (!texts.isEmpty()) {
                print(printer, analyzer, texts);
            }
            if (in != null) {
                analyzeLines(in, analyzer, printer, err);
            }
        }
        out.flush();
        return 0;
    }

    /**
     * One result per line of {@code in}, in order: lines are analyzed in batches of up to {@value #BATCH}, and a
     * batch is analyzed as soon as the input has nothing more ready, so that results appear while a pipe's writer
     * pauses; each batch is flushed, so a killed run keeps every result it printed. A batch's results are written
     * while the next batch is analyzed ({@link Printer}).
     */
    private void analyzeLines(Utf8Input in, SentimentAnalyzer analyzer, Printer out, PrintWriter err)
            throws IOException {
        List<String> batch = new ArrayList<>(BATCH);
        long number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            Utf8Input.BadLine bad = in.badLineThrough(number);
            if (bad != null && strict) {
                print(out, analyzer, batch);
                out.await();
                throw new InputException(in.strictError(bad));
            }
            batch.add(line);
            if (batch.size() == BATCH || !in.ready()) {
                print(out, analyzer, batch);
                batch.clear();
            }
        }
        print(out, analyzer, batch);
        out.await();
        for (String line : in.report()) {
            err.println(line);
        }
        err.flush();
    }

    /** Opens --input (null when not given): the file, or standard input for "-". */
    private static Utf8Input openInput(String input) throws IOException {
        if (input == null) {
            return null;
        }
        if ("-".equals(input)) {
            return new Utf8Input(new java.io.FilterInputStream(System.in) {
                @Override
                public void close() {
                    // standard input stays open
                }
            }, "standard input");
        }
        Path file = Path.of(input);
        if (!Files.isRegularFile(file)) {
            throw new InputException((Files.isDirectory(file) ? "--input " + input + " is a directory"
                    : "input file not found: " + file.toAbsolutePath()) + "; give a text file with one text per line, "
                    + "or - for standard input");
        }
        return new Utf8Input(Files.newInputStream(file), input);
    }

    /** A problem with the input, said in full (the message is the whole error line). */
    static final class InputException extends IOException {
        InputException(String message) {
            super(message);
        }
    }

    /** Analyzes {@code texts} as one batch and hands their results to {@code out}, which prints them in order. */
    private void print(Printer out, SentimentAnalyzer analyzer, List<String> texts) throws IOException {
        if (texts.isEmpty()) {
            return;
        }
        List<String> batch = List.copyOf(texts);
        List<Sentiment> results = analyzer.analyzeAll(batch);
        List<List<Map<String, Object>>> explanations = null;
        if (explain) {
            explanations = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                explanations.add(ResultJson.explanation(analyzer.explain(batch.get(i), results.get(i).label()), false));
            }
        }
        out.submit(batch, results, explanations);
    }

    /**
     * Writes batches of results as JSON lines, one batch at a time on a thread of its own, in the order given, and
     * flushes after each: turning results into JSON takes about as long as a small model takes to analyze them, so
     * the next batch is analyzed meanwhile. At most one batch waits to be written.
     */
    static final class Printer implements AutoCloseable {
        private final PrintWriter out;
        private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sentiment-writer");
            t.setDaemon(true);
            return t;
        });
        private Future<?> pending;

        Printer(PrintWriter out) {
            this.out = out;
        }

        /** Writes the results once the batch before them is written; returns at once. */
        void submit(List<String> texts, List<Sentiment> results, List<List<Map<String, Object>>> explanations)
                throws IOException {
            await();
            pending = writer.submit(() -> {
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < texts.size(); i++) {
                    Map<String, Object> line = ResultJson.result(texts.get(i), results.get(i));
                    if (explanations != null) {
                        line.put("explanation", explanations.get(i));
                    }
                    lines.append(JSON.writeValueAsString(line)).append('\n');
                }
                out.print(lines);
                out.flush();
                return null;
            });
        }

        /** Waits until every batch submitted is written, and throws what writing one threw. */
        void await() throws IOException {
            Future<?> f = pending;
            if (f == null) {
                return;
            }
            pending = null;
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing results");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IOException(cause);
            }
        }

        /** Writes what is still pending (also when analysis failed: the results before it are kept), then stops. */
        @Override
        public void close() throws IOException {
            try {
                await();
            } finally {
                writer.shutdownNow();
            }
        }
    }
}
