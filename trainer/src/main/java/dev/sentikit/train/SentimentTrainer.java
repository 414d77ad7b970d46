package dev.sentikit.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import dev.sentikit.eval.SentimentEvaluation;
import dev.sentikit.eval.SentimentEvaluator;
import dev.sentikit.eval.TemperatureScaling;
import dev.sentikit.model.Calibration;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.model.Provenance;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.train.report.MetricsLog;
import dev.sentikit.train.report.ReportInput;
import dev.sentikit.train.report.ReportWriter;
import dev.sentikit.text.Vocabulary;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a sentiment classifier on PyTorch through DJL and writes it as a {@link Checkpoint}.
 *
 * <p>The run is reproducible: the vocabulary depends only on the data, the initial weights and the order of
 * the batches come from the seed, and PyTorch's own generator is seeded too. On the CPU two runs with the
 * same configuration and data give bit-identical parameters.
 */
public final class SentimentTrainer {

    /** Validation texts kept in the checkpoint for the exporter's parity check. */
    static final int PARITY_TEXTS = 512;

    /** Scale of the uniform initial embedding values: small, so that early means are near 0. */
    private static final float EMBEDDING_INIT = 0.05f;

    private final TrainingConfig config;
    private final Device[] devices;
    private final TrainingListener listener;
    private PretrainedEmbeddings.Coverage coverage;

    /**
     * @param config the settings
     * @param devices where to train (see {@link TrainingDevices#resolve(String)})
     * @param listener told after each epoch
     */
    public SentimentTrainer(TrainingConfig config, Device[] devices, Consumer<EpochResult> listener) {
        this(config, devices, new TrainingListener() {
            @Override
            public void epochEnded(EpochResult result) {
                listener.accept(result);
            }
        });
    }

    /**
     * @param config the settings
     * @param devices where to train (see {@link TrainingDevices#resolve(String)})
     * @param listener told at each step and epoch
     */
    public SentimentTrainer(TrainingConfig config, Device[] devices, TrainingListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.devices = devices.clone();
        this.listener = Objects.requireNonNull(listener, "listener");
        if (this.devices.length == 0) {
            throw new IllegalArgumentException("at least one device is needed");
        }
    }

    /** Where the data came from, recorded in the model's provenance. */
    public record DataSources(String trainData, String trainSha256, String validData, String validSha256,
            String commandLine) {}

    /**
     * Trains on {@code train}, evaluates on {@code valid} after every epoch, and writes the checkpoint of the
     * epoch with the best validation macro-F1 to {@code outputDir} (the latest epoch's parameters go to
     * {@code outputDir/last/}); then fits the calibration temperature on {@code valid} with the best parameters.
     *
     * @return the checkpoint written
     */
    public Checkpoint train(Examples train, Examples valid, DataSources sources, Path outputDir) throws IOException {
        if (!train.labels().equals(valid.labels())) {
            throw new IllegalArgumentException("training labels " + train.labels() + " differ from validation labels "
                    + valid.labels());
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training examples");
        }
        if (valid.size() == 0) {
            throw new IllegalArgumentException("no validation examples");
        }
        Files.createDirectories(outputDir);
        List<String> labels = train.labels();
        Vocabulary vocabulary = buildVocabulary(train.texts());
        TextEncoder encoder = new TextEncoder(config.encoder(), vocabulary);
        int[][] trainIds = encodeAll(encoder, train.texts());
        long rows = encoder.idSpace();

        ModelCard card = new ModelCard(ModelFormat.FORMAT_VERSION, outputDir.getFileName().toString(),
                null, config.architecture().id(), labels, config.encoder(), vocabulary.size(), rows,
                provenance(sources), Map.of(), null);
        Checkpoint checkpoint = new Checkpoint(outputDir, card, vocabulary);
        Checkpoint.writeJson(outputDir, Checkpoint.VOCABULARY, vocabulary.entries());
        Checkpoint.writeJson(outputDir, Checkpoint.PARITY_TEXTS,
                valid.texts().subList(0, Math.min(PARITY_TEXTS, valid.size())));

        Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
        Random random = new Random(config.seed());
        SentimentBlock block = config.architecture().newBlock(rows, config.embeddingDim(), labels.size(),
                config.hiddenSize());
        List<Map<String, Object>> history = new ArrayList<>();
        int bestEpoch = 0;
        double bestF1 = Double.NEGATIVE_INFINITY;
        Files.createDirectories(outputDir.resolve(Checkpoint.LAST));
        Files.deleteIfExists(outputDir.resolve(MetricsLog.FILE)); // a new run starts a new log
        List<EpochResult> epochs = new ArrayList<>();
        try (MetricsLog metricsLog = MetricsLog.inDirectory(outputDir);
                Model model = Model.newInstance(config.architecture().id(), devices[0], "PyTorch")) {
            model.setBlock(block);
            DefaultTrainingConfig djlConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build())
                    .optDevices(devices)
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT)
                    .optInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
            try (Trainer trainer = model.newTrainer(djlConfig)) {
                trainer.initialize(new Shape(1, 1));
                initializeEmbedding(block, random, vocabulary);
                int steps = (train.size() + config.batchSize() - 1) / config.batchSize();
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    long start = System.nanoTime();
                    int[] order = permutation(train.size(), new Random(config.seed() * 31 + epoch));
                    double lossSum = 0;
                    listener.epochStarted(epoch, config.epochs(), steps);
                    for (int s = 0; s < steps; s++) {
                        int from = s * config.batchSize();
                        int to = Math.min(train.size(), from + config.batchSize());
                        double loss = step(trainer, trainIds, train.targets(), order, from, to, s, steps);
                        lossSum += loss * (to - from);
                        listener.stepEnded(s + 1, loss, to - from);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    float[][] probabilities = TrainedModel.predict(block, encoder, valid.texts(),
                            trainer.getManager(), true);
                    SentimentEvaluation evaluation = new SentimentEvaluator(outputDir.getFileName().toString()).evaluate(labels, valid.targets(), probabilities);
                    EpochResult result = new EpochResult(epoch, lossSum / train.size(), evaluation.accuracy(),
                            evaluation.macroF1(), train.size() / seconds);
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("epoch", epoch);
                    line.put("train_loss", result.trainLoss());
                    line.put("valid_accuracy", result.validAccuracy());
                    line.put("valid_macro_f1", result.validMacroF1());
                    line.put("examples_per_second", result.examplesPerSecond());
                    history.add(line);
                    // The latest epoch is always kept; the directory itself holds the best one so far.
                    saveParameters(block, outputDir.resolve(Checkpoint.LAST));
                    boolean improved = bestEpoch == 0 || evaluation.macroF1() > bestF1;
                    if (improved) {
                        bestEpoch = epoch;
                        bestF1 = evaluation.macroF1();
                        card = card.withMetrics(Map.of("validation", evaluation.toMap()));
                        saveParameters(block, outputDir);
                        Checkpoint.writeJson(outputDir, Checkpoint.CARD, card);
                    }
                    Map<String, Object> metrics = new LinkedHashMap<>();
                    metrics.put("validation", card.metrics().get("validation"));
                    metrics.put("best_epoch", bestEpoch);
                    metrics.put("epochs", history);
                    Checkpoint.writeJson(outputDir, Checkpoint.METRICS, metrics);
                    metricsLog.append(result, config.learningRate(), seconds, Map.of("best_epoch", bestEpoch));
                    epochs.add(result);
                    listener.epochEnded(result);
                    if (config.patience() > 0 && epoch - bestEpoch >= config.patience()) {
                        break; // early stopping: no better validation macro-F1 for `patience` epochs
                    }
                }
            }
        }
        checkpoint = new Checkpoint(outputDir, card, vocabulary);
        try (TrainedModel best = TrainedModel.load(checkpoint, devices[0])) {
            float[][] logits = best.logits(valid.texts());
            float[][] before = new float[logits.length][];
            for (int i = 0; i < logits.length; i++) {
                before[i] = TemperatureScaling.softmax(logits[i], 1.0);
            }
            float[][] after = before;
            if (config.calibrate()) {
                Calibration calibration = TemperatureScaling.fit(logits, valid.targets(),
                        "validation split (" + valid.size() + " examples)");
                card = card.withCalibration(calibration);
                checkpoint = new Checkpoint(outputDir, card, vocabulary);
                Checkpoint.writeJson(outputDir, Checkpoint.CARD, card);
                after = new float[logits.length][];
                for (int i = 0; i < logits.length; i++) {
                    after[i] = TemperatureScaling.softmax(logits[i], calibration.temperature());
                }
            }
            SentimentEvaluation validation = new SentimentEvaluator(card.name()).evaluate(labels, valid.targets(),
                    after);
            ReportWriter.writeTo(ReportInput.of(card, epochs, validation).withBestEpoch(bestEpoch)
                    .withReliability(valid.targets(), before, config.calibrate() ? after : null), outputDir);
        }
        return checkpoint;
    }

    /** One optimizer step on examples {@code order[from..to)}; returns the batch's mean loss. */
    private static double step(Trainer trainer, int[][] ids, int[] targets, int[] order, int from, int to,
            int stepIndex, int steps) {
        int size = to - from;
        int width = 1;
        for (int i = from; i < to; i++) {
            width = Math.max(width, ids[order[i]].length);
        }
        long[] x = new long[size * width];
        long[] y = new long[size];
        for (int r = 0; r < size; r++) {
            int[] row = ids[order[from + r]];
            for (int c = 0; c < row.length; c++) {
                x[r * width + c] = row[c];
            }
            y[r] = targets[order[from + r]];
        }
        try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray xs = sub.create(x, new Shape(size, width));
            NDArray ys = sub.create(y, new Shape(size));
            double loss = 0;
            try (Batch batch = new Batch(sub, new NDList(xs), new NDList(ys), size, Batchifier.STACK,
                    Batchifier.STACK, stepIndex, steps)) {
                Batch[] splits = batch.split(trainer.getDevices(), false);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    for (Batch split : splits) {
                        NDList preds = trainer.forward(split.getData());
                        NDArray lossValue = trainer.getLoss().evaluate(split.getLabels(), preds);
                        collector.backward(lossValue);
                        loss += lossValue.getFloat() * split.getSize();
                    }
                }
            }
            trainer.step();
            return loss / size;
        }
    }

    /**
     * Seeded initial embeddings: uniform in [-{@value #EMBEDDING_INIT}, {@value #EMBEDDING_INIT}], with row 0
     * (padding) zero. The other weights come from DJL's initializers, seeded through the engine.
     */
    private void initializeEmbedding(SentimentBlock block, Random random, Vocabulary vocabulary) throws IOException {
        NDArray embedding = block.embedding().getArray();
        Shape es = embedding.getShape();
        float[] e = new float[Math.toIntExact(es.size())];
        int dim = (int) es.get(1);
        for (int i = dim; i < e.length; i++) {
            e[i] = (random.nextFloat() * 2 - 1) * EMBEDDING_INIT;
        }
        if (config.embeddings() != null) {
            coverage = PretrainedEmbeddings.apply(config.embeddings(), vocabulary, e, dim);
        }
        embedding.set(java.nio.FloatBuffer.wrap(e));
    }

    /** What the pretrained vectors covered in the last run, or null when none were used. */
    public PretrainedEmbeddings.Coverage embeddingCoverage() {
        return coverage;
    }

    private static void saveParameters(SentimentBlock block, Path dir) throws IOException {
        Checkpoint.writeAtomically(dir.resolve(Checkpoint.PARAMETERS), out -> {
            DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out));
            block.saveParameters(data);
            data.flush();
        });
    }

    private Vocabulary buildVocabulary(List<String> texts) {
        Map<String, Long> counts = new HashMap<>();
        for (String text : texts) {
            List<String> tokens = TextEncoder.tokenize(text, config.encoder());
            for (int i = 0; i < tokens.size(); i++) {
                counts.merge(tokens.get(i), 1L, Long::sum);
                if (config.encoder().bigrams() && i + 1 < tokens.size()) {
                    counts.merge(tokens.get(i) + ' ' + tokens.get(i + 1), 1L, Long::sum);
                }
            }
        }
        return Vocabulary.fromCounts(counts, config.minCount(), config.maxVocabulary());
    }

    private static int[][] encodeAll(TextEncoder encoder, List<String> texts) {
        return texts.parallelStream().map(encoder::encode).toArray(int[][]::new);
    }

    private static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private Provenance provenance(DataSources sources) {
        return new Provenance(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), Versions.sentikit(),
                Versions.engine(), sources.trainData(), sources.trainSha256(), sources.validData(),
                sources.validSha256(), config.seed(), config.toMap(), sources.commandLine());
    }
}
