package dev.sentikit.bench;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.SentimentAnalyzer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many ids one session run of a transformer should hold, measured: the same model and texts through analyzers
 * that differ only in {@link AnalyzerOptions#maxBatchTokens()}, one thread, rounds interleaved, texts/s of
 * {@code analyzeAll} over the whole sample (calls of 256), and the process's resident memory after each bound's first
 * call (bounds ascending, so that the growth of ONNX Runtime's arena shows against the bound that caused it). The
 * last bound, {@value #UNBOUNDED}, does not bind: runs are cut by length alone, up to 256 texts.
 *
 * <pre>
 * java -cp … dev.sentikit.bench.RunSizes TEXTS.tsv COUNT long|any MODEL.onnx...
 * </pre>
 *
 * {@code long} keeps the sample's texts longer than 100 characters; {@code any} takes them as they come.
 */
public final class RunSizes {

    static final int UNBOUNDED = 1 << 20;
    static final int[] SIZES = {512, 1024, 2048, 4096, 8192, UNBOUNDED};
    static final int ROUNDS = 3;

    private RunSizes() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || !(args[2].equals("long") || args[2].equals("any"))) {
            System.err.println("usage: RunSizes TEXTS.tsv COUNT long|any MODEL.onnx...");
            System.exit(2);
        }
        int count = Integer.parseInt(args[1]);
        List<String> texts = args[2].equals("long") ? ZooThroughput.longest(Path.of(args[0]), count)
                : ZooThroughput.sample(Path.of(args[0]), count);
        for (int m = 3; m < args.length; m++) {
            Path model = Path.of(args[m]);
            List<SentimentAnalyzer> analyzers = new ArrayList<>();
            for (int size : SIZES) {
                analyzers.add(SentimentAnalyzer.load(model, AnalyzerOptions.builder().optDevice("cpu")
                        .optParallelism(1).optIntraOpThreads(1).optMaxBatchTokens(size).build()));
            }
            double[][] tps = new double[SIZES.length][ROUNDS];
            long[] resident = new long[SIZES.length];
            for (int r = -1; r < ROUNDS; r++) {
                for (int v = 0; v < SIZES.length; v++) {
                    long start = System.nanoTime();
                    for (int from = 0; from < texts.size(); from += 256) {
                        analyzers.get(v).analyzeAll(texts.subList(from, Math.min(texts.size(), from + 256)));
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (r < 0) {
                        resident[v] = NativeMemoryCheck.rssKiB() / 1024;
                    } else {
                        tps[v][r] = texts.size() / seconds;
                    }
                }
            }
            for (int v = 0; v < SIZES.length; v++) {
                System.out.printf(Locale.ROOT, "%s, %d texts, at most %d ids a run: %,.1f texts/s (median of %d, "
                        + "%,.1f..%,.1f); resident after its first call %,d MB%n", model.getFileName(), texts.size(),
                        SIZES[v], Int8Layouts.median(tps[v]), ROUNDS, Int8Layouts.min(tps[v]),
                        Int8Layouts.max(tps[v]), resident[v]);
            }
            for (SentimentAnalyzer a : analyzers) {
                a.close();
            }
        }
    }
}
