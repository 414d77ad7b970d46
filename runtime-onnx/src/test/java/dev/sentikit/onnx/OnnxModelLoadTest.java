package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not loadable Sentikit models give a {@link ModelLoadException} that says why. */
class OnnxModelLoadTest {

    private static final AnalyzerOptions CPU = AnalyzerOptions.builder().optDevice(Device.CPU).build();

    private static ModelLoadException loadFails(byte[] bytes, String source) {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentimentAnalyzer.fromBytes(bytes, source, CPU).close());
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains(source), "message names the source: " + e.getMessage());
        return e;
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void randomBytes() {
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        ModelLoadException e = loadFails(junk, "junk.onnx");
        assertContains(e.getMessage(), "junk.onnx is not a valid ONNX model: ");
        assertNotNull(e.getCause(), "the parse error is the cause");
    }

    @Test
    void textFile() {
        ModelLoadException e = loadFails("label,text\npositive,great\n".getBytes(), "data.csv");
        assertContains(e.getMessage(), "is not a valid ONNX model");
    }

    @Test
    void truncatedFile(@TempDir Path dir) throws Exception {
        byte[] model = ModelGenerators.bagModel(3L, ModelGenerators.LABELS_2);
        Path file = dir.resolve("truncated.onnx");
        Files.write(file, Arrays.copyOf(model, model.length / 2));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(file, CPU).close());
        assertContains(e.getMessage(), file.toString(), "is not a valid ONNX model");
    }

    @Test
    void emptyFileAndMissingFile(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(empty, CPU));
        assertContains(e.getMessage(), "empty");
        e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(dir.resolve("nope.onnx"), CPU));
        assertContains(e.getMessage(), "not found");
    }

    @Test
    void validOnnxWithoutSentikitMetadata() {
        ModelGenerators.Bag bag = ModelGenerators.Bag.random(5L, ModelGenerators.ROWS, ModelGenerators.DIM, 2);
        byte[] plain = ModelGenerators.bagModel(bag, Map.of());
        ModelLoadException e = loadFails(plain, "plain.onnx");
        assertContains(e.getMessage(), "not a Sentikit model", ModelFormat.KEY_FORMAT_VERSION);
    }

    @Test
    void labelCountMismatch() {
        // A graph with 3 outputs, a card with 2 labels.
        ModelGenerators.Bag bag = ModelGenerators.Bag.random(5L, ModelGenerators.ROWS, ModelGenerators.DIM, 3);
        byte[] bytes = ModelGenerators.bagModel(bag, ModelGenerators.props(ModelGenerators.LABELS_2));
        ModelLoadException e = loadFails(bytes, "mismatch.onnx");
        assertContains(e.getMessage(), "2 labels", "3 columns", "expected float [batch, 2]",
                ModelFormat.OUTPUT_PROBABILITIES, ModelFormat.INPUT_IDS);
    }

    @Test
    void newerFormatVersion() {
        Map<String, String> props = new LinkedHashMap<>(ModelGenerators.props(ModelGenerators.LABELS_2));
        props.put(ModelFormat.KEY_FORMAT_VERSION, Integer.toString(ModelFormat.NEWEST_FORMAT_VERSION + 1));
        ModelGenerators.Bag bag = ModelGenerators.Bag.random(5L, ModelGenerators.ROWS, ModelGenerators.DIM, 2);
        ModelLoadException e = loadFails(ModelGenerators.bagModel(bag, props), "future.onnx");
        assertContains(e.getMessage(), "newer", "upgrade Sentikit");
    }

    @Test
    void brokenCardJson() {
        Map<String, String> props = new LinkedHashMap<>(ModelGenerators.props(ModelGenerators.LABELS_2));
        props.put(ModelFormat.KEY_CARD, "{not json");
        ModelGenerators.Bag bag = ModelGenerators.Bag.random(5L, ModelGenerators.ROWS, ModelGenerators.DIM, 2);
        ModelLoadException e = loadFails(ModelGenerators.bagModel(bag, props), "badcard.onnx");
        assertContains(e.getMessage(), ModelFormat.KEY_CARD, "invalid");
    }

    @Test
    void wrongInputType() {
        byte[] bytes = ModelGenerators.floatInputModel(ModelGenerators.props(ModelGenerators.LABELS_2), 2);
        ModelLoadException e = loadFails(bytes, "float-input.onnx");
        assertContains(e.getMessage(), "int64 [batch, sequence]", "found float", ModelFormat.INPUT_IDS);
    }

    @Test
    void fromStreamAndProviderDirectly() throws Exception {
        byte[] model = ModelGenerators.bagModel(9L, ModelGenerators.LABELS_2);
        try (SentimentAnalyzer a = new OnnxAnalyzerProvider().load(model, "direct", CPU)) {
            assertEquals(ModelGenerators.LABELS_2, a.labels());
        }
        try (SentimentAnalyzer a = SentimentAnalyzer.fromStream(new java.io.ByteArrayInputStream(model), CPU)) {
            assertEquals(ModelGenerators.LABELS_2, a.labels());
        }
    }
}
