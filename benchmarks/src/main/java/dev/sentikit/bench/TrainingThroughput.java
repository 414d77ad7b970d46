package dev.sentikit.bench;

import ai.djl.Device;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.architecture.WordEmbeddingArchitecture;
import dev.sentikit.architecture.WordEmbeddingSettings;
import dev.sentikit.train.EncodedData;
import dev.sentikit.train.report.EpochResult;
import dev.sentikit.train.Examples;
import dev.sentikit.train.SentimentTrainer;
import dev.sentikit.train.Split;
import dev.sentikit.train.TrainingConfig;
import dev.sentikit.train.data.DataReader;
import dev.sentikit.train.data.LabeledData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training throughput of the trainer (DJL, PyTorch 2.5.1 natives) against the same architectures written in
 * PyTorch for Python ({@code benchmarks/training/torch_reference.py}), on the same ids, batches, sizes and
 * threads, in one run. Also times the data path: encoding the training texts, and reading them back from the
 * encoded-data cache. Appends its rows to those already in OUT_DIR and prints the whole Markdown table;
 * {@code benchmarks/training.sh} runs it once per ARCH:BATCHING, each in a fresh JVM, as users train one model
 * per process.
 *
 * <pre>
 * TrainingThroughput DATA.tsv OUT_DIR EPOCHS THREADS PYTHON SCRIPT ARCH:BATCHING[,ARCH:BATCHING...]
 * </pre>
 */
public final class TrainingThroughput {

    private static final int BATCH_SIZE = 64;
    private static final float LEARNING_RATE = 1e-3f;
    private static final int DIM = 64;
    private static final int HIDDEN = 128;
    private static final long SEED = 42;
    private static final WordEmbeddingSettings SETTINGS = new WordEmbeddingSettings(DIM, HIDDEN, null);

    private TrainingThroughput() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: TrainingThroughput DATA.tsv OUT_DIR EPOCHS THREADS PYTHON SCRIPT "
                    + "ARCH:BATCHING[,ARCH:BATCHING...]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int epochs = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        String python = args[4];
        Path script = Path.of(args[5]);
        List<String> runs = Arrays.asList(args[6].split(","));
        Files.createDirectories(out);

        LabeledData read = DataReader.builder().build().read(data);
        List<String> texts = new ArrayList<>();
        read.rows().forEach(r -> texts.add(r.text()));
        Examples all = new Examples(read.labels(), texts, read.labelIndices());
        // A small validation split: the trainer needs one, and its evaluation is not counted in the throughput.
        Split split = Split.stratified(all, 0.05, SEED);
        Examples train = split.train();
        System.err.printf(Locale.ROOT, "%d training texts from %s, %d epochs, batch %d, %d threads%n", train.size(),
                data, epochs, BATCH_SIZE, threads);

        List<Architecture> used = new ArrayList<>();
        for (String run : runs) {
            Architecture a = Architectures.parse(run.substring(0, run.indexOf(':')));
            if (!used.contains(a)) {
                used.add(a);
            }
        }
        warmUp(used, train, split.heldOut(), out.resolve("warm-up"));

        Path rows = out.resolve("throughput-rows.md");
        Path dataRows = out.resolve("data-path-rows.md");
        for (String run : runs) {
            String arch = run.substring(0, run.indexOf(':'));
            String batching = run.substring(run.indexOf(':') + 1);
            Architecture architecture = Architectures.parse(arch);
            EncoderSpec spec = EncoderSpec.defaults().withBigrams((architecture instanceof WordEmbeddingArchitecture w && w.usesBigrams()));
            Path cache = out.resolve("cache-" + arch);
            if (!Files.exists(dataRows) || !Files.readString(dataRows).contains("| " + arch + " |")) {
                append(dataRows, dataPathRow(arch, train, spec, cache));
            }
            TrainingConfig config = TrainingConfig.builder().optArchitecture(architecture, SETTINGS).optEncoder(spec)
                    .optEpochs(epochs).optBatchSize(BATCH_SIZE).optLearningRate(LEARNING_RATE)
                    .optSeed(SEED).optCalibrate(false)
                    .optBatching(TrainingConfig.Batching.parse(batching)).build();
            String name = arch + "-" + batching;
            Path base = out.resolve(name);
            writeForPython(base, train, config, cache);
            System.err.println("== " + name + ": Sentikit (DJL)");
            List<Double> java = new ArrayList<>();
            new SentimentTrainer(config, new Device[] {Device.cpu()}, (EpochResult r) -> {
                System.err.printf(Locale.ROOT, "   epoch %d: %.0f examples/s, loss %.4f%n", r.epoch(),
                        r.examplesPerSecond(), r.trainLoss());
                java.add(r.examplesPerSecond());
            }).optCacheDir(cache).train(train, split.heldOut(), new SentimentTrainer.DataSources(data.toString(), read.sha256(),
                    "5% held out", null, "TrainingThroughput"), out.resolve(name + "-checkpoint"));
            System.err.println("== " + name + ": PyTorch (Python)");
            List<Double> py = PythonTwin.run(python, script, base, threads);
            double j = median(java);
            double p = median(py);
            append(rows, String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2f× |%n", arch, batching, j, p,
                    j / p));
        }
        String result = "Training throughput: median of epochs 2.." + epochs + " (the first warms up), "
                + train.size() + " texts, batch " + BATCH_SIZE + ", embedding " + DIM + ", hidden " + HIDDEN + ", "
                + threads + " threads, CPU\n\n"
                + "| model | batching | Sentikit (DJL) examples/s | PyTorch (Python) examples/s | ratio |\n"
                + "|---|---|---:|---:|---:|\n" + Files.readString(rows)
                + "\nData path (each model's encoder settings; padded cells: the share of batch cells that are "
                + "padding)\n\n| model | texts | encode (s) | read from cache (s) | padded cells, random | "
                + "padded cells, bucketed |\n|---|---:|---:|---:|---:|---:|\n" + Files.readString(dataRows);
        Files.writeString(out.resolve("table.md"), result);
        System.out.println(result);
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * One epoch of each architecture on 2,000 texts, not reported: the JIT, DJL and PyTorch's first-use costs fall
     * here rather than on the first measured run (a fresh JVM's first run measured at half speed otherwise).
     */
    private static void warmUp(List<Architecture> architectures, Examples train, Examples valid, Path dir)
            throws IOException {
        int[] first = new int[Math.min(2_000, train.size())];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        Examples small = train.subset(first);
        System.err.println("== warming up (not measured)");
        for (Architecture architecture : architectures) {
            TrainingConfig config = TrainingConfig.builder().optArchitecture(architecture, SETTINGS)
                    .optEncoder(EncoderSpec.defaults().withBigrams((architecture instanceof WordEmbeddingArchitecture w && w.usesBigrams()))).optEpochs(1)
                    .optBatchSize(BATCH_SIZE).optCalibrate(false).build();
            new SentimentTrainer(config, new Device[] {Device.cpu()}, (EpochResult r) -> { })
                    .train(small, valid, new SentimentTrainer.DataSources("warm-up", null, "warm-up", null,
                            "TrainingThroughput"), dir.resolve(architecture.id()));
        }
    }

    /** Encoding time, cache read time, and the padding of random and bucketed batches. */
    private static String dataPathRow(String arch, Examples train, EncoderSpec spec, Path cache) throws IOException {
        deleteTree(cache);
        long t0 = System.nanoTime();
        EncodedData built = EncodedData.load(train.texts(), spec, TrainingConfig.DEFAULT_MIN_COUNT,
                TrainingConfig.DEFAULT_MAX_VOCABULARY, cache, System.err::println);
        long t1 = System.nanoTime();
        EncodedData cached = EncodedData.load(train.texts(), spec, TrainingConfig.DEFAULT_MIN_COUNT,
                TrainingConfig.DEFAULT_MAX_VOCABULARY, cache, System.err::println);
        long t2 = System.nanoTime();
        if (built.fromCache() || !cached.fromCache()) {
            throw new IllegalStateException("the cache did not work as expected");
        }
        int[][] ids = built.ids();
        long tokens = Arrays.stream(ids).mapToLong(r -> Math.max(1, r.length)).sum();
        return String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.0f%% | %.0f%% |%n", arch, ids.length,
                (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                100.0 * (1 - tokens / (double) cells(ids, TrainingConfig.Batching.RANDOM)),
                100.0 * (1 - tokens / (double) cells(ids, TrainingConfig.Batching.BUCKETED)));
    }

    /** Cells of the padded batches of one epoch, as the trainer builds them. */
    private static long cells(int[][] ids, TrainingConfig.Batching batching) {
        return PythonTwin.paddedCells(ids, SentimentTrainer.batchOrder(ids, BATCH_SIZE, batching, SEED * 31 + 1),
                BATCH_SIZE);
    }

    /** The ids the trainer trains on: the same cache entry it reads. */
    private static void writeForPython(Path base, Examples train, TrainingConfig config, Path cache)
            throws IOException {
        EncodedData encoded = EncodedData.load(train.texts(), config.encoder(), config.minCount(),
                config.maxVocabulary(), cache, System.err::println);
        long rows = TextEncoder.of(config.encoder(), encoded.vocabulary()).idSpace();
        int[][] ids = encoded.ids();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("architecture", config.architecture().id());
        header.put("rows", rows);
        header.put("labels", train.labels().size());
        header.put("dim", SETTINGS.embeddingDim());
        header.put("hidden", SETTINGS.hiddenSize());
        header.put("batch_size", config.batchSize());
        header.put("learning_rate", config.learningRate());
        header.put("epochs", config.epochs());
        header.put("batching", config.batching().id());
        header.put("pool", TrainingConfig.BUCKET_POOL);
        header.put("seed", config.seed());
        Files.write(Path.of(base + ".json"), ModelFormat.json().writeValueAsBytes(header));
        PythonTwin.writeIds(base, ids, train.targets());
    }

    /** The median of the epochs after the first (all of them when there are fewer than 3). */
    private static double median(List<Double> rates) {
        List<Double> kept = new ArrayList<>(rates.size() >= 3 ? rates.subList(1, rates.size()) : rates);
        kept.sort(null);
        int n = kept.size();
        return n % 2 == 1 ? kept.get(n / 2) : (kept.get(n / 2 - 1) + kept.get(n / 2)) / 2;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
