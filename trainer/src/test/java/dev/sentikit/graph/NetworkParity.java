package dev.sentikit.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.architecture.SentimentBlock;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Test support for the graph tests of the architectures: the metadata every test graph carries, random weights for a
 * DJL block, the block's DJL forward pass, the same ids through ONNX Runtime, and the largest differences between
 * the two.
 */
public final class NetworkParity {

    private NetworkParity() {}

    /** Metadata with two differently sized entries, and the order they must keep. */
    public static Map<String, String> props() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("z.first", "1");
        p.put("a.second", "{\"json\": true}");
        p.put("m.third", "ünïcödé ☺");
        return p;
    }

    /** A PyTorch manager on the CPU. */
    public static NDManager newManager() {
        return NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    /**
     * Initializes {@code block} for int64 ids and overwrites every parameter (children included) with
     * {@code N(0, scale²)} values from {@code seed}; the embedding gets {@code N(0, 1)}, padding row included, so that
     * the graph's masking is what keeps padding out.
     */
    public static void initializeRandom(SentimentBlock block, NDManager manager, long seed, float scale) {
        block.setInitializer(Initializer.ZEROS, p -> true);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        Random random = new Random(seed);
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray array = pair.getValue().getArray();
            float s = pair.getValue() == block.embedding() ? 1f : scale;
            float[] values = new float[Math.toIntExact(array.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * s);
            }
            array.set(values);
        }
    }

    /** {logits, probabilities} from DJL for a rectangular batch. */
    public static float[][][] djl(SentimentBlock block, NDManager manager, long[][] ids) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(flatten(ids), new Shape(ids.length, ids[0].length));
            NDArray logits = block.forward(new ParameterStore(sub, false), new NDList(x), false).singletonOrThrow();
            return new float[][][] {rows(logits.toFloatArray(), ids.length), rows(logits.softmax(1).toFloatArray(),
                    ids.length)};
        }
    }

    /** {logits, probabilities} from ONNX Runtime for a rectangular batch. */
    public static float[][][] onnx(OrtSession session, long[][] ids) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(flatten(ids)),
                new long[] {ids.length, ids[0].length});
                OrtSession.Result result = session.run(Map.of(ModelFormat.INPUT_IDS, input))) {
            float[][] logits = (float[][]) result.get(ModelFormat.OUTPUT_LOGITS).orElseThrow().getValue();
            float[][] probs = (float[][]) result.get(ModelFormat.OUTPUT_PROBABILITIES).orElseThrow().getValue();
            return new float[][][] {logits, probs};
        }
    }

    public static OrtSession session(OnnxMl.ModelProto model) throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            return OrtEnvironment.getEnvironment().createSession(model.toByteArray(), options);
        }
    }

    /**
     * Asserts that ONNX Runtime gives DJL's logits and probabilities within {@code tolerance}; returns the largest
     * differences {logits, probabilities}.
     */
    public static double[] assertParity(SentimentBlock block, NDManager manager, OrtSession session, long[][] ids,
            double tolerance) throws Exception {
        float[][][] expected = djl(block, manager, ids);
        float[][][] actual = onnx(session, ids);
        double[] worst = new double[2];
        for (int k = 0; k < 2; k++) {
            assertEquals(ids.length, actual[k].length);
            for (int i = 0; i < ids.length; i++) {
                assertEquals(block.labels(), actual[k][i].length);
                for (int l = 0; l < block.labels(); l++) {
                    assertTrue(Float.isFinite(actual[k][i][l]), "row " + i + " is not finite");
                    double d = Math.abs(expected[k][i][l] - actual[k][i][l]);
                    worst[k] = Math.max(worst[k], d);
                    assertEquals(expected[k][i][l], actual[k][i][l], tolerance,
                            (k == 0 ? "logit " : "probability ") + l + " of row " + i);
                }
            }
        }
        return worst;
    }

    /** A batch of {@code batch} rows of {@code length} columns, each of a random length in [0, length]. */
    public static long[][] randomBatch(Random random, int batch, int length, int rows) {
        long[][] ids = new long[batch][length];
        for (long[] row : ids) {
            int n = random.nextInt(length + 1);
            for (int j = 0; j < n; j++) {
                row[j] = 1 + random.nextInt(rows - 1);
            }
        }
        return ids;
    }

    /** The padded batch every test runs: varied lengths, an all-padding row, rows of length 1, a full row. */
    public static long[][] edgeBatch(int rows) {
        return new long[][] {
            {5, 17, 3, 0, 0, 0, 0},
            {0, 0, 0, 0, 0, 0, 0},
            {1, 2, 3, 4, 5, 6, rows - 1},
            {7, 0, 0, 0, 0, 0, 0},
            {9, 9, 9, 12, 0, 0, 0},
            {rows - 1, 0, 0, 0, 0, 0, 0},
            {4, 8, 0, 0, 0, 0, 0},
        };
    }

    /** {@code ids} with {@code extra} more padding columns. */
    public static long[][] padMore(long[][] ids, int extra) {
        long[][] out = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Arrays.copyOf(ids[i], ids[i].length + extra);
        }
        return out;
    }

    private static long[] flatten(long[][] ids) {
        int t = ids[0].length;
        long[] flat = new long[ids.length * t];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, flat, i * t, t);
        }
        return flat;
    }

    private static float[][] rows(float[] flat, int batch) {
        int width = flat.length / batch;
        float[][] out = new float[batch][width];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(flat, i * width, out[i], 0, width);
        }
        return out;
    }
}
