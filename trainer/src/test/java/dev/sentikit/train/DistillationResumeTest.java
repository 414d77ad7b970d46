package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import dev.sentikit.train.report.EpochResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A distilled run, killed and resumed, ends with exactly the parameters of one that went straight through. */
class DistillationResumeTest {

    private static final SentimentTrainer.DataSources SOURCES =
            new SentimentTrainer.DataSources("fixture", "0".repeat(64), "split", null, "test");

    private static Examples train;
    private static Examples valid;

    private static final class Killed extends RuntimeException {
        Killed() {
            super("killed");
        }
    }

    /**
     * 400 labelled rows of the fixture and 400 unlabelled texts, with seeded soft targets for every row (small: the
     * test trains three times).
     */
    @BeforeAll
    static void data() throws Exception {
        Split split = Split.stratified(Fixtures.vaderExamples(), 0.2, 1);
        valid = split.heldOut();
        Examples labelled = split.train().subset(java.util.stream.IntStream.range(0, 400).toArray());
        List<String> texts = new ArrayList<>(labelled.texts());
        int[] targets = new int[labelled.size() * 2];
        System.arraycopy(labelled.targets(), 0, targets, 0, labelled.size());
        for (int i = 0; i < labelled.size(); i++) {
            texts.add("unlabelled " + labelled.texts().get(i));
            targets[labelled.size() + i] = Examples.NO_LABEL;
        }
        Random random = new Random(5);
        float[][] soft = new float[texts.size()][];
        for (int i = 0; i < soft.length; i++) {
            float[] p = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
            float sum = p[0] + p[1] + p[2];
            soft[i] = new float[] {p[0] / sum, p[1] / sum, 1 - p[0] / sum - p[1] / sum};
        }
        train = new Examples(labelled.labels(), texts, targets, soft);
    }

    /** 25 batches an epoch; last/ is written every 5 optimizer steps as well. */
    private static TrainingConfig config() {
        return Fixtures.smallConfig().optEpochs(2).optCalibrate(false).optCheckpointEvery(5)
                .optDistillation(new Distillation(0.3, 2.0, "teacher.onnx", "ab".repeat(32),
                        List.of(new Distillation.Source("u.txt", "cd".repeat(32), 0)), List.of())).build();
    }

    private static void assertSameParameters(Path expected, Path actual) throws Exception {
        for (String f : List.of(Checkpoint.PARAMETERS, Checkpoint.LAST + "/" + Checkpoint.PARAMETERS,
                Checkpoint.LAST + "/" + LastCheckpoint.OPTIMIZER)) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)),
                    f + " differs from the uninterrupted run's");
        }
    }

    private static void resume(Path dir) throws Exception {
        LastCheckpoint last = LastCheckpoint.find(dir, m -> {});
        assertEquals(config().distillation(), last.config().distillation(), "the settings come from the checkpoint");
        new SentimentTrainer(last.config(), new Device[] {Device.cpu()}, new TrainingListener() {})
                .resume(train, valid, last, dir);
    }

    @Test
    void resumingAfterAnEpochAndMidEpochGivesBitIdenticalParameters(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("a").resolve("run");
        new SentimentTrainer(config(), new Device[] {Device.cpu()}, new TrainingListener() {})
                .train(train, valid, SOURCES, straight);

        Path afterEpoch = tmp.resolve("b").resolve("run");
        assertThrows(Killed.class, () -> new SentimentTrainer(config(), new Device[] {Device.cpu()},
                new TrainingListener() {
                    @Override
                    public void epochEnded(EpochResult result) {
                        if (result.epoch() == 1) {
                            throw new Killed();
                        }
                    }
                }).train(train, valid, SOURCES, afterEpoch));
        resume(afterEpoch);
        assertSameParameters(straight, afterEpoch);

        Path midEpoch = tmp.resolve("c").resolve("run");
        int[] epoch = {0};
        assertThrows(Killed.class, () -> new SentimentTrainer(config(), new Device[] {Device.cpu()},
                new TrainingListener() {
                    @Override
                    public void epochStarted(int e, int epochs, int steps) {
                        epoch[0] = e;
                    }

                    @Override
                    public void stepEnded(int step, double loss, int examples) {
                        if (epoch[0] == 2 && step == 13) {
                            throw new Killed();
                        }
                    }
                }).train(train, valid, SOURCES, midEpoch));
        TrainingState state = LastCheckpoint.find(midEpoch, m -> {}).state();
        assertEquals(2, state.epoch());
        assertEquals(10, state.batchesDone(), "the latest checkpoint: step 35 of the run, batch 10 of epoch 2");
        resume(midEpoch);
        assertSameParameters(straight, midEpoch);
    }
}
