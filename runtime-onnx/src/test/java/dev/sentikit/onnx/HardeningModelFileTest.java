package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelFormat;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, model files: every broken or hostile file gives a {@link ModelLoadException} that says what is wrong,
 * never another exception and never a JVM crash. The cases that {@link OnnxModelLoadTest} already covers (random
 * bytes, a truncated file, an empty file, an ONNX model without Sentikit metadata, a label count that does not match
 * the output, a newer format version) are covered here again in more variants.
 */
class HardeningModelFileTest {

    private static final AnalyzerOptions CPU = AnalyzerOptions.builder().optDevice(Device.CPU).build();
    private static final List<String> LABELS = ModelGenerators.LABELS_3;

    private static byte[] validModel() {
        return ModelGenerators.bagModel(42L, LABELS);
    }

    private static ModelGenerators.Bag bag(int rows) {
        return ModelGenerators.Bag.random(42L, rows, ModelGenerators.DIM, LABELS.size());
    }

    private static ModelLoadException refused(byte[] bytes, String source) {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentimentAnalyzer.fromBytes(bytes, source, CPU).close());
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains(source), "the message names the source: " + e.getMessage());
        return e;
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    /** The model with the main graph's initializer whose name starts with {@code prefix} changed by {@code edit}. */
    private static byte[] editInitializer(byte[] model, String prefix, UnaryOperator<OnnxMl.TensorProto.Builder> edit)
            throws Exception {
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(model);
        OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder();
        boolean found = false;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().startsWith(prefix)) {
                graph.setInitializer(i, edit.apply(graph.getInitializer(i).toBuilder()));
                found = true;
            }
        }
        assertTrue(found, "no initializer " + prefix + "*");
        return proto.toBuilder().setGraph(graph).build().toByteArray();
    }

    /** Moves the embedding table's values to the external file {@code location}. */
    private static byte[] externalEmbedding(byte[] model, String location) throws Exception {
        return editInitializer(model, "embedding", t -> t.clearRawData().clearFloatData()
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", "0"))
                .addExternalData(entry("length", Integer.toString(ModelGenerators.ROWS * ModelGenerators.DIM * 4))));
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** The bytes of a float32 table of the fixture's shape, every value {@code v}, as external data holds them. */
    private static byte[] tableBytes(float v) {
        ByteBuffer b = ByteBuffer.allocate(ModelGenerators.ROWS * ModelGenerators.DIM * 4).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            b.putFloat(v);
        }
        return b.array();
    }

    // ------------------------------------------------------------------------------------------------ not a model

    @Test
    void truncatedAtManyPoints() {
        byte[] model = validModel();
        for (int length : new int[] {1, 2, 7, 16, model.length / 3, model.length / 2, model.length - 100,
                model.length - 1}) {
            ModelLoadException e = refused(Arrays.copyOf(model, length), "cut-" + length + ".onnx");
            assertContains(e.getMessage(), "is not a valid ONNX model");
        }
    }

    @Test
    void randomBytesOfManySizes() {
        Random random = new Random(6);
        for (int size : new int[] {1, 3, 64, 1000, 100_000}) {
            byte[] junk = new byte[size];
            random.nextBytes(junk);
            refused(junk, "junk-" + size + ".onnx");
        }
    }

    @Test
    void emptyFile(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(empty, CPU));
        assertContains(e.getMessage(), empty.toString(), "empty (0 bytes)");
    }

    @Test
    void aFileLargerThanTwoGibibytesIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path huge = dir.resolve("huge.onnx");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: takes no disk space
        }
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(huge, CPU));
        assertContains(e.getMessage(), "3221225472 bytes", "more than the " + ModelFormat.MAX_MODEL_BYTES);
    }

    @Test
    void protobufNestedTooDeeplyIsRefused() {
        // Subgraphs inside subgraphs, 150 levels of If nodes: more than protobuf parsers accept.
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("leaf").build();
        for (int i = 0; i < 150; i++) {
            graph = OnnxMl.GraphProto.newBuilder().setName("g" + i).addNode(OnnxMl.NodeProto.newBuilder()
                    .setOpType("If").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch")
                            .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(graph))).build();
        }
        byte[] bytes = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setGraph(graph).build().toByteArray();
        ModelLoadException e = refused(bytes, "deep.onnx");
        assertContains(e.getMessage(), "not a valid ONNX model", "nested more than 100 deep");
    }

    // ------------------------------------------------------------------------------------------------ metadata

    @Test
    void validOnnxWithoutOurMetadata() {
        ModelLoadException e = refused(ModelGenerators.bagModel(bag(ModelGenerators.ROWS), Map.of()), "plain.onnx");
        assertContains(e.getMessage(), "not a Sentikit model", ModelFormat.KEY_FORMAT_VERSION);
    }

    @Test
    void metadataFromANewerFormatVersion() {
        for (String version : new String[] {"3", " 3 ", "999999"}) {
            Map<String, String> props = new LinkedHashMap<>(ModelGenerators.props(LABELS));
            props.put(ModelFormat.KEY_FORMAT_VERSION, version);
            ModelLoadException e = refused(ModelGenerators.bagModel(bag(ModelGenerators.ROWS), props), "future.onnx");
            assertContains(e.getMessage(), "newer than the formats 1 to 2", "upgrade Sentikit");
        }
    }

    @Test
    void labelCountThatDoesNotMatchTheOutput() {
        // The graph has 3 output columns; the cards list 2 and 4 labels.
        for (List<String> labels : List.of(ModelGenerators.LABELS_2, List.of("a", "b", "c", "d"))) {
            byte[] bytes = ModelGenerators.bagModel(bag(ModelGenerators.ROWS), ModelGenerators.props(labels));
            ModelLoadException e = refused(bytes, "labels-" + labels.size() + ".onnx");
            assertContains(e.getMessage(), labels.size() + " labels", "3 columns");
        }
    }

    @Test
    void oversizedMetadataIsRefusedNamingTheLimit() {
        // One vocabulary entry of 64 Mi characters: more than MAX_METADATA_CHARS once quoted as JSON.
        String huge = "x".repeat(ModelFormat.MAX_METADATA_CHARS);
        Map<String, String> props = new LinkedHashMap<>(ModelGenerators.props(LABELS));
        props.put(ModelFormat.KEY_VOCABULARY, "[\"" + huge + "\"]");
        ModelLoadException e = refused(ModelGenerators.bagModel(bag(ModelGenerators.ROWS), props), "big-meta.onnx");
        assertContains(e.getMessage(), "'" + ModelFormat.KEY_VOCABULARY + "'", (ModelFormat.MAX_METADATA_CHARS + 4)
                + " characters", "more than the limit of " + ModelFormat.MAX_METADATA_CHARS);
    }

    // ------------------------------------------------------------------------------------------------ vocabulary vs table

    @Test
    void embeddingTableWithFewerRowsThanTheVocabularyNeeds() {
        byte[] bytes = ModelGenerators.bagModel(bag(ModelGenerators.ROWS - 5), ModelGenerators.props(LABELS));
        ModelLoadException e = refused(bytes, "small-table.onnx");
        assertContains(e.getMessage(), "the vocabulary does not match the embedding table",
                "embedding_rows = 1 + 8 vocabulary entries + 8 hash buckets = 17", "has 12 rows");
    }

    @Test
    void embeddingTableWithMoreRowsThanTheVocabularyAndBuckets() {
        byte[] bytes = ModelGenerators.bagModel(bag(ModelGenerators.ROWS + 100), ModelGenerators.props(LABELS));
        ModelLoadException e = refused(bytes, "big-table.onnx");
        assertContains(e.getMessage(), "the vocabulary does not match the embedding table", "has 117 rows");
    }

    @Test
    void aTableTheScanCannotSeeIsCheckedByTheProbeSoNoIdIsReadOutOfBounds() {
        // The ids reach the Gather through an Identity node; ONNX Runtime's CPU Gather refuses the ids past the end.
        byte[] bytes = ModelGenerators.bagModel(bag(ModelGenerators.ROWS - 5), ModelGenerators.props(LABELS),
                ModelGenerators.Variant.INDIRECT_IDS);
        ModelLoadException e = refused(bytes, "indirect.onnx");
        assertContains(e.getMessage(), "a test inference over every id the encoder can produce (1..16) failed",
                "out of data bounds", "fewer rows than the card's embedding_rows");
    }

    @Test
    void theIndirectGraphWithTheRightTableLoadsAndMatchesTheReference() throws Exception {
        ModelGenerators.Bag b = bag(ModelGenerators.ROWS);
        byte[] bytes = ModelGenerators.bagModel(b, ModelGenerators.props(LABELS), ModelGenerators.Variant.INDIRECT_IDS);
        try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(bytes, "indirect-ok.onnx", CPU)) {
            String text = "not good, boring movie";
            double[] expected = b.probabilities(ModelGenerators.encoder().encode(text));
            Sentiment s = a.analyze(text);
            for (int i = 0; i < LABELS.size(); i++) {
                assertEquals(expected[i], s.score(LABELS.get(i)), 1e-5);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ outputs

    @Test
    void aMeanThatDividesByZeroForAnEmptyTextIsRefused() {
        byte[] bytes = ModelGenerators.bagModel(bag(ModelGenerators.ROWS), ModelGenerators.props(LABELS),
                ModelGenerators.Variant.UNCLAMPED_MEAN);
        ModelLoadException e = refused(bytes, "zero-div.onnx");
        assertContains(e.getMessage(), "for an empty text (a row of padding only)", "NaN",
                "an empty text must give a defined result");
    }

    @Test
    void outputsThatAreNotAProbabilityDistributionAreRefused() {
        byte[] bytes = ModelGenerators.bagModel(bag(ModelGenerators.ROWS), ModelGenerators.props(LABELS),
                ModelGenerators.Variant.SIGMOID_OUTPUT);
        ModelLoadException e = refused(bytes, "sigmoid.onnx");
        assertContains(e.getMessage(), "sum to", "not 1", "softmax");
    }

    @Test
    void aNonFiniteWeightInAnyRowOfTheTableIsRefused() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            ModelGenerators.Bag b = bag(ModelGenerators.ROWS);
            b.embedding[ModelGenerators.ROWS * ModelGenerators.DIM - 3] = bad; // a hash-bucket row few texts reach
            ModelLoadException e = refused(ModelGenerators.bagModel(b, ModelGenerators.props(LABELS)), "nan.onnx");
            assertContains(e.getMessage(), "must hold finite values in [0, 1]");
        }
    }

    // ------------------------------------------------------------------------------------------------ external data

    @Test
    void externalDataOutsideTheModelDirectoryIsRefused(@TempDir Path dir) throws Exception {
        for (String location : new String[] {"../../etc/passwd", "/etc/passwd", "../../../../../../../../etc/passwd",
                "..\\..\\windows\\win.ini"}) {
            ModelLoadException e = refused(externalEmbedding(validModel(), location), "ext.onnx");
            assertContains(e.getMessage(), "refers to external data", "'embedding_0'", "'" + location + "'",
                    "self-contained");
            Path file = dir.resolve("ext.onnx");
            Files.write(file, externalEmbedding(validModel(), location));
            e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(file, CPU));
            assertContains(e.getMessage(), file.toString(), "refers to external data");
        }
    }

    @Test
    void externalDataIsRefusedEvenBesideTheModelAndReadableByOnnxRuntime(@TempDir Path dir) throws Exception {
        // A file that ONNX Runtime 1.23 would read when it creates the session (an absolute path is not checked when
        // a model is loaded from bytes): Sentikit refuses the model before ONNX Runtime sees it.
        Path data = dir.resolve("embedding.bin");
        Files.write(data, tableBytes(0.5f));
        for (String location : new String[] {data.toString(), "embedding.bin", "./embedding.bin"}) {
            Path model = dir.resolve("model.onnx");
            Files.write(model, externalEmbedding(validModel(), location));
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(model, CPU));
            assertContains(e.getMessage(), "refers to external data", location);
        }
    }

    @Test
    void externalDataWithoutALocationOrWithOnnxRuntimesMemoryMarkerIsRefused() throws Exception {
        byte[] onlyFlag = editInitializer(validModel(), "embedding",
                t -> t.setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL));
        assertContains(refused(onlyFlag, "flag.onnx").getMessage(), "refers to external data", "an external file");
        byte[] onlyEntries = editInitializer(validModel(), "weight", t -> t.addExternalData(entry("location", "w.bin")));
        assertContains(refused(onlyEntries, "entries.onnx").getMessage(), "'weight_0'", "'w.bin'");
        // ONNX Runtime's tag for tensors in process memory, whose "offset" is a raw address.
        byte[] marker = externalEmbedding(validModel(), "*/_ORT_MEM_ADDR_/*");
        assertContains(refused(marker, "marker.onnx").getMessage(), "refers to external data");
    }

    @Test
    void externalDataInAConstantNodeASubgraphOrASparseInitializerIsRefused() throws Exception {
        OnnxMl.TensorProto external = OnnxMl.TensorProto.newBuilder().setName("hidden")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(1)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", "../secret")).build();
        OnnxMl.ModelProto base = OnnxMl.ModelProto.parseFrom(validModel());

        OnnxMl.NodeProto constant = OnnxMl.NodeProto.newBuilder().setOpType("Constant").addOutput("unused")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(external)).build();
        byte[] inNode = base.toBuilder().setGraph(base.getGraph().toBuilder().addNode(constant)).build().toByteArray();
        assertContains(refused(inNode, "constant.onnx").getMessage(), "node attribute 'hidden'", "'../secret'");

        OnnxMl.GraphProto branch = OnnxMl.GraphProto.newBuilder().setName("branch").addInitializer(external).build();
        OnnxMl.NodeProto ifNode = OnnxMl.NodeProto.newBuilder().setOpType("If").addInput("cond").addOutput("out")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch")
                        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(branch)).build();
        byte[] inSubgraph = base.toBuilder().setGraph(base.getGraph().toBuilder().addNode(ifNode)).build()
                .toByteArray();
        assertContains(refused(inSubgraph, "subgraph.onnx").getMessage(), "subgraph initializer 'hidden'");

        OnnxMl.SparseTensorProto sparse = OnnxMl.SparseTensorProto.newBuilder().setValues(external)
                .setIndices(OnnxMl.TensorProto.newBuilder().setName("idx")
                        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(1).addInt64Data(0))
                .addDims(4).build();
        byte[] inSparse = base.toBuilder().setGraph(base.getGraph().toBuilder().addSparseInitializer(sparse)).build()
                .toByteArray();
        assertContains(refused(inSparse, "sparse.onnx").getMessage(), "sparse initializer 'hidden'");

        OnnxMl.FunctionProto function = OnnxMl.FunctionProto.newBuilder().setName("f").setDomain("custom")
                .addNode(constant).build();
        byte[] inFunction = base.toBuilder().addFunctions(function).build().toByteArray();
        assertContains(refused(inFunction, "function.onnx").getMessage(), "function node attribute 'hidden'");
    }

    @Test
    void theSelfContainedFixtureHasNoExternalDataAndItsTableIsFound() throws Exception {
        ModelProtoScan scan = ModelProtoScan.scan(validModel(), ModelFormat.INPUT_IDS);
        assertTrue(scan.externalTensors().isEmpty());
        assertEquals(1, scan.idGathers().size(), scan.idGathers().toString());
        String table = scan.idGathers().get(0).table();
        assertEquals(List.of((long) ModelGenerators.ROWS, (long) ModelGenerators.DIM),
                Arrays.stream(scan.initializerDims(table)).boxed().toList());
        assertFalse(ModelProtoScan.scan(ModelGenerators.bagModel(bag(ModelGenerators.ROWS),
                ModelGenerators.props(LABELS), ModelGenerators.Variant.INDIRECT_IDS), ModelFormat.INPUT_IDS)
                .idGathers().iterator().hasNext(), "a Gather behind an Identity node is not recognized");
    }
}
