package dev.sentikit.architecture.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.eval.SentimentEvaluation;
import dev.sentikit.eval.SentimentEvaluator;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.report.EpochResult;
import dev.sentikit.train.Examples;
import dev.sentikit.train.Fixtures;
import dev.sentikit.train.LastCheckpoint;
import dev.sentikit.train.SentimentTrainer;
import dev.sentikit.train.Split;
import dev.sentikit.train.TrainedModel;
import dev.sentikit.train.TrainingConfig;
import dev.sentikit.train.TrainingListener;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fine-tuning the {@link TinyBert tiny base} through {@link SentimentTrainer}: {@code --freeze-encoder} trains the
 * head alone, {@code --clip-norm} scales the step, and an interrupted run resumes to the uninterrupted run's
 * parameters, bit for bit, on the CPU.
 */
class TransformerTrainingTest {

    private static final SentimentTrainer.DataSources SOURCES =
            new SentimentTrainer.DataSources("fixture", "0".repeat(64), "split", null, "test");

    /** 64 training texts (4 batches of 16) and 24 validation texts. */
    private static Examples train;
    private static Examples valid;

    @BeforeAll
    static void data() throws Exception {
        Split split = Split.stratified(Fixtures.vaderExamples(), 0.2, 1);
        train = split.train().subset(range(64));
        valid = split.heldOut().subset(range(24));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** The transformer on {@code base}, configured as the CLI does, with 32 tokens a text, batches of 16. */
    static TrainingConfig.Builder config(TinyBert.Written base, boolean freeze) throws Exception {
        Architecture transformer = Architectures.parse(TransformerArchitecture.ID);
        Architecture.Configured configured = transformer.configure(new Architecture.Options(32, 0, false, null, 0,
                null, base.onnx().toString(), base.tokenizer(), null, null, freeze, null), m -> {});
        return TrainingConfig.builder().optArchitecture(transformer, configured.settings())
                .optEncoder(configured.encoder()).optEpochs(2).optBatchSize(16).optLearningRate(1e-3f).optSeed(7)
                .optCalibrate(false);
    }

    private static Checkpoint trainStraight(TrainingConfig config, Path dir, TrainingListener listener)
            throws Exception {
        return new SentimentTrainer(config, new Device[] {Device.cpu()}, listener).train(train, valid, SOURCES, dir);
    }

    @Test
    void freezingTheEncoderTrainsOnlyTheHead(@TempDir Path tmp) throws Exception {
        TinyBert.Written base = TinyBert.standard().write(tmp.resolve("base"));
        Path dir = tmp.resolve("run");
        TrainingConfig config = config(base, true).build();
        assertTrue(((TransformerSettings) config.settings()).freezeEncoder());
        List<byte[]> afterEpoch = new ArrayList<>();
        trainStraight(config, dir, new TrainingListener() {
            @Override
            public void epochEnded(EpochResult result) {
                try {
                    afterEpoch.add(Files.readAllBytes(dir.resolve(Checkpoint.LAST).resolve(Checkpoint.PARAMETERS)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        assertEquals(2, afterEpoch.size());
        BertWeights weights = BertWeights.read(Files.readAllBytes(base.onnx()), "tiny");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            TransformerBlock reference = EncoderParityTest.block(weights, manager);
            List<PairList<String, Parameter>> epochs = new ArrayList<>();
            for (byte[] params : afterEpoch) {
                TransformerBlock block = new TransformerBlock(weights.vocabularySize(), ((TransformerSettings) config.settings()).shape(), 3);
                try (InputStream in = new java.io.ByteArrayInputStream(params)) {
                    block.loadParameters(manager, new DataInputStream(in));
                }
                epochs.add(block.getParameters());
            }
            PairList<String, Parameter> expected = reference.getParameters();
            int encoderParameters = 0;
            for (int i = 0; i < expected.size(); i++) {
                Pair<String, Parameter> p = expected.get(i);
                float[] first = epochs.get(0).get(i).getValue().getArray().toFloatArray();
                float[] second = epochs.get(1).get(i).getValue().getArray().toFloatArray();
                if (reference.isEncoder(p.getValue())) {
                    encoderParameters++;
                    assertArrayEquals(p.getValue().getArray().toFloatArray(), second, p.getKey()
                            + " changed although the encoder is frozen");
                    assertArrayEquals(first, second, p.getKey());
                } else {
                    assertFalse(java.util.Arrays.equals(first, second), "the head's " + p.getKey()
                            + " did not train in epoch 2");
                }
            }
            assertEquals(expected.size() - 2, encoderParameters, "everything but the head's weight and bias");
        }
    }

    /**
     * A frozen run validates on the states it computed once; the model it saves computes them with its encoder. Both
     * must score the validation texts alike.
     */
    @Test
    void aFrozenRunsValidationIsItsSavedModels(@TempDir Path tmp) throws Exception {
        TinyBert.Written base = TinyBert.standard().write(tmp.resolve("base"));
        TrainingConfig config = config(base, true).optEpochs(3).build();
        Checkpoint checkpoint = trainStraight(config, tmp.resolve("run"), new TrainingListener() {});
        @SuppressWarnings("unchecked")
        Map<String, Object> validation = (Map<String, Object>) checkpoint.card().metrics().get("validation");
        try (TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
            float[][] probabilities = trained.probabilities(valid.texts());
            SentimentEvaluation evaluation = new SentimentEvaluator("saved").evaluate(valid.labels(), valid.targets(),
                    probabilities);
            assertEquals(((Number) validation.get("accuracy")).doubleValue(), evaluation.accuracy(), 1e-12,
                    "the run's validation accuracy against its saved model's");
            assertEquals(((Number) validation.get("macro_f1")).doubleValue(), evaluation.macroF1(), 1e-12);
        }
    }

    /**
     * Clipping by global norm scales the gradients before Adam sees them. Adam's first step moves each parameter
     * by {@code lr · g / (|g| + ε/√(1 − β2))}: about {@code lr} wherever |g| is well above 3e-7, and at most
     * {@code lr · c / (c + ε/√(1 − β2))} once the gradients are scaled to a global norm c. With c = 1e-8 that is 3% of
     * the rate, so one step with and one without clipping tell apart whether the trainer scaled the update.
     */
    @Test
    void clipNormScalesTheStep(@TempDir Path tmp) throws Exception {
        TinyBert.Written base = TinyBert.standard().write(tmp.resolve("base"));
        float lr = 1e-3f;
        float clip = 1e-8f;
        Examples one = train.subset(range(16)); // one batch: one optimizer step
        double unclipped = firstStep(config(base, false).optEpochs(1).optLearningRate(lr).build(), base, one,
                tmp.resolve("unclipped"));
        double clipped = firstStep(config(base, false).optEpochs(1).optLearningRate(lr).optClipNorm(clip).build(),
                base, one, tmp.resolve("clipped"));
        double bound = lr * clip / (clip + 1e-8 / Math.sqrt(1 - 0.999)) + 1e-6; // + float rounding of the weights
        assertTrue(unclipped > 0.5 * lr, "an unclipped Adam step moves some weight by about lr: " + unclipped);
        assertTrue(clipped <= bound, "the clipped step moved a weight by " + clipped + ", more than " + bound);
        assertTrue(clipped > 0, "the clipped step moved nothing");
    }

    /** Trains one step on {@code examples}; the largest change of an encoder parameter from the base. */
    private static double firstStep(TrainingConfig config, TinyBert.Written base, Examples examples, Path dir)
            throws Exception {
        Checkpoint checkpoint = new SentimentTrainer(config, new Device[] {Device.cpu()}, new TrainingListener() {})
                .train(examples, valid, SOURCES, dir);
        BertWeights weights = BertWeights.read(Files.readAllBytes(base.onnx()), "tiny");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
            TransformerBlock reference = EncoderParityTest.block(weights, manager);
            PairList<String, Parameter> before = reference.getParameters();
            PairList<String, Parameter> after = trained.block().getParameters();
            double worst = 0;
            for (int i = 0; i < before.size(); i++) {
                if (!reference.isEncoder(before.get(i).getValue())) {
                    continue;
                }
                float[] a = before.get(i).getValue().getArray().toFloatArray();
                float[] b = after.get(i).getValue().getArray().toFloatArray();
                for (int k = 0; k < a.length; k++) {
                    worst = Math.max(worst, Math.abs(a[k] - b[k]));
                }
            }
            return worst;
        }
    }

    /** Stands in for kill -9: training stops abruptly, leaving what was written. */
    private static final class Killed extends RuntimeException {
        Killed() {
            super("killed");
        }
    }

    private static void resume(Path dir) throws Exception {
        LastCheckpoint last = LastCheckpoint.find(dir, m -> {});
        new SentimentTrainer(last.config(), new Device[] {Device.cpu()}, new TrainingListener() {})
                .resume(train, valid, last, dir);
    }

    private static void assertSameParameters(Path expected, Path actual) throws Exception {
        for (String f : List.of(Checkpoint.PARAMETERS, Checkpoint.LAST + "/" + Checkpoint.PARAMETERS,
                Checkpoint.LAST + "/" + LastCheckpoint.OPTIMIZER)) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)),
                    f + " differs from the uninterrupted run's");
        }
    }

    /** Dropout draws from PyTorch's generator: the resumed run must draw what the uninterrupted one drew. */
    @Test
    void resumingAfterAnEpochGivesBitIdenticalParameters(@TempDir Path tmp) throws Exception {
        TinyBert.Written base = TinyBert.standard().write(tmp.resolve("base"));
        TrainingConfig config = config(base, false).optWeightDecay(0.01f).optClipNorm(1f).build();
        Path straight = tmp.resolve("a").resolve("run");
        Path resumed = tmp.resolve("b").resolve("run");
        trainStraight(config, straight, new TrainingListener() {});
        assertThrows(Killed.class, () -> trainStraight(config, resumed, new TrainingListener() {
            @Override
            public void epochEnded(EpochResult result) {
                if (result.epoch() == 1) {
                    throw new Killed();
                }
            }
        }));
        assertEquals(1, LastCheckpoint.find(resumed, m -> {}).state().epoch());
        resume(resumed);
        assertSameParameters(straight, resumed);
        assertTrue(LastCheckpoint.find(resumed, m -> {}).state().finished());
    }

    /**
     * With a frozen encoder the resumed run computes the states of the texts again, in the same order: the same
     * values, so the same parameters.
     */
    @ParameterizedTest(name = "frozen encoder: {0}")
    @ValueSource(booleans = {false, true})
    void resumingMidEpochGivesBitIdenticalParameters(boolean frozen, @TempDir Path tmp) throws Exception {
        TinyBert.Written base = TinyBert.standard().write(tmp.resolve("base"));
        TrainingConfig config = config(base, frozen).optCheckpointEvery(3).build();
        Path straight = tmp.resolve("a").resolve("run");
        Path resumed = tmp.resolve("b").resolve("run");
        trainStraight(config, straight, new TrainingListener() {});
        int[] epoch = {0};
        assertThrows(Killed.class, () -> trainStraight(config, resumed, new TrainingListener() {
            @Override
            public void epochStarted(int e, int epochs, int steps) {
                epoch[0] = e;
            }

            @Override
            public void stepEnded(int step, double loss, int examples) {
                if (epoch[0] == 2 && step == 3) {
                    throw new Killed();
                }
            }
        }));
        // 4 batches an epoch, a checkpoint every 3 optimizer steps of the run: the latest before step 4 + 3 is 6,
        // batch 2 of epoch 2.
        assertEquals(2, LastCheckpoint.find(resumed, m -> {}).state().epoch());
        assertEquals(2, LastCheckpoint.find(resumed, m -> {}).state().batchesDone());
        resume(resumed);
        assertSameParameters(straight, resumed);
    }
}
