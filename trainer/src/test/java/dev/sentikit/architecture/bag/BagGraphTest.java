package dev.sentikit.architecture.bag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.graph.GraphSupport;
import dev.sentikit.graph.NetworkParity;
import dev.sentikit.graph.OnnxChecker;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Vocabulary;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BagGraph} computes, in ONNX Runtime, what the bag model computes in plain Java. */
class BagGraphTest {

    private static final double TOLERANCE = 1e-5;
    private static final int ROWS = 40;
    private static final int DIM = 8;
    private static final int LABELS = 3;

    private static BagWeights weights;
    private static OnnxMl.ModelProto model;
    private static OrtEnvironment env;
    private static OrtSession session;

    @BeforeAll
    static void build() throws Exception {
        weights = randomWeights(42L, ROWS, DIM, LABELS);
        model = BagGraph.build(weights, NetworkParity.props(), "1.2.3-test");
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            session = env.createSession(model.toByteArray(), options);
        }
    }

    @AfterAll
    static void close() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    static BagWeights randomWeights(long seed, int rows, int dim, int labels) {
        Random r = new Random(seed);
        float[] e = new float[rows * dim];
        float[] w = new float[labels * dim];
        float[] b = new float[labels];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) (r.nextGaussian() * 2);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        return new BagWeights(e, rows, dim, w, b, labels);
    }

    /** The reference: mean of the non-padding embedding rows (0 when there are none), then the linear layer. */
    static double[] logits(BagWeights w, long[] row) {
        double[] mean = new double[w.dim()];
        int count = 0;
        for (long id : row) {
            if (id == Vocabulary.PAD_ID) {
                continue;
            }
            count++;
            for (int d = 0; d < w.dim(); d++) {
                mean[d] += w.embedding()[(int) id * w.dim() + d];
            }
        }
        for (int d = 0; d < w.dim(); d++) {
            mean[d] /= Math.max(count, 1);
        }
        double[] z = new double[w.labels()];
        for (int l = 0; l < w.labels(); l++) {
            z[l] = w.bias()[l];
            for (int d = 0; d < w.dim(); d++) {
                z[l] += mean[d] * w.weight()[l * w.dim() + d];
            }
        }
        return z;
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Runs the graph on {@code ids} and returns {logits, probabilities}. */
    private static float[][][] run(long[][] ids) throws Exception {
        int b = ids.length;
        int t = ids[0].length;
        long[] flat = new long[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(ids[i], 0, flat, i * t, t);
        }
        try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[] {b, t});
                OrtSession.Result result = session.run(Map.of(ModelFormat.INPUT_IDS, input))) {
            float[][] logits = (float[][]) result.get(ModelFormat.OUTPUT_LOGITS).orElseThrow().getValue();
            float[][] probs = (float[][]) result.get(ModelFormat.OUTPUT_PROBABILITIES).orElseThrow().getValue();
            return new float[][][] {logits, probs};
        }
    }

    private static void assertMatches(long[][] ids) throws Exception {
        float[][][] out = run(ids);
        assertEquals(ids.length, out[0].length);
        for (int i = 0; i < ids.length; i++) {
            double[] z = logits(weights, ids[i]);
            double[] p = softmax(z);
            assertEquals(LABELS, out[0][i].length);
            for (int l = 0; l < LABELS; l++) {
                assertEquals(z[l], out[0][i][l], TOLERANCE, "logit " + l + " of row " + i);
                assertEquals(p[l], out[1][i][l], TOLERANCE, "probability " + l + " of row " + i);
            }
        }
    }

    @Test
    void paddedBatchMatchesPlainJava() throws Exception {
        long[][] ids = {
            {5, 17, 3, 0, 0, 0},
            {0, 0, 0, 0, 0, 0}, // all padding: logits = bias
            {1, 2, 3, 4, 5, ROWS - 1},
            {7, 0, 0, 0, 0, 0},
            {9, 9, 9, 12, 0, 0},
        };
        assertMatches(ids);
        float[][][] out = run(ids);
        for (int l = 0; l < LABELS; l++) {
            assertEquals(weights.bias()[l], out[0][1][l], 1e-6, "all-padding row gives the bias");
        }
    }

    @Test
    void dynamicBatchAndSequence() throws Exception {
        assertMatches(new long[][] {{3}});
        assertMatches(new long[][] {{0}});
        long[][] big = new long[33][71];
        Random r = new Random(3);
        for (long[] row : big) {
            int len = r.nextInt(row.length + 1);
            for (int j = 0; j < len; j++) {
                row[j] = 1 + r.nextInt(ROWS - 1);
            }
        }
        assertMatches(big);
    }

    @Test
    void signatureAndModelFields() throws Exception {
        assertEquals(BagGraph.GRAPH_NAME, model.getGraph().getName());
        assertEquals("sentikit-bag", model.getGraph().getName());
        assertEquals("sentikit", model.getProducerName());
        assertEquals("1.2.3-test", model.getProducerVersion());
        assertEquals(8, model.getIrVersion());
        assertEquals(1, model.getOpsetImportCount());
        assertEquals("", model.getOpsetImport(0).getDomain());
        assertEquals(13, model.getOpsetImport(0).getVersion());
        assertEquals(GraphSupport.OPSET_VERSION, model.getOpsetImport(0).getVersion());

        List<String> keys = new ArrayList<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            keys.add(e.getKey());
            assertEquals(NetworkParity.props().get(e.getKey()), e.getValue());
        }
        assertEquals(new ArrayList<>(NetworkParity.props().keySet()), keys, "metadata_props keep the map's order");
        assertEquals(NetworkParity.props(), session.getMetadata().getCustomMetadata());

        OnnxMl.ValueInfoProto ids = model.getGraph().getInput(0);
        assertEquals(1, model.getGraph().getInputCount());
        assertEquals(ModelFormat.INPUT_IDS, ids.getName());
        assertEquals(OnnxMl.TensorProto.DataType.INT64.getNumber(), ids.getType().getTensorType().getElemType());
        assertEquals("batch", ids.getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals("sequence", ids.getType().getTensorType().getShape().getDim(1).getDimParam());

        Map<String, NodeInfo> outputs = session.getOutputInfo();
        assertEquals(List.of(ModelFormat.OUTPUT_LOGITS, ModelFormat.OUTPUT_PROBABILITIES),
                new ArrayList<>(outputs.keySet()));
        for (NodeInfo n : outputs.values()) {
            TensorInfo t = (TensorInfo) n.getInfo();
            assertEquals(OnnxJavaType.FLOAT, t.type);
            assertArrayEquals(new long[] {-1, LABELS}, t.getShape(), n.getName());
        }
        TensorInfo in = (TensorInfo) session.getInputInfo().get(ModelFormat.INPUT_IDS).getInfo();
        assertEquals(OnnxJavaType.INT64, in.type);
        assertArrayEquals(new long[] {-1, -1}, in.getShape());
    }

    @Test
    void passesTheOnnxChecker(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bag.onnx");
        Files.write(file, model.toByteArray());
        OnnxChecker.assertValid(file);
    }

    @Test
    void aRealModelLoadsInTheSdk() throws Exception {
        Vocabulary vocabulary = Vocabulary.of(List.of("good", "bad", "not", "not good"));
        EncoderSpec spec = EncoderSpec.defaults().withHashBuckets(16);
        int rows = 1 + vocabulary.size() + spec.hashBuckets();
        List<String> labels = List.of("negative", "positive");
        ModelCard card = new ModelCard(ModelFormat.FORMAT_VERSION, "graph-test", "BagGraphTest", "bag", labels,
                spec, vocabulary.size(), rows, null, Map.of(), List.of());
        BagWeights w = randomWeights(7L, rows, 4, labels.size());
        byte[] bytes = BagGraph.build(w, ModelFormat.toMetadataProps(card, vocabulary), "test").toByteArray();
        TextEncoder encoder = TextEncoder.of(spec, vocabulary);
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(bytes, "graph-test.onnx", cpu)) {
            assertEquals(card, analyzer.card());
            for (String text : List.of("good", "not good at all", "", "unknown words only")) {
                int[] encoded = encoder.encode(text);
                long[] row = new long[encoded.length];
                for (int i = 0; i < row.length; i++) {
                    row[i] = encoded[i];
                }
                double[] p = softmax(logits(w, row));
                Sentiment s = analyzer.analyze(text);
                for (int l = 0; l < labels.size(); l++) {
                    assertEquals(p[l], s.score(labels.get(l)), TOLERANCE, text);
                }
            }
        }
    }

    @Test
    void weightsAreValidated() {
        float[] e = new float[ROWS * DIM];
        float[] w = new float[LABELS * DIM];
        float[] b = new float[LABELS];
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> new BagWeights(new float[5], ROWS, DIM, w, b, LABELS));
        assertTrue(x.getMessage().contains("embedding has 5 values, expected rows x dim"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> new BagWeights(e, ROWS, DIM, new float[3], b, LABELS));
        assertTrue(x.getMessage().contains("weight has 3 values"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> new BagWeights(e, ROWS, DIM, w, new float[2], LABELS));
        assertTrue(x.getMessage().contains("bias has 2 values"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> new BagWeights(e, 0, DIM, w, b, LABELS));
        assertTrue(x.getMessage().contains("rows must be >= 1"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> new BagWeights(e, ROWS, 0, w, b, LABELS));
        assertTrue(x.getMessage().contains("dim must be >= 1"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> new BagWeights(e, ROWS, DIM, w, b, 0));
        assertTrue(x.getMessage().contains("labels must be >= 1"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class,
                () -> new BagWeights(e, 1_000_000_000, DIM, w, b, LABELS));
        assertTrue(x.getMessage().contains("2 GiB"), x.getMessage());
        float[] nan = e.clone();
        nan[DIM * 3 + 2] = Float.NaN;
        x = assertThrows(IllegalArgumentException.class, () -> new BagWeights(nan, ROWS, DIM, w, b, LABELS));
        assertTrue(x.getMessage().contains("embedding[3][2] is NaN"), x.getMessage());
        assertThrows(NullPointerException.class, () -> new BagWeights(null, ROWS, DIM, w, b, LABELS));
        BagWeights ok = new BagWeights(e, ROWS, DIM, w, b, LABELS);
        assertThrows(NullPointerException.class, () -> BagGraph.build(ok, null, "v"));
        assertThrows(NullPointerException.class, () -> BagGraph.build(ok, Map.of(), null));
    }
}
