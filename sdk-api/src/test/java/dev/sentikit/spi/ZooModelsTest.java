package dev.sentikit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.ModelLoadException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooModelsTest {

    @Test
    void resourceOfAValidName() {
        assertEquals("META-INF/sentikit/zoo/en.onnx", ZooModels.resourceOf("en"));
        assertEquals("META-INF/sentikit/zoo/reviews-v2_small.onnx", ZooModels.resourceOf("reviews-v2_small"));
    }

    @Test
    void invalidNamesAreRejectedNamingTheRule() {
        for (String bad : List.of("", "EN", "-en", "en/../x", "en.onnx", "é")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZooModels.resourceOf(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void availableListsTheIndexOfEveryZooArtifactSorted(@TempDir Path dir) throws IOException {
        Path first = zooArtifact(dir.resolve("one"), "name=en\n");
        Path second = zooArtifact(dir.resolve("two"), "# a comment\nname = reviews \n");
        Path noName = zooArtifact(dir.resolve("three"), "other=1\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {
                second.toUri().toURL(), first.toUri().toURL(), noName.toUri().toURL()}, null)) {
            assertEquals(new TreeSet<>(Set.of("en", "reviews")), ZooModels.available(loader));
        }
    }

    @Test
    void noZooArtifactMeansAnEmptyList() throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[0], null)) {
            assertTrue(ZooModels.available(loader).isEmpty());
        }
    }

    @Test
    void providersWithoutAnEngineNameTheDependency() {
        ModelLoadException e = assertThrows(ModelLoadException.class, Providers::find);
        assertTrue(e.getMessage().contains("dev.sentikit:runtime-onnx"), e.getMessage());
    }

    private static Path zooArtifact(Path root, String index) throws IOException {
        Path folder = root.resolve(ZooModels.ZOO_FOLDER);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("index.properties"), index, StandardCharsets.ISO_8859_1);
        return root;
    }
}
