package dev.sentikit.onnx;

import static dev.sentikit.onnx.ModelChecks.oneLine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.spi.EncodedAnalyzer;
import dev.sentikit.text.Coverage;
import dev.sentikit.text.EncodedText;
import dev.sentikit.text.Scripts;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Vocabulary;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SentimentAnalyzer} backed by one {@link OrtSession} that serves every thread
 * ({@link OrtSession#run} is thread-safe).
 *
 * <p>Calls hold the read side of a {@link ReentrantReadWriteLock} while they use the session, and {@link #close()}
 * takes the write side, so closing while calls are in flight waits for them instead of freeing native memory
 * under them; calls that start after the close throw {@link IllegalStateException}.
 */
final class OnnxSentimentAnalyzer implements SentimentAnalyzer, EncodedAnalyzer {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxSentimentAnalyzer.class);

    private static final Set<String> OUTPUTS = Set.of(ModelFormat.OUTPUT_PROBABILITIES);

    /**
     * What one session run costs beyond its ids, in ids: for the bag model on one x86 core a run costs about 12 µs
     * plus 40 ns per id of the padded batch, so one more run pays for itself once it saves about 300 ids of
     * padding (measured with benchmarks/, docs/benchmarks.md). The exact value matters little.
     */
    static final long RUN_COST_IN_IDS = 256;

    /**
     * {@link #RUN_COST_IN_IDS} for a transformer (a WordPiece model): a run of the int8 MiniLM of the zoo costs about
     * 0.9 ms plus 71 µs per id on one x86 core, the float32 one 2.6 ms plus 132 µs, so one more run pays for itself
     * once it saves about 12 to 20 ids of padding (docs/benchmarks.md, Zoo transformers).
     */
    static final long TRANSFORMER_RUN_COST_IN_IDS = 16;

    /**
     * The most ids one run of a transformer holds on the CPU when {@link AnalyzerOptions#maxBatchTokens()} is 0.
     * Measured on one x86 core with benchmarks' RunSizes (docs/benchmarks.md, Zoo transformers): long reviews ran
     * 1.06 to 1.24 times faster in runs of this many ids than in runs of up to 256 texts, as a run's activations stay
     * in the core's caches, and ONNX Runtime's arena, which keeps its largest size, grew by tens of megabytes instead
     * of 0.2 to 0.8 GB; short texts ran at the same speed, as length groups of short texts are small anyway. A GPU is
     * not bounded.
     */
    static final long TRANSFORMER_MAX_RUN_IDS = 512;

    /**
     * An analyzeAll call runs its batches side by side only when they hold this many runs' worth of ids: below
     * that, handing batches to other threads costs more than it saves (a bag model's run of a few hundred ids takes
     * tens of microseconds).
     */
    static final long PARALLEL_MIN_RUNS = 8;

    /**
     * Intra-op threads of a session when {@link AnalyzerOptions#intraOpThreads()} is 0: one, so that a call runs on
     * its caller's thread. Callers bring their own concurrency and one session serves them all; a call is 10 µs to
     * a few ms of work, too little to share out, and ONNX Runtime's default (a pool of one spinning thread per core)
     * competes with the callers for the cores: with it, analyzeAll of 32 texts on two caller threads of a 2-core
     * machine ran 1.8 times slower, and no faster on one caller thread (docs/benchmarks.md, Inference).
     */
    static final int DEFAULT_INTRA_OP_THREADS = 1;

    /** Padding, copied into the input buffer in bulk. */
    private static final long[] PADDING = new long[256];

    static {
        Arrays.fill(PADDING, Vocabulary.PAD_ID);
    }

    static final String CUDA_REQUIREMENTS = "The CUDA execution provider of ONNX Runtime 1.23 needs CUDA 12 "
            + "and cuDNN 9 libraries on the library path (LD_LIBRARY_PATH on Linux, PATH on Windows) and an NVIDIA "
            + "GPU with that number; see https://onnxruntime.ai/docs/execution-providers/"
            + "CUDA-ExecutionProvider.html#requirements";

    /**
     * Why the device {@code auto} chose where the model runs: the end of the "Loaded …" log line, and
     * {@link #deviceReason()}. The CUDA failures are followed by ONNX Runtime's message and {@link #CUDA_REQUIREMENTS}.
     */
    static final String AUTO_WITHOUT_CUDA_PROVIDER = "the ONNX Runtime on the class path has no CUDA execution "
            + "provider (it is com.microsoft.onnxruntime:onnxruntime, not onnxruntime_gpu)";
    static final String AUTO_CUDA_NOT_USABLE = "ONNX Runtime could not enable CUDA";
    static final String AUTO_CUDA_LOAD_FAILED = "the model did not load on CUDA GPU 0";
    static final String AUTO_ON_CUDA = "the CUDA execution provider is present and loaded the model";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.SessionOptions sessionOptions;
    private final ModelFormat.Metadata metadata;
    private final TextEncoder encoder;
    private final ModelInputs inputs;
    private final List<String> labels;
    private final String source;
    private final Device device;
    /** Why the device {@code auto} chose {@link #device}, as logged when the model loaded; null for another device. */
    private final String deviceReason;
    private final int maxBatchSize;
    /** Windows a long text is read in at most ({@link AnalyzerOptions#maxWindows()}); 1 reads it once. */
    private final int maxWindows;
    /** The scripts of the model's training texts ({@link dev.sentikit.model.ModelCard#scripts()}), or null. */
    private final Map<String, Double> scripts;
    /** What one more session run costs, in ids of a padded batch (see {@link #RUN_COST_IN_IDS}). */
    private final long runCost;
    /** Ids one run holds at most, padding included ({@link AnalyzerOptions#maxBatchTokens()}); one row may pass it. */
    private final long maxRunIds;
    /** Threads one analyzeAll may run batches on, its caller's included. */
    private final int parallelism;

    /** Reused direct buffers for the input ids: a call allocates no native memory (see DirectBufferPool). */
    private final DirectBufferPool idBuffers = DirectBufferPool.perProcessor();

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Groups that a helper thread ran rather than the calling thread (for tests). */
    private final java.util.concurrent.atomic.AtomicLong helpedGroups = new java.util.concurrent.atomic.AtomicLong();
    /** The most ids one run of several rows held so far (for tests). */
    private final java.util.concurrent.atomic.AtomicLong largestRun = new java.util.concurrent.atomic.AtomicLong();

    /** How many times close() freed the session's native memory: 0, then 1 for ever (written under the write lock). */
    private volatile int nativeReleases;

    private OnnxSentimentAnalyzer(OrtEnvironment env, Opened opened, ModelFormat.Metadata metadata, ModelInputs inputs,
            String source, AnalyzerOptions options) {
        this.env = env;
        this.inputs = inputs;
        this.session = opened.session;
        this.sessionOptions = opened.options;
        this.device = opened.device;
        this.deviceReason = opened.reason;
        this.metadata = metadata;
        this.encoder = metadata.encoder();
        this.labels = metadata.card().labels();
        this.source = source;
        this.maxBatchSize = options.maxBatchSize();
        this.maxWindows = options.maxWindows();
        this.scripts = metadata.card().scripts();
        this.runCost = metadata.encoder().spec().usesWordPiece() ? TRANSFORMER_RUN_COST_IN_IDS : RUN_COST_IN_IDS;
        this.maxRunIds = options.maxBatchTokens() > 0 ? options.maxBatchTokens()
                : metadata.encoder().spec().usesWordPiece() && opened.device.kind() == Device.Kind.CPU
                        ? TRANSFORMER_MAX_RUN_IDS : Long.MAX_VALUE;
        this.parallelism = parallelism(options, opened.device);
    }

    /**
     * The threads an analyzeAll may use: the option, else every core on the CPU, fewer when each run already uses
     * several intra-op threads; one on a GPU, where runs queue on the device anyway.
     */
    static int parallelism(AnalyzerOptions options, Device device) {
        if (options.parallelism() > 0) {
            return options.parallelism();
        }
        if (device.kind() == Device.Kind.CUDA) {
            return 1;
        }
        int intraOp = options.intraOpThreads() > 0 ? options.intraOpThreads() : DEFAULT_INTRA_OP_THREADS;
        return Math.max(1, Runtime.getRuntime().availableProcessors() / intraOp);
    }

    /**
     * Loads a model file.
     *
     * @throws ModelLoadException if the bytes are not a valid ONNX model, not a Sentikit model, their graph does
     *     not have the Sentikit signature, they refer to external data, their embedding table does not match the
     *     vocabulary, a test inference does not give probabilities, or the requested device cannot be used
     */
    static OnnxSentimentAnalyzer load(byte[] model, String source, AnalyzerOptions options) throws ModelLoadException {
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(options, "options must not be null");
        // Before ONNX Runtime sees the bytes: well-formed protobuf, no external data (ModelChecks, SECURITY.md).
        ModelProtoScan scan = ModelChecks.scan(model, source);
        OrtEnvironment env = environment();
        Opened opened = open(env, model, source, options);
        try {
            ModelFormat.Metadata metadata = readMetadata(opened.session, source);
            ModelInputs inputs = checkSignature(opened.session, metadata.card(), source);
            ModelChecks.checkEmbeddingTable(scan, metadata.card(), source);
            ModelChecks.probe(env, opened.session, inputs, metadata.card(), metadata.encoder(), source);
            OnnxSentimentAnalyzer analyzer = new OnnxSentimentAnalyzer(env, opened, metadata, inputs, source, options);
            LOG.info("Loaded {} (model '{}', labels {}) with ONNX Runtime {} on {}{}", source, metadata.card().name(),
                    metadata.card().labels(), env.getVersion(), describe(opened.device),
                    opened.reason == null ? "" : "; device auto: " + opened.reason);
            return analyzer;
        } catch (ModelLoadException | RuntimeException | Error e) {
            opened.closeQuietly();
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------ loading

    /**
     * A session with the options it was created with, the device it runs on and, for the device {@code auto}, why
     * (null otherwise).
     */
    private static final class Opened {
        final OrtSession session;
        final OrtSession.SessionOptions options;
        final Device device;
        final String reason;

        Opened(OrtSession session, OrtSession.SessionOptions options, Device device) {
            this(session, options, device, null);
        }

        Opened(OrtSession session, OrtSession.SessionOptions options, Device device, String reason) {
            this.session = session;
            this.options = options;
            this.device = device;
            this.reason = reason;
        }

        Opened because(String why) {
            return new Opened(session, options, device, why);
        }

        void closeQuietly() {
            OnnxSentimentAnalyzer.closeQuietly(session);
            OnnxSentimentAnalyzer.closeQuietly(options);
        }
    }

    private static OrtEnvironment environment() throws ModelLoadException {
        try {
            return OrtEnvironment.getEnvironment();
        } catch (RuntimeException | LinkageError e) {
            throw new ModelLoadException("ONNX Runtime could not start (its native library did not load): "
                    + e + ". Check that the onnxruntime jar matches this operating system and CPU.", e);
        }
    }

    private static boolean cudaAvailable() {
        try {
            return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Cannot list the ONNX Runtime execution providers", e);
            return false;
        }
    }

    private static Opened open(OrtEnvironment env, byte[] model, String source, AnalyzerOptions options)
            throws ModelLoadException {
        Device requested = options.device();
        switch (requested.kind()) {
            case CPU:
                return openOnCpu(env, model, source, options);
            case CUDA:
                return openOnCuda(env, model, source, options, requested.gpuId());
            case AUTO:
            default:
                return openAuto(env, model, source, options);
        }
    }

    private static Opened openAuto(OrtEnvironment env, byte[] model, String source, AnalyzerOptions options)
            throws ModelLoadException {
        if (!cudaAvailable()) {
            return openOnCpu(env, model, source, options).because(AUTO_WITHOUT_CUDA_PROVIDER);
        }
        OrtSession.SessionOptions so = newOptions(options, source);
        try {
            so.addCUDA(0);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(so);
            String why = AUTO_CUDA_NOT_USABLE + " (" + oneLine(e) + "). " + CUDA_REQUIREMENTS;
            LOG.debug("{}: {}, trying the CPU", source, why);
            return openOnCpu(env, model, source, options).because(why);
        }
        try {
            return new Opened(env.createSession(model, so), so, Device.cuda(0), AUTO_ON_CUDA);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(so);
            String why = AUTO_CUDA_LOAD_FAILED + " (" + oneLine(e) + "). " + CUDA_REQUIREMENTS;
            LOG.debug("{}: {}, trying the CPU", source, why);
            return openOnCpu(env, model, source, options).because(why);
        }
    }

    private static Opened openOnCuda(OrtEnvironment env, byte[] model, String source, AnalyzerOptions options,
            int gpuId) throws ModelLoadException {
        String device = "cuda:" + gpuId;
        if (!cudaAvailable()) {
            throw new ModelLoadException("Cannot load " + source + " on " + device + ": the ONNX Runtime on the class "
                    + "path has no CUDA execution provider (it is the CPU-only artifact "
                    + "com.microsoft.onnxruntime:onnxruntime). Depend on com.microsoft.onnxruntime:onnxruntime_gpu "
                    + "instead (in this project: build with the Maven profile gpu, `mvn -Pgpu ...`), never both, "
                    + "or use the device cpu or auto.");
        }
        OrtSession.SessionOptions so = newOptions(options, source);
        try {
            so.addCUDA(gpuId);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(so);
            throw new ModelLoadException("Cannot load " + source + " on " + device + ": ONNX Runtime could not enable "
                    + "CUDA: " + oneLine(e) + ". " + CUDA_REQUIREMENTS + ". Or use the device cpu or auto.", e);
        }
        try {
            return new Opened(env.createSession(model, so), so, Device.cuda(gpuId));
        } catch (OrtException | RuntimeException e) {
            closeQuietly(so);
            // Tell a broken model from a device problem: a model that loads on the CPU is not the problem.
            Opened cpu = openOnCpu(env, model, source, options);
            cpu.closeQuietly();
            throw new ModelLoadException("Cannot load " + source + " on " + device + " (it loads on the CPU): "
                    + oneLine(e) + ". " + CUDA_REQUIREMENTS + ".", e);
        }
    }

    private static Opened openOnCpu(OrtEnvironment env, byte[] model, String source, AnalyzerOptions options)
            throws ModelLoadException {
        OrtSession.SessionOptions so = newOptions(options, source);
        try {
            return new Opened(env.createSession(model, so), so, Device.CPU);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(so);
            throw new ModelLoadException(source + " is not a valid ONNX model: " + oneLine(e), e);
        }
    }

    private static OrtSession.SessionOptions newOptions(AnalyzerOptions options, String source)
            throws ModelLoadException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Always parse the bytes as ONNX protobuf (what ModelChecks.scan checked), never as an ORT-format file.
            so.addConfigEntry("session.load_model_format", "ONNX");
            so.setIntraOpNumThreads(options.intraOpThreads() > 0 ? options.intraOpThreads() : DEFAULT_INTRA_OP_THREADS);
            return so;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(so);
            throw new ModelLoadException("Cannot configure ONNX Runtime to load " + source + ": " + oneLine(e), e);
        }
    }

    private static ModelFormat.Metadata readMetadata(OrtSession session, String source) throws ModelLoadException {
        Map<String, String> props;
        try {
            props = session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new ModelLoadException("Cannot read the metadata of " + source + ": " + oneLine(e), e);
        }
        return ModelFormat.fromMetadataProps(props, source);
    }

    private static ModelInputs checkSignature(OrtSession session, ModelCard card, String source)
            throws ModelLoadException {
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new ModelLoadException("Cannot read the inputs and outputs of " + source + ": " + oneLine(e), e);
        }
        String found = " (the graph's inputs are " + describe(inputs) + ", its outputs " + describe(outputs) + ")";

        ModelInputs declared = ModelInputs.of(inputs, source, found);
        checkTensor(inputs.get(ModelFormat.INPUT_IDS), OnnxJavaType.INT64, "input", "int64 [batch, sequence]", source,
                found);

        NodeInfo probs = outputs.get(ModelFormat.OUTPUT_PROBABILITIES);
        if (probs == null) {
            throw new ModelLoadException(source + " has no output '" + ModelFormat.OUTPUT_PROBABILITIES
                    + "': expected float [batch, " + card.labels().size() + "]" + found);
        }
        TensorInfo p = checkTensor(probs, OnnxJavaType.FLOAT, "output", "float [batch, labels]", source, found);
        long labelDim = p.getShape()[1];
        if (labelDim > 0 && labelDim != card.labels().size()) {
            throw new ModelLoadException(source + ": the card lists " + card.labels().size() + " labels "
                    + card.labels() + " but the output '" + ModelFormat.OUTPUT_PROBABILITIES + "' has " + labelDim
                    + " columns: expected float [batch, " + card.labels().size() + "], found " + typeAndShape(p) + found);
        }
        return declared;
    }

    private static TensorInfo checkTensor(NodeInfo node, OnnxJavaType type, String role, String expected,
            String source, String found) throws ModelLoadException {
        ValueInfo info = node.getInfo();
        if (!(info instanceof TensorInfo)) {
            throw new ModelLoadException(source + ": " + role + " '" + node.getName() + "' should be a tensor "
                    + expected + ", found " + info + found);
        }
        TensorInfo t = (TensorInfo) info;
        if (t.type != type || t.getShape().length != 2) {
            throw new ModelLoadException(source + ": " + role + " '" + node.getName() + "' should be " + expected
                    + ", found " + typeAndShape(t) + found);
        }
        return t;
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        List<String> parts = new ArrayList<>();
        for (NodeInfo n : nodes.values()) {
            ValueInfo v = n.getInfo();
            if (v instanceof TensorInfo) {
                parts.add(n.getName() + ": " + typeAndShape((TensorInfo) v));
            } else {
                parts.add(n.getName() + ": " + v);
            }
        }
        return parts.toString();
    }

    /** Such as {@code int64 [-1, -1]}; -1 is a dynamic dimension. */
    static String typeAndShape(TensorInfo t) {
        return t.type.name().toLowerCase(Locale.ROOT) + " " + Arrays.toString(t.getShape());
    }

    private static String describe(Device device) {
        return device.kind() == Device.Kind.CUDA ? "CUDA GPU " + device.gpuId() + " (CUDAExecutionProvider)"
                : "the CPU (CPUExecutionProvider)";
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("Ignoring an error while closing {}", c, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ inference

    @Override
    public Sentiment analyze(String text) {
        Objects.requireNonNull(text, "text must not be null");
        lock.readLock().lock();
        try {
            ensureOpen();
            Sentiment[] out = new Sentiment[1];
            Rows rows = encode(new String[] {text}, 0, 1);
            float[][] probabilities = new float[rows.count][];
            if (rows.count == 1) {
                runGroup(new Group(rows.ids, rows.start, rows.length, new int[] {0}, 0, 1,
                        Math.max(1, rows.length[0])), probabilities);
            } else {
                run(plan(rows), probabilities);
            }
            combine(rows, probabilities, 0, out);
            return out[0];
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sentiment> analyzeAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts must not be null");
        // A private copy: the caller's list may change while we run.
        String[] all = texts.toArray(new String[0]);
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null) {
                throw new NullPointerException("texts[" + i + "] is null; every text must be non-null");
            }
        }
        lock.readLock().lock();
        try {
            ensureOpen();
            if (all.length == 0) {
                return List.of();
            }
            Sentiment[] out = new Sentiment[all.length];
            for (int from = 0; from < all.length; from += maxBatchSize) {
                int n = Math.min(all.length - from, maxBatchSize);
                Rows rows = encode(all, from, n);
                float[][] probabilities = new float[rows.count][];
                run(plan(rows), probabilities);
                combine(rows, probabilities, from, out);
            }
            return Collections.unmodifiableList(Arrays.asList(out));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sentiment> analyzeEncoded(List<int[]> given) {
        Objects.requireNonNull(given, "rows must not be null");
        // A private copy: the caller's list may change while we run.
        int[][] all = given.toArray(new int[0][]);
        int longest = encoder.spec().maxSequenceLength();
        int idSpace = encoder.idSpace();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null) {
                throw new NullPointerException("rows[" + i + "] is null; every row must be non-null");
            }
            if (all[i].length > longest) {
                throw new IllegalArgumentException("rows[" + i + "] has " + all[i].length + " ids; the model reads "
                        + longest + " at most");
            }
            for (int id : all[i]) {
                if (id < 1 || id >= idSpace) {
                    throw new IllegalArgumentException("rows[" + i + "] holds the id " + id + ", outside the model's "
                            + "ids 1.." + (idSpace - 1));
                }
            }
        }
        lock.readLock().lock();
        try {
            ensureOpen();
            Sentiment[] out = new Sentiment[all.length];
            for (int from = 0; from < all.length; from += maxBatchSize) {
                int n = Math.min(all.length - from, maxBatchSize);
                int capacity = 0;
                for (int i = 0; i < n; i++) {
                    capacity += all[from + i].length;
                }
                Rows rows = new Rows(n, capacity);
                int used = 0;
                for (int i = 0; i < n; i++) {
                    int[] row = all[from + i];
                    for (int j = 0; j < row.length; j++) {
                        rows.ids[used + j] = row[j];
                    }
                    rows.start[i] = used;
                    rows.length[i] = row.length;
                    rows.text[i] = i;
                    used += row.length;
                }
                rows.count = n;
                float[][] probabilities = new float[n][];
                run(plan(rows), probabilities);
                combine(rows, probabilities, from, out);
            }
            return Collections.unmodifiableList(Arrays.asList(out));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The rows a chunk of texts is read in, back to back in {@code ids}: row {@code r} has the ids
     * {@code [start[r] .. start[r] + length[r])} and belongs to text {@code text[r]} (of the chunk); a text read
     * once has one row, a text read in windows one per window, in order. {@code coverage[i]} says how text
     * {@code i} was read.
     */
    private static final class Rows {
        long[] ids;
        int[] start;
        int[] length;
        int[] text;
        int count;
        Coverage[] coverage;

        Rows(int texts, int capacity) {
            ids = new long[capacity];
            start = new int[texts];
            length = new int[texts];
            text = new int[texts];
            coverage = new Coverage[texts];
        }

        void grow(int rows) {
            if (rows > start.length) {
                int n = Math.max(rows, 2 * start.length);
                start = Arrays.copyOf(start, n);
                length = Arrays.copyOf(length, n);
                text = Arrays.copyOf(text, n);
            }
        }
    }

    /**
     * Encodes {@code texts[from .. from + n)} back to back into rows. The encoder writes a text's ids straight into
     * the array ({@link TextEncoder#encodeInto}), without an array per text; only a text that fills the model's
     * room (so that it may have been cut, or needs windows) is read again to count all its tokens
     * ({@link TextEncoder#read}).
     */
    private Rows encode(String[] texts, int from, int n) {
        int longest = encoder.spec().maxSequenceLength();
        long capacity = 0;
        for (int i = 0; i < n; i++) {
            // About one id per 2.5 characters of English; a guess, grown below when short.
            capacity += Math.min(longest, texts[from + i].length() / 2 + 2);
        }
        Rows rows = new Rows(n, (int) Math.min(capacity, Integer.MAX_VALUE - 8));
        int used = 0;
        for (int i = 0; i < n; i++) {
            String text = texts[from + i];
            int k = encoder.encodeInto(text, rows.ids, used);
            if (k < 0) {
                rows.ids = Arrays.copyOf(rows.ids, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max(2L * rows.ids.length, (long) used - k)));
                k = encoder.encodeInto(text, rows.ids, used);
            }
            if (!mayBeCut(text, k)) {
                int tokens = tokens(k);
                rows.grow(rows.count + 1);
                rows.start[rows.count] = used;
                rows.length[rows.count] = k;
                rows.text[rows.count++] = i;
                rows.coverage[i] = new Coverage(tokens, tokens, 1, false).with(Scripts.check(text, scripts));
                used += k;
                continue;
            }
            EncodedText read = encoder.read(text, maxWindows);
            rows.coverage[i] = read.coverage().with(Scripts.check(text, scripts));
            rows.grow(rows.count + read.windows().length);
            for (int[] window : read.windows()) {
                if (window.length > rows.ids.length - used) {
                    rows.ids = Arrays.copyOf(rows.ids, (int) Math.min(Integer.MAX_VALUE - 8,
                            Math.max(2L * rows.ids.length, (long) used + window.length)));
                }
                for (int j = 0; j < window.length; j++) {
                    rows.ids[used + j] = window[j];
                }
                rows.start[rows.count] = used;
                rows.length[rows.count] = window.length;
                rows.text[rows.count++] = i;
                used += window.length;
            }
        }
        return rows;
    }

    /**
     * Whether a text that gave {@code ids} ids may hold more than the model read: when it filled the model's room
     * (its tokens are as many as the model reads, or, with a head+tail cut and bigrams, all but the one bigram that
     * would join the cut), or is longer than {@code max_chars}.
     */
    private boolean mayBeCut(String text, int ids) {
        if (text.length() > encoder.spec().maxChars()) {
            return true;
        }
        dev.sentikit.text.EncoderSpec spec = encoder.spec();
        if (spec.usesWordPiece()) {
            return ids - 2 >= spec.room();
        }
        return spec.bigrams() ? ids >= 2 * spec.room() - 2 : ids >= spec.room();
    }

    /** The tokens of a text that gave {@code ids} ids and was read whole. */
    private int tokens(int ids) {
        dev.sentikit.text.EncoderSpec spec = encoder.spec();
        if (spec.usesWordPiece()) {
            return ids - 2;
        }
        return spec.bigrams() && ids > 0 ? (ids + 1) / 2 : ids;
    }

    /**
     * The sentiment of each text of a chunk from the probabilities of its rows: the mean of its windows'
     * (each window counts the same), or its one row's.
     */
    private void combine(Rows rows, float[][] probabilities, int offset, Sentiment[] out) {
        int n = labels.size();
        for (int r = 0; r < rows.count; ) {
            int text = rows.text[r];
            int end = r + 1;
            while (end < rows.count && rows.text[end] == text) {
                end++;
            }
            float[] p;
            if (end - r == 1) {
                p = probabilities[r];
            } else {
                double[] sum = new double[n];
                for (int w = r; w < end; w++) {
                    for (int l = 0; l < n; l++) {
                        sum[l] += probabilities[w][l];
                    }
                }
                p = new float[n];
                for (int l = 0; l < n; l++) {
                    p[l] = (float) (sum[l] / (end - r));
                }
            }
            out[offset + text] = Sentiment.of(labels, p, rows.coverage[text]);
            r = end;
        }
    }

    /** Rows {@code order[from .. to)} of one encoded chunk, run as one batch padded to {@code width}. */
    private record Group(long[] ids, int[] start, int[] length, int[] order, int from, int to, int width) {
        long cost() {
            return (long) (to - from) * width;
        }
    }

    /**
     * Cuts a chunk's rows into groups of similar length: a batch
     * costs about {@link #runCost} plus its rows × its longest row, padding included, so the rows are sorted by
     * length and cut where one more run costs less than the padding it saves (dynamic programming over the sorted
     * lengths; O(n²) at worst for n ≤ maxBatchSize, usually far less through the bound below), and no group holds
     * more than {@link #maxRunIds} ids unless it is one row. The groups share {@code start} and {@code length}, which
     * must not change until they have run.
     */
    private List<Group> plan(Rows rows) {
        long[] ids = rows.ids;
        int[] start = rows.start;
        int[] length = rows.length;
        int n = rows.count;
        // Sort row indices by length without boxing: length in the high half, index in the low half.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) Math.max(1, length[i]) << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        long[] width = new long[n];
        long[] prefix = new long[n + 1];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
            width[i] = keys[i] >>> 32;
            prefix[i + 1] = prefix[i] + width[i];
        }
        // best[j]: the least cost of the first j sorted rows; a group [i, j) costs RUN + (j - i) * width[j - 1].
        long[] best = new long[n + 1];
        int[] cut = new int[n + 1];
        for (int j = 1; j <= n; j++) {
            best[j] = Long.MAX_VALUE;
            for (int i = j - 1; i >= 0; i--) {
                if (j - i > 1 && (j - i) * width[j - 1] > maxRunIds) {
                    break; // larger groups only hold more
                }
                long groupCost = runCost + (j - i) * width[j - 1];
                // best[i] >= prefix[i] (every row costs at least its own length), and that bound grows as i falls.
                if (prefix[i] + groupCost >= best[j]) {
                    break;
                }
                long cost = best[i] + groupCost;
                if (cost < best[j]) {
                    best[j] = cost;
                    cut[j] = i;
                }
            }
        }
        List<Group> groups = new ArrayList<>();
        for (int j = n; j > 0; j = cut[j]) {
            groups.add(new Group(ids, start, length, order, cut[j], j, (int) width[j - 1]));
        }
        return groups; // longest rows first
    }

    /**
     * Runs {@code groups}, storing each row's probabilities in {@code out}. When they hold enough work and more than one
     * thread may be used, the caller's thread and up to {@code parallelism - 1} helpers of {@link Helpers} run them
     * side by side, each group on one thread (a group of more than a fair share cut first, see {@link #balance}), the
     * costliest first, each thread taking the next group when it is done
     * (every group writes its own rows' places of {@code out}). The first failure is thrown once all have stopped.
     */
    private void run(List<Group> groups, float[][] out) {
        long work = 0;
        for (Group g : groups) {
            work += runCost + g.cost();
        }
        int threads = Math.min(parallelism, Helpers.SIZE + 1);
        if (threads <= 1 || work < PARALLEL_MIN_RUNS * runCost) {
            for (Group g : groups) {
                runGroup(g, out);
            }
            return;
        }
        List<Group> sorted = balance(groups, threads, work);
        int helpers = Math.min(threads, sorted.size()) - 1;
        SharedRun shared = new SharedRun(sorted, out);
        for (int i = 0; i < helpers; i++) {
            try {
                Helpers.POOL.execute(shared::help);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                break; // the caller runs what is left
            }
        }
        shared.work();
        shared.awaitHelpers();
    }

    /**
     * {@code groups} cut so that none holds more than a fair share of the work of {@code threads} threads, costliest
     * first. The plan cuts by padding alone, so texts of one length (a chunk of long texts, all read to the model's
     * limit) make one group, which one thread would run while the others wait: halving such a group costs one more
     * run and lets another thread take half its rows. Both halves keep the group's width, so that every row is run
     * as it would be without the cut.
     */
    private List<Group> balance(List<Group> groups, int threads, long work) {
        List<Group> sorted = new ArrayList<>(groups);
        java.util.Comparator<Group> costliestFirst = (a, b) -> Long.compare(b.cost(), a.cost());
        sorted.sort(costliestFirst);
        while (sorted.size() < 4 * threads) {
            Group g = sorted.get(0);
            if (g.to - g.from < 2 || (runCost + g.cost()) * threads <= work) {
                break;
            }
            int mid = (g.from + g.to) >>> 1;
            sorted.set(0, new Group(g.ids, g.start, g.length, g.order, g.from, mid, g.width));
            sorted.add(new Group(g.ids, g.start, g.length, g.order, mid, g.to, g.width));
            work += runCost;
            sorted.sort(costliestFirst);
        }
        return sorted;
    }

    /** One analyzeAll's groups, taken one at a time by the threads that run them. */
    private final class SharedRun {
        private final List<Group> groups;
        private final float[][] out;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        private int active;
        private RuntimeException failure;
        private Error error;

        SharedRun(List<Group> groups, float[][] out) {
            this.groups = groups;
            this.out = out;
        }

        /** Runs groups until none is left or one failed. */
        void work() {
            work(false);
        }

        private void work(boolean helper) {
            for (int i = next.getAndIncrement(); i < groups.size(); i = next.getAndIncrement()) {
                synchronized (this) {
                    if (failure != null || error != null) {
                        return;
                    }
                }
                try {
                    runGroup(groups.get(i), out);
                    if (helper) {
                        helpedGroups.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    synchronized (this) {
                        failure = failure == null ? e : failure;
                    }
                    return;
                } catch (Error e) {
                    synchronized (this) {
                        error = error == null ? e : error;
                    }
                    return;
                }
            }
        }

        /** A helper's part: it counts itself in while it may still take a group, so that the caller waits for it. */
        void help() {
            synchronized (this) {
                if (next.get() >= groups.size()) {
                    return; // started after the caller and the other helpers took every group
                }
                active++;
            }
            try {
                work(true);
            } finally {
                synchronized (this) {
                    active--;
                    notifyAll();
                }
            }
        }

        /** Waits until no helper runs a group, then throws the first failure. */
        void awaitHelpers() {
            boolean interrupted = false;
            synchronized (this) {
                while (active > 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // the helpers hold this call's tensors: wait for them anyway
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw error;
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /**
     * The threads that help analyzeAll calls run their batches: one fewer than the cores (each call's own thread is
     * the other), shared by every analyzer of the JVM, started when first needed, daemons, so that they never keep a
     * JVM alive. A call's batches go to whichever helpers are free; when all are busy with other calls, the caller
     * runs its batches itself.
     */
    private static final class Helpers {
        static final int SIZE = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
        static final java.util.concurrent.ThreadPoolExecutor POOL = pool();

        private static java.util.concurrent.ThreadPoolExecutor pool() {
            java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(Math.max(1, SIZE),
                    Math.max(1, SIZE), 30, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "sentikit-analyze-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /**
     * Runs the rows {@code order[from .. to)} of {@code ids} as one batch padded to {@code width}, and stores the
     * probabilities of row {@code r} at {@code out[r]}. The ids go through a pooled direct buffer that the
     * tensor wraps without a copy, so a call allocates no native memory of its own.
     */
    private void runGroup(Group group, float[][] out) {
        long[] ids = group.ids();
        int[] start = group.start();
        int[] length = group.length();
        int[] order = group.order();
        int from = group.from();
        int to = group.to();
        int width = group.width();
        int rows = to - from;
        int n = labels.size();
        if (rows > 1) {
            largestRun.accumulateAndGet((long) rows * width, Math::max);
        }
        ByteBuffer buffer = idBuffers.take(rows * width * Long.BYTES);
        try {
            LongBuffer input = buffer.asLongBuffer();
            for (int k = from; k < to; k++) {
                int r = order[k];
                input.put(ids, start[r], length[r]);
                for (int pad = width - length[r]; pad > 0; pad -= PADDING.length) {
                    input.put(PADDING, 0, Math.min(pad, PADDING.length));
                }
            }
            input.flip();
            List<ByteBuffer> extra = new java.util.ArrayList<>(2);
            Map<String, OnnxTensor> feeds = null;
            try {
                feeds = inputs.tensors(env, input, rows, width, count -> {
                    ByteBuffer b = idBuffers.take(count * Long.BYTES);
                    extra.add(b);
                    LongBuffer values = b.asLongBuffer();
                    values.limit(count);
                    return values;
                });
            } catch (OrtException e) {
                extra.forEach(idBuffers::give);
                throw new IllegalStateException("ONNX Runtime failed to run " + source + ": " + oneLine(e), e);
            }
            try (OrtSession.Result result = session.run(feeds, OUTPUTS)) {
                OnnxValue value = result.get(ModelFormat.OUTPUT_PROBABILITIES).orElseThrow(() ->
                        new IllegalStateException(source + ": ONNX Runtime returned no '"
                                + ModelFormat.OUTPUT_PROBABILITIES + "'"));
                if (!(value instanceof OnnxTensor)) {
                    throw new IllegalStateException(source + ": '" + ModelFormat.OUTPUT_PROBABILITIES
                            + "' is not a tensor: " + value.getInfo());
                }
                OnnxTensor probs = (OnnxTensor) value;
                long[] got = probs.getInfo().getShape();
                if (got.length != 2 || got[0] != rows || got[1] != n) {
                    throw new IllegalStateException(source + ": '" + ModelFormat.OUTPUT_PROBABILITIES
                            + "' has shape " + Arrays.toString(got) + ", expected [" + rows + ", " + n + "]");
                }
                FloatBuffer probabilities = probs.getFloatBuffer();
                for (int k = from; k < to; k++) {
                    float[] row = new float[n];
                    probabilities.get(row);
                    for (float p : row) {
                        if (!Float.isFinite(p)) {
                            throw new IllegalStateException(source + " returned a non-finite probability for row "
                                    + order[k] + ": " + Arrays.toString(row));
                        }
                    }
                    out[order[k]] = row;
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed to run " + source + ": " + oneLine(e), e);
            } finally {
                feeds.values().forEach(OnnxTensor::close);
                extra.forEach(idBuffers::give);
            }
        } finally {
            idBuffers.give(buffer);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this SentimentAnalyzer is closed");
        }
    }

    // ------------------------------------------------------------------------------------------------ the rest

    /** The model's labels; still answers after {@link #close()} (no native memory is involved). */
    @Override
    public List<String> labels() {
        return labels;
    }

    /** The model's card; still answers after {@link #close()} (no native memory is involved). */
    @Override
    public ModelCard card() {
        return metadata.card();
    }

    /** The model's encoder; still answers after {@link #close()} (no native memory is involved). */
    @Override
    public TextEncoder encoder() {
        return encoder;
    }

    /** The device the model runs on: {@link Device#CPU} or {@code cuda:N}, never {@code auto}. */
    Device executionDevice() {
        return device;
    }

    /**
     * Why the device {@code auto} chose {@link #executionDevice()}, as the "Loaded …" log line says; null when the
     * device was given ({@code cpu} or {@code cuda:N}).
     */
    String deviceReason() {
        return deviceReason;
    }

    /** The ONNX Runtime execution provider the session uses: {@code CPUExecutionProvider} or {@code CUDAExecutionProvider}. */
    String executionProvider() {
        return device.kind() == Device.Kind.CUDA ? OrtProvider.CUDA.getName() : OrtProvider.CPU.getName();
    }

    /** Groups of texts that helper threads ran for analyzeAll calls so far. */
    long groupsRunByHelpers() {
        return helpedGroups.get();
    }

    /** The most ids (rows × width) one run of more than one row held so far. */
    long largestRunOfRows() {
        return largestRun.get();
    }

    /** The most ids one run holds unless it is one row ({@link AnalyzerOptions#maxBatchTokens()}). */
    long maxRunIds() {
        return maxRunIds;
    }

    /** Threads one analyzeAll may use. */
    int parallelism() {
        return parallelism;
    }

    /** Whether {@link #close()} has been called. */
    boolean isClosed() {
        return closed;
    }

    /** How many times the native session was freed: 0 while open, 1 after any number of {@link #close()} calls. */
    int nativeReleases() {
        return nativeReleases;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(session);
            closeQuietly(sessionOptions);
            nativeReleases++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "OnnxSentimentAnalyzer[" + source + ", model " + metadata.card().name() + ", labels " + labels
                + ", device " + device + (closed ? ", closed" : "") + "]";
    }
}
