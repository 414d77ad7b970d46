package dev.sentikit.bench;

import dev.sentikit.SentimentAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * Checks that inference does not grow native memory: runs many {@code analyze} calls, then {@code analyzeAll} calls
 * of 32 short texts, then of 32 long texts (many distinct tensor shapes), and prints the resident set size (VmRSS) as it goes. Run it with a fixed, pre-touched heap
 * ({@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}) so that the Java heap does not move the RSS and any growth is
 * native (ONNX Runtime, direct buffers) or JIT code.
 *
 * <pre>NativeMemoryCheck [calls]   (default 200000 analyze calls, calls/32 and calls/640 analyzeAll calls of 32)</pre>
 *
 * Prints one line per checkpoint and a summary line {@code rss-growth: … KiB over … calls}.
 */
public final class NativeMemoryCheck {

    private static final int CHECKPOINTS = 10;

    private NativeMemoryCheck() {}

    public static void main(String[] args) throws IOException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        List<String> texts = BenchData.texts(BenchData.Dataset.SHORT);
        try (SentimentAnalyzer analyzer = Sdk.open()) {
            // Warm-up: JIT compilation, ONNX Runtime's arena and thread pool reach their steady size.
            for (int i = 0; i < Math.min(calls / 10, 20_000); i++) {
                analyzer.analyze(texts.get(i % texts.size()));
            }
            System.gc();
            long start = rssKiB();
            System.out.printf(Locale.ROOT, "after warm-up: VmRSS %,d KiB%n", start);
            int step = Math.max(1, calls / CHECKPOINTS);
            for (int i = 1; i <= calls; i++) {
                analyzer.analyze(texts.get(i % texts.size()));
                if (i % step == 0) {
                    long rss = rssKiB();
                    System.out.printf(Locale.ROOT, "analyze x %,d: VmRSS %,d KiB (%+,d)%n", i, rss, rss - start);
                }
            }
            long afterSingle = rssKiB();
            long afterShort = phase(analyzer, "analyzeAll(32) short", BenchData.batches(BenchData.Dataset.SHORT, 32),
                    Math.max(1, calls / 32), start);
            long end = phase(analyzer, "analyzeAll(32) long", BenchData.batches(BenchData.Dataset.LONG, 32),
                    Math.max(1, calls / 640), start);
            System.out.printf(Locale.ROOT, "rss-growth: %+,d KiB over %,d analyze calls, %+,d KiB over %,d "
                    + "analyzeAll(32) calls on short texts, %+,d KiB over %,d on long texts%n", afterSingle - start,
                    calls, afterShort - afterSingle, Math.max(1, calls / 32), end - afterShort,
                    Math.max(1, calls / 640));
        }
    }

    /** Runs {@code analyzeAll} on the batches {@code calls} times, printing VmRSS; returns the last VmRSS. */
    private static long phase(SentimentAnalyzer analyzer, String name, List<List<String>> batches, int calls,
            long start) throws IOException {
        int step = Math.max(1, calls / CHECKPOINTS);
        for (int i = 1; i <= calls; i++) {
            analyzer.analyzeAll(batches.get(i % batches.size()));
            if (i % step == 0) {
                long rss = rssKiB();
                System.out.printf(Locale.ROOT, "%s x %,d: VmRSS %,d KiB (%+,d)%n", name, i, rss, rss - start);
            }
        }
        return rssKiB();
    }

    /** VmRSS from /proc/self/status, in KiB; -1 where there is no /proc (not Linux). */
    static long rssKiB() throws IOException {
        if (!Files.exists(Paths.get("/proc/self/status"))) {
            return -1;
        }
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
