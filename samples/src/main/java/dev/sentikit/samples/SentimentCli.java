package dev.sentikit.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.Explanation;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sentiment}: analyzes texts and prints one JSON object per text, in input order:
 * {@code {"text":…,"label":…,"score":…,"scores":{label:probability,…}}}; with {@code --explain}, each object also
 * has {@code "explanation":[{"token":…,"contribution":…},…]}. {@code sentiment serve} runs the same analysis as
 * a REST service ({@link ServeCommand}).
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

    @Option(names = "--input", paramLabel = "FILE|-", description = "Read one text per line from FILE, or from "
            + "standard input with -.")
    String input;

    @Option(names = "--explain", description = "Add to each result an \"explanation\": what each token adds to "
            + "the probability of the label (leave one token out), largest first.")
    boolean explain;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to analyze.")
    List<String> texts = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Cli.main(new SentimentCli(), args);
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
        PrintWriter out = spec.commandLine().getOut();
        try (SentimentAnalyzer analyzer = modelOptions.open()) {
            if (!texts.isEmpty()) {
                print(out, analyzer, texts, analyzer.analyzeAll(texts));
            }
            if (input != null) {
                try (BufferedReader reader = new BufferedReader(openInput(input))) {
                    List<String> batch = new ArrayList<>(BATCH);
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        batch.add(line);
                        if (batch.size() == BATCH) {
                            print(out, analyzer, batch, analyzer.analyzeAll(batch));
                            batch.clear();
                        }
                    }
                    print(out, analyzer, batch, analyzer.analyzeAll(batch));
                }
            }
        }
        out.flush();
        return 0;
    }

    private static Reader openInput(String input) throws IOException {
        if ("-".equals(input)) {
            return new InputStreamReader(System.in, StandardCharsets.UTF_8);
        }
        return Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
    }

    private void print(PrintWriter out, SentimentAnalyzer analyzer, List<String> texts, List<Sentiment> results)
            throws IOException {
        for (int i = 0; i < texts.size(); i++) {
            Map<String, Object> line = toJson(texts.get(i), results.get(i));
            if (explain) {
                line.put("explanation", toJson(analyzer.explain(texts.get(i), results.get(i).label())));
            }
            out.println(JSON.writeValueAsString(line));
        }
    }

    /** One result as the CLI and the REST service write it: text, label, score, scores (in label order). */
    static Map<String, Object> toJson(String text, Sentiment s) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("text", text);
        line.put("label", s.label());
        line.put("score", s.score());
        line.put("scores", s.scores());
        return line;
    }

    /** One result as one line of JSON. */
    static String jsonLine(String text, Sentiment s) throws IOException {
        return JSON.writeValueAsString(toJson(text, s));
    }

    /** An explanation's contributions, largest |contribution| first: [{"token":…,"contribution":…},…]. */
    static List<Map<String, Object>> toJson(Explanation explanation) {
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (Explanation.TokenContribution c : explanation.byMagnitude()) {
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("token", c.token());
            token.put("contribution", c.contribution());
            tokens.add(token);
        }
        return tokens;
    }
}
