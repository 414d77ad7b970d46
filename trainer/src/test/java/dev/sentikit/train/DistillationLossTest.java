package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The distillation loss as {@link Distillation} defines it, computed by hand. */
class DistillationLossTest {

    private static final float[][] LOGITS = {{1f, 2f, 0.5f}, {0.3f, -1f, 2f}};
    private static final float[][] TEACHER = {{0.2f, 0.7f, 0.1f}, {0.05f, 0.15f, 0.8f}};

    private static double[] logSoftmax(float[] z, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v / t);
        }
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v / t - max);
        }
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = v(z[i], t) - max - Math.log(sum);
        }
        return out;
    }

    private static double v(float z, double t) {
        return z / t;
    }

    /** Row 0 has gold label 1, row 1 none. */
    private static double byHand(double alpha, double t) {
        double total = 0;
        for (int r = 0; r < 2; r++) {
            double[] logp = logSoftmax(LOGITS[r], 1);
            double[] logpT = logSoftmax(LOGITS[r], t);
            float[] pT = SentimentTrainer.SoftTargets.atTemperature(TEACHER[r], t, 1);
            double soft = 0;
            for (int c = 0; c < 3; c++) {
                soft -= pT[c] * logpT[c];
            }
            total += r == 0 ? -alpha * logp[1] + (1 - alpha) * t * t * soft : t * t * soft;
        }
        return total / 2;
    }

    private static double computed(double alpha, double t) {
        Examples rows = new Examples(List.of("a", "b", "c"), List.of("x", "y"), new int[] {1, Examples.NO_LABEL},
                TEACHER);
        SentimentTrainer.SoftTargets s = SentimentTrainer.SoftTargets.of(rows, new Distillation(alpha, t, "t",
                "0".repeat(64), List.of(), List.of()));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
            NDArray z = m.create(new float[] {1f, 2f, 0.5f, 0.3f, -1f, 2f}, new Shape(2, 3));
            NDArray gold = m.create(flat(s.gold()), new Shape(2, 3));
            NDArray soft = m.create(flat(s.soft()), new Shape(2, 3));
            return SentimentTrainer.distillationLoss(z, gold, soft, s.temperature()).getFloat();
        }
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[r].length, rows[r].length);
        }
        return out;
    }

    @Test
    void theLossIsAlphaTimesTheGoldCrossEntropyPlusTheSoftTermAtTheTemperature() {
        for (double alpha : new double[] {0, 0.3, 0.5, 1}) {
            for (double t : new double[] {1, 2, 4}) {
                assertEquals(byHand(alpha, t), computed(alpha, t), 1e-5, "alpha " + alpha + ", T " + t);
            }
        }
    }

    @Test
    void withAlphaOneOnLabelledRowsItIsTheOrdinaryCrossEntropy() {
        Examples rows = new Examples(List.of("a", "b", "c"), List.of("x", "y"), new int[] {1, 2}, TEACHER);
        SentimentTrainer.SoftTargets s = SentimentTrainer.SoftTargets.of(rows, new Distillation(1, 1, "t",
                "0".repeat(64), List.of(), List.of()));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
            NDArray z = m.create(new float[] {1f, 2f, 0.5f, 0.3f, -1f, 2f}, new Shape(2, 3));
            float distilled = SentimentTrainer.distillationLoss(z, m.create(flat(s.gold()), new Shape(2, 3)),
                    m.create(flat(s.soft()), new Shape(2, 3)), 1f).getFloat();
            float ordinary = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(m.create(new long[] {1, 2})),
                    new NDList(z)).getFloat();
            assertEquals(ordinary, distilled, 1e-6);
        }
    }

    @Test
    void softTargetsAtATemperatureAreSoftenedAndWeighted() {
        assertArrayEquals(new float[] {0.2f, 0.7f, 0.1f}, SentimentTrainer.SoftTargets.atTemperature(TEACHER[0], 1, 1),
                1e-7f);
        float[] t2 = SentimentTrainer.SoftTargets.atTemperature(TEACHER[0], 2, 0.5);
        double norm = Math.sqrt(0.2) + Math.sqrt(0.7) + Math.sqrt(0.1);
        assertArrayEquals(new float[] {(float) (0.5 * Math.sqrt(0.2) / norm), (float) (0.5 * Math.sqrt(0.7) / norm),
            (float) (0.5 * Math.sqrt(0.1) / norm)}, t2, 1e-6f);
    }

    @Test
    void settingsAreCheckedAndSurviveTheCardsJson() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new Distillation(1.5, 1, "t", "s", List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Distillation(0.5, 0, "t", "s", List.of(), List.of()));
        TrainingConfig config = Fixtures.smallConfig().optDistillation(new Distillation(0.25, 2, "teacher.onnx",
                "ab".repeat(32), List.of(new Distillation.Source("u.txt", "cd".repeat(32), 1000)),
                List.of(new Distillation.Source("test.tsv", "ef".repeat(32), 0)))).build();
        String json = dev.sentikit.model.ModelFormat.json().writeValueAsString(config.toMap());
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> read = dev.sentikit.model.ModelFormat.json().readValue(json, java.util.Map.class);
        TrainingConfig again = TrainingConfig.fromSettings(read, config.encoder());
        assertEquals(config.distillation(), again.distillation());
        assertEquals(config.toMap(), again.toMap());
        assertEquals(null, TrainingConfig.fromSettings(read.entrySet().stream().filter(e -> !e.getKey().equals(
                "distillation")).collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey,
                java.util.Map.Entry::getValue)), config.encoder()).distillation());
    }

    @Test
    void examplesWithoutLabelsNeedSoftTargetsToTrain() throws Exception {
        Examples noLabel = new Examples(List.of("a", "b"), List.of("x", "y"), new int[] {0, Examples.NO_LABEL});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SentimentTrainer(
                Fixtures.smallConfig().build(), new Device[] {Device.cpu()}, new TrainingListener() {}).train(noLabel,
                new Examples(List.of("a", "b"), List.of("z"), new int[] {1}), null,
                java.nio.file.Files.createTempDirectory("x")));
        assertEquals(true, e.getMessage().contains("no label and no soft targets"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Examples(List.of("a", "b"), List.of("x"), new int[] {0},
                new float[][] {{0.5f, 0.6f}}), "soft targets add up to 1");
    }
}
