package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.SentimentAnalyzer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TrainAndExport goes from a TSV file to an ONNX file to predictions, on a 300-row fixture. */
class TrainAndExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path fixture(Path dir) throws Exception {
        Path data = dir.resolve("vader-sample-300.tsv");
        try (var in = TrainAndExportTest.class.getResourceAsStream("/fixtures/vader-sample-300.tsv")) {
            Files.copy(in, data);
        }
        return data;
    }

    @Test
    void trainsExportsAndPredicts(@TempDir Path dir) throws Exception {
        Path data = fixture(dir);
        Path model = dir.resolve("models/vader.onnx");
        Files.createDirectories(model.getParent());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TrainAndExport.run(new String[] {"--data", data.toString(), "--output", model.toString(),
            "--epochs", "2", "great", "terrible"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, out + "\n" + err);

        List<String> lines = List.of(out.toString().split("\n"));
        assertTrue(lines.get(0).contains("300"), lines.get(0));
        assertTrue(lines.stream().filter(l -> l.startsWith("epoch ")).count() == 2, out.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("wrote " + model)), out.toString());
        assertTrue(Files.size(model) > 0);
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "nothing written beside the data but the model");
        }

        // The two last lines are the exported file's predictions, exactly what the SDK gives for that file.
        JsonNode great = JSON.readTree(lines.get(lines.size() - 2));
        JsonNode terrible = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("great", great.get("text").asText());
        assertEquals("terrible", terrible.get("text").asText());
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.load(model)) {
            assertEquals(List.of("negative", "neutral", "positive"), analyzer.labels());
            assertEquals("vader", analyzer.card().name());
            assertEquals(2, ((Number) analyzer.card().provenance().hyperparameters().get("epochs")).intValue());
            assertEquals(analyzer.analyze("great").label(), great.get("label").asText());
            assertEquals(analyzer.analyze("great").score(), great.get("score").asDouble(), 1e-6);
            assertEquals(analyzer.analyze("terrible").score(), terrible.get("score").asDouble(), 1e-6);
        }
    }

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = TrainAndExport.run(new String[] {"--data", dir.resolve("nope.tsv").toString(), "--output",
            dir.resolve("m.onnx").toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("error: "), err.toString());
        assertTrue(err.toString().contains("nope.tsv"), err.toString());
    }
}
