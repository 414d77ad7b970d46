package dev.sentikit.bench;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.SentimentAnalyzer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Texts per second of each zoo model file through the SDK, for the README's model table: {@code analyzeAll} in
 * batches of {@value #BATCH} over short and long texts of the model's language (English: VADER rows and IMDB
 * reviews; Chinese, for a file whose name starts with {@code zh}: food-delivery and shopping reviews), with one intra-op thread
 * (the SDK's default) and with one per core. Each measurement follows a warm-up over the same texts, and is the
 * best of {@value #ROUNDS} rounds (the machine is shared; the best round is the least disturbed).
 *
 * <pre>
 * java -cp … dev.sentikit.bench.ZooThroughput VADER.tsv IMDB.tsv WAIMAI.tsv SHOPPING.tsv MODEL.onnx…
 * </pre>
 */
public final class ZooThroughput {

    static final int BATCH = 32;
    static final int ROUNDS = 3;
    static final int SHORT_TEXTS = 1024;
    static final int LONG_TEXTS = 128;

    private ZooThroughput() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ZooThroughput VADER.tsv IMDB.tsv WAIMAI.tsv SHOPPING.tsv MODEL.onnx...");
            System.exit(2);
        }
        List<List<String>> english = List.of(sample(Path.of(args[0]), SHORT_TEXTS), sample(Path.of(args[1]), LONG_TEXTS));
        List<List<String>> chinese = List.of(sample(Path.of(args[2]), SHORT_TEXTS), longest(Path.of(args[3]), LONG_TEXTS));
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "| model | file (MB) | short, 1 thread | short, %d threads | long, 1 thread "
                + "| long, %d threads |%n|---|---:|---:|---:|---:|---:|%n", cores, cores);
        for (int i = 4; i < args.length; i++) {
            Path model = Path.of(args[i]);
            List<List<String>> texts = model.getFileName().toString().startsWith("zh") ? chinese : english;
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f |",
                    model.getFileName().toString().replace(".onnx", ""), Files.size(model) / 1e6));
            for (List<String> sample : texts) {
                for (int threads : new int[] {1, cores}) {
                    AnalyzerOptions options = AnalyzerOptions.builder().optDevice("cpu").optIntraOpThreads(threads)
                            .build();
                    try (SentimentAnalyzer analyzer = SentimentAnalyzer.load(model, options)) {
                        row.append(String.format(Locale.ROOT, " %,.0f |", textsPerSecond(analyzer, sample)));
                    }
                }
            }
            System.out.println(row);
        }
    }

    private static double textsPerSecond(SentimentAnalyzer analyzer, List<String> texts) {
        run(analyzer, texts);
        double best = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            run(analyzer, texts);
            best = Math.max(best, texts.size() / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }

    private static void run(SentimentAnalyzer analyzer, List<String> texts) {
        for (int from = 0; from < texts.size(); from += BATCH) {
            analyzer.analyzeAll(texts.subList(from, Math.min(texts.size(), from + BATCH)));
        }
    }

    /** A seeded sample of the texts of a label<TAB>text file longer than 100 characters. */
    static List<String> longest(Path file, int n) throws IOException {
        List<String> out = new ArrayList<>();
        for (String text : sample(file, 20 * n)) {
            if (text.length() > 100 && out.size() < n) {
                out.add(text);
            }
        }
        return out;
    }

    /** A seeded sample of the texts of a label<TAB>text file. */
    static List<String> sample(Path file, int n) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Random random = new Random(42);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String line = lines.get(random.nextInt(lines.size()));
            out.add(line.substring(line.indexOf('\t') + 1));
        }
        return out;
    }
}
