package dev.sentikit.onnx;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The soak test of issue 6 (not a JUnit test, so not in the default test run): a million {@code analyze} calls in
 * one JVM on one analyzer, with the resident memory of the process measured every 50,000 calls. Every 20,000 calls
 * (by default) it also loads and closes a second analyzer of the same model, so that a leak in loading or closing
 * shows too.
 *
 * <pre>
 * bin/soak                                  # 1,000,000 calls on the default model, -Xmx256m
 * bin/soak 200000 path/to/model.onnx 2 0    # calls, model file, threads, reload every N calls (0: never)
 * </pre>
 *
 * <p>Memory levels off when the resident size grows by less than 5% (and less than 32 MiB) over the second half of
 * the run; the program prints each measurement, a verdict, and exits with status 1 when it does not level off.
 * docs/reliability.md records the figures.
 */
public final class Soak {

    private static final int REPORT_EVERY = 50_000;
    private static final Path DEFAULT_MODEL = Paths.get("model-zoo/en/src/main/resources/META-INF/sentikit/zoo/en.onnx");

    private Soak() {}

    public static void main(String[] args) throws Exception {
        // One line per load would drown the table.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        long calls = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
        Path modelFile = args.length > 1 ? Paths.get(args[1]) : DEFAULT_MODEL;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long reloadEvery = args.length > 3 ? Long.parseLong(args[3].replace("_", "")) : 20_000L;
        byte[] model = Files.readAllBytes(modelFile);
        AnalyzerOptions options = AnalyzerOptions.builder().optDevice(Device.CPU).build();
        List<String> texts = texts(new Random(1_000_000));

        System.out.printf(Locale.ROOT, "Soak: %,d analyze calls, %d thread(s), model %s (%,d bytes), %d distinct texts,"
                + " %s; Java %s, max heap %d MiB, %d CPUs%n", calls, threads, modelFile, model.length, texts.size(),
                reloadEvery > 0 ? String.format(Locale.ROOT, "a load and close every %,d calls", reloadEvery)
                        : "no reloads", System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%10s %8s %10s %9s %9s %9s %10s %8s%n", "calls", "seconds", "calls/s",
                "RSS MiB", "HWM MiB", "heap MiB", "committed", "reloads");

        List<long[]> rows = new ArrayList<>();
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(model, modelFile.toString(), options)) {
            // Warm-up, not counted: the first calls size ONNX Runtime's arenas and the JIT compiles.
            for (int i = 0; i < 5_000; i++) {
                check(analyzer.analyze(texts.get(i % texts.size())));
            }
            rows.add(report(0, 0, 0, 0));
            long start = System.nanoTime();
            long done = 0;
            long reloads = 0;
            long lastTime = start;
            while (done < calls) {
                long chunk = Math.min(REPORT_EVERY, calls - done);
                runChunk(analyzer, texts, done, chunk, threads);
                done += chunk;
                for (long r = reloadEvery > 0 ? (done - chunk) / reloadEvery + 1 : 1;
                        reloadEvery > 0 && r <= done / reloadEvery; r++) {
                    try (SentimentAnalyzer other = SentimentAnalyzer.fromBytes(model, "reload", options)) {
                        check(other.analyze(texts.get((int) (r % texts.size()))));
                    }
                    reloads++;
                }
                long now = System.nanoTime();
                double rate = chunk / ((now - lastTime) / 1e9);
                lastTime = now;
                rows.add(report(done, (now - start) / 1e9, rate, reloads));
            }
        }
        System.exit(verdict(rows) ? 0 : 1);
    }

    private static void runChunk(SentimentAnalyzer analyzer, List<String> texts, long first, long n, int threads)
            throws InterruptedException {
        if (threads <= 1) {
            for (long i = first; i < first + n; i++) {
                check(analyzer.analyze(texts.get((int) (i % texts.size()))));
            }
            return;
        }
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int offset = t;
            Thread worker = new Thread(() -> {
                for (long i = first + offset; i < first + n; i += threads) {
                    check(analyzer.analyze(texts.get((int) (i % texts.size()))));
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private static void check(Sentiment s) {
        double sum = 0;
        for (double p : s.scores().values()) {
            sum += p;
        }
        if (!(Math.abs(sum - 1) < 1e-4)) {
            throw new AssertionError("probabilities sum to " + sum + ": " + s);
        }
    }

    /** Prints and returns {calls, RSS KiB, HWM KiB, heap KiB}. */
    private static long[] report(long calls, double seconds, double rate, long reloads) {
        long rss = statusKib("VmRSS");
        long hwm = statusKib("VmHWM");
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.printf(Locale.ROOT, "%,10d %8.1f %,10.0f %9.1f %9.1f %9.1f %10.1f %8d%n", calls, seconds, rate,
                rss / 1024.0, hwm / 1024.0, heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0, reloads);
        return new long[] {calls, rss, hwm, heap.getUsed() >> 10};
    }

    /** Growth of the resident size over the second half of the run. */
    private static boolean verdict(List<long[]> rows) {
        if (rows.size() < 3 || rows.get(rows.size() - 1)[1] < 0) {
            System.out.println("Verdict: not enough measurements (or no /proc/self/status) to judge.");
            return true;
        }
        long[] last = rows.get(rows.size() - 1);
        long[] middle = rows.get(rows.size() / 2);
        long[] first = rows.get(1);
        double growth = (last[1] - middle[1]) / (double) middle[1];
        long growthKib = last[1] - middle[1];
        long maxRss = rows.stream().mapToLong(r -> r[1]).max().orElse(-1);
        boolean level = growth < 0.05 && growthKib < 32 * 1024;
        System.out.printf(Locale.ROOT, "RSS after %,d calls: %.1f MiB; after %,d: %.1f MiB; after %,d: %.1f MiB; "
                + "highest %.1f MiB%n", first[0], first[1] / 1024.0, middle[0], middle[1] / 1024.0, last[0],
                last[1] / 1024.0, maxRss / 1024.0);
        System.out.printf(Locale.ROOT, "Verdict: RSS %s by %+.1f MiB (%+.1f%%) over the second half (%,d to %,d calls):"
                + " %s%n", growthKib >= 0 ? "grew" : "shrank", growthKib / 1024.0, 100 * growth, middle[0], last[0],
                level ? "memory levels off" : "MEMORY DOES NOT LEVEL OFF");
        return level;
    }

    private static long statusKib(String key) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    /**
     * A thousand texts like the inputs of a real service: reviews of 1 to 120 words (some long, past max_tokens),
     * with punctuation, emoji, CJK, full-width forms, controls and lone surrogates mixed in.
     */
    private static List<String> texts(Random random) {
        String[] words = {"the", "movie", "was", "not", "good", "great", "terrible", "boring", "plot", "acting",
            "I", "loved", "hated", "it", "battery", "died", "after", "two", "days", "phone", "works", "fine",
            "service", "slow", "refund", "never", "again", "amazing", "worst", "best", "ok", "meh", "!!!", "?",
            ":)", ":(", "\uD83D\uDE00", "\uD83D\uDC4D\uD83C\uDFFD", "\u2764\uFE0F", "\u597D", "\u4E0D\u597D",
            "\uFF27\uFF2F\uFF2F\uFF24", "caf\u00E9", "na\u0131ve", "don't", "can\u2019t", "\u200B", "\u0007",
            "\uD800", "#tag", "@user", "https://example.com/a?b=c", "$12.50", "3rd"};
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i % 50 == 0 ? 300 + random.nextInt(200) : 1 + random.nextInt(i % 10 == 0 ? 120 : 25);
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < n; w++) {
                sb.append(words[random.nextInt(words.length)]).append(random.nextInt(8) == 0 ? ", " : " ");
            }
            texts.add(sb.toString().strip());
        }
        texts.set(0, "");
        return texts;
    }
}
