package dev.sentikit.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few direct buffers, reused from call to call, for the tensors an analyzer feeds ONNX Runtime. A tensor made
 * from a heap array makes ONNX Runtime's Java binding allocate a direct buffer and copy into it on every call;
 * that memory is freed only when a garbage collection runs the buffer's cleaner, so RSS climbs between
 * collections and each call pays for the allocation. A pooled buffer is filled in place and wrapped without a
 * copy.
 *
 * <p>Thread-safe and lock-free. A buffer is held by one call at a time ({@link #take} to {@link #give}). The pool
 * keeps at most {@code slots} buffers, each at most {@link #MAX_POOLED_BYTES}; a call that finds none free gets a
 * new buffer, which the pool keeps if a slot is empty when it comes back, and otherwise leaves to the garbage
 * collector. So the memory held is bounded by the slots, not by the number of threads that ever called.
 */
final class DirectBufferPool {

    /** Buffers above this size (a batch far larger than the default 256 texts) are used once, not kept. */
    static final int MAX_POOLED_BYTES = 16 << 20;

    /** The smallest buffer allocated, so that growing texts do not reallocate at every step. */
    static final int MIN_BYTES = 16 << 10;

    private final AtomicReferenceArray<ByteBuffer> slots;

    DirectBufferPool(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        this.slots = new AtomicReferenceArray<>(slots);
    }

    /** A pool with two slots per processor: enough for every thread that can run at the same time. */
    static DirectBufferPool perProcessor() {
        return new DirectBufferPool(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
    }

    /** A cleared, native-order direct buffer of at least {@code bytes} bytes, held by the caller until {@link #give}. */
    ByteBuffer take(int bytes) {
        for (int i = 0; i < slots.length(); i++) {
            ByteBuffer b = slots.get(i);
            if (b != null && b.capacity() >= bytes && slots.compareAndSet(i, b, null)) {
                b.clear();
                return b;
            }
        }
        int capacity = bytes >= MAX_POOLED_BYTES ? bytes
                : Math.min(MAX_POOLED_BYTES, Math.max(MIN_BYTES, Integer.highestOneBit(Math.max(1, bytes - 1)) << 1));
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    /** Returns a buffer from {@link #take}; the pool keeps it in a free slot, or in place of a smaller one. */
    void give(ByteBuffer buffer) {
        if (buffer.capacity() > MAX_POOLED_BYTES) {
            return;
        }
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, buffer)) {
                return;
            }
        }
        for (int i = 0; i < slots.length(); i++) {
            ByteBuffer b = slots.get(i);
            if (b != null && b.capacity() < buffer.capacity() && slots.compareAndSet(i, b, buffer)) {
                return;
            }
        }
    }
}
