package dev.sentikit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentikitVersionTest {

    @Test
    void theVersionIsTheOneMavenBuilt() {
        String expected = System.getProperty("sentikit.project.version");
        assertTrue(expected != null && !expected.isBlank(), "run through Maven, which sets sentikit.project.version");
        assertEquals(expected, SentikitVersion.get());
    }

    @Test
    void reportNamesTheCommandAndWhatIsOnTheClassPath() {
        // sdk-api's tests have DJL's api jar (the WordPiece oracle's) but neither ONNX Runtime nor PyTorch.
        List<String> lines = SentikitVersion.report("sentiment");
        assertEquals(4, lines.size(), lines.toString());
        assertEquals("sentiment: Sentikit " + SentikitVersion.get(), lines.get(0));
        assertEquals("ONNX Runtime: not on the class path", lines.get(1));
        assertEquals("DJL " + Engine.getDjlVersion(), lines.get(2));
        assertTrue(lines.get(3).startsWith("Java " + System.getProperty("java.version") + " ("), lines.get(3));
    }

    @Test
    void enginesAbsentFromALoaderAreReportedAbsent() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertEquals(Optional.empty(), SentikitVersion.onnxRuntime(empty));
            assertEquals(Optional.empty(), SentikitVersion.djl(empty));
        }
    }

    @Test
    void djlLineReadsTheEngineAndNativesProperties(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("ai/djl/engine"));
        Files.writeString(dir.resolve("ai/djl/engine/api.properties"), "djl_version=9.1.0\n");
        try (URLClassLoader apiOnly = loader(dir)) {
            assertEquals(Optional.of("DJL 9.1.0"), SentikitVersion.djl(apiOnly));
        }
        Files.writeString(dir.resolve("pytorch-engine.properties"), "djl_version=9.1.0\npytorch_version=3.0.2\n");
        try (URLClassLoader noNatives = loader(dir)) {
            assertEquals(Optional.of("DJL 9.1.0, PyTorch 3.0.2 (no natives jar: DJL downloads them on first use)"),
                    SentikitVersion.djl(noNatives));
        }
        Files.createDirectories(dir.resolve("native/lib"));
        Files.writeString(dir.resolve("native/lib/pytorch.properties"),
                "version=3.0.2-20260101\nflavor=cu124\nclassifier=linux-x86_64\n");
        try (URLClassLoader all = loader(dir)) {
            assertEquals(Optional.of("DJL 9.1.0, PyTorch 3.0.2 (cu124 natives for linux-x86_64)"),
                    SentikitVersion.djl(all));
        }
    }

    private static URLClassLoader loader(Path dir) throws IOException {
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }
}
