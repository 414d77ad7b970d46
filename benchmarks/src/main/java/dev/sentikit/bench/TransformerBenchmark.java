package dev.sentikit.bench;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.export.OnnxExporter;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncodedBatch;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.TrainedModel;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The zoo transformers' inference speed (docs/benchmarks.md, section Zoo transformers): {@code en} (MiniLM-L6) and
 * {@code zh} (bge-small-zh), each as a float32 file and an int8 file ({@code --quantize int8}) exported from one
 * float32 checkpoint rebuilt from the zoo file ({@link ZooCheckpoint}), on short and long texts, with 1 and 2
 * threads, in texts/s and CPU time per text:
 *
 * <ul>
 *   <li>SDK: {@code analyze} (batch 1), {@code analyzeAll} of 32 and of 256 texts;</li>
 *   <li>raw: the SDK's own session on ids encoded before the measurement, batches of 1 and 32 (a batch of 256,
 *       padded to its longest text, held about 3 GB of activations per run of {@code zh} in ONNX Runtime's arena,
 *       which keeps its largest size, and was the slowest: docs/benchmarks.md);</li>
 *   <li>DJL: the checkpoint itself in DJL's PyTorch engine ({@code TrainedModel.probabilities}), batches of 1, 32 and
 *       256 (DJL runs 32 at a time);</li>
 * </ul>
 *
 * and, with the useful floating-point operations of each text (its own tokens, no padding), GFLOP/s per core against
 * this core's float32 FMA peak, measured here ({@link FmaPeak}). "2 threads": two calling threads each running
 * calls, except {@code analyzeAll}, where one call uses both cores (the SDK's default). Each cell runs for a fixed
 * time after a warm-up; the cells are measured in rounds, one after the other, and the best round is kept (the
 * machine is shared: the least disturbed round is the closest to the truth, and the ratios of one round compare).
 * The whole process ({@code bin/sentiment --input}) is timed by {@code benchmarks/transformers.sh}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … dev.sentikit.bench.TransformerBenchmark [quick|full] [--models en,zh]
 *     [--out DIR] [--seconds S] [--rounds N] [--sets short,long]
 * </pre>
 *
 * A cell runs 3 seconds in 2 rounds ({@code quick}: 1.5 seconds, 1 round, short texts only) unless {@code --seconds},
 * {@code --rounds} and {@code --sets} say otherwise. Each cell prints a progress line with the process's resident
 * memory.
 */
public final class TransformerBenchmark {

    /** Where the rebuilt checkpoints and their exports are kept, keyed by the zoo file's SHA-256. */
    static final Path WORK = Path.of("benchmarks", "target", "transformers");

    private static final AtomicLong SINK = new AtomicLong();

    private TransformerBenchmark() {}

    /** The files of one zoo model: its rebuilt checkpoint and the two exports. */
    record Files3(String name, Path checkpoint, Path fp32, Path int8, Path zoo) {}

    /** How long each cell runs after its warm-up, and in how many rounds (the best is kept). */
    record Timing(double seconds, int rounds, Set<String> sets) {}

    /** One measurement. */
    record Cell(double textsPerSecond, double cpuMicrosPerText, double gflopsPerCore) {}

    public static void main(String[] args) throws Exception {
        String mode = "full";
        List<String> models = List.of("en", "zh");
        Path out = WORK;
        double seconds = Double.NaN;
        int rounds = 0;
        Set<String> sets = Set.of("short", "long");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "quick", "full" -> mode = args[i];
                case "--models" -> models = List.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--sets" -> sets = Set.of(args[++i].split(","));
                default -> {
                    System.err.println("usage: TransformerBenchmark [quick|full] [--models en,zh] [--out DIR] "
                            + "[--seconds S] [--rounds N] [--sets short,long]");
                    System.exit(2);
                }
            }
        }
        boolean quick = mode.equals("quick");
        Timing timing = new Timing(Double.isNaN(seconds) ? (quick ? 1.5 : 3) : seconds,
                rounds > 0 ? rounds : (quick ? 1 : 2), quick ? Set.of("short") : sets);
        // DJL: one intra-op and inter-op thread per call, as a DJL user tuning for throughput sets it (with PyTorch's
        // default of one per core its threads wait for the cores the callers hold; see DjlBenchmark).
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Path shared = BenchData.sharedDir().resolve("datasets");
        Files.createDirectories(out);
        StringBuilder report = new StringBuilder();
        double peak = FmaPeak.measure();
        String machine = String.format(Locale.ROOT, "%d cores; float32 FMA peak of one core, measured: %s", cores(),
                Double.isNaN(peak) ? "not measured (run with --add-modules jdk.incubator.vector)"
                        : String.format(Locale.ROOT, "%.0f GFLOP/s (AVX-512: 16 lanes, 12 independent FMAs per loop)",
                                peak));
        System.out.println(machine);
        report.append(machine).append("\n\n");
        for (String name : models) {
            Files3 files = prepare(name);
            report.append(measureModel(files, shared, quick, timing, peak));
        }
        Files.writeString(out.resolve("table.md"), report.toString(), StandardCharsets.UTF_8);
        System.out.println("(also in " + out.resolve("table.md") + ")");
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    // ------------------------------------------------------------------------------------------------ the files

    /**
     * The checkpoint rebuilt from the zoo file and its float32 and int8 exports ({@code trainer export}'s code), made
     * once per zoo file.
     */
    static Files3 prepare(String name) throws Exception {
        Path zoo = Path.of("model-zoo", name, "src", "main", "resources", "META-INF", "sentikit", "zoo", name + ".onnx");
        if (!Files.isRegularFile(zoo)) {
            throw new IllegalStateException(zoo + " not found: run from the repository root");
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zoo)));
        Path dir = WORK.resolve(name);
        Files3 f = new Files3(name, dir.resolve("checkpoint"), dir.resolve(name + "-fp32.onnx"),
                dir.resolve(name + "-int8.onnx"), zoo);
        Path key = dir.resolve("key");
        if (Files.isRegularFile(f.int8) && Files.isRegularFile(f.fp32) && Files.isRegularFile(key)
                && Files.readString(key).equals(sha)) {
            return f;
        }
        System.out.println("== " + name + ": rebuilding the float32 checkpoint from " + zoo + " and exporting it "
                + "(float32, int8); once per zoo file");
        Files.createDirectories(dir);
        ZooCheckpoint.write(zoo, f.checkpoint, null);
        Checkpoint c = Checkpoint.read(f.checkpoint);
        OnnxExporter.Result fp32 = OnnxExporter.export(c, f.fp32, null);
        OnnxExporter.Result int8 = OnnxExporter.export(c, f.int8, null,
                new Architecture.ExportOptions(Architecture.Quantization.INT8));
        System.out.printf(Locale.ROOT, "   float32 against DJL: %.2g; int8 against float32: largest %.3f, mean %.4f%n",
                fp32.parity().maxProbabilityDifference(), int8.quantized().maxProbabilityDifference(),
                int8.quantized().meanProbabilityDifference());
        Files.writeString(key, sha);
        return f;
    }

    // ------------------------------------------------------------------------------------------------ measuring

    private static String measureModel(Files3 files, Path shared, boolean quick, Timing timing, double peak)
            throws Exception {
        ModelCard card = Checkpoint.read(files.checkpoint).card();
        boolean chinese = files.name.startsWith("zh");
        Map<String, List<String>> datasets = new LinkedHashMap<>();
        int shortCount = quick ? 256 : 512;
        int longCount = quick ? 64 : 128;
        if (timing.sets.contains("short")) {
            datasets.put(chinese ? "short (food delivery)" : "short (VADER)", ZooThroughput.sample(
                    shared.resolve(chinese ? "zh/waimai_10k.tsv" : "en/vader-3class-train.tsv"), shortCount));
        }
        if (timing.sets.contains("long")) {
            datasets.put(chinese ? "long (shopping, > 100 chars)" : "long (IMDB)", chinese
                    ? ZooThroughput.longest(shared.resolve("zh/online_shopping_9_cats.tsv"), longCount)
                    : ZooThroughput.sample(shared.resolve("en/imdb.tsv"), longCount));
        }
        int[] threadCounts = quick ? new int[] {1} : new int[] {1, cores()};
        Flops flops = Flops.of(card);

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "### %s: %s%n%n", files.name, flops));
        md.append(loading(files));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (SentimentAnalyzer fp32One = load(files.fp32, 1); SentimentAnalyzer fp32All = load(files.fp32, 0);
                SentimentAnalyzer int8One = load(files.int8, 1); SentimentAnalyzer int8All = load(files.int8, 0);
                TrainedModel djl = TrainedModel.load(Checkpoint.read(files.checkpoint), Device.cpu())) {
            TextEncoder encoder = TextEncoder.of(card.encoder(), djl.checkpoint().vocabulary());
            for (Map.Entry<String, List<String>> d : datasets.entrySet()) {
                List<String> texts = d.getValue();
                double[] textFlops = new double[texts.size()];
                double tokens = 0;
                for (int i = 0; i < texts.size(); i++) {
                    int n = encoder.encode(texts.get(i)).length;
                    tokens += n;
                    textFlops[i] = flops.of(n);
                }
                double meanFlops = java.util.Arrays.stream(textFlops).average().orElse(0);
                List<Row> rows = new ArrayList<>();
                for (String precision : List.of("float32", "int8")) {
                    SentimentAnalyzer one = precision.equals("int8") ? int8One : fp32One;
                    SentimentAnalyzer all = precision.equals("int8") ? int8All : fp32All;
                    OrtSession session = RawSessionBenchmark.sessionOf(one);
                    rows.add(new Row("SDK `analyze`, " + precision, 1, t -> i -> all.analyze(texts.get(i % texts.size()))));
                    for (int batch : new int[] {32, 256}) {
                        List<List<String>> batches = batches(texts, batch);
                        rows.add(new Row("SDK `analyzeAll` of " + batch + ", " + precision, batch,
                                t -> i -> (t == 1 ? one : all).analyzeAll(batches.get(i % batches.size())))
                                .sharedCall());
                    }
                    for (int batch : new int[] {1, 32}) {
                        List<Map<String, OnnxTensor>> feeds = feeds(env, encoder, batches(texts, batch));
                        rows.add(new Row("raw session, " + precision + ", batch " + batch, batch, t -> i -> {
                            try (OrtSession.Result r = session.run(feeds.get(i % feeds.size()),
                                    Set.of(ModelFormat.OUTPUT_PROBABILITIES))) {
                                SINK.addAndGet(r.size());
                            } catch (OrtException e) {
                                throw new IllegalStateException(e);
                            }
                        }).closing(feeds));
                    }
                }
                for (int batch : new int[] {1, 32, 256}) {
                    List<List<String>> batches = batches(texts, batch);
                    rows.add(new Row("DJL PyTorch, float32 checkpoint, batch " + batch, batch,
                            t -> i -> SINK.addAndGet(djl.probabilities(batches.get(i % batches.size())).length)));
                }
                Map<String, Cell> cells = new LinkedHashMap<>();
                for (int round = 0; round < timing.rounds; round++) {
                    for (Row row : rows) {
                        for (int threads : threadCounts) {
                            Cell c = measure(row, threads, timing.seconds, meanFlops, texts.size());
                            cells.merge(row.name + "@" + threads, c, TransformerBenchmark::better);
                            System.out.printf(Locale.ROOT, "  round %d, %s, %d thread%s: %,.0f texts/s; resident "
                                    + "%,d MB%n", round + 1, row.name, threads, threads == 1 ? "" : "s",
                                    c.textsPerSecond, NativeMemoryCheck.rssKiB() / 1024);
                        }
                    }
                }
                rows.forEach(Row::close);
                md.append(table(files.name + ", " + d.getKey() + String.format(Locale.ROOT,
                        ", %d texts, %.1f tokens on average", texts.size(), tokens / texts.size()), rows, cells,
                        threadCounts, peak));
                System.out.println(md.substring(md.lastIndexOf("####")));
            }
        }
        return md.toString();
    }

    private static Cell better(Cell a, Cell b) {
        return a.textsPerSecond >= b.textsPerSecond ? new Cell(a.textsPerSecond,
                Math.min(a.cpuMicrosPerText, b.cpuMicrosPerText), Math.max(a.gflopsPerCore, b.gflopsPerCore))
                : new Cell(b.textsPerSecond, Math.min(a.cpuMicrosPerText, b.cpuMicrosPerText),
                        Math.max(a.gflopsPerCore, b.gflopsPerCore));
    }

    private static SentimentAnalyzer load(Path file, int parallelism) throws Exception {
        return SentimentAnalyzer.load(file, AnalyzerOptions.builder().optDevice("cpu").optParallelism(parallelism)
                .build());
    }

    /** How long the files take to load: the SDK (with its checks) and a bare ONNX Runtime session. */
    private static String loading(Files3 f) throws Exception {
        StringBuilder sb = new StringBuilder("| loading (best of 3) | file (MB) | ONNX Runtime session | SDK `load` "
                + "(session and checks) |\n|---|---:|---:|---:|\n");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("float32", f.fp32);
        files.put("int8 (`--quantize int8`)", f.int8);
        files.put("zoo file (int8 weights, float32 compute)", f.zoo);
        for (Map.Entry<String, Path> e : files.entrySet()) {
            byte[] bytes = Files.readAllBytes(e.getValue());
            double session = Double.MAX_VALUE;
            double sdk = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                    o.setIntraOpNumThreads(1);
                    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    env.createSession(bytes, o).close();
                }
                session = Math.min(session, (System.nanoTime() - t) / 1e6);
                t = System.nanoTime();
                SentimentAnalyzer.fromBytes(bytes, e.getKey(), AnalyzerOptions.builder().optDevice("cpu").build())
                        .close();
                sdk = Math.min(sdk, (System.nanoTime() - t) / 1e6);
            }
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f ms | %.0f ms |%n", e.getKey(), bytes.length / 1e6,
                    session, sdk));
        }
        return sb.append('\n').toString();
    }

    /** One row of the table: what one call does, and how many texts it analyzes. */
    static final class Row {
        final String name;
        final int textsPerCall;
        /** The call for a number of threads; it gets a running index, to walk the sample. */
        final java.util.function.IntFunction<IntConsumer> call;
        boolean sharedCall;
        List<Map<String, OnnxTensor>> owned = List.of();

        Row(String name, int textsPerCall, java.util.function.IntFunction<IntConsumer> call) {
            this.name = name;
            this.textsPerCall = textsPerCall;
            this.call = call;
        }

        /** With n threads, one call at a time that uses them all (analyzeAll), not n calling threads. */
        Row sharedCall() {
            sharedCall = true;
            return this;
        }

        Row closing(List<Map<String, OnnxTensor>> feeds) {
            owned = feeds;
            return this;
        }

        void close() {
            for (Map<String, OnnxTensor> f : owned) {
                f.values().forEach(OnnxTensor::close);
            }
        }
    }

    /** Runs {@code row} on {@code threads} threads for {@code seconds} after a warm-up. */
    private static Cell measure(Row row, int threads, double seconds, double meanFlops, int sampleSize)
            throws InterruptedException {
        int callers = row.sharedCall ? 1 : threads;
        IntConsumer call = row.call.apply(threads);
        // Warm-up: a few calls, and at least one pass over the sample for batches.
        int warm = Math.max(3, Math.min(50, sampleSize / row.textsPerCall));
        for (int i = 0; i < warm; i++) {
            call.accept(i);
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] calls = new long[callers];
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(callers);
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < callers; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    int i = id * 7919;
                    while (System.nanoTime() < deadline) {
                        call.accept(i++);
                        calls[id]++;
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                } finally {
                    done.countDown();
                }
            }, "bench-" + t);
            th.start();
        }
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        start.countDown();
        done.await();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        if (failure[0] != null) {
            throw new IllegalStateException(row.name + " failed", failure[0]);
        }
        long texts = 0;
        for (long c : calls) {
            texts += c * row.textsPerCall;
        }
        return new Cell(texts / wall, cpu / texts * 1e6, meanFlops * texts / cpu / 1e9);
    }

    private static String table(String title, List<Row> rows, Map<String, Cell> cells, int[] threadCounts,
            double peak) {
        StringBuilder sb = new StringBuilder("#### " + title + "\n\n| |");
        for (int t : threadCounts) {
            sb.append(String.format(Locale.ROOT, " texts/s, %d thread%s |", t, t == 1 ? "" : "s"));
        }
        for (int t : threadCounts) {
            sb.append(String.format(Locale.ROOT, " CPU µs/text, %d |", t));
        }
        sb.append(" GFLOP/s per core, 1 thread |\n|---|");
        sb.append("---:|".repeat(2 * threadCounts.length + 1)).append('\n');
        for (Row row : rows) {
            sb.append("| ").append(row.name).append(" |");
            for (int t : threadCounts) {
                sb.append(String.format(Locale.ROOT, " %,.0f |", cells.get(row.name + "@" + t).textsPerSecond));
            }
            for (int t : threadCounts) {
                sb.append(String.format(Locale.ROOT, " %,.0f |", cells.get(row.name + "@" + t).cpuMicrosPerText));
            }
            Cell one = cells.get(row.name + "@1");
            sb.append(String.format(Locale.ROOT, " %.0f%s |%n", one.gflopsPerCore, Double.isNaN(peak) ? ""
                    : String.format(Locale.ROOT, " (%.0f%% of peak)", 100 * one.gflopsPerCore / peak)));
        }
        sb.append('\n').append(ratios(rows, cells, threadCounts)).append('\n');
        return sb.toString();
    }

    /** The targets' ratios, by CPU time per text (and by texts/s). */
    private static String ratios(List<Row> rows, Map<String, Cell> cells, int[] threadCounts) {
        StringBuilder sb = new StringBuilder();
        for (int t : threadCounts) {
            String s = t + (t == 1 ? " thread" : " threads");
            for (String p : List.of("float32", "int8")) {
                sb.append(ratio("SDK ÷ raw session, cost per text, batch 32, " + p + ", " + s,
                        cells.get("SDK `analyzeAll` of 32, " + p + "@" + t),
                        cells.get("raw session, " + p + ", batch 32@" + t), true));
            }
            sb.append(ratio("int8 ÷ float32, raw session, batch 32, speed-up, " + s,
                    cells.get("raw session, int8, batch 32@" + t), cells.get("raw session, float32, batch 32@" + t),
                    false));
            for (int batch : new int[] {1, 32}) {
                String sdk = batch == 1 ? "SDK `analyze`, " : "SDK `analyzeAll` of 32, ";
                for (String p : List.of("float32", "int8")) {
                    sb.append(ratio("SDK (" + p + ") ÷ DJL, speed-up, batch " + batch + ", " + s,
                            cells.get(sdk + p + "@" + t), cells.get("DJL PyTorch, float32 checkpoint, batch " + batch
                                    + "@" + t), false));
                }
            }
        }
        return sb.toString();
    }

    private static String ratio(String what, Cell a, Cell b, boolean cost) {
        if (a == null || b == null) {
            return "";
        }
        double byCpu = cost ? a.cpuMicrosPerText / b.cpuMicrosPerText : b.cpuMicrosPerText / a.cpuMicrosPerText;
        double byRate = cost ? b.textsPerSecond / a.textsPerSecond : a.textsPerSecond / b.textsPerSecond;
        return String.format(Locale.ROOT, "- %s: %.2f× by CPU time, %.2f× by texts/s%n", what, byCpu, byRate);
    }

    static List<List<String>> batches(List<String> texts, int size) {
        List<List<String>> out = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += size) {
            List<String> b = new ArrayList<>(texts.subList(from, Math.min(texts.size(), from + size)));
            while (b.size() < size) {
                b.add(texts.get(b.size() % texts.size())); // a full batch, wrapping round the sample
            }
            out.add(b);
        }
        return out;
    }

    /** Each batch encoded (padded to its longest text, as the encoder pads) into direct-buffer tensors. */
    private static List<Map<String, OnnxTensor>> feeds(OrtEnvironment env, TextEncoder encoder,
            List<List<String>> batches) throws OrtException {
        List<Map<String, OnnxTensor>> out = new ArrayList<>();
        for (List<String> b : batches) {
            EncodedBatch e = encoder.encodeBatch(b);
            long[] mask = new long[e.ids().length];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = e.ids()[i] != 0 ? 1 : 0;
            }
            long[] shape = {e.batchSize(), e.sequenceLength()};
            out.add(Map.of(ModelFormat.INPUT_IDS, OnnxTensor.createTensor(env, direct(e.ids()), shape),
                    ModelFormat.INPUT_ATTENTION_MASK, OnnxTensor.createTensor(env, direct(mask), shape)));
        }
        return out;
    }

    private static LongBuffer direct(long[] values) {
        LongBuffer b = ByteBuffer.allocateDirect(values.length * Long.BYTES).order(ByteOrder.nativeOrder())
                .asLongBuffer();
        b.put(values).flip();
        return b;
    }

    /** The floating-point operations (multiply and add counted apart) of a text of n tokens. */
    record Flops(int layers, int hidden, int intermediate) {
        static Flops of(ModelCard card) {
            @SuppressWarnings("unchecked")
            Map<String, Object> t = (Map<String, Object>) card.provenance().hyperparameters().get("transformer");
            return new Flops(((Number) t.get("layers")).intValue(), ((Number) t.get("hidden")).intValue(),
                    ((Number) t.get("intermediate")).intValue());
        }

        /** Per layer: the weight products 2·n·(4h² + 2hf), the attention 2·2·n²·h. */
        double of(int n) {
            double h = hidden;
            return layers * (2.0 * n * (4 * h * h + 2 * h * intermediate) + 4.0 * n * n * h);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d layers, hidden %d, FFN %d: %.1f MFLOP per token in the weight "
                    + "products", layers, hidden, intermediate, layers * 2.0 * (4.0 * hidden * hidden
                            + 2.0 * hidden * intermediate) / 1e6);
        }
    }
}
