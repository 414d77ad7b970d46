package dev.sentikit.train;

import dev.sentikit.train.report.EpochResult;
import dev.sentikit.architecture.SentimentBlock;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
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
import ai.djl.translate.Batchifier;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import dev.sentikit.architecture.Architecture;
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

    private final TrainingConfig config;
    private final Device[] devices;
    private final TrainingListener listener;
    private Path cacheDir;
    /** Whether this run took its first step, through the trainer (see {@link #step}). */
    private boolean gradientsChecked;

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
        if (this.devices.length > 1 && config.clipNorm() > 0) {
            throw new IllegalArgumentException("gradient clipping (--clip-norm " + config.clipNorm() + ") is not "
                    + "supported with several devices in this version: the replicas' gradients are summed inside "
                    + "DJL's parameter server, out of reach; train with --clip-norm 0, or on one device");
        }
    }

    /**
     * Keeps the encoded training data in {@code dir} (see {@link EncodedData}), so that another run on the same
     * data and encoder settings skips encoding; null (the default) encodes every time.
     *
     * @return this trainer
     */
    public SentimentTrainer optCacheDir(Path dir) {
        this.cacheDir = dir;
        return this;
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
        return run(train, valid, sources, outputDir, null);
    }

    /**
     * Continues the run whose checkpoint is {@code from} (see {@link LastCheckpoint#find}) in {@code outputDir}:
     * same epoch and batch, same optimizer state, same order of the data. This trainer's configuration must be
     * {@code from.config()}, and {@code train} and {@code valid} the run's data. On the CPU the result is
     * bit-identical to a run that was never interrupted.
     *
     * @return the checkpoint written
     */
    public Checkpoint resume(Examples train, Examples valid, LastCheckpoint from, Path outputDir) throws IOException {
        Objects.requireNonNull(from, "from");
        if (!from.config().toMap().equals(config.toMap())) {
            throw new IllegalArgumentException("the configuration differs from the checkpoint's: " + config.toMap()
                    + " vs " + from.config().toMap());
        }
        if (!from.card().labels().equals(train.labels())) {
            throw new IllegalArgumentException("the data's labels " + train.labels() + " differ from the checkpoint's "
                    + from.card().labels());
        }
        return run(train, valid, null, outputDir, from);
    }

    private Checkpoint run(Examples train, Examples valid, DataSources sources, Path outputDir, LastCheckpoint resume)
            throws IOException {
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
        if (valid.labelledCount() != valid.size()) {
            throw new IllegalArgumentException("every validation example needs a label");
        }
        if (!train.hasSoftTargets() && train.labelledCount() != train.size()) {
            throw new IllegalArgumentException((train.size() - train.labelledCount()) + " training examples have no "
                    + "label and no soft targets: give them a teacher's probabilities (dev.sentikit.distill)");
        }
        if (config.distillation() != null && !train.hasSoftTargets()) {
            throw new IllegalArgumentException("the configuration distils from a teacher, but the training examples "
                    + "have no soft targets: label them with the teacher first (dev.sentikit.distill.TransferSet)");
        }
        if (config.distillation() == null && train.hasSoftTargets()) {
            throw new IllegalArgumentException("the training examples have soft targets, but the configuration has no "
                    + "distillation settings (TrainingConfig.Builder.optDistillation) to say how to learn from them");
        }
        if (train.hasLabelSets() && config.distillation() != null) {
            throw new IllegalArgumentException("rows that know only some labels cannot be distilled: the teacher's "
                    + "probabilities cover every label");
        }
        if (train.hasLabelSets() == config.partialData().isEmpty()) {
            throw new IllegalArgumentException(train.hasLabelSets()
                    ? "some training rows know only some labels, but the configuration names no file of such rows "
                            + "(TrainingConfig.Builder.optPartialData), so the model card would not say so"
                    : "the configuration names files whose rows know only some labels " + config.partialData()
                            + ", but no training row has a label set (Examples.restrictedTo)");
        }
        SoftTargets softTargets = config.distillation() == null ? null : SoftTargets.of(train, config.distillation());
        Files.createDirectories(outputDir);
        gradientsChecked = false;
        List<String> labels = train.labels();
        Architecture architecture = config.architecture();
        Architecture.Prepared prepared = architecture.prepare(config.settings(), config.encoder(), listener::message);
        long encodeStart = System.nanoTime();
        EncodedData encoded = EncodedData.load(train.texts(), config.encoder(), config.minCount(),
                config.maxVocabulary(), prepared.vocabulary(), cacheDir, listener::warning);
        listener.message(String.format(java.util.Locale.ROOT, "%s %d texts in %.1f s%s",
                encoded.fromCache() ? "read the encoded" : "encoded", train.size(),
                (System.nanoTime() - encodeStart) / 1e9, cacheDir == null ? "" : " (cache: " + cacheDir + ")"));
        Vocabulary vocabulary = encoded.vocabulary();
        TextEncoder encoder = TextEncoder.of(config.encoder(), vocabulary);
        int[][] trainIds = encoded.ids();
        long rows = encoder.idSpace();

        ModelCard baseCard = resume != null ? resume.card()
                : new ModelCard(ModelFormat.FORMAT_VERSION, outputDir.getFileName().toString(),
                        null, architecture.id(), labels, config.encoder(), vocabulary.size(), rows,
                        provenance(sources, prepared.base()), Map.of(), null)
                        .withScripts(dev.sentikit.text.Scripts.profile(train.texts()));
        if (baseCard.embeddingRows() != rows || baseCard.vocabularySize() != vocabulary.size()) {
            throw new IllegalArgumentException("the data gives a vocabulary of " + vocabulary.size() + " entries, "
                    + "the checkpoint was trained with " + baseCard.vocabularySize() + ": it is not the same data");
        }
        ModelCard card = baseCard;
        Checkpoint checkpoint;
        Checkpoint.writeJson(outputDir, Checkpoint.VOCABULARY, vocabulary.entries());
        for (Map.Entry<String, String> file : prepared.checkpointFiles().entrySet()) {
            byte[] bytes = file.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Checkpoint.writeAtomically(outputDir.resolve(file.getKey()), out -> out.write(bytes));
        }
        Checkpoint.writeJson(outputDir, Checkpoint.PARITY_TEXTS,
                valid.texts().subList(0, Math.min(PARITY_TEXTS, valid.size())));

        Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
        Random random = new Random(config.seed());
        SentimentBlock block = architecture.newBlock(config.settings(), rows, labels.size());
        int batches = (train.size() + config.batchSize() - 1) / config.batchSize();
        int stepsPerEpoch = (batches + config.accumulate() - 1) / config.accumulate();
        long totalSteps = (long) stepsPerEpoch * config.epochs();
        List<Map<String, Object>> history = new ArrayList<>();
        int bestEpoch = 0;
        double bestF1 = Double.NEGATIVE_INFINITY;
        Map<String, Object> bestValidation = null;
        int firstEpoch = 1;
        int firstBatch = 0;
        double resumedLoss = 0;
        double resumedSeconds = 0;
        boolean finished = false;
        if (resume != null) {
            TrainingState st = resume.state();
            if (st.batchesPerEpoch() != batches) {
                throw new IllegalArgumentException("the data gives " + batches + " batches per epoch, the checkpoint "
                        + st.batchesPerEpoch() + ": it is not the same data");
            }
            history.addAll(st.history());
            bestEpoch = st.bestEpoch();
            bestF1 = bestEpoch == 0 ? Double.NEGATIVE_INFINITY : st.bestMacroF1();
            bestValidation = st.bestValidation();
            if (bestValidation != null) {
                card = card.withMetrics(Map.of("validation", bestValidation));
            }
            finished = st.finished();
            if (st.epochComplete()) {
                firstEpoch = st.epoch() + 1;
            } else {
                firstEpoch = st.epoch();
                firstBatch = st.batchesDone();
                resumedLoss = st.lossSum();
                resumedSeconds = st.seconds();
            }
            trimMetricsLog(outputDir, st.epochComplete() ? st.epoch() : st.epoch() - 1);
        } else {
            LastCheckpoint.clear(outputDir);
            Files.deleteIfExists(outputDir.resolve(MetricsLog.FILE)); // a new run starts a new log
        }
        List<EpochResult> epochs = new ArrayList<>(MetricsLog.toEpochResults(history));
        ResumableAdam adam = new ResumableAdam(step -> config.learningRateAt(step, totalSteps));
        try (MetricsLog metricsLog = MetricsLog.inDirectory(outputDir);
                Model model = Model.newInstance(architecture.id(), devices[0], "PyTorch")) {
            model.setBlock(block);
            DefaultTrainingConfig djlConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(adam)
                    .optDevices(devices)
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT)
                    .optInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
            try (Trainer trainer = model.newTrainer(djlConfig)) {
                // The parameters get their values on the first device before the trainer mirrors them onto the
                // others (Trainer.initialize), so that every replica starts equal. The block's own initialize is
                // what Trainer.initialize calls first, and it leaves initialized parameters alone.
                block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
                String note = architecture.initialize(block, config.settings(), vocabulary, random, prepared);
                if (note != null && resume == null) {
                    listener.message(note);
                }
                prepared = null; // a base's weights are in the block now
                if (resume != null) {
                    restoreParameters(block, resume.parameters());
                }
                trainer.initialize(new Shape(1, 1));
                Map<String, String> names = new LinkedHashMap<>();
                java.util.Set<String> decaying = new java.util.HashSet<>();
                for (ai.djl.util.Pair<String, Parameter> p : block.getParameters()) {
                    names.put(p.getValue().getId(), p.getKey());
                    if (architecture.decays(p.getValue())) {
                        decaying.add(p.getKey());
                    }
                }
                adam.setParameterNames(names);
                if (config.weightDecay() > 0) {
                    adam.setDecoupledWeightDecay(config.weightDecay(), decaying::contains);
                }
                if (resume != null) {
                    try (java.io.InputStream in = Files.newInputStream(resume.optimizer())) {
                        adam.load(in);
                    }
                    listener.warning("resuming " + outputDir + " from " + resume.dir() + ": "
                            + (finished ? "the run had finished"
                                    : firstBatch > 0 ? "epoch " + firstEpoch + " at batch " + (firstBatch + 1) + " of "
                                            + batches : "epoch " + firstEpoch));
                }
                if (!finished) {
                    // Hours of training that export would refuse are stopped here, before the first step.
                    GraphParity.check(architecture, block, trainIds, trainer.getManager());
                }
                String precomputed = finished ? null : block.precompute(() -> runTexts(trainIds, valid, encoder),
                        trainer.getManager(), listener::message);
                if (precomputed != null) {
                    listener.message(precomputed);
                }
                for (int epoch = firstEpoch; epoch <= config.epochs() && !finished; epoch++) {
                    long start = System.nanoTime();
                    int[] order = batchOrder(trainIds, config.batchSize(), config.batching(),
                            config.seed() * 31 + epoch);
                    double lossSum = epoch == firstEpoch ? resumedLoss : 0;
                    double priorSeconds = epoch == firstEpoch ? resumedSeconds : 0;
                    int from0 = epoch == firstEpoch ? firstBatch : 0;
                    listener.epochStarted(epoch, config.epochs(), batches);
                    for (int s = from0; s < batches; s++) {
                        int from = s * config.batchSize();
                        int to = Math.min(train.size(), from + config.batchSize());
                        int groupFrom = (s / config.accumulate()) * config.accumulate() * config.batchSize();
                        int groupTo = Math.min(train.size(), groupFrom + config.accumulate() * config.batchSize());
                        double scale = config.accumulate() == 1 ? 1.0 : (to - from) / (double) (groupTo - groupFrom);
                        Engine.getEngine("PyTorch").setRandomSeed(batchSeed(config.seed(), epoch, s));
                        double loss = forwardBackward(trainer, trainIds, train.targets(), train.labelSets(),
                                labels.size(), softTargets, order, from, to, s, batches, scale);
                        lossSum += loss * (to - from);
                        boolean stepNow = (s + 1) % config.accumulate() == 0 || s + 1 == batches;
                        if (stepNow) {
                            step(trainer, block, adam);
                        }
                        listener.stepEnded(s + 1, loss, to - from);
                        if (stepNow && s + 1 < batches && config.checkpointEvery() > 0
                                && adam.optimizerSteps() % config.checkpointEvery() == 0) {
                            double seconds = priorSeconds + (System.nanoTime() - start) / 1e9;
                            writeLast(outputDir, block, adam, baseCard, new TrainingState(TrainingState.FORMAT_VERSION,
                                    epoch, s + 1, batches, adam.optimizerSteps(), false, lossSum, seconds, bestEpoch,
                                    bestEpoch == 0 ? 0 : bestF1, bestValidation, history, null));
                        }
                    }
                    double seconds = priorSeconds + (System.nanoTime() - start) / 1e9;
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
                    // The directory itself holds the best epoch so far; last/ the latest, written after it so that
                    // a resumed run never lacks the best parameters its state refers to.
                    boolean improved = bestEpoch == 0 || evaluation.macroF1() > bestF1;
                    if (improved) {
                        bestEpoch = epoch;
                        bestF1 = evaluation.macroF1();
                        bestValidation = evaluation.toMap();
                        card = card.withMetrics(Map.of("validation", bestValidation));
                        saveParameters(block, outputDir);
                        Checkpoint.writeJson(outputDir, Checkpoint.CARD, card);
                    }
                    Map<String, Object> metrics = new LinkedHashMap<>();
                    metrics.put("validation", card.metrics().get("validation"));
                    metrics.put("best_epoch", bestEpoch);
                    metrics.put("epochs", history);
                    Checkpoint.writeJson(outputDir, Checkpoint.METRICS, metrics);
                    float lr = adam.optimizerSteps() == 0 ? config.learningRate() : adam.lastLearningRate();
                    metricsLog.append(result, lr, seconds, Map.of("best_epoch", bestEpoch));
                    finished = epoch == config.epochs()
                            || config.patience() > 0 && epoch - bestEpoch >= config.patience();
                    writeLast(outputDir, block, adam, baseCard, new TrainingState(TrainingState.FORMAT_VERSION, epoch,
                            batches, batches, adam.optimizerSteps(), finished, lossSum, seconds, bestEpoch, bestF1,
                            bestValidation, history, null));
                    epochs.add(result);
                    listener.epochEnded(result);
                    // early stopping (finished): no better validation macro-F1 for `patience` epochs
                }
                block.releasePrecomputed();
            }
        } catch (EngineException e) {
            throw outOfMemory(e, config.batchSize(), config.accumulate());
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

    /** The texts a run feeds its block, for {@link SentimentBlock#precompute}: training, then validation. */
    private static int[][] runTexts(int[][] trainIds, Examples valid, TextEncoder encoder) {
        int[][] all = java.util.Arrays.copyOf(trainIds, trainIds.length + valid.size());
        for (int i = 0; i < valid.size(); i++) {
            all[trainIds.length + i] = encoder.encode(valid.texts().get(i));
        }
        return all;
    }

    /**
     * The seed of PyTorch's generator for batch {@code batch} (0-based) of epoch {@code epoch}: what dropout draws
     * from. Seeding each batch from the run's seed, rather than once per run, makes the draws of a batch the same
     * whether the run went straight through or was resumed before it, so that a resumed run stays bit-identical to
     * an uninterrupted one (a resumed run starts a fresh generator).
     */
    static int batchSeed(long seed, int epoch, int batch) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + batch;
        // SplitMix64's finalizer: nearby (seed, epoch, batch) give unrelated seeds
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 31));
    }

    /**
     * The targets of the distillation loss ({@link Distillation}), row by row: {@code gold} holds alpha × the
     * one-hot gold label (zeros where a row has none), {@code soft} the soft term's weight (1 − alpha, or 1 without a
     * gold label) × the teacher's probabilities at the temperature.
     */
    record SoftTargets(float[][] gold, float[][] soft, float temperature) {

        static SoftTargets of(Examples train, Distillation d) {
            int n = train.size();
            int classes = train.labels().size();
            float[][] gold = new float[n][classes];
            float[][] soft = new float[n][];
            for (int i = 0; i < n; i++) {
                boolean labelled = train.labelled(i);
                if (labelled) {
                    gold[i][train.targets()[i]] = (float) d.alpha();
                }
                soft[i] = atTemperature(train.soft()[i], d.temperature(), labelled ? 1 - d.alpha() : 1);
            }
            return new SoftTargets(gold, soft, (float) d.temperature());
        }

        /** {@code weight} × softmax(log(p) / T): p_i^(1/T), normalized. */
        static float[] atTemperature(float[] p, double temperature, double weight) {
            double[] q = new double[p.length];
            double sum = 0;
            for (int c = 0; c < p.length; c++) {
                q[c] = temperature == 1 ? p[c] : Math.pow(p[c], 1 / temperature);
                sum += q[c];
            }
            float[] out = new float[p.length];
            for (int c = 0; c < p.length; c++) {
                out[c] = (float) (sum > 0 ? weight * q[c] / sum : weight / p.length);
            }
            return out;
        }
    }

    /**
     * The distillation loss of a slice ({@link Distillation}): the mean over its rows of
     * {@code -(gold · log softmax(z)) - T² (soft · log softmax(z / T))}.
     */
    static NDArray distillationLoss(NDArray logits, NDArray gold, NDArray soft, float temperature) {
        NDArray logp = logits.logSoftmax(1);
        if (temperature == 1f) {
            return gold.add(soft).mul(logp).sum(new int[] {1}).neg().mean();
        }
        NDArray logpT = logits.div(temperature).logSoftmax(1);
        NDArray goldTerm = gold.mul(logp).sum(new int[] {1});
        NDArray softTerm = soft.mul(logpT).sum(new int[] {1}).mul(temperature * temperature);
        return goldTerm.add(softTerm).neg().mean();
    }

    /**
     * Logits added to those of labels a row may not take ({@link Examples#labelSets()}): far enough below any logit
     * a network gives that their softmax terms are exactly 0 in float32, and finite, so that no NaN arises.
     */
    static final float LEFT_OUT = -1e9f;

    /**
     * The targets of rows {@code order[from .. from + size)} that know only some labels: each row's one-hot label,
     * and a bias of 0 on the labels it may take and {@link #LEFT_OUT} on the others (rows × classes each).
     */
    static NDList restrictedTargets(NDManager manager, int[] targets, long[] labelSets, int[] order, int from, int size,
            int classes) {
        float[] gold = new float[size * classes];
        float[] bias = new float[size * classes];
        for (int r = 0; r < size; r++) {
            int i = order[from + r];
            gold[r * classes + targets[i]] = 1;
            for (int c = 0; c < classes; c++) {
                if ((labelSets[i] & (1L << c)) == 0) {
                    bias[r * classes + c] = LEFT_OUT;
                }
            }
        }
        return new NDList(manager.create(gold, new Shape(size, classes)), manager.create(bias, new Shape(size, classes)));
    }

    /**
     * The loss of rows that may know only some labels ({@link PartialData}): the mean over the rows of the
     * cross-entropy of the softmax over the labels each may take, {@code -log softmax(z + bias)[y]}, where the bias
     * leaves the other labels out. A row that may take every label has the ordinary cross-entropy; the logit of a
     * label left out gets no gradient.
     */
    static NDArray restrictedCrossEntropy(NDArray logits, NDArray gold, NDArray bias) {
        return gold.mul(logits.add(bias).logSoftmax(1)).sum(new int[] {1}).neg().mean();
    }

    /**
     * The forward and backward pass of examples {@code order[from..to)}, adding their gradients, times
     * {@code scale}, to the parameters' (PyTorch accumulates gradients until the optimizer step, whose update
     * zeroes them); returns the batch's mean loss: the cross-entropy against {@code targets} (with
     * {@code labelSets}, over each row's own labels), or with {@code softTargets} the distillation loss.
     */
    private static double forwardBackward(Trainer trainer, int[][] ids, int[] targets, long[] labelSets, int classes,
            SoftTargets softTargets, int[] order, int from, int to, int stepIndex, int steps, double scale) {
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
            y[r] = Math.max(0, targets[order[from + r]]); // unused with soft targets, where it may be NO_LABEL
        }
        try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray xs = sub.create(x, new Shape(size, width));
            NDList labels;
            if (labelSets != null) {
                labels = restrictedTargets(sub, targets, labelSets, order, from, size, classes);
            } else if (softTargets == null) {
                labels = new NDList(sub.create(y, new Shape(size)));
            } else {
                float[] gold = new float[size * classes];
                float[] soft = new float[size * classes];
                for (int r = 0; r < size; r++) {
                    System.arraycopy(softTargets.gold()[order[from + r]], 0, gold, r * classes, classes);
                    System.arraycopy(softTargets.soft()[order[from + r]], 0, soft, r * classes, classes);
                }
                labels = new NDList(sub.create(gold, new Shape(size, classes)),
                        sub.create(soft, new Shape(size, classes)));
            }
            double loss = 0;
            try (Batch batch = new Batch(sub, new NDList(xs), labels, size, Batchifier.STACK,
                    Batchifier.STACK, stepIndex, steps)) {
                // One slice per device; DJL's parameter server sums the slices' gradients, so each slice's mean
                // loss is weighted by its share of the batch: the sum is the gradient of the batch's mean loss,
                // whatever the number of devices.
                Batch[] splits = batch.split(trainer.getDevices(), false);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    for (Batch split : splits) {
                        NDList preds = trainer.forward(split.getData());
                        NDArray lossValue = labelSets != null
                                ? restrictedCrossEntropy(preds.singletonOrThrow(), split.getLabels().get(0),
                                        split.getLabels().get(1))
                                : softTargets == null ? trainer.getLoss().evaluate(split.getLabels(), preds)
                                : distillationLoss(preds.singletonOrThrow(), split.getLabels().get(0),
                                        split.getLabels().get(1), softTargets.temperature());
                        loss += lossValue.getFloat() * split.getSize();
                        double weight = scale * split.getSize() / size;
                        collector.backward(weight == 1.0 ? lossValue : lossValue.mul((float) weight));
                    }
                }
            }
            return loss / size;
        }
    }

    /**
     * One optimizer step. On one device the parameters are updated in place, without DJL's parameter server,
     * which copies every gradient before the update (a full extra pass over the embedding table per step); the
     * update is the same, so are the results. On several devices the trainer's step sums the replicas' gradients
     * and updates every replica. The first step of a run goes through the trainer either way, which checks that
     * the gradients are not all zero.
     */
    private void step(Trainer trainer, SentimentBlock block, ResumableAdam adam) {
        if (config.clipNorm() > 0) {
            double norm = gradientNorm(block);
            if (norm > config.clipNorm()) {
                adam.setGradientScale((float) (config.clipNorm() / (norm + 1e-6)));
            }
        }
        if (devices.length > 1 || !gradientsChecked) {
            trainer.step();
            gradientsChecked = true;
        } else {
            for (ai.djl.util.Pair<String, Parameter> p : block.getParameters()) {
                Parameter parameter = p.getValue();
                if (!parameter.requiresGradient()) {
                    continue;
                }
                NDArray weight = parameter.getArray();
                try (NDArray gradient = weight.getGradient()) {
                    adam.update(parameter.getId(), weight, gradient);
                }
            }
        }
        adam.stepTaken();
    }

    /**
     * The L2 norm of all gradients together, for clipping by global norm (Pascanu et al. 2013): one device's, which
     * on a single device is the batch's.
     */
    static double gradientNorm(ai.djl.nn.Block block) {
        double sum = 0;
        List<String> notFinite = new ArrayList<>();
        for (ai.djl.util.Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            try (NDArray gradient = parameter.getArray().getGradient(); NDArray squares = gradient.square();
                    NDArray total = squares.sum()) {
                float squared = total.getFloat();
                if (Float.isFinite(squared)) {
                    sum += squared;
                    continue;
                }
                // The float32 sum of squares overflows past a norm of about 1.8e19: scale by the largest value first,
                // and tell a real infinity or NaN apart from a large finite gradient.
                try (NDArray abs = gradient.abs(); NDArray largest = abs.max()) {
                    float max = largest.getFloat();
                    if (!Float.isFinite(max)) {
                        notFinite.add(p.getKey());
                        continue;
                    }
                    try (NDArray scaled = gradient.div(max); NDArray scaledSquares = scaled.square();
                            NDArray scaledTotal = scaledSquares.sum()) {
                        sum += (double) max * max * scaledTotal.getFloat();
                    }
                }
            }
        }
        if (!notFinite.isEmpty()) {
            throw new IllegalStateException("training diverged: the gradients of " + notFinite + " hold infinite or "
                    + "NaN values at this step, so no step can follow; lower --lr or the --clip-norm bound, or raise "
                    + "--warmup-steps");
        }
        return Math.sqrt(sum);
    }

    /** Writes a new last/ (see {@link LastCheckpoint}). */
    private static void writeLast(Path outputDir, SentimentBlock block, ResumableAdam adam, ModelCard baseCard,
            TrainingState state) throws IOException {
        LastCheckpoint.write(outputDir, dir -> {
            saveParameters(block, dir);
            Checkpoint.writeAtomically(dir.resolve(LastCheckpoint.OPTIMIZER), adam::save);
            Checkpoint.writeJson(dir, Checkpoint.CARD, baseCard);
        }, state);
    }

    /** Copies the parameters saved in {@code file} into the block's (initialized) parameters, in place. */
    private void restoreParameters(SentimentBlock block, Path file) throws IOException {
        SentimentBlock saved = config.architecture().newBlock(config.settings(), block.embedding().getArray().getShape().get(0),
                block.labels());
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
                java.io.InputStream in = Files.newInputStream(file);
                java.io.DataInputStream data = new java.io.DataInputStream(new java.io.BufferedInputStream(in))) {
            saved.loadParameters(manager, data);
            var target = block.getParameters();
            var source = saved.getParameters();
            if (target.size() != source.size()) {
                throw new IOException(file + " holds " + source.size() + " parameters, the model has "
                        + target.size());
            }
            for (int i = 0; i < target.size(); i++) {
                NDArray to = target.get(i).getValue().getArray();
                NDArray from = source.get(i).getValue().getArray();
                if (!to.getShape().equals(from.getShape())) {
                    throw new IOException(file + ": parameter " + target.get(i).getKey() + " has shape "
                            + from.getShape() + ", the model " + to.getShape());
                }
                to.set(java.nio.FloatBuffer.wrap(from.toFloatArray()));
            }
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Keeps the lines of metrics.jsonl up to {@code epoch}: later ones are repeated by the resumed run. */
    private static void trimMetricsLog(Path outputDir, int epoch) throws IOException {
        Path file = outputDir.resolve(MetricsLog.FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (Map<String, Object> line : MetricsLog.read(file)) {
            Object e = line.get("epoch");
            if (e instanceof Number n && n.intValue() <= epoch) {
                kept.append(ModelFormat.json().writeValueAsString(line)).append('\n');
            }
        }
        byte[] bytes = kept.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Checkpoint.writeAtomically(file, out -> out.write(bytes));
    }

    /** An engine error, turned into advice when the device ran out of memory. */
    static RuntimeException outOfMemory(EngineException e, int batchSize, int accumulate) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (!m.contains("out of memory")) {
            return e;
        }
        int half = Math.max(1, batchSize / 2);
        return new TrainingOutOfMemoryException("the device ran out of memory with --batch-size "
                + batchSize + ": try a smaller batch and accumulate gradients to keep the effective batch, "
                + "e.g. --batch-size " + half + " --accumulate " + accumulate * 2
                + " (the output directory's last/ can be resumed with --resume)", e);
    }

    private static void saveParameters(SentimentBlock block, Path dir) throws IOException {
        Checkpoint.writeAtomically(dir.resolve(Checkpoint.PARAMETERS), out -> {
            DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out));
            block.saveParameters(data);
            data.flush();
        });
    }

    /**
     * The order of the examples in one epoch: consecutive slices of {@code batchSize} are its batches, and only
     * the last may be smaller. See {@link TrainingConfig.Batching}.
     */
    public static int[] batchOrder(int[][] ids, int batchSize, TrainingConfig.Batching batching, long seed) {
        Random random = new Random(seed);
        int n = ids.length;
        int[] order = permutation(n, random);
        if (batching == TrainingConfig.Batching.RANDOM || n <= batchSize) {
            return order;
        }
        int pool = batchSize * TrainingConfig.BUCKET_POOL;
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = order[i];
        }
        for (int from = 0; from < n; from += pool) {
            // a stable sort: equal lengths keep their shuffled order
            java.util.Arrays.sort(boxed, from, Math.min(n, from + pool),
                    java.util.Comparator.comparingInt(i -> ids[i].length));
        }
        int full = n / batchSize;
        int[] batches = permutation(full, random);
        int[] result = new int[n];
        int at = 0;
        for (int b : batches) {
            for (int i = b * batchSize; i < (b + 1) * batchSize; i++) {
                result[at++] = boxed[i];
            }
        }
        for (int i = full * batchSize; i < n; i++) {
            result[at++] = boxed[i];
        }
        return result;
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

    private Provenance provenance(DataSources sources, dev.sentikit.model.BaseModel base) {
        return new Provenance(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), Versions.sentikit(),
                Versions.engine(), sources.trainData(), sources.trainSha256(), sources.validData(),
                sources.validSha256(), config.seed(), config.toMap(), sources.commandLine(), base);
    }
}
