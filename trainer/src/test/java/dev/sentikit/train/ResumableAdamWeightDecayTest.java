package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** AdamW's decoupled weight decay and the gradient scale of clipping, against the formulas written out. */
class ResumableAdamWeightDecayTest {

    private static final Shape SHAPE = new Shape(3, 4);

    /**
     * The largest difference accepted between the engine's float32 update and the same update in double: a few
     * float32 roundings of weights below 1.
     */
    private static final double TOLERANCE = 1e-6;

    private static NDManager manager() {
        return NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
    }

    /** Values in ±[0.1, 0.6], so that the decay term lr · wd · w is well above {@link #TOLERANCE}. */
    private static float[] weights(Random random) {
        float[] w = new float[12];
        for (int i = 0; i < w.length; i++) {
            w[i] = (0.1f + 0.5f * random.nextFloat()) * (random.nextBoolean() ? 1 : -1);
        }
        return w;
    }

    private static float[] gradient(Random random, double scale) {
        float[] g = new float[12];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (random.nextGaussian() * scale);
        }
        return g;
    }

    /**
     * Adam with decoupled weight decay (Loshchilov and Hutter 2019), as DJL's kernel orders it: the weight first
     * shrinks by {@code lr · wd · w}, then takes Adam's step {@code lr_t · m / (√v + ε)} with
     * {@code lr_t = lr · √(1 − β2^t) / (1 − β1^t)}.
     */
    private static final class Reference {
        final double[] w;
        final double[] m = new double[12];
        final double[] v = new double[12];
        int t;

        Reference(float[] init) {
            w = new double[init.length];
            for (int i = 0; i < init.length; i++) {
                w[i] = init[i];
            }
        }

        void update(float[] g, double lr, double decay) {
            t++;
            double corrected = lr * Math.sqrt(1 - Math.pow(ResumableAdam.BETA2, t))
                    / (1 - Math.pow(ResumableAdam.BETA1, t));
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * decay * w[i];
                m[i] = ResumableAdam.BETA1 * m[i] + (1 - ResumableAdam.BETA1) * g[i];
                v[i] = ResumableAdam.BETA2 * v[i] + (1 - ResumableAdam.BETA2) * (double) g[i] * g[i];
                w[i] -= corrected * m[i] / (Math.sqrt(v[i]) + ResumableAdam.EPSILON);
            }
        }
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, what + " [" + i + "]");
        }
    }

    @Test
    void decoupledWeightDecayIsAdamW() {
        float lr = 0.01f;
        float decay = 0.1f;
        try (NDManager manager = manager()) {
            Random random = new Random(17);
            float[] w0 = weights(random);
            float[] b0 = weights(random);
            NDArray w = manager.create(w0, SHAPE);
            NDArray b = manager.create(b0, SHAPE);
            NDArray djlB = manager.create(b0, SHAPE);
            ResumableAdam adam = new ResumableAdam(step -> lr);
            adam.setDecoupledWeightDecay(decay, name -> name.equals("w")); // "b" is excluded, as biases and norms are
            Optimizer djl = Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
            Reference decayed = new Reference(w0);
            Reference undecayed = new Reference(w0);
            Reference excluded = new Reference(b0);
            for (int step = 1; step <= 3; step++) {
                float[] g = gradient(random, 1.0);
                float[] gb = gradient(random, 1.0);
                adam.update("w", w, manager.create(g, SHAPE));
                adam.update("b", b, manager.create(gb, SHAPE));
                djl.update("b", djlB, manager.create(gb, SHAPE));
                adam.stepTaken();
                decayed.update(g, lr, decay);
                undecayed.update(g, lr, 0);
                excluded.update(gb, lr, 0);
                assertClose(decayed.w, w.toFloatArray(), "decayed weight after step " + step);
                assertClose(excluded.w, b.toFloatArray(), "excluded parameter after step " + step);
                assertArrayEquals(djlB.toFloatArray(), b.toFloatArray(), "an excluded parameter takes DJL's Adam step");
            }
            // The decay is visible: the decayed weight is not Adam's.
            double apart = 0;
            float[] actual = w.toFloatArray();
            for (int i = 0; i < actual.length; i++) {
                apart = Math.max(apart, Math.abs(actual[i] - undecayed.w[i]));
            }
            assertTrue(apart > 100 * TOLERANCE, "weight decay changed the weight by only " + apart);
        }
    }

    /**
     * {@code setGradientScale(s)} is the step of the gradient times s, for the next step only. Gradients of about
     * 1e-6 make Adam's step depend on their scale (ε is 1e-8), so that a scale left out would show.
     */
    @Test
    void gradientScaleIsTheStepOfTheScaledGradient() {
        float lr = 0.01f;
        float s = 0.25f;
        try (NDManager manager = manager()) {
            Random random = new Random(23);
            float[] w0 = weights(random);
            NDArray scaled = manager.create(w0, SHAPE);
            NDArray byHand = manager.create(w0, SHAPE);
            NDArray unscaled = manager.create(w0, SHAPE);
            ResumableAdam a = new ResumableAdam(step -> lr);
            ResumableAdam b = new ResumableAdam(step -> lr);
            ResumableAdam c = new ResumableAdam(step -> lr);
            float[] g1 = gradient(random, 1e-6);
            float[] g2 = gradient(random, 1e-6);

            a.setGradientScale(s);
            a.update("w", scaled, manager.create(g1, SHAPE));
            a.stepTaken();
            b.update("w", byHand, manager.create(g1, SHAPE).mul(s));
            b.stepTaken();
            c.update("w", unscaled, manager.create(g1, SHAPE));
            c.stepTaken();
            assertArrayEquals(byHand.toFloatArray(), scaled.toFloatArray(), "step 1: scale s = gradient times s");
            assertFalse(java.util.Arrays.equals(unscaled.toFloatArray(), scaled.toFloatArray()),
                    "the scale made no difference");

            // stepTaken() puts the scale back to 1.
            a.update("w", scaled, manager.create(g2, SHAPE));
            a.stepTaken();
            b.update("w", byHand, manager.create(g2, SHAPE));
            b.stepTaken();
            assertArrayEquals(byHand.toFloatArray(), scaled.toFloatArray(), "step 2 is not scaled");
        }
    }

    @Test
    void aGradientScaleMustBePositive() {
        ResumableAdam adam = new ResumableAdam(step -> 0.01f);
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> adam.setGradientScale(bad));
            assertTrue(e.getMessage().startsWith("gradient scale must be a positive number, got "), e.getMessage());
        }
    }
}
