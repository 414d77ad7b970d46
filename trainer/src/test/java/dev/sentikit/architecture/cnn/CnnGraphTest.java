package dev.sentikit.architecture.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CnnGraph} computes, in ONNX Runtime, what {@link CnnBlock} computes in DJL. */
class CnnGraphTest {

    private static final double TOLERANCE = 1e-5;
    private static final int ROWS = 40;
    private static final int DIM = 8;
    private static final int LABELS = 3;
    private static final int FILTERS = 6;

    private static NDManager manager;
    private static CnnBlock block;
    private static OnnxMl.ModelProto model;
    private static OrtSession session;

    @BeforeAll
    static void build() throws Exception {
        manager = NetworkParity.newManager();
        block = new CnnBlock(ROWS, DIM, LABELS, FILTERS);
        NetworkParity.initializeRandom(block, manager, 42L, 0.5f);
        model = CnnGraph.build(block, NetworkParity.props(), "1.2.3-test");
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
        long[][] ids = NetworkParity.edgeBatch(ROWS);
        double[] worst = NetworkParity.assertParity(block, manager, session, ids, TOLERANCE);
        float[][][] out = NetworkParity.onnx(session, ids);
        float[] bias = block.bias().getArray().toFloatArray();
        for (int l = 0; l < LABELS; l++) {
            assertEquals(bias[l], out[0][1][l], 1e-6, "an all-padding row pools to 0: logits = bias");
        }
        System.out.printf("cnn edge batch: largest difference %.3g (logits), %.3g (probabilities)%n", worst[0],
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
        System.out.printf("cnn random batch 33 x 71: largest difference %.3g (logits), %.3g (probabilities)%n",
                worst[0], worst[1]);
    }

    @Test
    void aBlockOfGloVesWidthMatchesItsGraph() throws Exception {
        // 100 input channels, 128 filters: where oneDNN's direct convolution gave NaN on an AVX-512 EPYC (ConvKernel)
        try (NDManager m = NetworkParity.newManager()) {
            CnnBlock wide = new CnnBlock(ROWS, 100, LABELS, 128);
            NetworkParity.initializeRandom(wide, m, 7L, 0.1f);
            try (OrtSession s = NetworkParity.session(CnnGraph.build(wide, NetworkParity.props(), "1.2.3-test"))) {
                NetworkParity.assertParity(wide, m, s, NetworkParity.edgeBatch(ROWS), TOLERANCE);
                NetworkParity.assertParity(wide, m, s, NetworkParity.randomBatch(new Random(5), 9, 40, ROWS),
                        TOLERANCE);
            }
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

    @Test
    void signatureAndModelFields() throws Exception {
        assertEquals("sentikit-cnn", model.getGraph().getName());
        assertEquals("sentikit", model.getProducerName());
        assertEquals("1.2.3-test", model.getProducerVersion());
        assertEquals(8, model.getIrVersion());
        assertEquals(1, model.getOpsetImportCount());
        assertEquals(13, model.getOpsetImport(0).getVersion());
        List<String> keys = new ArrayList<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            keys.add(e.getKey());
        }
        assertEquals(new ArrayList<>(NetworkParity.props().keySet()), keys);
        assertEquals(1, model.getGraph().getInputCount());
        TensorInfo in = (TensorInfo) session.getInputInfo().get(ModelFormat.INPUT_IDS).getInfo();
        assertEquals(OnnxJavaType.INT64, in.type);
        assertArrayEquals(new long[] {-1, -1}, in.getShape());
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        assertEquals(List.of(ModelFormat.OUTPUT_LOGITS, ModelFormat.OUTPUT_PROBABILITIES),
                new ArrayList<>(outputs.keySet()));
        for (NodeInfo n : outputs.values()) {
            assertArrayEquals(new long[] {-1, LABELS}, ((TensorInfo) n.getInfo()).getShape(), n.getName());
        }
        long convs = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv")).count();
        assertEquals(CnnBlock.WIDTHS.length, convs);
    }

    @Test
    void passesTheOnnxChecker(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cnn.onnx");
        Files.write(file, model.toByteArray());
        OnnxChecker.assertValid(file);
    }

    @Test
    void modelGraphsDispatchesToCnnGraph() {
        OnnxMl.ModelProto viaDispatch = ModelGraphs.build(block, NetworkParity.props(), "1.2.3-test");
        assertEquals(model, viaDispatch);
    }

    @Test
    void uninitializedOrDivergedWeightsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CnnGraph.build(new CnnBlock(ROWS, DIM, LABELS, FILTERS), Map.of(), "v"));
        assertTrue(e.getMessage().contains("not initialized"), e.getMessage());
        try (NDManager m = NetworkParity.newManager()) {
            CnnBlock diverged = new CnnBlock(ROWS, DIM, LABELS, FILTERS);
            NetworkParity.initializeRandom(diverged, m, 1L, 0.5f);
            float[] w = diverged.convWeight(1).getArray().toFloatArray();
            w[7] = Float.NaN;
            diverged.convWeight(1).getArray().set(w);
            e = assertThrows(IllegalArgumentException.class, () -> CnnGraph.build(diverged, Map.of(), "v"));
            assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("width 5"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> CnnGraph.build(block, null, "v"));
        assertThrows(NullPointerException.class, () -> CnnGraph.build(block, Map.of(), null));
    }

    @Test
    void trainedModelExportsAndLoads(@TempDir Path dir) throws Exception {
        ExportEndToEnd.run(Architectures.parse(CnnArchitecture.ID), dir);
    }
}
