package dev.sentikit;

/**
 * How an analyzer runs a model. Immutable; build one with {@link #builder()}.
 *
 * <pre>{@code
 * AnalyzerOptions options = AnalyzerOptions.builder().optDevice(Device.CPU).optIntraOpThreads(2).build();
 * }</pre>
 */
public final class AnalyzerOptions {

    /** Batches larger than this are split, so that one call never allocates an unbounded tensor. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 256;

    private static final AnalyzerOptions DEFAULTS = builder().build();

    private final Device device;
    private final int intraOpThreads;
    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final int maxWindows;
    private final int parallelism;

    private AnalyzerOptions(Builder b) {
        this.device = b.device;
        this.intraOpThreads = b.intraOpThreads;
        this.maxBatchSize = b.maxBatchSize;
        this.maxBatchTokens = b.maxBatchTokens;
        this.maxWindows = b.maxWindows;
        this.parallelism = b.parallelism;
    }

    /** The defaults: device {@code auto}, the engine's choice of threads ({@link #intraOpThreads}), batches of 256. */
    public static AnalyzerOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Device device() {
        return device;
    }

    /**
     * Threads one inference may use; 0 (the default) lets the engine decide. The ONNX Runtime engine then runs each
     * call on one thread, its caller's: an analyzer is shared by every thread of an application, which brings its
     * own concurrency, and one call is too little work to share out (on a 2-core machine a pool of one thread per
     * core made {@code analyzeAll} up to 1.8 times slower with two calling threads, and no faster with one; see
     * docs/benchmarks.md). Set more than 1 for few, large calls on an otherwise idle machine.
     */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** Texts one call plans at once (default {@value #DEFAULT_MAX_BATCH_SIZE}); a larger call is split. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /**
     * The most ids one run of the model holds, padding included (its texts × its longest text's ids); 0 (the default)
     * lets the engine decide. The ONNX Runtime engine then bounds a transformer's runs: a batch of long texts is run
     * a few texts at a time on the CPU, which read long reviews up to 1.24 times faster than runs of 256 and kept
     * up to 0.8 GB of activations per analyzer out of memory (docs/benchmarks.md, Zoo transformers); short texts
     * still run many at a time. A text is always run whole, even when its own ids pass the bound.
     */
    public int maxBatchTokens() {
        return maxBatchTokens;
    }

    /**
     * How a text longer than the model reads is read: 1 (the default) reads it once, cut as the model's truncation
     * says ({@code dev.sentikit.text.Truncation}); more reads it in overlapping windows of the model's length (half
     * of each shared with the next), at most this many, and averages their probabilities, each window counting
     * the same. Past the bound, the first {@code maxWindows − 1} windows and the text's last tokens are read. Each
     * result says how its text was read ({@link Sentiment#coverage()}). A text that fits is read once either way.
     */
    public int maxWindows() {
        return maxWindows;
    }

    /**
     * Threads one {@code analyzeAll} call may run its batches on at the same time, its caller's included; 0 (the
     * default) lets the engine decide. The ONNX Runtime engine then uses every core for a call with enough work
     * (many texts, or a transformer's few), running batches of texts of similar length side by side, each on one
     * thread: on 2 cores that analyzed the zoo transformers' texts about twice as fast as one thread, and faster
     * than one batch at a time on 2 intra-op threads (docs/benchmarks.md). 1 runs every batch on the caller's
     * thread, for applications that already keep every core busy with their own threads.
     */
    public int parallelism() {
        return parallelism;
    }

    /** Builds {@link AnalyzerOptions}; each setting is checked when it is set. */
    public static final class Builder {
        private Device device = Device.AUTO;
        private int intraOpThreads;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private int maxBatchTokens;
        private int maxWindows = 1;
        private int parallelism;

        private Builder() {}

        public Builder optDevice(Device device) {
            this.device = java.util.Objects.requireNonNull(device, "device");
            return this;
        }

        /** Sets the device from its text form: auto, cpu, cuda or cuda:N. */
        public Builder optDevice(String device) {
            return optDevice(Device.parse(device));
        }

        /** Threads one inference may use (see {@link AnalyzerOptions#intraOpThreads()}); 0 lets the engine decide. */
        public Builder optIntraOpThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = engine default), got " + threads);
            }
            this.intraOpThreads = threads;
            return this;
        }

        public Builder optMaxBatchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + size);
            }
            this.maxBatchSize = size;
            return this;
        }

        /** The most ids one run holds (see {@link AnalyzerOptions#maxBatchTokens()}); 0 lets the engine decide. */
        public Builder optMaxBatchTokens(int tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("maxBatchTokens must be >= 0 (0 = engine default), got " + tokens);
            }
            this.maxBatchTokens = tokens;
            return this;
        }

        /** Reads long texts in up to this many windows (see {@link AnalyzerOptions#maxWindows()}); 1 reads once. */
        public Builder optMaxWindows(int windows) {
            if (windows < 1) {
                throw new IllegalArgumentException("maxWindows must be >= 1 (1 = read once, cut as the model says), "
                        + "got " + windows);
            }
            this.maxWindows = windows;
            return this;
        }

        /** Threads one analyzeAll may use (see {@link AnalyzerOptions#parallelism()}); 0 lets the engine decide. */
        public Builder optParallelism(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("parallelism must be >= 0 (0 = engine default), got " + threads);
            }
            this.parallelism = threads;
            return this;
        }

        public AnalyzerOptions build() {
            return new AnalyzerOptions(this);
        }
    }
}
