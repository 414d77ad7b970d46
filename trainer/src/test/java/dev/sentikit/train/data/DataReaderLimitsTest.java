package dev.sentikit.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Huge lines are reported as bad rows, not read into memory whole, and the totals still add up. */
class DataReaderLimitsTest {

    private static final int FIFTY_MB = 50 << 20;

    @Test
    void aFiftyMegabyteLineIsReportedAndTheRestIsUsed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.tsv");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write("positive\tfine\n".getBytes(StandardCharsets.UTF_8));
            out.write("negative\t".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "bad ".repeat(1024).getBytes(StandardCharsets.UTF_8);
            for (int written = 0; written < FIFTY_MB; written += chunk.length) {
                out.write(chunk);
            }
            out.write('\n');
            out.write("negative\tawful\r\n".getBytes(StandardCharsets.UTF_8));
        }
        LabeledData data = DataReader.builder().build().read(file);

        assertEquals(3, data.rowsRead());
        assertEquals(2, data.rows().size());
        assertEquals(1, data.skippedCount());
        assertEquals(data.rowsRead(), data.rows().size() + data.skippedCount());
        BadRow bad = data.badRows().get(0);
        assertEquals(2, bad.line());
        assertTrue(bad.reason().toLowerCase().contains("long"), bad.reason());
        assertEquals("awful", data.rows().get(1).text());
        assertEquals(3, data.rows().get(1).line());
    }
}
