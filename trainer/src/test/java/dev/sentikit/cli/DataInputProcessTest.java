package dev.sentikit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's readers with awkward bytes, through {@code bin/trainer split} in its own JVM (it reads a file as
 * {@code train} does, and writes the rows it used): a bad line is one skipped row with its line number, and the
 * others are used; {@code --strict} stops at it; NUL, a byte-order mark mid-file, CR line ends and a last line
 * without a line break cost nothing.
 */
class DataInputProcessTest {

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                for (int b : (int[]) p) {
                    out.write(b);
                }
            }
        }
        return out.toByteArray();
    }

    /** 30 rows per label, so that split has something to stratify; {@code special} replaces lines from line 1. */
    private static byte[] tsv(String lineEnd, byte[]... special) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : special) {
            out.writeBytes(line);
            out.writeBytes(lineEnd.getBytes(StandardCharsets.UTF_8));
        }
        String[] labels = {"negative", "neutral", "positive"};
        for (int i = 0; i < 90; i++) {
            out.writeBytes((labels[i % 3] + "\ttext number " + i + (i == 89 ? "" : lineEnd))
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static List<String> written(Path dir) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String part : List.of("train.tsv", "valid.tsv", "test.tsv")) {
            rows.addAll(Files.readAllLines(dir.resolve(part), StandardCharsets.UTF_8));
        }
        return rows;
    }

    @Test
    void aBadLineIsOneSkippedRowAndTheRestIsUsed(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("reviews.tsv");
        Files.write(data, tsv("\n", bytes("positive\tgreat"), bytes("negative\tawful ", new int[] {0xFF, 0xFE}),
                bytes(""), bytes("neutral\tnul\0inside"), bytes("\uFEFFpositive\tafter a byte-order mark")));
        // Lines: 1 great, 2 "awful \xff\xfe", 3 blank, 4 NUL, 5 a byte-order mark (as cat leaves), then 90 rows.
        TrainerProcess.Result r = TrainerProcess.run(dir.resolve("logs"), "split", "--data", data.toString(),
                "--output", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains(data + ": read 94 rows: 93 used, 1 skipped (1 invalid UTF-8); 1 blank line "
                + "ignored"), r.all());
        assertTrue(r.err().contains("skipped line 2: invalid UTF-8 at byte 16 of line 2; re-save the file as UTF-8"),
                r.all());
        List<String> rows = written(dir.resolve("out"));
        assertEquals(93, rows.size());
        assertTrue(rows.contains("neutral\tnul\0inside"), "the NUL row is used as it is");
        assertTrue(rows.contains("positive\tafter a byte-order mark"), "no label \\uFEFFpositive");
        assertTrue(rows.contains("positive\ttext number 89"), "the last line, without a line break, is a row");
        assertFalse(String.join("\n", rows).contains("\uFEFF"));
        assertTrue(r.out().contains("train.tsv"), r.all());

        TrainerProcess.Result strict = TrainerProcess.run(dir.resolve("logs-strict"), "split", "--strict", "--data",
                data.toString(), "--output", dir.resolve("strict").toString());
        assertEquals(1, strict.code(), strict.all());
        assertTrue(strict.err().contains("error: " + data + ", line 2: invalid UTF-8 at byte 16 of line 2; re-save "
                + "the file as UTF-8 (strict mode stops at the first bad row"), strict.all());
        assertFalse(Files.exists(dir.resolve("strict").resolve("train.tsv")));
    }

    @Test
    void crLineEndsAreLinesNotOneHugeRow(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("mac.tsv");
        Files.write(data, tsv("\r", bytes("positive\tgreat"), bytes("negative\tawful")));
        TrainerProcess.Result r = TrainerProcess.run(dir.resolve("logs"), "split", "--data", data.toString(),
                "--output", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains(data + ": read 92 rows: 92 used, 0 skipped"), r.all());
        assertEquals(92, written(dir.resolve("out")).size());
    }
}
