package dev.sentikit.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.model.Calibration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    /** Logits of a model that is right 70% of the time but says so with near certainty (too sharp). */
    private static float[][] overconfident(int n, int[] gold, Random random) {
        float[][] logits = new float[n][3];
        for (int i = 0; i < n; i++) {
            gold[i] = random.nextInt(3);
            int predicted = random.nextDouble() < 0.7 ? gold[i] : (gold[i] + 1 + random.nextInt(2)) % 3;
            for (int l = 0; l < 3; l++) {
                logits[i][l] = (float) random.nextGaussian();
            }
            logits[i][predicted] += 8f;
        }
        return logits;
    }

    @Test
    void softensAnOverconfidentModelAndLowersEce() {
        int[] gold = new int[5000];
        float[][] logits = overconfident(gold.length, gold, new Random(1));
        Calibration c = TemperatureScaling.fit(logits, gold, "synthetic");
        assertTrue(c.temperature() > 2, "an overconfident model needs T > 1, got " + c.temperature());
        assertTrue(c.eceBefore() > 0.2, "before: " + c.eceBefore());
        assertTrue(c.eceAfter() < 0.05, "after: " + c.eceAfter());
        assertTrue(c.nllAfter() < c.nllBefore());
        // T is where the NLL is lowest: nudging it either way does not help.
        assertTrue(TemperatureScaling.nll(logits, gold, c.temperature() * 1.05) >= c.nllAfter());
        assertTrue(TemperatureScaling.nll(logits, gold, c.temperature() / 1.05) >= c.nllAfter());
    }

    @Test
    void eceOfAPerfectlyCalibratedBinIsZero() {
        // Two examples at confidence 0.5 (logits equal for two labels), one right: accuracy 0.5 = confidence.
        float[][] logits = {{0, 0, -100}, {0, 0, -100}};
        assertEquals(0.0, TemperatureScaling.ece(logits, new int[] {0, 1}, 1.0), 1e-6);
        assertEquals(0.5, TemperatureScaling.ece(logits, new int[] {0, 0}, 1.0), 1e-6);
    }

    @Test
    void softmaxWithTemperature() {
        float[] p = TemperatureScaling.softmax(new float[] {2, 0}, 2.0);
        assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.fit(new float[0][], new int[0], "x"));
    }
}
