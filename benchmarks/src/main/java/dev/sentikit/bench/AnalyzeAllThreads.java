package dev.sentikit.bench;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.SentimentAnalyzer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How {@code analyzeAll} should use the cores, measured: the same model and texts through three analyzers, rounds
 * interleaved, texts/s of calls of {@value #CALL} texts (what {@code bin/sentiment --input} and BatchCsv pass):
 *
 * <ul>
 *   <li>{@code serial}: one batch at a time on the caller's thread, one intra-op thread (the SDK before);</li>
 *   <li>{@code intra-op}: one batch at a time, each run on {@code cores} intra-op threads;</li>
 *   <li>{@code batches}: batches side by side on {@code cores} threads, one intra-op thread each (the SDK now).</li>
 * </ul>
 *
 * <pre>
 * java -cp … dev.sentikit.bench.AnalyzeAllThreads TEXTS.tsv COUNT MODEL.onnx...
 * </pre>
 */
public final class AnalyzeAllThreads {

    static final int CALL = 256;
    static final int ROUNDS = 5;

    private AnalyzeAllThreads() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: AnalyzeAllThreads TEXTS.tsv COUNT MODEL.onnx...");
            System.exit(2);
        }
        List<String> texts = ZooThroughput.sample(Path.of(args[0]), Integer.parseInt(args[1]));
        int cores = Runtime.getRuntime().availableProcessors();
        String[] names = {"serial", "intra-op " + cores, "batches " + cores};
        for (int m = 2; m < args.length; m++) {
            Path model = Path.of(args[m]);
            AnalyzerOptions[] options = {
                AnalyzerOptions.builder().optDevice("cpu").optParallelism(1).optIntraOpThreads(1).build(),
                AnalyzerOptions.builder().optDevice("cpu").optParallelism(1).optIntraOpThreads(cores).build(),
                AnalyzerOptions.builder().optDevice("cpu").optParallelism(cores).optIntraOpThreads(1).build()};
            List<SentimentAnalyzer> analyzers = new ArrayList<>();
            for (AnalyzerOptions o : options) {
                analyzers.add(SentimentAnalyzer.load(model, o));
            }
            double[][] tps = new double[options.length][ROUNDS];
            for (int r = -1; r < ROUNDS; r++) {
                for (int v = 0; v < options.length; v++) {
                    long start = System.nanoTime();
                    for (int from = 0; from < texts.size(); from += CALL) {
                        analyzers.get(v).analyzeAll(texts.subList(from, Math.min(texts.size(), from + CALL)));
                    }
                    if (r >= 0) {
                        tps[v][r] = texts.size() / ((System.nanoTime() - start) / 1e9);
                    }
                }
            }
            for (int v = 0; v < options.length; v++) {
                double[] ratio = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    ratio[r] = tps[v][r] / tps[0][r];
                }
                System.out.printf(Locale.ROOT, "%s, %s, %d texts: %,.0f texts/s (median of %d), %.2fx serial (%.2f..%.2f)%n",
                        model.getFileName(), names[v], texts.size(), Int8Layouts.median(tps[v]), ROUNDS,
                        Int8Layouts.median(ratio), Int8Layouts.min(ratio), Int8Layouts.max(ratio));
            }
            for (SentimentAnalyzer a : analyzers) {
                a.close();
            }
        }
    }
}
