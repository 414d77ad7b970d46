package dev.sentikit.bench;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Which text or batch a benchmark thread runs next: each thread walks the whole sample in order, from its own
 * starting point, so that two threads do not run the same texts in lock step and no result is cached.
 */
@State(Scope.Thread)
public class Cursor {

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A prime stride between the starting points of successive threads. */
    private static final int START_STRIDE = 7919;

    private int next = THREADS.getAndIncrement() * START_STRIDE;

    /** The next index in {@code [0, size)}. */
    int next(int size) {
        int i = Math.floorMod(next, size);
        next = i + 1;
        return i;
    }
}
