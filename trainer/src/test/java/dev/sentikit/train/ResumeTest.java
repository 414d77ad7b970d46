package dev.sentikit.train;

import dev.sentikit.train.report.EpochResult;
import dev.sentikit.architecture.LrDecay;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.sentikit.train.report.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --resume, --checkpoint-every, damaged checkpoints, --accumulate and the learning-rate schedule. */
class ResumeTest {

    private static final SentimentTrainer.DataSources SOURCES =
            new SentimentTrainer.DataSources("fixture", "0".repeat(64), "split", null, "test");

    private static Split split;

    /** Stands in for kill -9: training stops abruptly, leaving what was written. */
    private static final class Killed extends RuntimeException {
        Killed() {
            super("killed");
        }
    }

    @BeforeAll
    static void data() throws Exception {
        split = Split.stratified(Fixtures.vaderExamples(), 0.2, 1);
    }

    private static TrainingConfig.Builder config() {
        return Fixtures.smallConfig().optEpochs(3).optCalibrate(false);
    }

    private static void trainStraight(TrainingConfig config, Path dir) throws Exception {
        new SentimentTrainer(config, new Device[] {Device.cpu()}, new TrainingListener() {})
                .train(split.train(), split.heldOut(), SOURCES, dir);
    }

    /** Trains until {@code listener} throws {@link Killed}. */
    private static void trainUntilKilled(TrainingConfig config, Path dir, TrainingListener listener) {
        assertThrows(Killed.class, () -> new SentimentTrainer(config, new Device[] {Device.cpu()}, listener)
                .train(split.train(), split.heldOut(), SOURCES, dir));
    }

    private static List<String> resume(Path dir) throws Exception {
        List<String> warnings = new ArrayList<>();
        LastCheckpoint last = LastCheckpoint.find(dir, warnings::add);
        new SentimentTrainer(last.config(), new Device[] {Device.cpu()}, new TrainingListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        }).resume(split.train(), split.heldOut(), last, dir);
        return warnings;
    }

    private static void assertSameParameters(Path expected, Path actual) throws Exception {
        for (String f : List.of(Checkpoint.PARAMETERS, Checkpoint.LAST + "/" + Checkpoint.PARAMETERS,
                Checkpoint.LAST + "/" + LastCheckpoint.OPTIMIZER)) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)),
                    f + " differs from the uninterrupted run's");
        }
        assertEquals(MetricsLog.read(expected.resolve(MetricsLog.FILE)).size(),
                MetricsLog.read(actual.resolve(MetricsLog.FILE)).size(), "metrics.jsonl lines");
        Map<?, ?> a = dev.sentikit.model.ModelFormat.json().readValue(expected.resolve(Checkpoint.METRICS).toFile(),
                Map.class);
        Map<?, ?> b = dev.sentikit.model.ModelFormat.json().readValue(actual.resolve(Checkpoint.METRICS).toFile(),
                Map.class);
        assertEquals(a.get("best_epoch"), b.get("best_epoch"));
        assertEquals(a.get("validation"), b.get("validation"));
    }

    @Test
    void resumingAfterAnEpochGivesBitIdenticalParameters(@TempDir Path tmp) throws Exception {
        TrainingConfig config = config().build();
        Path straight = tmp.resolve("a").resolve("run");
        Path resumed = tmp.resolve("b").resolve("run");
        trainStraight(config, straight);
        trainUntilKilled(config, resumed, new TrainingListener() {
            @Override
            public void epochEnded(EpochResult result) {
                if (result.epoch() == 2) {
                    throw new Killed();
                }
            }
        });
        assertEquals(2, LastCheckpoint.find(resumed, m -> {}).state().epoch());
        resume(resumed);
        assertSameParameters(straight, resumed);
        LastCheckpoint done = LastCheckpoint.find(resumed, m -> {});
        assertTrue(done.state().finished());
        assertEquals(3, done.state().history().size());
    }

    @Test
    void resumingMidEpochFromCheckpointEveryGivesBitIdenticalParameters(@TempDir Path tmp) throws Exception {
        TrainingConfig config = config().optCheckpointEvery(7).build();
        Path straight = tmp.resolve("a").resolve("run");
        Path resumed = tmp.resolve("b").resolve("run");
        trainStraight(config, straight);
        int[] epoch = {0};
        trainUntilKilled(config, resumed, new TrainingListener() {
            @Override
            public void epochStarted(int e, int epochs, int steps) {
                epoch[0] = e;
            }

            @Override
            public void stepEnded(int step, double loss, int examples) {
                if (epoch[0] == 2 && step == 17) {
                    throw new Killed();
                }
            }
        });
        TrainingState state = LastCheckpoint.find(resumed, m -> {}).state();
        assertEquals(2, state.epoch());
        // 38 batches an epoch; optimizer steps are counted over the run: the latest multiple of 7 before step
        // 38 + 17 = 55 is 49, batch 11 of epoch 2.
        assertEquals(11, state.batchesDone(), "the latest mid-epoch checkpoint (every 7 steps)");
        resume(resumed);
        assertSameParameters(straight, resumed);
    }

    @Test
    void aDamagedLatestCheckpointFallsBackToThePreviousOne(@TempDir Path tmp) throws Exception {
        TrainingConfig config = config().build();
        Path straight = tmp.resolve("a").resolve("run");
        Path resumed = tmp.resolve("b").resolve("run");
        trainStraight(config, straight);
        trainUntilKilled(config, resumed, new TrainingListener() {
            @Override
            public void epochEnded(EpochResult result) {
                if (result.epoch() == 2) {
                    throw new Killed();
                }
            }
        });
        Path params = resumed.resolve(Checkpoint.LAST).resolve(Checkpoint.PARAMETERS);
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated
        List<String> warnings = new ArrayList<>();
        LastCheckpoint found = LastCheckpoint.find(resumed, warnings::add);
        assertEquals(resumed.resolve(LastCheckpoint.PREVIOUS), found.dir());
        assertEquals(1, found.state().epoch());
        assertTrue(warnings.size() == 1 && warnings.get(0).contains("damaged"), warnings.toString());

        resume(resumed);
        assertSameParameters(straight, resumed);
    }

    @Test
    void aBadHeaderIsDamageToo(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        trainUntilKilled(config().build(), dir, new TrainingListener() {
            @Override
            public void epochEnded(EpochResult result) {
                if (result.epoch() == 2) {
                    throw new Killed();
                }
            }
        });
        Path optimizer = dir.resolve(Checkpoint.LAST).resolve(LastCheckpoint.OPTIMIZER);
        byte[] bytes = Files.readAllBytes(optimizer);
        bytes[0] ^= 1;
        Files.write(optimizer, bytes);
        // Both checks catch it: the checksum in state.json, and the header once the checksum is made to match.
        List<String> warnings = new ArrayList<>();
        assertEquals(1, LastCheckpoint.find(dir, warnings::add).state().epoch());
        assertEquals(1, warnings.size());
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> new ResumableAdam(s -> 0f).load(new java.io.ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
        // With both directories damaged there is nothing to resume, and the message says why.
        Files.write(dir.resolve(LastCheckpoint.PREVIOUS).resolve(Checkpoint.PARAMETERS), new byte[0]);
        java.io.IOException none = assertThrows(java.io.IOException.class, () -> LastCheckpoint.find(dir, m -> {}));
        assertTrue(none.getMessage().contains("no usable checkpoint"), none.getMessage());
    }

    @Test
    void accumulatingTwoBatchesOf16MatchesBatchesOf32(@TempDir Path tmp) throws Exception {
        // Random batching: slices of one shuffled order, so two batches of 16 hold the examples of one batch of 32
        // (bucketed batching sorts pools whose size depends on the batch size).
        TrainingConfig.Builder base = config().optEpochs(1).optBatching(TrainingConfig.Batching.RANDOM);
        trainStraight(base.optBatchSize(32).optAccumulate(1).build(), tmp.resolve("a").resolve("run"));
        trainStraight(base.optBatchSize(16).optAccumulate(2).build(), tmp.resolve("b").resolve("run"));
        trainStraight(base.optBatchSize(16).optAccumulate(1).build(), tmp.resolve("c").resolve("run"));
        float[] a = parameters(tmp.resolve("a").resolve("run"));
        float[] b = parameters(tmp.resolve("b").resolve("run"));
        float[] c = parameters(tmp.resolve("c").resolve("run"));
        assertEquals(a.length, b.length);
        double maxDiff = 0;
        double maxDiffUnaccumulated = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            maxDiffUnaccumulated = Math.max(maxDiffUnaccumulated, Math.abs(a[i] - c[i]));
        }
        assertTrue(maxDiff <= 1e-5, "batch 16 x accumulate 2 differs from batch 32 by " + maxDiff);
        assertTrue(maxDiffUnaccumulated > 1e-3, "batch 16 without accumulation should differ, by " + maxDiffUnaccumulated);
    }

    private static float[] parameters(Path dir) throws Exception {
        try (TrainedModel model = TrainedModel.load(Checkpoint.read(dir), Device.cpu())) {
            List<Float> all = new ArrayList<>();
            for (var p : model.block().getParameters()) {
                for (float f : p.getValue().getArray().toFloatArray()) {
                    all.add(f);
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        }
    }

    @Test
    void learningRateScheduleWarmsUpAndDecaysToZero() throws Exception {
        TrainingConfig linear = config().optLearningRate(0.01f).optWarmupSteps(10)
                .optLrDecay(LrDecay.LINEAR).build();
        assertEquals(0.001f, linear.learningRateAt(1, 110), 1e-9);
        assertEquals(0.01f, linear.learningRateAt(10, 110), 1e-9);
        assertEquals(0.005f, linear.learningRateAt(60, 110), 1e-7);
        assertEquals(0f, linear.learningRateAt(110, 110), 1e-9);
        TrainingConfig cosine = config().optLearningRate(0.01f).optLrDecay(LrDecay.COSINE).build();
        assertEquals(0.01f, cosine.learningRateAt(0, 100), 1e-9);
        assertEquals(0.005f, cosine.learningRateAt(50, 100), 1e-7);
        assertEquals(0f, cosine.learningRateAt(100, 100), 1e-9);
        TrainingConfig none = config().optLearningRate(0.01f).build();
        assertEquals(0.01f, none.learningRateAt(100, 100), 0);
        assertEquals("linear", linear.toMap().get("lr_decay"));
        assertEquals(10, linear.toMap().get("warmup_steps"));
        assertEquals(TrainingConfig.fromCard(cardWith(linear)).toMap(), linear.toMap());
    }

    private static dev.sentikit.model.ModelCard cardWith(TrainingConfig config) throws Exception {
        // Through JSON, as --resume reads it.
        var provenance = new dev.sentikit.model.Provenance("2026-01-01T00:00:00Z", "test", "test", "d", "0", "v",
                null, config.seed(), config.toMap(), "test");
        var card = new dev.sentikit.model.ModelCard(dev.sentikit.model.ModelFormat.FORMAT_VERSION, "x", null,
                config.architecture().id(), List.of("a", "b"), config.encoder(), 10, 20, provenance, Map.of(), null);
        byte[] json = dev.sentikit.model.ModelFormat.json().writeValueAsBytes(card);
        return dev.sentikit.model.ModelFormat.json().readValue(json, dev.sentikit.model.ModelCard.class);
    }

    @Test
    void metricsRecordTheScheduledLearningRate(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        trainStraight(config().optEpochs(2).optLrDecay(LrDecay.LINEAR).optWarmupSteps(5).build(), dir);
        List<Map<String, Object>> lines = MetricsLog.read(dir.resolve(MetricsLog.FILE));
        assertEquals(2, lines.size());
        double first = ((Number) lines.get(0).get("learning_rate")).doubleValue();
        double last = ((Number) lines.get(1).get("learning_rate")).doubleValue();
        assertTrue(first > 0 && first < 5e-3, "epoch 1 ends half-way down the linear decay: " + first);
        assertEquals(0.0, last, 1e-12, "the last step's rate is 0");
        Map<String, Object> h = Checkpoint.read(dir).card().provenance().hyperparameters();
        assertEquals("linear", h.get("lr_decay"));
        assertEquals(5, h.get("warmup_steps"));
    }

    @Test
    void outOfMemoryBecomesAdvice() {
        RuntimeException oom = SentimentTrainer.outOfMemory(new ai.djl.engine.EngineException(
                "CUDA out of memory. Tried to allocate 2.00 GiB"), 256, 1);
        assertTrue(oom instanceof TrainingOutOfMemoryException, oom.toString());
        assertTrue(oom.getMessage().contains("--batch-size 128 --accumulate 2"), oom.getMessage());
        ai.djl.engine.EngineException other = new ai.djl.engine.EngineException("shape mismatch");
        assertTrue(SentimentTrainer.outOfMemory(other, 256, 1) == other);
    }
}
