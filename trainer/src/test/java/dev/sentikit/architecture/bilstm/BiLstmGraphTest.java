package dev.sentikit.architecture.bilstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.graph.ExportEndToEnd;
import dev.sentikit.export.ModelGraphs;
import dev.sentikit.graph.NetworkParity;
import dev.sentikit.graph.OnnxChecker;
import dev.sentikit.model.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BiLstmGraph} computes, in ONNX Runtime, what {@link BiLstmBlock} computes in DJL. */
class BiLstmGraphTest {

    private static final double TOLERANCE = 1e-5;
    private static final int ROWS = 40;
    private static final int DIM = 8;
    private static final int LABELS = 3;
    private static final int HIDDEN = 5;

    private static NDManager manager;
    private static BiLstmBlock block;
    private static OnnxMl.ModelProto model;
    private static OrtSession session;

    @BeforeAll
    static void build() throws Exception {
        manager = NetworkParity.newManager();
        block = new BiLstmBlock(ROWS, DIM, LABELS, HIDDEN);
        NetworkParity.initializeRandom(block, manager, 42L, 0.5f);
        model = BiLstmGraph.build(block, NetworkParity.props(), "1.2.3-test");
        session = NetworkParity.session(model);
    }

    @AfterAll
    static void close() throws Exception {
        if (session != null) {
            session.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void paddedBatchMatchesDjl() throws Exception {
        double[] worst = NetworkParity.assertParity(block, manager, session, NetworkParity.edgeBatch(ROWS),
                TOLERANCE);
        System.out.printf("bilstm edge batch: largest difference %.3g (logits), %.3g (probabilities)%n", worst[0],
                worst[1]);
    }

    @Test
    void dynamicBatchAndSequenceMatchDjl() throws Exception {
        NetworkParity.assertParity(block, manager, session, new long[][] {{3}}, TOLERANCE);
        NetworkParity.assertParity(block, manager, session, new long[][] {{0}}, TOLERANCE);
        NetworkParity.assertParity(block, manager, session, new long[][] {{0}, {5}, {ROWS - 1}}, TOLERANCE);
        NetworkParity.assertParity(block, manager, session, new long[][] {{2, 3}, {4, 0}, {0, 0}}, TOLERANCE);
        double[] worst = NetworkParity.assertParity(block, manager, session,
                NetworkParity.randomBatch(new Random(3), 33, 71, ROWS), TOLERANCE);
        System.out.printf("bilstm random batch 33 x 71: largest difference %.3g (logits), %.3g (probabilities)%n",
                worst[0], worst[1]);
    }

    /** Where the engine's fused kernel disagrees with the equations (wrong kernels on AVX-512), it is not used. */
    @Test
    void theFusedKernelIsUsedOnlyWhereItAgreesWithTheEquations() {
        for (int h : new int[] {HIDDEN, 16, 32, 100, 128}) {
            double d = LstmRecurrence.largestFusedDifference(manager, DIM, h);
            System.out.printf("the engine's fused LSTM, input %d, state %d: largest difference from the equations "
                    + "%.3g on this CPU (%s)%n", DIM, h, d, d <= LstmRecurrence.AGREEMENT ? "used" : "not used");
            assertEquals(d <= LstmRecurrence.AGREEMENT, LstmRecurrence.fusedKernelAgrees(manager, DIM, h));
        }
        assertEquals(LstmRecurrence.fusedKernelAgrees(manager, DIM, HIDDEN), block.usesFusedKernel());
    }

    /** The equations' path matches the graph whichever path the block chose on this CPU. */
    @Test
    void theEquationsPathMatchesTheGraph() throws Exception {
        BiLstmBlock equations = new BiLstmBlock(ROWS, DIM, LABELS, HIDDEN);
        NetworkParity.initializeRandom(equations, manager, 42L, 0.5f);
        equations.useEquations();
        try (OrtSession s = NetworkParity.session(BiLstmGraph.build(equations, NetworkParity.props(), "v"))) {
            NetworkParity.assertParity(equations, manager, s, NetworkParity.edgeBatch(ROWS), TOLERANCE);
            NetworkParity.assertParity(equations, manager, s, NetworkParity.randomBatch(new Random(5), 9, 40, ROWS),
                    TOLERANCE);
        }
    }

    @Test
    void morePaddingChangesNothing() throws Exception {
        long[][] ids = NetworkParity.edgeBatch(ROWS);
        float[][][] tight = NetworkParity.onnx(session, ids);
        float[][][] loose = NetworkParity.onnx(session, NetworkParity.padMore(ids, 9));
        for (int i = 0; i < ids.length; i++) {
            assertArrayEquals(tight[0][i], loose[0][i], 1e-6f, "row " + i);
        }
    }

    /**
     * Pins down the DJL layout that {@link LstmRecurrence} and {@link BiLstmGraph#onnxWeights} assume: parameters
     * {@code l_0_i2h_WEIGHT} [4H, D], {@code l_0_h2h_WEIGHT} [4H, H], {@code l_0_i2h_BIAS}, {@code l_0_h2h_BIAS}
     * [4H], gates (i, f, g, o), and checks the block's recurrence, step by step, against a plain-Java LSTM with
     * PyTorch's equations. (DJL's own {@code LSTM.forward}, PyTorch's fused kernel, is wrong for some sizes on
     * CPUs with AVX-512, this test's among them; its difference on this CPU is printed.)
     */
    @Test
    void recurrenceFollowsTheLstmEquations() {
        LSTM lstm = block.forwardLstm();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : lstm.getParameters()) {
            shapes.put(p.getKey(), p.getValue().getArray().getShape().getShape());
            values.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        System.out.println("DJL LSTM parameters: " + shapes.entrySet().stream()
                .map(e -> e.getKey() + Arrays.toString(e.getValue())).toList());
        assertEquals(BiLstmBlock.LSTM_PARAMETERS, new ArrayList<>(shapes.keySet()));
        assertArrayEquals(new long[] {4 * HIDDEN, DIM}, shapes.get("l_0_i2h_WEIGHT"));
        assertArrayEquals(new long[] {4 * HIDDEN, HIDDEN}, shapes.get("l_0_h2h_WEIGHT"));
        assertArrayEquals(new long[] {4 * HIDDEN}, shapes.get("l_0_i2h_BIAS"));
        assertArrayEquals(new long[] {4 * HIDDEN}, shapes.get("l_0_h2h_BIAS"));

        int t = 6;
        Random random = new Random(11);
        float[] x = new float[t * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] steps; // [T, H]: row r reads the first r + 1 positions, so its last state is step r's
        float[] fused;
        try (NDManager sub = manager.newSubManager()) {
            NDArray one = sub.create(x, new Shape(1, t, DIM));
            NDArray rows = one.repeat(0, t); // [T, T, D]
            NDArray lengths = sub.arange(1, t + 1).toType(ai.djl.ndarray.types.DataType.INT64, false);
            NDList params = new NDList();
            for (String name : BiLstmBlock.LSTM_PARAMETERS) {
                params.add(lstm.getParameters().get(name).getArray());
            }
            NDArray states = LstmRecurrence.lastStates(params, params, rows, rows, lengths); // [2, T, H]
            steps = states.get(0).toFloatArray();
            assertArrayEquals(steps, states.get(1).toFloatArray(), "the same weights and input in both directions");
            fused = lstm.forward(new ParameterStore(sub, false), new NDList(one), false).singletonOrThrow()
                    .toFloatArray(); // [1, T, H]
        }
        // PyTorch: gates = W_ih x + b_ih + W_hh h + b_hh, split (i, f, g, o).
        float[][] reference = lstm(x, t, values.get("l_0_i2h_WEIGHT"), values.get("l_0_h2h_WEIGHT"),
                values.get("l_0_i2h_BIAS"), values.get("l_0_h2h_BIAS"), new int[] {0, 1, 2, 3});
        // ONNX: the same weights after the mapping, split (i, o, f, c).
        BiLstmGraph.OnnxLstmWeights onnx = BiLstmGraph.onnxWeights(lstm, block.backwardLstm(), DIM, HIDDEN);
        float[] w0 = Arrays.copyOf(onnx.w(), 4 * HIDDEN * DIM);
        float[] r0 = Arrays.copyOf(onnx.r(), 4 * HIDDEN * HIDDEN);
        float[] wb0 = Arrays.copyOfRange(onnx.b(), 0, 4 * HIDDEN);
        float[] rb0 = Arrays.copyOfRange(onnx.b(), 4 * HIDDEN, 8 * HIDDEN);
        float[][] mapped = lstm(x, t, w0, r0, wb0, rb0, new int[] {0, 2, 3, 1});
        for (int s = 0; s < t; s++) {
            for (int h = 0; h < HIDDEN; h++) {
                assertEquals(reference[s][h], steps[s * HIDDEN + h], 1e-6, "recurrence vs the equations, step " + s);
                assertEquals(reference[s][h], mapped[s][h], 1e-6, "ONNX layout vs PyTorch layout, step " + s);
            }
        }
        double fusedWorst = 0;
        for (int s = 0; s < t; s++) {
            for (int h = 0; h < HIDDEN; h++) {
                fusedWorst = Math.max(fusedWorst, Math.abs(reference[s][h] - fused[s * HIDDEN + h]));
            }
        }
        System.out.printf("DJL's fused LSTM against the equations on this CPU: largest difference %.3g%n",
                fusedWorst);
    }

    /**
     * A plain-Java LSTM over {@code t} steps from zero states; {@code order} gives the block index of the input,
     * forget, cell and output gates in the weights.
     */
    private static float[][] lstm(float[] x, int t, float[] wIh, float[] wHh, float[] bIh, float[] bHh,
            int[] order) {
        double[] h = new double[HIDDEN];
        double[] c = new double[HIDDEN];
        float[][] out = new float[t][HIDDEN];
        for (int s = 0; s < t; s++) {
            double[] gates = new double[4 * HIDDEN];
            for (int row = 0; row < 4 * HIDDEN; row++) {
                double z = bIh[row] + bHh[row];
                for (int d = 0; d < DIM; d++) {
                    z += wIh[row * DIM + d] * x[s * DIM + d];
                }
                for (int k = 0; k < HIDDEN; k++) {
                    z += wHh[row * HIDDEN + k] * h[k];
                }
                gates[row] = z;
            }
            double[] next = new double[HIDDEN];
            for (int k = 0; k < HIDDEN; k++) {
                double i = sigmoid(gates[order[0] * HIDDEN + k]);
                double f = sigmoid(gates[order[1] * HIDDEN + k]);
                double g = Math.tanh(gates[order[2] * HIDDEN + k]);
                double o = sigmoid(gates[order[3] * HIDDEN + k]);
                c[k] = f * c[k] + i * g;
                next[k] = o * Math.tanh(c[k]);
                out[s][k] = (float) next[k];
            }
            h = next;
        }
        return out;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void signatureAndModelFields() throws Exception {
        assertEquals("sentikit-bilstm", model.getGraph().getName());
        assertEquals("sentikit", model.getProducerName());
        assertEquals(8, model.getIrVersion());
        assertEquals(13, model.getOpsetImport(0).getVersion());
        List<String> keys = new ArrayList<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            keys.add(e.getKey());
        }
        assertEquals(new ArrayList<>(NetworkParity.props().keySet()), keys);
        TensorInfo in = (TensorInfo) session.getInputInfo().get(ModelFormat.INPUT_IDS).getInfo();
        assertEquals(OnnxJavaType.INT64, in.type);
        assertArrayEquals(new long[] {-1, -1}, in.getShape());
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        assertEquals(List.of(ModelFormat.OUTPUT_LOGITS, ModelFormat.OUTPUT_PROBABILITIES),
                new ArrayList<>(outputs.keySet()));
        for (NodeInfo n : outputs.values()) {
            assertArrayEquals(new long[] {-1, LABELS}, ((TensorInfo) n.getInfo()).getShape(), n.getName());
        }
        List<OnnxMl.NodeProto> lstms = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("LSTM")).toList();
        assertEquals(1, lstms.size());
        assertEquals("", lstms.get(0).getOutput(0), "Y is not materialized");
        assertEquals(5, lstms.get(0).getInputCount(), "X, W, R, B, sequence_lens");
    }

    @Test
    void passesTheOnnxChecker(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bilstm.onnx");
        Files.write(file, model.toByteArray());
        OnnxChecker.assertValid(file);
    }

    @Test
    void modelGraphsDispatchesToBiLstmGraph() {
        assertEquals(model, ModelGraphs.build(block, NetworkParity.props(), "1.2.3-test"));
    }

    @Test
    void uninitializedOrDivergedWeightsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BiLstmGraph.build(new BiLstmBlock(ROWS, DIM, LABELS, HIDDEN), Map.of(), "v"));
        assertTrue(e.getMessage().contains("not initialized"), e.getMessage());
        try (NDManager m = NetworkParity.newManager()) {
            BiLstmBlock diverged = new BiLstmBlock(ROWS, DIM, LABELS, HIDDEN);
            NetworkParity.initializeRandom(diverged, m, 1L, 0.5f);
            Parameter p = diverged.backwardLstm().getParameters().get("l_0_h2h_BIAS");
            float[] v = p.getArray().toFloatArray();
            v[3] = Float.POSITIVE_INFINITY;
            p.getArray().set(v);
            e = assertThrows(IllegalArgumentException.class, () -> BiLstmGraph.build(diverged, Map.of(), "v"));
            assertTrue(e.getMessage().contains("backward LSTM") && e.getMessage().contains("Infinity"),
                    e.getMessage());
        }
    }

    @Test
    void trainedModelExportsAndLoads(@TempDir Path dir) throws Exception {
        ExportEndToEnd.run(Architectures.parse(BiLstmArchitecture.ID), dir);
    }
}
