package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The embedded default model gives the obvious answers on obvious sentences. */
class DefaultModelTest {

    private static SentimentAnalyzer analyzer;

    @BeforeAll
    static void load() throws Exception {
        analyzer = SentimentAnalyzer.defaultModel();
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "I love this phone, it is wonderful|positive",
        "Absolutely fantastic service, thank you!|positive",
        "What a great movie, I enjoyed every minute.|positive",
        "This is the worst movie I have ever seen|negative",
        "I hate it, a total waste of money.|negative",
        "The food was awful and the staff were rude.|negative",
        "Terrible quality, it broke after one day.|negative",
        "not good|negative",
        "This is not good at all.|negative",
        "not bad|positive",
        "The package arrived on Tuesday.|neutral",
    })
    void obviousSentences(String text, String expected) {
        Sentiment s = analyzer.analyze(text);
        assertEquals(expected, s.label(), text + " -> " + s.scores());
    }

    @Test
    void cardDescribesTheModel() {
        assertEquals(List.of("negative", "neutral", "positive"), analyzer.labels());
        assertEquals("en", analyzer.card().name());
        assertEquals("transformer", analyzer.card().architecture());
        assertEquals("minilm-l6", analyzer.card().provenance().base().name());
        assertEquals("Apache-2.0", analyzer.card().provenance().base().licence());
        // The training file is named and pinned by its SHA-256 (model-zoo/en/train.sh builds the same bytes).
        assertTrue(analyzer.card().provenance().trainData().endsWith("train.tsv"),
                analyzer.card().provenance().trainData());
        assertTrue(analyzer.card().provenance().trainSha256().matches("[0-9a-f]{64}"),
                analyzer.card().provenance().trainSha256());
        assertTrue(analyzer.card().metrics().containsKey("validation"));
    }

    @Test
    void retrainScriptPinsTheSharedVaderData() throws Exception {
        java.nio.file.Path data = SharedData.require("en/vader-3class-train.tsv");
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(data));
        java.nio.file.Path script = java.nio.file.Path.of(System.getProperty("sentikit.root.dir", ".."))
                .resolve("model-zoo/en/train.sh");
        assertTrue(java.nio.file.Files.readString(script).contains(java.util.HexFormat.of().formatHex(digest)),
                "model-zoo/en/train.sh does not pin the SHA-256 of " + data);
    }

    @Test
    void batchEqualsOneByOne() {
        List<String> texts = List.of("good", "bad", "", "The package arrived.", "不好");
        List<Sentiment> batch = analyzer.analyzeAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            Sentiment one = analyzer.analyze(texts.get(i));
            assertEquals(one.label(), batch.get(i).label());
            assertEquals(one.score(), batch.get(i).score(), 1e-6);
        }
    }
}
