package dev.sentikit.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    private static final ObjectMapper STRICT = new ObjectMapper();

    @TempDir
    Path dir;

    private static List<String> lines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.isEmpty() || text.endsWith("\n"), "every line is ended");
        return text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void writesOneValidJsonLinePerEpochAndFlushesEach() throws IOException {
        Path file;
        try (MetricsLog log = MetricsLog.inDirectory(dir.resolve("run"))) {
            file = log.file();
            assertEquals(dir.resolve("run").resolve(MetricsLog.FILE), file);
            log.append(new EpochResult(1, 0.9, 0.6, 0.55, 1234.5), 0.01, 2.5);
            // Flushed: another reader sees the line before the log is closed.
            assertEquals(1, lines(file).size());
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("best", true);
            extra.put("lr_schedule", "cosine");
            log.append(new EpochResult(2, 0.7, 0.7, 0.66, 1300), 0.005, 2.25, extra);
            log.append(new EpochResult(3, Double.NaN, 0.71, 0.67, Double.POSITIVE_INFINITY), 0.001, 2.0);
        }
        List<String> lines = lines(file);
        assertEquals(3, lines.size());
        for (String line : lines) {
            JsonNode node = STRICT.readTree(line); // strict JSON: no NaN or Infinity tokens
            assertTrue(node.isObject(), line);
        }
        JsonNode first = STRICT.readTree(lines.get(0));
        assertEquals(MetricsLog.STANDARD_FIELDS, fieldNames(first));
        assertEquals(1, first.get("epoch").asInt());
        assertEquals(0.9, first.get("train_loss").asDouble());
        assertEquals(0.6, first.get("valid_accuracy").asDouble());
        assertEquals(0.55, first.get("valid_macro_f1").asDouble());
        assertEquals(1234.5, first.get("examples_per_second").asDouble());
        assertEquals(0.01, first.get("learning_rate").asDouble());
        assertEquals(2.5, first.get("seconds").asDouble());
        JsonNode second = STRICT.readTree(lines.get(1));
        List<String> expected = new ArrayList<>(MetricsLog.STANDARD_FIELDS);
        expected.add("best");
        expected.add("lr_schedule");
        assertEquals(expected, fieldNames(second));
        assertTrue(second.get("best").asBoolean());
        JsonNode third = STRICT.readTree(lines.get(2));
        assertTrue(third.get("train_loss").isNull(), "NaN is written as null");
        assertTrue(third.get("examples_per_second").isNull(), "infinity is written as null");
    }

    @Test
    void appendingToAnExistingFileKeepsItsLines() throws IOException {
        Path file = dir.resolve(MetricsLog.FILE);
        try (MetricsLog log = MetricsLog.open(file)) {
            log.append(new EpochResult(1, 0.9, 0.6, 0.55, 100), 0.01, 1);
            log.append(new EpochResult(2, 0.8, 0.65, 0.6, 100), 0.01, 1);
        }
        List<String> before = lines(file);
        try (MetricsLog log = MetricsLog.open(file)) {
            log.append(new EpochResult(3, 0.7, 0.7, 0.65, 100), 0.01, 1);
        }
        List<String> after = lines(file);
        assertEquals(3, after.size());
        assertEquals(before, after.subList(0, 2));
        List<EpochResult> read = MetricsLog.toEpochResults(MetricsLog.read(file));
        assertEquals(List.of(new EpochResult(1, 0.9, 0.6, 0.55, 100), new EpochResult(2, 0.8, 0.65, 0.6, 100),
                new EpochResult(3, 0.7, 0.7, 0.65, 100)), read);
    }

    @Test
    void aLineCutOffByACrashIsRemovedAndAWholeUnendedLineIsEnded() throws IOException {
        Path file = dir.resolve("cut.jsonl");
        Files.writeString(file, "{\"epoch\":1,\"train_loss\":0.5}\n{\"epoch\":2,\"train_lo", StandardCharsets.UTF_8);
        assertEquals(1, MetricsLog.read(file).size(), "a cut-off last line is skipped when reading");
        try (MetricsLog log = MetricsLog.open(file)) {
            log.append(new EpochResult(2, 0.4, 0.7, 0.6, 50), 0.01, 1);
        }
        List<String> lines = lines(file);
        assertEquals(2, lines.size());
        assertEquals(List.of(1, 2), List.of(STRICT.readTree(lines.get(0)).get("epoch").asInt(),
                STRICT.readTree(lines.get(1)).get("epoch").asInt()));

        Path whole = dir.resolve("whole.jsonl");
        Files.writeString(whole, "{\"epoch\":1}", StandardCharsets.UTF_8);
        try (MetricsLog log = MetricsLog.open(whole)) {
            log.appendLine(Map.of("epoch", 2));
        }
        assertEquals(List.of("{\"epoch\":1}", "{\"epoch\":2}"), lines(whole));
    }

    @Test
    void refusesExtrasThatReplaceStandardFieldsAndBadLinesInTheMiddle() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir.resolve("m.jsonl"))) {
            assertThrows(IllegalArgumentException.class,
                    () -> log.append(new EpochResult(1, 1, 1, 1, 1), 0.1, 1, Map.of("seconds", 3)));
        }
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"epoch\":1}\nnot json\n{\"epoch\":3}\n", StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> MetricsLog.read(bad));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.toEpochResult(Map.of("loss", 1)));
    }
}
