package dev.sentikit.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sentikit.ModelLoadException;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.TextEncoder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks a model file passes before an analyzer is handed out, beyond what {@link ModelFormat} checks in the
 * metadata. Model files are untrusted input (see {@code SECURITY.md}):
 *
 * <ol>
 *   <li>{@link #scan}, before ONNX Runtime sees the bytes: they must be a well-formed protobuf; no tensor may
 *       keep its data in an external file; and nothing known to crash ONNX Runtime 1.23 instead of giving an error
 *       may be present ({@link ModelProtoScan#problems()}: raw tensor data of the wrong size, an empty input of a
 *       variadic operator).</li>
 *   <li>{@link #checkEmbeddingTable}: the table that {@code input_ids} index must have the card's
 *       {@code embedding_rows}, so that the vocabulary and the hash buckets match it.</li>
 *   <li>{@link #probe}: inference over the ids the encoder can produce (every id, or an even sample of 65,536 when
 *       there are more), packed into rows and one id per row, and over an empty text must give a probability
 *       distribution per row, and more or less padding in a row must not change its result.</li>
 * </ol>
 */
final class ModelChecks {

    /** At most this many ids are fed to the probe inference; below it, every id the encoder can produce. */
    static final int PROBE_IDS = 65_536;

    /** The probe's ids for a transformer (a WordPiece model): an even sample, the first and last id included. */
    static final int PROBE_IDS_TRANSFORMER = 512;

    /** The probe's rows for a transformer hold at most this many ids. */
    static final int PROBE_ROW_LENGTH_TRANSFORMER = 32;



    /** The probe's rows hold at most this many ids (fewer when the encoder's longest row is shorter). */
    static final int PROBE_ROW_LENGTH = 256;

    /** The probe runs at most this many rows per inference. */
    static final int PROBE_BATCH_ROWS = 64;

    /** The probe runs at most this many one-id rows per inference. */
    static final int PROBE_SINGLE_ROWS = 4096;

    /** How far a row of probabilities may sum from 1. */
    static final double SUM_TOLERANCE = 1e-3;

    /** The padding added to rows to check that the model ignores it. */
    static final int PADDING_CHECK_EXTRA = 7;

    /** How far a probability may move when padding is added to its row. */
    static final double PADDING_TOLERANCE = 1e-4;

    private static final Set<String> OUTPUTS = Set.of(ModelFormat.OUTPUT_PROBABILITIES);

    private ModelChecks() {}

    /**
     * Reads the structure of the model bytes before ONNX Runtime does.
     *
     * @throws ModelLoadException if the bytes are not a well-formed ONNX protobuf, or a tensor refers to external
     *     data
     */
    static ModelProtoScan scan(byte[] model, String source) throws ModelLoadException {
        ModelProtoScan scan;
        try {
            scan = ModelProtoScan.scan(model, ModelFormat.INPUT_IDS);
        } catch (ModelProtoScan.MalformedModelException e) {
            throw new ModelLoadException(source + " is not a valid ONNX model: its protobuf encoding is broken: "
                    + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new ModelLoadException(source + " is not a valid ONNX model: it cannot be read: " + e, e);
        }
        List<String> problems = scan.problems();
        if (!problems.isEmpty()) {
            throw new ModelLoadException(source + " is not a valid ONNX model: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
        List<ModelProtoScan.ExternalTensor> external = scan.externalTensors();
        if (!external.isEmpty()) {
            ModelProtoScan.ExternalTensor first = external.get(0);
            throw new ModelLoadException(source + " refers to external data: the " + first.where() + " '"
                    + first.tensor() + "' keeps its values in "
                    + (first.location() == null ? "an external file" : "the file '" + first.location() + "'")
                    + (external.size() > 1 ? " (and " + (external.size() - 1) + " more tensors do)" : "")
                    + ". Sentikit loads only self-contained model files and never opens the files a model names: "
                    + "save the model with its weights inside (ONNX: save_as_external_data=False).");
        }
        return scan;
    }

    /**
     * Checks that every embedding table indexed by {@code input_ids} (a {@code Gather} on axis 0 of an initializer)
     * has {@code embedding_rows} rows. Graphs whose tables the scan does not recognize are left to {@link #probe}.
     */
    static void checkEmbeddingTable(ModelProtoScan scan, ModelCard card, String source) throws ModelLoadException {
        for (ModelProtoScan.IdGather gather : scan.idGathers()) {
            long[] dims = scan.initializerDims(gather.table());
            if (dims == null) {
                continue; // not an initializer: computed in the graph, or a graph input
            }
            if (dims.length < 1 || dims[0] != card.embeddingRows()) {
                String rows = dims.length < 1 ? "no rows (it is a scalar)" : dims[0] + " rows";
                throw new ModelLoadException(source + ": the vocabulary does not match the embedding table: the card "
                        + "says embedding_rows = 1 + " + card.vocabularySize() + " vocabulary entries + "
                        + card.encoder().hashBuckets() + " hash buckets = " + card.embeddingRows()
                        + ", but the table '" + gather.table() + "' that '" + ModelFormat.INPUT_IDS + "' index has "
                        + rows + " (shape " + Arrays.toString(dims) + ")");
            }
        }
    }

    /**
     * Runs the model on ids that cover the id space, packed into rows of up to {@link #PROBE_ROW_LENGTH} and one
     * id per row, and on an empty text, and checks that every row of {@code probabilities} is a probability
     * distribution (finite values in [0, 1] that sum to 1) and that padding does not change a row's result. It
     * feeds at most {@link #PROBE_IDS} ids, each twice, whatever the vocabulary.
     *
     * @throws ModelLoadException if the inference fails (such as an id past the end of the embedding table) or
     *     gives anything but probabilities
     */
    static void probe(OrtEnvironment env, OrtSession session, ModelInputs inputs, ModelCard card, TextEncoder encoder,
            String source) throws ModelLoadException {
        // A transformer costs thousands of times more per token than an embedding bag: it gets a lighter probe (its
        // embedding table's size is checked without inference, by checkEmbeddingTable).
        boolean heavy = encoder.spec().usesWordPiece();
        long[] ids = probeIds(encoder.idSpace(), heavy ? PROBE_IDS_TRANSFORMER : PROBE_IDS);
        // The empty text as the encoder gives it: no ids in the words scheme (a row of padding only), [CLS] [SEP] in
        // WordPiece. A row of padding only is no WordPiece text, and a CLS-pooling transformer's result for it (every
        // key masked: attention spread over the padding) depends on the row length, so it must not be fed there.
        long[] empty = Arrays.stream(encoder.encode("")).asLongStream().toArray();
        int rowLength = Math.max(Math.max(1, empty.length), Math.min(heavy ? PROBE_ROW_LENGTH_TRANSFORMER
                : PROBE_ROW_LENGTH, encoder.spec().maxSequenceLength()));
        int idRows = (ids.length + rowLength - 1) / rowLength;
        int labels = card.labels().size();
        String what = ids.length == encoder.idSpace() - 1L ? "every id the encoder can produce (1.." + ids.length + ")"
                : ids.length + " ids sampled evenly from 1.." + (encoder.idSpace() - 1L);
        float[] firstRows = null;
        for (int first = 0; first < idRows; first += PROBE_BATCH_ROWS - 1) {
            int rowsHere = Math.min(PROBE_BATCH_ROWS - 1, idRows - first);
            // Row 0 is the empty text; the others hold ids in order, the last row padded.
            long[] batch = new long[(rowsHere + 1) * rowLength];
            System.arraycopy(empty, 0, batch, 0, empty.length);
            for (int r = 0; r < rowsHere; r++) {
                int from = (first + r) * rowLength;
                int n = Math.min(rowLength, ids.length - from);
                System.arraycopy(ids, from, batch, (r + 1) * rowLength, n);
            }
            float[] probabilities = run(env, session, inputs, batch, rowsHere + 1, rowLength, labels, what, source);
            for (int r = 0; r <= rowsHere; r++) {
                int from = (first + r - 1) * rowLength;
                String row = r == 0 ? "an empty text (" + (empty.length == 0 ? "a row of padding only"
                        : "the ids " + Arrays.toString(empty) + " and padding") + ")"
                        : "the ids " + ids[Math.max(0, from)] + ".." + ids[Math.min(ids.length, from + rowLength) - 1]
                                + " together";
                checkDistribution(probabilities, r, labels, row, source);
            }
            if (first == 0) {
                firstRows = Arrays.copyOf(probabilities, 2 * labels);
            }
        }
        // Every id alone, as a one-token text: a mean over many ids can hide one extreme row of weights.
        for (int first = 0; first < ids.length; first += PROBE_SINGLE_ROWS) {
            int rowsHere = Math.min(PROBE_SINGLE_ROWS, ids.length - first);
            float[] probabilities = run(env, session, inputs, Arrays.copyOfRange(ids, first, first + rowsHere), rowsHere, 1,
                    labels, what, source);
            for (int r = 0; r < rowsHere; r++) {
                checkDistribution(probabilities, r, labels, "the id " + ids[first + r] + " alone", source);
            }
        }
        checkPaddingIsIgnored(env, session, inputs, ids, empty, rowLength, labels, firstRows, what, source);
    }

    /**
     * Runs the first row of ids again without padding, and it and the empty text with more padding, in batches of
     * one and two instead of many: the results must not change (docs/model-format.md §1), or batches would not
     * give the results of single calls.
     */
    private static void checkPaddingIsIgnored(OrtEnvironment env, OrtSession session, ModelInputs inputs, long[] ids,
            long[] emptyIds, int rowLength, int labels, float[] expected, String what, String source)
            throws ModelLoadException {
        int k = Math.min(rowLength, ids.length);
        // The empty text as a single call runs it: its ids without padding, or one column of padding when it has none.
        int e = Math.max(1, emptyIds.length);
        float[] empty = run(env, session, inputs, Arrays.copyOf(emptyIds, e), 1, e, labels, what, source);
        comparePadded(expected, 0, rowLength, empty, 0, e, ids, 0, labels, source);
        // The first ids alone, in a row with no padding at all.
        float[] alone = run(env, session, inputs, Arrays.copyOf(ids, k), 1, k, labels, what, source);
        comparePadded(expected, 1, rowLength, alone, 0, k, ids, k, labels, source);
        // The empty text and the first ids with more padding than in the probe.
        int longer = rowLength + PADDING_CHECK_EXTRA;
        long[] batch = new long[2 * longer];
        System.arraycopy(emptyIds, 0, batch, 0, emptyIds.length);
        System.arraycopy(ids, 0, batch, longer, k);
        float[] padded = run(env, session, inputs, batch, 2, longer, labels, what, source);
        comparePadded(expected, 0, rowLength, padded, 0, longer, ids, 0, labels, source);
        comparePadded(expected, 1, rowLength, padded, 1, longer, ids, k, labels, source);
    }

    private static void comparePadded(float[] a, int rowA, int lengthA, float[] b, int rowB, int lengthB, long[] ids,
            int k, int labels, String source) throws ModelLoadException {
        for (int j = 0; j < labels; j++) {
            if (!(Math.abs(a[rowA * labels + j] - b[rowB * labels + j]) <= PADDING_TOLERANCE)) {
                throw new ModelLoadException(source + ": the model does not ignore padding: "
                        + (k == 0 ? "an empty text" : "the ids " + ids[0] + ".." + ids[k - 1]) + " give "
                        + Arrays.toString(Arrays.copyOfRange(a, rowA * labels, (rowA + 1) * labels))
                        + " in a row of " + lengthA + " and "
                        + Arrays.toString(Arrays.copyOfRange(b, rowB * labels, (rowB + 1) * labels))
                        + " in a row of " + lengthB + "; id 0 is padding and must not change the result");
            }
        }
    }

    /** Every id in 1..idSpace-1, or {@link #PROBE_IDS} of them evenly spaced, the first and the last included. */
    static long[] probeIds(int idSpace) {
        return probeIds(idSpace, PROBE_IDS);
    }

    /** Every id in 1..idSpace-1, or {@code limit} of them evenly spaced, the first and the last included. */
    static long[] probeIds(int idSpace, int limit) {
        long n = idSpace - 1L;
        if (n <= limit) {
            long[] ids = new long[(int) n];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i + 1L;
            }
            return ids;
        }
        long[] ids = new long[limit];
        for (int k = 0; k < limit; k++) {
            ids[k] = 1 + (k * (n - 1)) / (limit - 1);
        }
        return ids;
    }

    private static float[] run(OrtEnvironment env, OrtSession session, ModelInputs inputs, long[] batch, int rows,
            int rowLength, int labels, String what, String source) throws ModelLoadException {
        Map<String, OnnxTensor> feeds = null;
        try {
            feeds = inputs.tensors(env, LongBuffer.wrap(batch), rows, rowLength, LongBuffer::allocate);
        } catch (OrtException | RuntimeException e) {
            throw new ModelLoadException(source + ": cannot make the inputs of a test inference: " + oneLine(e), e);
        }
        try (OrtSession.Result result = session.run(feeds, OUTPUTS)) {
            OnnxValue value = result.get(ModelFormat.OUTPUT_PROBABILITIES).orElse(null);
            if (!(value instanceof OnnxTensor)) {
                throw new ModelLoadException(source + ": a test inference gave no tensor '"
                        + ModelFormat.OUTPUT_PROBABILITIES + "'");
            }
            OnnxTensor tensor = (OnnxTensor) value;
            long[] shape = tensor.getInfo().getShape();
            if (shape.length != 2 || shape[0] != rows || shape[1] != labels) {
                throw new ModelLoadException(source + ": a test inference of " + rows + " rows gave '"
                        + ModelFormat.OUTPUT_PROBABILITIES + "' of shape " + Arrays.toString(shape) + ", expected ["
                        + rows + ", " + labels + "]");
            }
            FloatBuffer buffer = tensor.getFloatBuffer();
            float[] out = new float[rows * labels];
            buffer.get(out);
            return out;
        } catch (OrtException | RuntimeException e) {
            throw new ModelLoadException(source + ": a test inference over " + what + " failed: " + oneLine(e)
                    + ". The embedding table may have fewer rows than the card's embedding_rows, or the graph does "
                    + "not accept int64 ids of shape [batch, sequence].", e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static void checkDistribution(float[] probabilities, int row, int labels, String what, String source)
            throws ModelLoadException {
        double sum = 0;
        for (int j = 0; j < labels; j++) {
            float p = probabilities[row * labels + j];
            if (!(p >= 0f && p <= 1f)) { // NaN fails too
                throw new ModelLoadException(source + ": the model gives the probability " + p + " for " + what
                        + ": " + Arrays.toString(Arrays.copyOfRange(probabilities, row * labels, (row + 1) * labels))
                        + "; '" + ModelFormat.OUTPUT_PROBABILITIES + "' must hold finite values in [0, 1]"
                        + (row == 0 ? " (an empty text must give a defined result, such as softmax(bias))" : ""));
            }
            sum += p;
        }
        if (Math.abs(sum - 1.0) > SUM_TOLERANCE) {
            throw new ModelLoadException(source + ": the probabilities the model gives for " + what + " sum to "
                    + sum + ", not 1: " + Arrays.toString(Arrays.copyOfRange(probabilities, row * labels,
                            (row + 1) * labels)) + "; '" + ModelFormat.OUTPUT_PROBABILITIES
                    + "' must be a softmax over each row (axis 1)");
        }
    }

    /** An exception's message on one line, at most 500 characters; its class name when it has none. */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        m = m.strip().replaceAll("\\s*\\R\\s*", " ");
        return m.length() <= 500 ? m : m.substring(0, 500) + "…";
    }
}
