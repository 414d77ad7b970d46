package dev.sentikit.train;

import dev.sentikit.train.report.EpochResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.sentikit.model.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentTrainerTest {

    private static final SentimentTrainer.DataSources SOURCES =
            new SentimentTrainer.DataSources("fixture", "0".repeat(64), "split", null, "test");

    private static Split split;

    @BeforeAll
    static void data() throws Exception {
        split = Split.stratified(Fixtures.vaderExamples(), 0.2, 1);
    }

    private static Checkpoint train(TrainingConfig config, Path dir, List<EpochResult> epochs) throws Exception {
        return new SentimentTrainer(config, new Device[] {Device.cpu()}, epochs::add)
                .train(split.train(), split.heldOut(), SOURCES, dir);
    }

    @Test
    void learnsTheFixtureWellAboveChance(@TempDir Path dir) throws Exception {
        List<EpochResult> epochs = new ArrayList<>();
        Checkpoint checkpoint = train(Fixtures.smallConfig().build(), dir, epochs);

        assertEquals(6, epochs.size());
        assertTrue(epochs.get(5).trainLoss() < epochs.get(0).trainLoss() * 0.7,
                "training loss should fall: " + epochs);
        EpochResult best = epochs.stream().max(java.util.Comparator.comparingDouble(EpochResult::validMacroF1)).get();
        double accuracy = best.validAccuracy();
        // Three balanced labels: chance is 1/3. A bag model reaches about 0.55 on 300 held-out VADER rows.
        assertTrue(accuracy > 0.48, "validation accuracy " + accuracy + " is not well above chance (0.33)");

        for (String f : List.of(Checkpoint.CARD, Checkpoint.VOCABULARY, Checkpoint.PARAMETERS, Checkpoint.METRICS,
                Checkpoint.PARITY_TEXTS, Checkpoint.LAST + "/" + Checkpoint.PARAMETERS)) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " missing");
        }
        Checkpoint read = Checkpoint.read(dir);
        assertEquals(List.of("negative", "neutral", "positive"), read.card().labels());
        assertEquals(checkpoint.vocabulary().entries(), read.vocabulary().entries());
        assertEquals(7L, read.card().provenance().seed());
        Map<?, ?> metrics = ModelFormat.json().readValue(dir.resolve(Checkpoint.METRICS).toFile(), Map.class);
        assertEquals(6, ((List<?>) metrics.get("epochs")).size());
        assertEquals(best.epoch(), ((Number) metrics.get("best_epoch")).intValue());
        assertEquals(accuracy, (Double) ((Map<?, ?>) metrics.get("validation")).get("accuracy"), 1e-12);
        assertTrue(read.card().calibration() != null, "a temperature is fitted by default");

        // The saved parameters predict what training measured.
        try (TrainedModel model = TrainedModel.load(read, Device.cpu())) {
            float[][] p = model.probabilities(split.heldOut().texts());
            int correct = 0;
            for (int i = 0; i < p.length; i++) {
                int top = 0;
                for (int l = 1; l < p[i].length; l++) {
                    top = p[i][l] > p[i][top] ? l : top;
                }
                correct += top == split.heldOut().targets()[i] ? 1 : 0;
            }
            assertEquals(accuracy, correct / (double) p.length, 1e-12);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalParameters(@TempDir Path dir) throws Exception {
        TrainingConfig config = Fixtures.smallConfig().optEpochs(2).build();
        train(config, dir.resolve("a"), new ArrayList<>());
        train(config, dir.resolve("b"), new ArrayList<>());
        train(Fixtures.smallConfig().optEpochs(2).optSeed(8).build(), dir.resolve("c"), new ArrayList<>());
        byte[] a = Files.readAllBytes(dir.resolve("a").resolve(Checkpoint.PARAMETERS));
        byte[] b = Files.readAllBytes(dir.resolve("b").resolve(Checkpoint.PARAMETERS));
        byte[] c = Files.readAllBytes(dir.resolve("c").resolve(Checkpoint.PARAMETERS));
        assertArrayEquals(a, b, "two runs with seed 7 differ");
        assertTrue(!java.util.Arrays.equals(a, c), "seeds 7 and 8 gave the same parameters");
    }

    @Test
    void patienceStopsEarly(@TempDir Path dir) throws Exception {
        // A learning rate this large overshoots after the first epochs, so macro-F1 stops improving.
        List<EpochResult> epochs = new ArrayList<>();
        train(Fixtures.smallConfig().optEpochs(30).optLearningRate(0.05f).optPatience(2).build(), dir, epochs);
        assertTrue(epochs.size() < 30, "ran all " + epochs.size() + " epochs");
        int best = 0;
        for (int i = 1; i < epochs.size(); i++) {
            best = epochs.get(i).validMacroF1() > epochs.get(best).validMacroF1() ? i : best;
        }
        assertEquals(epochs.size() - 1 - best, 2, "stopped " + (epochs.size() - 1 - best) + " epochs after the best");
    }

    @Test
    void emptyTextHasADefinedPrediction(@TempDir Path dir) throws Exception {
        train(Fixtures.smallConfig().optEpochs(1).build(), dir, new ArrayList<>());
        try (TrainedModel model = TrainedModel.load(Checkpoint.read(dir), Device.cpu())) {
            float[][] p = model.probabilities(List.of("", "   ", "\u200B"));
            for (float[] row : p) {
                double sum = 0;
                for (float v : row) {
                    assertTrue(Float.isFinite(v), "non-finite probability for an empty text");
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-5);
            }
            assertArrayEquals(p[0], p[1]);
        }
    }
}
