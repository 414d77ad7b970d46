package dev.sentikit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factories of {@link SentimentAnalyzer} on sdk-api's own class path, which has no engine and no zoo model. */
class SentimentAnalyzerTest {

    private static final String ENGINE_ARTIFACT = "dev.sentikit:runtime-onnx";
    private static final byte[] SOME_BYTES = {8, 7, 18, 0};

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void fromBytesWithoutAnEngineSaysWhichDependencyToAdd() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.fromBytes(SOME_BYTES));
        assertContains(e.getMessage(), "No Sentikit engine", ENGINE_ARTIFACT);
    }

    @Test
    void fromStreamWithoutAnEngineSaysWhichDependencyToAdd() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentimentAnalyzer.fromStream(new ByteArrayInputStream(SOME_BYTES)));
        assertContains(e.getMessage(), ENGINE_ARTIFACT);
    }

    @Test
    void emptyBytesAreNotAModel() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentimentAnalyzer.fromBytes(new byte[0], "empty.onnx", AnalyzerOptions.defaults()));
        assertContains(e.getMessage(), "empty.onnx", "empty (0 bytes)");
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThrows(NullPointerException.class, () -> SentimentAnalyzer.fromBytes(null));
        assertThrows(NullPointerException.class, () -> SentimentAnalyzer.fromBytes(SOME_BYTES, "x", null));
        assertThrows(NullPointerException.class, () -> SentimentAnalyzer.load(null));
        assertThrows(NullPointerException.class, () -> SentimentAnalyzer.fromZoo(null));
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing.onnx");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(missing));
        assertContains(e.getMessage(), "model file not found", missing.toAbsolutePath().toString());
    }

    @Test
    void missingClasspathResourceIsNamed() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentimentAnalyzer.fromClasspath("/models/nope.onnx"));
        assertContains(e.getMessage(), "class-path resource not found: models/nope.onnx");
    }

    @Test
    void unknownZooModelNamesWhatIsPresentAndTheArtifactToAdd() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.fromZoo("nope"));
        // sdk-api's test class path holds no zoo artifact, so no model is present.
        assertContains(e.getMessage(), "no zoo model 'nope'", "present: none.",
                "dev.sentikit.zoo:sentikit-model-nope");
        assertFalse(e.getMessage().contains("[]"), e.getMessage());
    }

    @Test
    void invalidZooNameIsRefusedNamingTheRule() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.fromZoo("../en"));
        assertContains(e.getMessage(), "'../en'", "lower-case letters, digits");
    }
}
