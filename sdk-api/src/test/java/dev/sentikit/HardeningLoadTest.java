package dev.sentikit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.model.ModelFormat;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6, model files at the SDK's door: sizes are checked before anything is read. */
class HardeningLoadTest {

    @Test
    void aFileOverTwoGibibytesIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        Path huge = dir.resolve("huge.onnx");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(ModelFormat.MAX_MODEL_BYTES + 1L); // sparse: no disk space, and no engine is needed
        }
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(huge));
        assertTrue(e.getMessage().contains(huge + " is " + (ModelFormat.MAX_MODEL_BYTES + 1L) + " bytes, more than the "
                + ModelFormat.MAX_MODEL_BYTES), e.getMessage());
    }

    @Test
    void aDirectoryIsNotAModelFile(@TempDir Path dir) throws Exception {
        Path sub = Files.createDirectory(dir.resolve("model.onnx"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.load(sub));
        assertTrue(e.getMessage().contains("cannot read model file " + sub), e.getMessage());
    }
}
