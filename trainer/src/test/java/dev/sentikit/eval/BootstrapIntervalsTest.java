package dev.sentikit.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapIntervalsTest {

    private static final List<String> LABELS = List.of("negative", "neutral", "positive");

    /** n examples cycling through the three labels, the first {@code right} of every 10 predicted right. */
    private static int[][] examples(int n, int rightOfTen) {
        int[] gold = new int[n];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            gold[i] = i % 3;
            predicted[i] = i % 10 < rightOfTen ? gold[i] : (gold[i] + 1) % 3;
        }
        return new int[][] {gold, predicted};
    }

    @Test
    void accuracyIntervalHasTheBinomialWidth() {
        // Accuracy 0.8 on 2,000 examples: its sampling spread is sqrt(0.8 * 0.2 / 2000) = 0.00894, so the 95%
        // interval is 0.8 -/+ 1.96 * 0.00894 = [0.7825, 0.8175], give or take the bootstrap's own noise.
        int[][] e = examples(2000, 8);
        BootstrapIntervals b = BootstrapIntervals.of(3, e[0], e[1], 4000, 7);
        assertEquals(0.7825, b.accuracy().low(), 0.004);
        assertEquals(0.8175, b.accuracy().high(), 0.004);
    }

    @Test
    void intervalsHoldTribuosFiguresAndNarrowWithMoreData() {
        int[][] small = examples(300, 7);
        int[][] large = examples(3000, 7);
        BootstrapIntervals s = BootstrapIntervals.of(3, small[0], small[1], 1000, 42);
        BootstrapIntervals l = BootstrapIntervals.of(3, large[0], large[1], 1000, 42);
        SentimentEvaluation full = new SentimentEvaluator("m").evaluate(LABELS, large[0], oneHot(large[1]));
        assertTrue(l.macroF1().low() < full.macroF1() && full.macroF1() < l.macroF1().high(),
                full.macroF1() + " outside " + l.macroF1());
        assertTrue(l.macroRecall().low() < full.macroRecall() && full.macroRecall() < l.macroRecall().high(),
                full.macroRecall() + " outside " + l.macroRecall());
        // Ten times the examples: about sqrt(10) = 3.2 times narrower.
        double ratio = width(s.macroF1()) / width(l.macroF1());
        assertTrue(ratio > 2.6 && ratio < 3.8, "width ratio " + ratio);
    }

    @Test
    void allRightHasNoSpreadAndTheSameSeedGivesTheSameIntervals() {
        int[][] e = examples(500, 10);
        BootstrapIntervals b = BootstrapIntervals.of(3, e[0], e[1], 200, 1);
        assertEquals(new BootstrapIntervals.Interval(1, 1), b.accuracy());
        assertEquals(new BootstrapIntervals.Interval(1, 1), b.macroF1());

        int[][] f = examples(500, 6);
        assertEquals(BootstrapIntervals.of(3, f[0], f[1], 300, 5).toMap(),
                BootstrapIntervals.of(3, f[0], f[1], 300, 5).toMap());
        assertTrue(!BootstrapIntervals.of(3, f[0], f[1], 300, 5).macroF1()
                .equals(BootstrapIntervals.of(3, f[0], f[1], 300, 6).macroF1()), "another seed, other draws");
    }

    @Test
    void labelsAbsentFromTheDataCountAsZeroInTheMacroAverages() {
        // Two-label data read by a three-label model, all right: macro-F1 over three labels is 2/3, as Tribuo's.
        int[] gold = new int[20];
        for (int i = 0; i < gold.length; i++) {
            gold[i] = i % 2 == 0 ? 0 : 2;
        }
        BootstrapIntervals b = BootstrapIntervals.of(3, gold, gold.clone(), 100, 3);
        assertEquals(2.0 / 3, b.macroF1().high(), 1e-12);
        assertEquals(new SentimentEvaluator("m").evaluate(LABELS, gold, oneHot(gold)).macroF1(), b.macroF1().low(),
                1e-12);
    }

    @Test
    void quantileInterpolatesBetweenOrderStatistics() {
        double[] sorted = {0, 1, 2, 3, 4};
        assertEquals(0.1, BootstrapIntervals.quantile(sorted, 0.025), 1e-12);
        assertEquals(3.9, BootstrapIntervals.quantile(sorted, 0.975), 1e-12);
        assertEquals(2, BootstrapIntervals.quantile(sorted, 0.5), 1e-12);
    }

    @Test
    void refusesWhatItCannotResample() {
        int[] gold = {0, 1};
        assertThrows(IllegalArgumentException.class, () -> BootstrapIntervals.of(3, gold, new int[] {0}, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> BootstrapIntervals.of(3, new int[0], new int[0], 10, 1));
        assertThrows(IllegalArgumentException.class, () -> BootstrapIntervals.of(3, gold, new int[] {0, 3}, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> BootstrapIntervals.of(3, gold, gold, 0, 1));
    }

    @Test
    void mostProbableBreaksTiesTowardsTheFirstCompetingLabel() {
        float[][] p = {{0.4f, 0.2f, 0.4f}, {0.1f, 0.6f, 0.3f}, {0.2f, 0.3f, 0.5f}};
        assertEquals("[0, 1, 2]", Arrays.toString(SentimentEvaluator.mostProbable(p, new int[] {0, 1, 2})));
        assertEquals("[2, 2, 2]", Arrays.toString(SentimentEvaluator.mostProbable(p, new int[] {2, 0})));
    }

    private static double width(BootstrapIntervals.Interval interval) {
        return interval.high() - interval.low();
    }

    private static float[][] oneHot(int[] predicted) {
        float[][] p = new float[predicted.length][3];
        for (int i = 0; i < predicted.length; i++) {
            p[i][predicted[i]] = 1;
        }
        return p;
    }
}
