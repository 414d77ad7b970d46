package dev.sentikit.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * samples/node/test-vectors.json, which the Node quick start and the JavaScript package check their encoder and
 * probabilities against, is still what the Java encoder and SDK give for the en zoo model.
 */
class NodeTestVectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGENERATE = "; if the model or the encoder changed on purpose, regenerate the file "
            + "with: bin/test-vectors NodeTestVectors samples/node/test-vectors.json";

    static Path root() {
        return Path.of(System.getProperty("sentikit.root.dir", "..")).toAbsolutePath().normalize();
    }

    @Test
    void theCommittedVectorsAreWhatJavaGives() throws Exception {
        Path file = root().resolve("samples/node/test-vectors.json");
        JsonNode committed = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        JsonNode fresh = JSON.readTree(NodeTestVectors.generate());
        for (String field : new String[] {"model", "model_sha256", "labels", "tolerance"}) {
            assertEquals(fresh.get(field), committed.get(field), field + " differs" + REGENERATE);
        }
        assertEquals(fresh.get("cases").size(), committed.get("cases").size(), "case count" + REGENERATE);
        for (int i = 0; i < fresh.get("cases").size(); i++) {
            JsonNode want = fresh.get("cases").get(i);
            JsonNode have = committed.get("cases").get(i);
            assertEquals(want.get("text"), have.get("text"), "case " + i + REGENERATE);
            assertEquals(want.get("ids"), have.get("ids"), "the ids of " + want.get("text") + REGENERATE);
            for (int l = 0; l < want.get("probabilities").size(); l++) {
                assertEquals(want.get("probabilities").get(l).asDouble(), have.get("probabilities").get(l).asDouble(),
                        1e-6, "the probabilities of " + want.get("text") + REGENERATE);
            }
        }
    }

    @Test
    void theVectorsAreForTheModelFileNodeLoads() throws Exception {
        JsonNode committed = JSON.readTree(Files.readString(root().resolve("samples/node/test-vectors.json")));
        Path model = root().resolve(committed.get("model").asText());
        assertTrue(Files.isRegularFile(model), model + " is missing");
        assertEquals(committed.get("model_sha256").asText(), NodeTestVectors.sha256(Files.readAllBytes(model)),
                model + " is not the model on the class path" + REGENERATE);
    }

    @Test
    void theVectorsCoverTheEncodersEdges() throws Exception {
        JsonNode committed = JSON.readTree(Files.readString(root().resolve("samples/node/test-vectors.json")));
        boolean empty = false;
        int longest = 0;
        for (JsonNode c : committed.get("cases")) {
            // the words scheme gives no ids (a row of padding only), WordPiece [CLS] [SEP]
            empty |= c.get("text").asText().isEmpty() && c.get("ids").size() <= 2;
            longest = Math.max(longest, c.get("ids").size());
        }
        assertTrue(empty, "an empty text (no ids, or [CLS] [SEP] only)");
        int maxLength;
        try (dev.sentikit.SentimentAnalyzer en = dev.sentikit.SentimentAnalyzer.fromZoo("en")) {
            maxLength = en.card().encoder().maxSequenceLength();
        }
        assertEquals(maxLength, longest, "a text cut at max_tokens (with its bigrams when the model uses them)");
    }
}
