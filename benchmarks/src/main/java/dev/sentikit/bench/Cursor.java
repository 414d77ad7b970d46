package dev.sentikit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Which text or batch a benchmark thread runs next: each thread walks the whole sample in order, from its own
 * starting point, so that two threads do not run the same texts in lock step and no result is cached.
 *
 * <p>It also counts, per measured iteration, the calls it served ({@link #calls}) and the CPU time its thread used
 * ({@link #cpuNanos}); JMH reports both as secondary results. With one intra-op thread (ONNX Runtime and PyTorch
 * alike) a call's work runs on the calling thread, so CPU time per text is a cost measure that other processes on
 * a shared machine disturb far less than wall-clock throughput.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class Cursor {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** A prime stride between the starting points of successive threads. */
    private static final int START_STRIDE = 7919;

    /** Calls served in this iteration. */
    public long calls;

    /** CPU time of this thread in this iteration, in nanoseconds. */
    public long cpuNanos;

    private int next = THREADS.getAndIncrement() * START_STRIDE;
    private long cpuAtStart;

    @Setup(Level.Iteration)
    public void startIteration() {
        calls = 0;
        cpuNanos = 0;
        cpuAtStart = CPU.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        cpuNanos = CPU.getCurrentThreadCpuTime() - cpuAtStart;
    }

    /** The next index in {@code [0, size)}. */
    int next(int size) {
        calls++;
        int i = Math.floorMod(next, size);
        next = i + 1;
        return i;
    }
}
