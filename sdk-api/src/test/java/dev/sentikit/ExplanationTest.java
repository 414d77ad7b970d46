package dev.sentikit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.model.ModelCard;
import dev.sentikit.spi.EncodedAnalyzer;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SentimentAnalyzer#explain} on a fake engine whose answers are known exactly. */
class ExplanationTest {

    /** p(positive) = sigmoid(sum of word weights), from the ids; records every batch of ids it is given. */
    static final class WordWeights implements SentimentAnalyzer, EncodedAnalyzer {
        static final Map<String, Double> WEIGHTS = Map.of("good", 2.0, "great", 3.0, "bad", -2.0, "awful", -3.0);
        /** The default words encoder (with bigrams) over a vocabulary that holds the weighted words. */
        static final TextEncoder ENCODER = TextEncoder.of(EncoderSpec.defaults(),
                Vocabulary.of(List.of("good", "great", "bad", "awful", "phone", "battery")));
        final List<List<int[]>> batches = new ArrayList<>();

        @Override
        public Sentiment analyze(String text) {
            return analyzeAll(List.of(text)).get(0);
        }

        @Override
        public List<Sentiment> analyzeAll(List<String> texts) {
            List<Sentiment> out = new ArrayList<>();
            for (String text : texts) {
                out.add(Sentiment.of(labels(), probabilities(text)));
            }
            return out;
        }

        @Override
        public TextEncoder encoder() {
            return ENCODER;
        }

        @Override
        public List<Sentiment> analyzeEncoded(List<int[]> rows) {
            batches.add(List.copyOf(rows));
            List<Sentiment> out = new ArrayList<>();
            for (int[] ids : rows) {
                out.add(Sentiment.of(labels(), probabilities(ids)));
            }
            return out;
        }

        static float[] probabilities(String text) {
            return probabilities(ENCODER.encode(text));
        }

        static float[] probabilities(int[] ids) {
            double z = 0;
            for (int id : ids) {
                if (id <= ENCODER.vocabulary().size()) { // a word of the vocabulary, not a hash bucket
                    z += WEIGHTS.getOrDefault(ENCODER.vocabulary().token(id), 0.0);
                }
            }
            float positive = (float) (1 / (1 + Math.exp(-z)));
            return new float[] {1 - positive, positive};
        }

        @Override
        public List<String> labels() {
            return List.of("negative", "positive");
        }

        @Override
        public ModelCard card() {
            return new ModelCard(1, "fake", null, "bag", labels(), EncoderSpec.defaults(), 0,
                    1 + EncoderSpec.DEFAULT_HASH_BUCKETS, null, null, null);
        }

        @Override
        public void close() {}
    }

    @Test
    void eachTokenIsLeftOutOnceInOneBatch() {
        WordWeights analyzer = new WordWeights();
        Explanation e = analyzer.explain("Good phone, BAD battery", "positive");
        assertEquals(1, analyzer.batches.size(), "one run of the model");
        // The text's ids, then each variant's: the ids of the other tokens joined by spaces (what explain ran as
        // texts before it ran ids), bigrams included: leaving "phone" out drops "good phone" and "phone ,", and
        // adds "good ,".
        List<String> texts = List.of("Good phone, BAD battery", "phone , bad battery", "good , bad battery",
                "good phone bad battery", "good phone , battery", "good phone , bad");
        List<int[]> rows = analyzer.batches.get(0);
        assertEquals(texts.size(), rows.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(WordWeights.ENCODER.encode(texts.get(i)), rows.get(i), texts.get(i));
        }
        assertEquals("positive", e.label());
        assertEquals(List.of("good", "phone", ",", "bad", "battery"),
                e.contributions().stream().map(Explanation.TokenContribution::token).toList());
        assertEquals(List.of(0, 1, 2, 3, 4), e.contributions().stream().map(Explanation.TokenContribution::index).toList());
        double p = WordWeights.probabilities("good bad")[1];
        assertEquals(p, e.probability(), 1e-7);
        assertEquals(p - WordWeights.probabilities("bad")[1], e.contributions().get(0).contribution(), 1e-7);
        assertTrue(e.contributions().get(0).contribution() > 0, "good pushes towards positive");
        assertTrue(e.contributions().get(3).contribution() < 0, "bad pushes away from positive");
        assertEquals(0, e.contributions().get(1).contribution(), 0, "a neutral word adds nothing");
    }

    @Test
    void theDefaultExplainsThePredictedLabel() {
        WordWeights analyzer = new WordWeights();
        Explanation e = analyzer.explain("awful, just awful");
        assertEquals("negative", e.label());
        assertEquals(analyzer.analyze("awful, just awful").score("negative"), e.probability(), 0);
        assertTrue(e.contributions().get(0).contribution() > 0, "awful pushes towards negative");
    }

    @Test
    void oneTokenContributesAllThatSeparatesItFromTheEmptyText() {
        WordWeights analyzer = new WordWeights();
        Explanation e = analyzer.explain("great", "positive");
        assertEquals(1, e.contributions().size());
        double sum = e.contributions().stream().mapToDouble(Explanation.TokenContribution::contribution).sum();
        assertEquals(e.probability() - analyzer.analyze("").score("positive"), sum, 1e-7);
    }

    @Test
    void anEmptyTextHasNoContributions() {
        WordWeights analyzer = new WordWeights();
        for (String text : List.of("", "   ", "\u200B")) {
            Explanation e = analyzer.explain(text);
            assertEquals(List.of(), e.contributions());
            assertEquals(text, e.text());
            assertEquals(0.5, e.probability(), 1e-7);
        }
    }

    @Test
    void byMagnitudeSortsByAbsoluteContribution() {
        Explanation e = new WordWeights().explain("good movie, awful ending", "positive");
        List<Explanation.TokenContribution> sorted = e.byMagnitude();
        assertEquals("awful", sorted.get(0).token());
        assertEquals("good", sorted.get(1).token());
        for (int i = 1; i < sorted.size(); i++) {
            assertTrue(Math.abs(sorted.get(i - 1).contribution()) >= Math.abs(sorted.get(i).contribution()));
        }
    }

    @Test
    void anEngineThatCannotRunIdsSaysSo() {
        SentimentAnalyzer textsOnly = new SentimentAnalyzer() {
            final WordWeights inner = new WordWeights();

            @Override
            public Sentiment analyze(String text) {
                return inner.analyze(text);
            }

            @Override
            public List<Sentiment> analyzeAll(List<String> texts) {
                return inner.analyzeAll(texts);
            }

            @Override
            public List<String> labels() {
                return inner.labels();
            }

            @Override
            public ModelCard card() {
                return inner.card();
            }

            @Override
            public void close() {}
        };
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> textsOnly.explain("good"));
        assertTrue(e.getMessage().contains("dev.sentikit.spi.EncodedAnalyzer"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefused() {
        WordWeights analyzer = new WordWeights();
        assertThrows(NullPointerException.class, () -> analyzer.explain(null));
        assertThrows(NullPointerException.class, () -> analyzer.explain("x", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> analyzer.explain("x", "neutral"));
        assertTrue(e.getMessage().contains("[negative, positive]"), e.getMessage());
    }
}
