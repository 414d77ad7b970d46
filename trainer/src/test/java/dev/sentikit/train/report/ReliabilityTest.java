package dev.sentikit.train.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.eval.TemperatureScaling;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReliabilityTest {

    @Test
    void binsByTheTopProbability() {
        float[][] p = {
            {0.95f, 0.05f}, // bin 9 of 10, right
            {0.05f, 0.95f}, // bin 9, wrong
            {0.62f, 0.38f}, // bin 6, right
            {0.5f, 0.5f}, // a tie goes to the first label: bin 5, right
        };
        int[] gold = {0, 0, 0, 0};
        Reliability r = Reliability.of(p, gold, 10);
        assertEquals(10, r.bins());
        assertEquals(4, r.examples());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 0, 0, 2}, r.count());
        assertEquals(0.5, r.accuracy()[9], 1e-12);
        assertEquals(0.95, r.confidence()[9], 1e-6);
        assertEquals(1.0, r.accuracy()[6], 1e-12);
        assertTrue(Double.isNaN(r.accuracy()[0]), "an empty bin has no accuracy");
        // |1 - 0.95 - 0.95| + |1 - 0.62| + |1 - 0.5|, over 4 examples
        assertEquals((0.9 + 0.38 + 0.5) / 4, r.ece(), 1e-6);
        assertEquals(0.9, r.lower(9), 1e-12);
        assertEquals(1.0, r.upper(9), 1e-12);
    }

    @Test
    void eceMatchesTemperatureScaling() {
        Random random = new Random(7);
        int n = 2000;
        float[][] logits = new float[n][3];
        int[] gold = new int[n];
        float[][] probabilities = new float[n][];
        for (int i = 0; i < n; i++) {
            gold[i] = random.nextInt(3);
            for (int l = 0; l < 3; l++) {
                logits[i][l] = (float) (random.nextGaussian() * 2 + (l == gold[i] ? 1.5 : 0));
            }
            probabilities[i] = TemperatureScaling.softmax(logits[i], 1.7);
        }
        Reliability r = Reliability.of(probabilities, gold);
        assertEquals(TemperatureScaling.ECE_BINS, r.bins());
        assertEquals(TemperatureScaling.ece(logits, gold, 1.7), r.ece(), 1e-9);
        int total = 0;
        for (int c : r.count()) {
            total += c;
        }
        assertEquals(n, total);
    }

    @Test
    void refusesMismatchedInput() {
        assertThrows(IllegalArgumentException.class, () -> Reliability.of(new float[2][2], new int[3]));
        assertThrows(IllegalArgumentException.class, () -> Reliability.of(new float[1][2], new int[1], 0));
    }
}
