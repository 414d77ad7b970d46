package dev.sentikit.architecture.transformer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The pooled states [texts, hidden] of a frozen encoder for the texts of one run, found by their ids: with
 * {@code --freeze-encoder} the encoder gives every text the same states in every epoch, so they are computed once
 * ({@link TransformerBlock#precompute}) and each training step runs only the head. Kept on the run's first device,
 * copied to another the first time a batch there asks for them.
 */
final class FrozenStates {

    private final Map<Key, Integer> rows;
    private final NDArray states;
    private final NDManager manager;
    private final Map<Device, NDArray> copies = new HashMap<>();

    /**
     * @param rows each text's row in {@code states}, by its ids without padding
     * @param states the pooled states, one row a text
     * @param manager the manager that holds them, closed by {@link #close}
     */
    FrozenStates(Map<Key, Integer> rows, NDArray states, NDManager manager) {
        this.rows = rows;
        this.states = states;
        this.manager = manager;
        copies.put(states.getDevice(), states);
    }

    int size() {
        return rows.size();
    }

    /**
     * The states of the texts of {@code ids} [batch, sequence] (padded with 0), on its device and in its manager,
     * or null when one of them was not computed.
     */
    NDArray find(NDArray ids) {
        long[] flat = ids.toLongArray();
        int batch = (int) ids.getShape().get(0);
        int width = (int) ids.getShape().get(1);
        long[] index = new long[batch];
        for (int r = 0; r < batch; r++) {
            Integer row = rows.get(Key.of(flat, r * width, width));
            if (row == null) {
                return null;
            }
            index[r] = row;
        }
        NDArray on;
        synchronized (copies) {
            on = copies.computeIfAbsent(ids.getDevice(), d -> {
                NDArray copy = states.toDevice(d, true);
                copy.attach(manager);
                return copy;
            });
        }
        NDArray at = ids.getManager().create(index, new Shape(batch));
        NDArray found = on.get(new NDIndex("{}", at));
        found.attach(ids.getManager());
        return found;
    }

    /** Frees the states and their copies. */
    void close() {
        synchronized (copies) {
            copies.clear();
            manager.close();
        }
    }

    /** A text's ids without the padding after it. */
    static final class Key {
        private final int[] ids;
        private final int hash;

        private Key(int[] ids) {
            this.ids = ids;
            this.hash = Arrays.hashCode(ids);
        }

        static Key of(int[] ids) {
            int n = ids.length;
            while (n > 0 && ids[n - 1] == 0) {
                n--;
            }
            return new Key(n == ids.length ? ids.clone() : Arrays.copyOf(ids, n));
        }

        /** The ids of {@code flat[from, from + width)} up to the padding at their end. */
        static Key of(long[] flat, int from, int width) {
            int n = width;
            while (n > 0 && flat[from + n - 1] == 0) {
                n--;
            }
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = (int) flat[from + i];
            }
            return new Key(ids);
        }

        int length() {
            return ids.length;
        }

        int[] ids() {
            return ids;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.ids, ids);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
