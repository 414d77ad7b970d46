package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.Explanation;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.spi.EncodedAnalyzer;
import dev.sentikit.text.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link EncodedAnalyzer} on the ONNX analyzer: rows of ids run as texts do, and what explain builds on them. */
class EncodedAnalyzerTest {

    private static final long SEED = 20240611L;

    private static byte[] model;
    private static SentimentAnalyzer analyzer;

    @BeforeAll
    static void load() throws Exception {
        ModelGenerators.Bag bag = ModelGenerators.Bag.random(SEED, ModelGenerators.ROWS, ModelGenerators.DIM, 3);
        model = ModelGenerators.bagModel(bag, ModelGenerators.props(ModelGenerators.LABELS_3));
        analyzer = SentimentAnalyzer.fromBytes(model, "fixture.onnx", OnnxSentimentAnalyzerTest.cpu());
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    @Test
    void rowsOfIdsGiveWhatTheirTextsGive() throws Exception {
        EncodedAnalyzer engine = assertInstanceOf(EncodedAnalyzer.class, analyzer);
        TextEncoder encoder = engine.encoder();
        List<int[]> rows = new ArrayList<>();
        for (String text : OnnxSentimentAnalyzerTest.TEXTS) {
            rows.add(encoder.encode(text));
        }
        List<Sentiment> texts = analyzer.analyzeAll(OnnxSentimentAnalyzerTest.TEXTS);
        // In batches of 3 too: the order holds across batches.
        try (SentimentAnalyzer small = SentimentAnalyzer.fromBytes(model, "fixture.onnx",
                OnnxSentimentAnalyzerTest.cpu(3))) {
            for (List<Sentiment> ids : List.of(engine.analyzeEncoded(rows),
                    ((EncodedAnalyzer) small).analyzeEncoded(rows))) {
                assertEquals(texts.size(), ids.size());
                for (int i = 0; i < texts.size(); i++) {
                    assertEquals(texts.get(i).label(), ids.get(i).label(), OnnxSentimentAnalyzerTest.TEXTS.get(i));
                    for (String label : analyzer.labels()) {
                        assertEquals(texts.get(i).score(label), ids.get(i).score(label), 1e-6);
                    }
                    assertNull(ids.get(i).coverage(), "rows of ids say nothing of how a text was read");
                }
            }
        }
        assertEquals(List.of(), engine.analyzeEncoded(List.of()));
    }

    @Test
    void explainRunsTheTokensLeftOutAsIds() {
        String text = "The movie was not good, not great";
        Explanation e = analyzer.explain(text, "positive");
        TextEncoder encoder = ((EncodedAnalyzer) analyzer).encoder();
        List<String> tokens = encoder.tokenize(text);
        assertEquals(tokens.size(), e.contributions().size());
        assertEquals(analyzer.analyze(text).score("positive"), e.probability(), 1e-6);
        for (Explanation.TokenContribution c : e.contributions()) {
            List<String> others = new ArrayList<>(tokens);
            others.remove(c.index());
            assertArrayEquals(encoder.encode(String.join(" ", others)), encoder.encodeTokens(others));
            double without = analyzer.analyze(String.join(" ", others)).score("positive");
            assertEquals(e.probability() - without, c.contribution(), 1e-6, c.toString());
        }
    }

    @Test
    void badRowsAreRefusedWithTheReason() {
        EncodedAnalyzer engine = (EncodedAnalyzer) analyzer;
        int idSpace = engine.encoder().idSpace();
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> engine.analyzeEncoded(List.of(new int[] {1}, new int[] {2, idSpace})));
        assertTrue(outside.getMessage().startsWith("rows[1] holds the id " + idSpace + ", outside the model's ids 1.."
                + (idSpace - 1)), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.analyzeEncoded(List.<int[]>of(new int[] {0})));
        int longest = engine.encoder().spec().maxSequenceLength();
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> engine.analyzeEncoded(List.<int[]>of(new int[longest + 1])));
        assertTrue(tooLong.getMessage().contains("the model reads " + longest + " at most"), tooLong.getMessage());
        List<int[]> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> engine.analyzeEncoded(withNull));
    }

    @Test
    void aClosedAnalyzerRefusesIds() throws Exception {
        SentimentAnalyzer closed = SentimentAnalyzer.fromBytes(model, "fixture.onnx", OnnxSentimentAnalyzerTest.cpu());
        closed.close();
        assertThrows(IllegalStateException.class, () -> ((EncodedAnalyzer) closed).analyzeEncoded(List.of(new int[0])));
    }
}
