package dev.sentikit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentimentTest {

    private static final List<String> LABELS = List.of("negative", "neutral", "positive");
    private static final double EXACT = 0.0;

    @Test
    void ofPicksTheMostProbableLabel() {
        Sentiment s = Sentiment.of(LABELS, new float[] {0.1f, 0.2f, 0.7f});
        assertEquals("positive", s.label());
        assertEquals(0.7f, s.score(), EXACT);
        assertEquals(0.1f, s.score("negative"), EXACT);
    }

    @Test
    void ofKeepsTheModelsLabelOrder() {
        Sentiment s = Sentiment.of(LABELS, new float[] {0.5f, 0.3f, 0.2f});
        assertEquals(LABELS, new ArrayList<>(s.scores().keySet()));
    }

    @Test
    void tiesGoToTheFirstLabel() {
        assertEquals("neutral", Sentiment.of(LABELS, new float[] {0.2f, 0.4f, 0.4f}).label());
        assertEquals("negative", Sentiment.of(LABELS, new float[] {0.5f, 0.5f, 0f}).label());
    }

    @Test
    void ofRejectsAProbabilityCountThatIsNotTheLabelCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sentiment.of(LABELS, new float[] {0.5f, 0.5f}));
        assertEquals("expected 3 probabilities, one per label, got 2", e.getMessage());
    }

    @Test
    void ofRejectsZeroLabelsWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sentiment.of(List.of(), new float[0]));
        assertEquals("no labels: a sentiment needs at least one label and its probability", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sentiment.of(List.of(), new float[] {1f}));
    }

    @Test
    void unknownLabelNamesItAndTheModelsLabels() {
        Sentiment s = Sentiment.of(LABELS, new float[] {0.1f, 0.2f, 0.7f});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.score("happy"));
        assertTrue(e.getMessage().contains("'happy'"), e.getMessage());
        assertTrue(e.getMessage().contains(LABELS.toString()), e.getMessage());
    }

    @Test
    void constructorRequiresTheLabelAmongTheScores() {
        Map<String, Double> scores = Map.of("negative", 0.4, "positive", 0.6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sentiment("neutral", 0.5, scores));
        assertTrue(e.getMessage().contains("'neutral'"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new Sentiment(null, 0.5, scores));
        assertThrows(NullPointerException.class, () -> new Sentiment("positive", 0.6, null));
    }

    @Test
    void scoresAreACopyAndUnmodifiable() {
        Map<String, Double> scores = new LinkedHashMap<>(Map.of("negative", 0.4, "positive", 0.6));
        Sentiment s = new Sentiment("positive", 0.6, scores);
        scores.put("positive", 0.0);
        assertEquals(0.6, s.score("positive"), EXACT);
        assertThrows(UnsupportedOperationException.class, () -> s.scores().put("negative", 1.0));
    }

    @Test
    void equalSentimentsAreEqual() {
        assertEquals(Sentiment.of(LABELS, new float[] {0.1f, 0.2f, 0.7f}),
                Sentiment.of(LABELS, new float[] {0.1f, 0.2f, 0.7f}));
    }
}
