package dev.sentikit.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns JMH results into the table of {@code docs/benchmarks.md}: texts per second for each row and column, the
 * ratios that the targets are about, and the latency percentiles of single {@code analyze} calls.
 */
final class ResultTable {

    /** Target: the SDK's cost per text at batch 32 is at most this many times the raw session's. */
    static final double MAX_SDK_OVER_RAW = 1.25;

    /** Target: the SDK is at least this many times faster than DJL PyTorch at batch 1 and 32. */
    static final double MIN_SPEEDUP_OVER_DJL = 2.0;

    private static final int[] BATCHES = {1, 32, 256};

    /** A column: one data set on one number of threads. */
    private record Column(String dataset, int threads) {
        String title() {
            return dataset + ", " + threads + (threads == 1 ? " thread" : " threads");
        }
    }

    /** What was measured, in texts per second (throughput) or microseconds (latency). */
    private record Key(String benchmark, String dataset, int batch, int threads) {}

    private final Map<Key, Result<?>> results = new LinkedHashMap<>();
    private final Map<Key, RunResult> runs = new LinkedHashMap<>();
    private final List<Column> columns = new ArrayList<>();

    private ResultTable() {}

    static ResultTable of(Collection<RunResult> runs) {
        ResultTable t = new ResultTable();
        for (String dataset : List.of("short", "long")) {
            for (RunResult r : runs) {
                BenchmarkParams p = r.getParams();
                if (!dataset.equals(p.getParam("dataset"))) {
                    continue;
                }
                Column c = new Column(dataset, p.getThreads());
                if (!t.columns.contains(c)) {
                    t.columns.add(c);
                }
            }
        }
        t.columns.sort((a, b) -> a.dataset.equals(b.dataset) ? Integer.compare(a.threads, b.threads)
                : a.dataset.equals("short") ? -1 : 1);
        for (RunResult r : runs) {
            BenchmarkParams p = r.getParams();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
            String batch = p.getParam("batch");
            int b = batch == null ? (name.startsWith("EncoderBenchmark") ? EncoderBenchmark.BATCH : 1)
                    : Integer.parseInt(batch);
            Key key = new Key(name, p.getParam("dataset"), b, p.getThreads());
            t.results.put(key, r.getPrimaryResult());
            t.runs.put(key, r);
        }
        return t;
    }

    /** Texts per second, or NaN when not measured. */
    private double textsPerSecond(String benchmark, Column c, int batch) {
        Result<?> r = results.get(new Key(benchmark, c.dataset, batch, c.threads));
        return r == null ? Double.NaN : r.getScore() * batch;
    }

    /** CPU time per text of the benchmark threads, in microseconds (see {@link Cursor}), or NaN. */
    private double cpuMicrosPerText(String benchmark, Column c, int batch) {
        RunResult r = runs.get(new Key(benchmark, c.dataset, batch, c.threads));
        if (r == null) {
            return Double.NaN;
        }
        Result<?> cpu = r.getSecondaryResults().get("cpuNanos");
        Result<?> calls = r.getSecondaryResults().get("calls");
        if (cpu == null || calls == null || calls.getScore() <= 0) {
            return Double.NaN;
        }
        return cpu.getScore() / 1000.0 / (calls.getScore() * batch);
    }

    private double percentile(Column c, double p) {
        Result<?> r = results.get(new Key("LatencyBenchmark.analyze", c.dataset, 1, c.threads));
        return r == null ? Double.NaN : r.getStatistics().getPercentile(p);
    }

    String markdown(String mode) {
        StringBuilder sb = new StringBuilder();
        sb.append("| texts per second (").append(mode).append(" run) |");
        columns.forEach(c -> sb.append(' ').append(c.title()).append(" |"));
        sb.append('\n').append("|---|");
        columns.forEach(c -> sb.append("---:|"));
        sb.append('\n');
        for (int b : BATCHES) {
            row(sb, b == 1 ? "1. SDK `analyze`, batch 1" : "1. SDK `analyzeAll`, batch " + b,
                    c -> tps(textsPerSecond("SdkBenchmark.sdk", c, b)));
        }
        for (int b : BATCHES) {
            row(sb, "2. raw ONNX session, pre-encoded, batch " + b,
                    c -> tps(textsPerSecond("RawSessionBenchmark.raw", c, b)));
        }
        for (int b : BATCHES) {
            row(sb, "3. DJL PyTorch, same model, batch " + b, c -> tps(textsPerSecond("DjlBenchmark.djl", c, b)));
        }
        row(sb, "4. encoder alone (`encodeBatch` of " + EncoderBenchmark.BATCH + ")",
                c -> tps(textsPerSecond("EncoderBenchmark.encode", c, EncoderBenchmark.BATCH)));
        for (int b : BATCHES) {
            String target = b == 32 ? String.format(Locale.ROOT, " (target ≤ %.2f)", MAX_SDK_OVER_RAW) : "";
            row(sb, "SDK cost per text ÷ raw session's, batch " + b + target + ": by texts/s, by CPU time",
                    c -> ratio(sdkOverRaw(c, b)) + ", " + ratio(sdkOverRawCpu(c, b)));
        }
        for (int b : BATCHES) {
            String target = b <= 32 ? String.format(Locale.ROOT, " (target ≥ %.0f)", MIN_SPEEDUP_OVER_DJL) : "";
            row(sb, "SDK speed-up over DJL, batch " + b + target + ": by texts/s, by CPU time",
                    c -> ratio(overDjl(c, b)) + ", " + ratio(overDjlCpu(c, b)));
        }
        row(sb, "SDK `analyze` latency p50 (µs)", c -> micros(percentile(c, 50)));
        row(sb, "SDK `analyze` latency p99 (µs)", c -> micros(percentile(c, 99)));
        sb.append('\n').append(verdicts());
        sb.append('\n').append("CPU time per text of the calling threads (µs; one intra-op thread, so a call's work runs there):\n\n");
        sb.append("| CPU µs per text |");
        columns.forEach(c -> sb.append(' ').append(c.title()).append(" |"));
        sb.append('\n').append("|---|");
        columns.forEach(c -> sb.append("---:|"));
        sb.append('\n');
        for (String[] b : new String[][] {{"SdkBenchmark.sdk", "1. SDK"}, {"RawSessionBenchmark.raw", "2. raw session"},
                {"DjlBenchmark.djl", "3. DJL PyTorch"}}) {
            for (int batch : BATCHES) {
                row(sb, b[1] + ", batch " + batch, c -> micros(cpuMicrosPerText(b[0], c, batch)));
            }
        }
        row(sb, "4. encoder alone", c -> micros(cpuMicrosPerText("EncoderBenchmark.encode", c, EncoderBenchmark.BATCH)));
        sb.append('\n').append("JMH scores with their 99.9% confidence half-width (ops/s, or µs/op for latency):\n\n");
        results.forEach((k, r) -> sb.append(String.format(Locale.ROOT, "- %s %s batch %d, %d thread(s): %.1f ± %.1f %s%n",
                k.benchmark, k.dataset, k.batch, k.threads, r.getScore(), r.getScoreError(), r.getScoreUnit())));
        return sb.toString();
    }

    private String verdicts() {
        StringBuilder sb = new StringBuilder();
        for (Column c : columns) {
            sb.append(String.format(Locale.ROOT, "- %s: SDK/raw at batch 32 = %s by texts/s, %s by CPU time (target ≤ "
                    + "%.2f: %s); speed-up over DJL at batch 1 = %s, %s (target ≥ %.0f: %s), at batch 32 = %s, %s (%s)%n",
                    c.title(), ratio(sdkOverRaw(c, 32)), ratio(sdkOverRawCpu(c, 32)), MAX_SDK_OVER_RAW,
                    met(sdkOverRaw(c, 32) <= MAX_SDK_OVER_RAW, sdkOverRawCpu(c, 32) <= MAX_SDK_OVER_RAW),
                    ratio(overDjl(c, 1)), ratio(overDjlCpu(c, 1)), MIN_SPEEDUP_OVER_DJL,
                    met(overDjl(c, 1) >= MIN_SPEEDUP_OVER_DJL, overDjlCpu(c, 1) >= MIN_SPEEDUP_OVER_DJL),
                    ratio(overDjl(c, 32)), ratio(overDjlCpu(c, 32)),
                    met(overDjl(c, 32) >= MIN_SPEEDUP_OVER_DJL, overDjlCpu(c, 32) >= MIN_SPEEDUP_OVER_DJL)));
        }
        return sb.toString();
    }

    private double sdkOverRaw(Column c, int b) {
        return textsPerSecond("RawSessionBenchmark.raw", c, b) / textsPerSecond("SdkBenchmark.sdk", c, b);
    }

    private double sdkOverRawCpu(Column c, int b) {
        return cpuMicrosPerText("SdkBenchmark.sdk", c, b) / cpuMicrosPerText("RawSessionBenchmark.raw", c, b);
    }

    private double overDjl(Column c, int b) {
        return textsPerSecond("SdkBenchmark.sdk", c, b) / textsPerSecond("DjlBenchmark.djl", c, b);
    }

    private double overDjlCpu(Column c, int b) {
        return cpuMicrosPerText("DjlBenchmark.djl", c, b) / cpuMicrosPerText("SdkBenchmark.sdk", c, b);
    }

    private static String met(boolean byThroughput, boolean byCpu) {
        // Comparisons with NaN are false: a ratio that was not measured reads as missed by both measures.
        return byThroughput && byCpu ? "met" : byThroughput || byCpu ? "met by one measure only" : "missed";
    }

    private void row(StringBuilder sb, String title, Function<Column, String> cell) {
        sb.append("| ").append(title).append(" |");
        for (Column c : columns) {
            sb.append(' ').append(cell.apply(c)).append(" |");
        }
        sb.append('\n');
    }

    private static String tps(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
    }

    private static String micros(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }
}
