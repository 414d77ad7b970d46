package dev.sentikit.bench;

import ai.djl.Device;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.train.data.DataReader;
import dev.sentikit.train.data.LabeledData;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.train.report.EpochResult;
import dev.sentikit.train.Examples;
import dev.sentikit.train.SentimentTrainer;
import dev.sentikit.train.Split;
import dev.sentikit.train.TrainingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of fine-tuning a pretrained encoder (docs/benchmarks.md, section Training, transformer fine-tuning): the
 * trainer's examples per second on the first {@code TEXTS} texts of a file, with the transformer defaults (batches
 * of 32, AdamW, gradient clipping, 128 tokens, bucketed batches), 2 epochs of which the second is reported (the
 * first warms up the JIT and PyTorch), then the same network shape in PyTorch for Python
 * ({@code benchmarks/training/bert_reference.py}) on the very ids and batches, when a Python is given. A frozen
 * run computes the encoder's states once before its first epoch and then trains only the head, so its epoch 2 says
 * little: the whole run's time is reported under the table, and Python is not run for it (its twin would run the
 * encoder in every step).
 *
 * <pre>
 * java -cp … dev.sentikit.bench.FineTuneThroughput DATA.tsv OUT_DIR TEXTS THREADS PYTHON|- RUN[,RUN…]
 *   RUN: BASE (minilm-l6, bge-small-en, bge-small-zh) or BASE:frozen (--freeze-encoder)
 * </pre>
 */
public final class FineTuneThroughput {

    private static final int BATCH_SIZE = 32;
    private static final long SEED = 42;

    private FineTuneThroughput() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: FineTuneThroughput DATA.tsv OUT_DIR TEXTS THREADS PYTHON|- RUN[,RUN...]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int texts = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        String python = args[4].equals("-") ? null : args[4];
        Files.createDirectories(out);

        LabeledData read = DataReader.builder().build().read(data);
        List<String> all = new ArrayList<>();
        read.rows().forEach(r -> all.add(r.text()));
        Split split = Split.stratified(new Examples(read.labels(), all, read.labelIndices()), 0.1, SEED);
        int[] first = new int[Math.min(texts, split.train().size())];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        Examples train = split.train().subset(first);
        int[] few = new int[Math.min(256, split.heldOut().size())];
        for (int i = 0; i < few.length; i++) {
            few[i] = i;
        }
        Examples valid = split.heldOut().subset(few);
        Path script = Path.of(System.getProperty("sentikit.bench.script", "benchmarks/training/bert_reference.py"));
        Path rows = out.resolve("rows.md");
        Files.deleteIfExists(rows);
        StringBuilder notes = new StringBuilder();
        for (String run : args[5].split(",")) {
            boolean frozen = run.endsWith(":frozen");
            String base = frozen ? run.substring(0, run.indexOf(':')) : run;
            Architecture transformer = Architectures.parse("transformer");
            Architecture.Configured configured = transformer.configure(new Architecture.Options(null, 0, false, null,
                    0, null, base, null, null, null, frozen, null), System.err::println);
            Architecture.Defaults d = transformer.defaults(configured.settings());
            TrainingConfig.Builder builder = TrainingConfig.builder()
                    .optArchitecture(transformer, configured.settings()).optEncoder(configured.encoder()).optEpochs(2)
                    .optBatchSize(BATCH_SIZE).optLearningRate(d.learningRate()).optWeightDecay(d.weightDecay())
                    .optClipNorm(d.clipNorm()).optLrDecay(d.lrDecay()).optPatience(2).optSeed(SEED)
                    .optCalibrate(false).optBatching(TrainingConfig.Batching.BUCKETED);
            TrainingConfig config = builder.build();
            System.err.println("== " + run + ": Sentikit (DJL), " + train.size() + " texts");
            List<Double> java = new ArrayList<>();
            long start = System.nanoTime();
            new SentimentTrainer(config, new Device[] {Device.cpu()}, (EpochResult r) -> {
                System.err.printf(Locale.ROOT, "   epoch %d: %.1f examples/s, loss %.4f%n", r.epoch(),
                        r.examplesPerSecond(), r.trainLoss());
                java.add(r.examplesPerSecond());
            }).optCacheDir(out.resolve("cache")).train(train, valid, new SentimentTrainer.DataSources(data.toString(),
                    read.sha256(), "256 held-out texts", null, "FineTuneThroughput"), out.resolve(run.replace(':', '-')));
            double seconds = (System.nanoTime() - start) / 1e9;
            double j = java.get(java.size() - 1);
            if (frozen) {
                notes.append(String.format(Locale.ROOT, "%n%s: the whole run (the states of %d + %d texts computed "
                        + "once, then 2 epochs of the head, and the validation) took %.1f s.%n", run, train.size(),
                        valid.size(), seconds));
            }
            String tokens = writeIds(out.resolve(run.replace(':', '-') + "-ids"), train, config, transformer);
            String p = "not run";
            String ratio = "";
            if (frozen) {
                p = "not comparable";
            } else if (python != null) {
                System.err.println("== " + run + ": PyTorch (Python)");
                List<Double> rates = PythonTwin.run(python, script, out.resolve(run.replace(':', '-') + "-ids"),
                        threads);
                double py = rates.get(rates.size() - 1);
                p = String.format(Locale.ROOT, "%.1f", py);
                ratio = String.format(Locale.ROOT, "%.2f×", j / py);
            }
            Files.writeString(rows, String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %s | %s |%n", run, tokens,
                    j, String.format(Locale.ROOT, j > 1000 ? "%.2f" : "%.0f", 1000 / j), p, ratio), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        String table = "Fine-tuning, epoch 2 of 2 (the first warms up), " + train.size() + " texts of " + data
                .getFileName() + ", batch " + BATCH_SIZE + ", " + threads + " threads, CPU\n\n"
                + "| run | tokens per text, mean (padded) | Sentikit (DJL) examples/s | ms per example | "
                + "PyTorch (Python) examples/s | ratio |\n|---|---|---:|---:|---:|---:|\n" + Files.readString(rows) + notes;
        Files.writeString(out.resolve("table.md"), table);
        System.out.println(table);
    }

    /**
     * Writes the run's ids, lengths, targets and batch order for the Python twin, with the shape; returns the mean
     * tokens per text, and per cell of the bucketed batches.
     */
    private static String writeIds(Path base, Examples train, TrainingConfig config, Architecture transformer)
            throws IOException {
        Architecture.Prepared prepared = transformer.prepare(config.settings(), config.encoder(), s -> { });
        EncoderSpec spec = config.encoder();
        TextEncoder encoder = TextEncoder.of(spec, prepared.vocabulary());
        int[][] ids = new int[train.size()][];
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = encoder.encode(train.texts().get(i));
            total += ids[i].length;
        }
        int[] order = SentimentTrainer.batchOrder(ids, BATCH_SIZE, TrainingConfig.Batching.BUCKETED, SEED * 31 + 1);
        long cells = PythonTwin.paddedCells(ids, order, BATCH_SIZE);
        Map<String, Object> hyperparameters = config.toMap();
        Map<?, ?> shape = (Map<?, ?>) hyperparameters.get("transformer"); // as the card records it
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("rows", encoder.idSpace());
        header.put("labels", train.labels().size());
        header.put("layers", shape.get("layers"));
        header.put("hidden", shape.get("hidden"));
        header.put("heads", shape.get("heads"));
        header.put("intermediate", shape.get("intermediate"));
        header.put("positions", shape.get("positions"));
        header.put("pooling", shape.get("pooling"));
        header.put("dropout", shape.get("dropout"));
        header.put("frozen", hyperparameters.get("freeze_encoder"));
        header.put("batch_size", BATCH_SIZE);
        header.put("learning_rate", config.learningRate());
        header.put("weight_decay", config.weightDecay());
        header.put("clip_norm", config.clipNorm());
        Files.write(Path.of(base + ".json"), ModelFormat.json().writeValueAsBytes(header));
        PythonTwin.writeIds(base, ids, train.targets());
        Files.write(Path.of(base + ".order"), PythonTwin.ints(order.length, i -> order[i]));
        return String.format(Locale.ROOT, "%.1f (%.1f)", total / (double) ids.length, cells / (double) ids.length);
    }
}
