package dev.sentikit.architecture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.text.Vocabulary;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedEmbeddingsTest {

    private static final String VECTORS = "good 1 2 3\nbad -1 -2 -3\nnot 0 0 1\n";

    @Test
    void copiesWordsAndAveragesBigrams(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(VECTORS.getBytes(StandardCharsets.UTF_8));
        }
        Vocabulary vocabulary = Vocabulary.of(List.of("good", "unknown", "not good", "not unknown"));
        float[] table = new float[(1 + 4 + 2) * 3];
        java.util.Arrays.fill(table, 9f);
        PretrainedEmbeddings.Coverage c = PretrainedEmbeddings.apply(file, vocabulary, table, 3);

        assertEquals(1, c.words());
        assertEquals(1, c.bigrams());
        assertArrayEquals(new float[] {9, 9, 9}, java.util.Arrays.copyOfRange(table, 0, 3), "padding row untouched");
        assertArrayEquals(new float[] {1, 2, 3}, java.util.Arrays.copyOfRange(table, 3, 6));
        assertArrayEquals(new float[] {9, 9, 9}, java.util.Arrays.copyOfRange(table, 6, 9), "unknown word untouched");
        assertArrayEquals(new float[] {0.5f, 1f, 2f}, java.util.Arrays.copyOfRange(table, 9, 12));
        assertArrayEquals(new float[] {9, 9, 9}, java.util.Arrays.copyOfRange(table, 12, 15));
        assertTrue(c.toString().contains("2 of 4"), c.toString());
    }

    @Test
    void widthMismatchSaysWhichDimToUse(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v.txt");
        Files.writeString(file, VECTORS);
        assertEquals(3, PretrainedEmbeddings.dimension(file));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PretrainedEmbeddings.apply(file, Vocabulary.of(List.of("good")), new float[20], 4));
        assertTrue(e.getMessage().contains("--embedding-dim 3"), e.getMessage());
    }
}
