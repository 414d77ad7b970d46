package dev.sentikit.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.train.data.DataReader;
import dev.sentikit.train.data.LabeledData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataOptionsTest {

    @Test
    void aDataFileChangedAfterReadingIsReported(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.tsv");
        Files.writeString(file, "positive\tgood\nnegative\tbad\n");
        LabeledData data = DataReader.builder().build().read(file);
        StringWriter err = new StringWriter();

        assertFalse(DataOptions.reportIfChanged(file, data.sha256(), new PrintWriter(err, true)));
        assertTrue(err.toString().isEmpty());

        Files.writeString(file, "positive\tgood\nnegative\tbad\npositive\tnew row\n");
        assertTrue(DataOptions.reportIfChanged(file, data.sha256(), new PrintWriter(err, true)));
        assertTrue(err.toString().contains("changed while training"), err.toString());
        assertTrue(err.toString().contains(data.sha256()), err.toString());

        Files.delete(file);
        assertTrue(DataOptions.reportIfChanged(file, data.sha256(), new PrintWriter(new StringWriter(), true)));
    }
}
