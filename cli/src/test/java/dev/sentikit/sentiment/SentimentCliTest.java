package dev.sentikit.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, List<String> lines, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SentimentCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        List<String> lines = out.toString().isEmpty() ? List.of() : List.of(out.toString().split("\n"));
        return new Run(code, lines, err.toString());
    }

    @Test
    void printsOneJsonObjectPerTextInOrder() throws Exception {
        Run r = run("I love it", "I hate it");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.lines().size());
        JsonNode first = JSON.readTree(r.lines().get(0));
        assertEquals("I love it", first.get("text").asText());
        assertEquals("positive", first.get("label").asText());
        assertEquals(first.get("scores").get("positive").asDouble(), first.get("score").asDouble(), 0);
        List<String> keys = new ArrayList<>();
        first.get("scores").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("negative", "neutral", "positive"), keys);
        double sum = 0;
        for (JsonNode p : first.get("scores")) {
            sum += p.asDouble();
        }
        assertEquals(1.0, sum, 1e-5);
        assertEquals("negative", JSON.readTree(r.lines().get(1)).get("label").asText());
    }

    /** A text longer than the model reads is never cut without the result saying so. */
    @Test
    void eachResultSaysHowItsTextWasRead() throws Exception {
        String review = "The plot was slow and the acting stiff. ".repeat(40) + "Still, the ending made it all worth "
                + "it: a wonderful, moving film that I loved.";
        Run r = run("works great", review);
        assertEquals(0, r.code(), r.err());
        JsonNode whole = JSON.readTree(r.lines().get(0)).get("read");
        assertEquals("whole", whole.get("how").asText());
        assertEquals(whole.get("tokens").asInt(), whole.get("tokens_read").asInt());
        assertEquals(1, whole.get("windows").asInt());
        assertFalse(whole.get("chars_cut").asBoolean());
        JsonNode cut = JSON.readTree(r.lines().get(1)).get("read");
        assertEquals("cut", cut.get("how").asText());
        assertTrue(cut.get("tokens").asInt() > 300, cut.toString());
        assertTrue(cut.get("tokens_read").asInt() < cut.get("tokens").asInt(), cut.toString());
        Run windows = run("--windows", "8", review);
        assertEquals(0, windows.code(), windows.err());
        JsonNode read = JSON.readTree(windows.lines().get(0)).get("read");
        assertEquals("windows", read.get("how").asText());
        assertTrue(read.get("windows").asInt() > 1 && read.get("windows").asInt() <= 8, read.toString());
        assertEquals(read.get("tokens").asInt(), read.get("tokens_read").asInt(), "eight windows read it all");
    }

    @Test
    void readsOneTextPerLineFromAFile(@TempDir Path dir) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < SentimentCli.BATCH + 5; i++) {
            texts.add(i % 2 == 0 ? "great " + i : "awful " + i);
        }
        Path input = dir.resolve("in.txt");
        Files.write(input, texts, StandardCharsets.UTF_8);
        Run r = run("--input", input.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(texts.size(), r.lines().size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i), JSON.readTree(r.lines().get(i)).get("text").asText());
        }
    }

    @Test
    void modelByNameOrPath(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("copy.onnx");
        try (var in = getClass().getClassLoader().getResourceAsStream("META-INF/sentikit/zoo/en.onnx")) {
            Files.copy(in, copy);
        }
        Run byPath = run("--model", copy.toString(), "great");
        Run byName = run("--model", "en", "great");
        assertEquals(0, byPath.code(), byPath.err());
        assertEquals(byName.lines(), byPath.lines());
    }

    @Test
    void errorsSayWhatIsWrong(@TempDir Path dir) {
        Run nothing = run();
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("nothing to analyze"), nothing.err());

        Run missing = run("--model", dir.resolve("missing.onnx").toString(), "x");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("model file not found"), missing.err());

        Run unknownZoo = run("--model", "klingon", "x");
        assertEquals(1, unknownZoo.code());
        assertTrue(unknownZoo.err().contains("en"), unknownZoo.err());

        Run badDevice = run("--device", "tpu", "x");
        assertEquals(1, badDevice.code());
        assertTrue(badDevice.err().contains("auto, cpu"), badDevice.err());
    }

    @Test
    void notAModelFile(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "label\ttext\n");
        Run r = run("--model", junk.toString(), "x");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not a valid ONNX model"), r.err());
    }
}
