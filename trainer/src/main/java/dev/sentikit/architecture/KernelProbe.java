package dev.sentikit.architecture;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * What a block asks before it trusts one of the engine's fused kernels (an LSTM, a convolution): whether the kernel
 * gives the equations' values, on seeded random inputs of the block's sizes, once per engine, device and sizes in a
 * process. Some oneDNN kernels compute something else on some CPUs (docs/benchmarks.md, "The LSTM on CPUs with
 * AVX-512"); a block that learns so computes the equations itself.
 */
public final class KernelProbe {

    private static final Map<String, Boolean> AGREES = new ConcurrentHashMap<>();

    private KernelProbe() {}

    /**
     * Whether {@code largestDifference} on {@code manager}, for the kernel and sizes that {@code sizes} names, is at
     * most {@code tolerance}; measured the first time the engine, device and {@code sizes} are asked about.
     */
    public static boolean agrees(NDManager manager, String sizes, double tolerance,
            ToDoubleFunction<NDManager> largestDifference) {
        String key = manager.getEngine().getEngineName() + "/" + manager.getDevice() + "/" + sizes;
        return AGREES.computeIfAbsent(key, k -> largestDifference.applyAsDouble(manager) <= tolerance);
    }

    /**
     * Values of N(0, scale²) from Java's generator, not the engine's: a probe must not move a run's seeded draws.
     */
    public static NDArray normal(NDManager manager, Random random, float scale, long... shape) {
        Shape s = new Shape(shape);
        float[] values = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return manager.create(values, s);
    }

    /** The larger of {@code worst} and the largest |a[i] − b[i]|; a NaN on either side counts as infinite. */
    public static double worse(double worst, float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            if (!(d <= worst)) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return worst;
    }
}
