package dev.sentikit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 peak of one core, measured: a loop of 12 independent fused multiply-adds on the widest vectors the JVM
 * offers (512 bits with AVX-512: 16 lanes), so that neither latency nor memory limits it; GFLOP/s per CPU second of
 * the calling thread (a multiply and an add are two operations), the best of a few runs. It is what the benchmarks
 * compare their GFLOP/s with. Needs {@code --add-modules jdk.incubator.vector} (Java 17's Vector API); without it,
 * {@link #measure} answers NaN.
 */
final class FmaPeak {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    private static final long STEPS = 20_000_000L;
    private static final int RUNS = 6;

    private FmaPeak() {}

    /** GFLOP/s of one core, or NaN when the Vector API is not available. */
    static double measure() {
        try {
            return Kernel.best();
        } catch (LinkageError e) {
            return Double.NaN;
        }
    }

    /** Separate, so that a JVM without the module fails to link it, not FmaPeak. */
    private static final class Kernel {
        static double best() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            double best = 0;
            float sink = 0;
            for (int r = 0; r < RUNS; r++) { // the first runs are compiled on the way
                long cpu = mx.getCurrentThreadCpuTime();
                sink += run(STEPS);
                double seconds = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
                best = Math.max(best, STEPS * CHAINS * SPECIES.length() * 2.0 / seconds / 1e9);
            }
            return sink == 42 ? best + 1e-9 : best;
        }

        private static float run(long steps) {
            FloatVector a0 = FloatVector.broadcast(SPECIES, 1f);
            FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0;
            FloatVector a11 = a0;
            FloatVector x = FloatVector.broadcast(SPECIES, 0.999999f);
            FloatVector y = FloatVector.broadcast(SPECIES, 1e-7f);
            for (long i = 0; i < steps; i++) {
                a0 = a0.fma(x, y);
                a1 = a1.fma(x, y);
                a2 = a2.fma(x, y);
                a3 = a3.fma(x, y);
                a4 = a4.fma(x, y);
                a5 = a5.fma(x, y);
                a6 = a6.fma(x, y);
                a7 = a7.fma(x, y);
                a8 = a8.fma(x, y);
                a9 = a9.fma(x, y);
                a10 = a10.fma(x, y);
                a11 = a11.fma(x, y);
            }
            return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                    .reduceLanes(VectorOperators.ADD);
        }
    }
}
