package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.Coverage;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Truncation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A text longer than the model reads: the model file's truncation decides what is read, windows read all of it,
 * and every result says how its text was read ({@link Sentiment#coverage()}).
 */
class LongTextAnalysisTest {

    private static final List<String> LABELS = ModelGenerators.LABELS_3;
    /** Six words a text, with bigrams: a small room that long texts overflow. */
    private static final EncoderSpec SPEC = ModelGenerators.SPEC.withMaxTokens(6);
    private static final ModelGenerators.Bag BAG = ModelGenerators.Bag.random(77L, ModelGenerators.ROWS,
            ModelGenerators.DIM, LABELS.size());
    private static final String LONG = "movie was slow and long but the ending was great good not bad at all really";

    private static SentimentAnalyzer analyzer(Truncation truncation, int maxWindows) throws Exception {
        EncoderSpec spec = SPEC.withTruncation(truncation);
        ModelCard card = new ModelCard(ModelFormat.FORMAT_VERSION, "long", null, "bag", LABELS, spec,
                ModelGenerators.VOCABULARY.size(), ModelGenerators.ROWS, null, Map.of(), List.of());
        return SentimentAnalyzer.fromBytes(ModelGenerators.bagModel(BAG,
                ModelFormat.toMetadataProps(card, ModelGenerators.VOCABULARY)), "long.onnx",
                AnalyzerOptions.builder().optDevice(Device.CPU).optMaxWindows(maxWindows).build());
    }

    private static double[] expected(EncoderSpec spec, String text) {
        return BAG.probabilities(TextEncoder.of(spec, ModelGenerators.VOCABULARY).encode(text));
    }

    @Test
    void theModelsTruncationDecidesWhatIsReadAndTheResultSaysSo() throws Exception {
        List<String> tokens = TextEncoder.tokenize(LONG, SPEC.withMaxTokens(1000));
        assertEquals(16, tokens.size());
        for (Truncation t : List.of(Truncation.HEAD, Truncation.TAIL, Truncation.headTail(2))) {
            try (SentimentAnalyzer a = analyzer(t, 1)) {
                Sentiment s = a.analyze(LONG);
                double[] p = expected(SPEC.withTruncation(t), LONG);
                for (int l = 0; l < LABELS.size(); l++) {
                    assertEquals(p[l], s.score(LABELS.get(l)), 1e-6, t + " " + LABELS.get(l));
                }
                assertEquals(new Coverage(6, 16, 1, false, "Latin", true), s.coverage(), t.toString());
                assertEquals("cut", s.coverage().how());
                same(s, a.analyzeAll(List.of("good", LONG)).get(1), "the same in a batch");
                Sentiment shortText = a.analyze("good movie");
                assertEquals(new Coverage(2, 2, 1, false, "Latin", true), shortText.coverage());
                assertFalse(shortText.coverage().cut());
                assertEquals("whole", shortText.coverage().how());
            }
        }
        // tail reads the verdict: the last six words; head+tail:2 the first two and the last four.
        assertEquals(List.of("good", "not", "bad", "at", "all", "really"),
                TextEncoder.tokenize(LONG, SPEC.withTruncation(Truncation.TAIL)));
        assertEquals(List.of("movie", "was", "bad", "at", "all", "really"),
                TextEncoder.tokenize(LONG, SPEC.withTruncation(Truncation.headTail(2))));
    }

    /** Windows of six words, three shared with the next; each counts the same in the mean. */
    @Test
    void windowsReadTheWholeTextAndAverageTheirProbabilities() throws Exception {
        List<String> tokens = TextEncoder.tokenize(LONG, SPEC.withMaxTokens(1000));
        try (SentimentAnalyzer a = analyzer(Truncation.HEAD, 8)) {
            Sentiment s = a.analyze(LONG);
            // 16 tokens: windows [0, 6), [3, 9), [6, 12), [9, 15), [12, 16)
            int[][] windows = {{0, 6}, {3, 9}, {6, 12}, {9, 15}, {12, 16}};
            double[] mean = new double[LABELS.size()];
            for (int[] w : windows) {
                double[] p = expected(SPEC, String.join(" ", tokens.subList(w[0], w[1])));
                for (int l = 0; l < p.length; l++) {
                    mean[l] += p[l] / windows.length;
                }
            }
            for (int l = 0; l < LABELS.size(); l++) {
                assertEquals(mean[l], s.score(LABELS.get(l)), 1e-6, LABELS.get(l));
            }
            assertEquals(new Coverage(16, 16, 5, false, "Latin", true), s.coverage());
            assertEquals("windows", s.coverage().how());
            assertFalse(s.coverage().cut(), "every token was read");
            List<Sentiment> batch = a.analyzeAll(List.of("good", LONG, "bad movie", LONG));
            same(s, batch.get(1), "in a batch");
            same(s, batch.get(3), "again in a batch");
            assertEquals(1, batch.get(2).coverage().windows());
        }
        try (SentimentAnalyzer a = analyzer(Truncation.HEAD, 3)) {
            Coverage c = a.analyze(LONG).coverage();
            // past the bound: the first two windows and the last six tokens, [0, 6), [3, 9), [10, 16)
            assertEquals(new Coverage(15, 16, 3, false, "Latin", true), c);
            assertTrue(c.cut());
        }
    }

    /** The same probabilities up to float rounding (a batch pads rows), and the same coverage. */
    private static void same(Sentiment expected, Sentiment actual, String what) {
        HardeningTextInputTest.assertSameScores(expected, actual, what);
        assertEquals(expected.coverage(), actual.coverage(), what);
    }

    /** A text in a script the model was hardly trained on says so; a model that does not say flags nothing. */
    @Test
    void aTextInAScriptTheModelDoesNotReadIsFlagged() throws Exception {
        ModelCard card = new ModelCard(ModelFormat.FORMAT_VERSION, "english", null, "bag", LABELS, SPEC,
                ModelGenerators.VOCABULARY.size(), ModelGenerators.ROWS, null, Map.of(), List.of(), null,
                Map.of("Latin", 0.9995, "Han", 0.0005));
        try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(ModelGenerators.bagModel(BAG,
                ModelFormat.toMetadataProps(card, ModelGenerators.VOCABULARY)), "english.onnx",
                AnalyzerOptions.builder().optDevice(Device.CPU).build())) {
            List<Sentiment> r = a.analyzeAll(List.of("这个手机不错", "good movie", "😀👍", LONG));
            assertEquals("Han", r.get(0).coverage().script());
            assertFalse(r.get(0).coverage().scriptKnown(), "the model saw almost no Han in training");
            assertEquals("Latin", r.get(1).coverage().script());
            assertTrue(r.get(1).coverage().scriptKnown());
            assertEquals(null, r.get(2).coverage().script(), "too few letters to say");
            assertTrue(r.get(2).coverage().scriptKnown());
            assertTrue(r.get(3).coverage().scriptKnown() && r.get(3).coverage().cut(), "a cut text is checked too");
            assertEquals(r.get(0).coverage(), a.analyze("这个手机不错").coverage());
        }
        try (SentimentAnalyzer a = analyzer(Truncation.HEAD, 1)) {
            assertTrue(a.analyze("这个手机不错").coverage().scriptKnown(), "a card without scripts flags nothing");
        }
    }

    @Test
    void manyLongTextsInOneCallKeepTheirOrder() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            texts.add(i % 3 == 0 ? LONG + " " + "good ".repeat(i % 7) : i % 3 == 1 ? "bad" : "not good at all " + i);
        }
        try (SentimentAnalyzer a = analyzer(Truncation.TAIL, 4)) {
            List<Sentiment> all = a.analyzeAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                same(a.analyze(texts.get(i)), all.get(i), "text " + i);
            }
        }
    }
}
