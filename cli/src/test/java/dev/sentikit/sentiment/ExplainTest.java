package dev.sentikit.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.Explanation;
import dev.sentikit.SentimentAnalyzer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SentimentAnalyzer#explain} with the default model, and {@code sentiment --explain}. */
class ExplainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SentimentAnalyzer analyzer;

    @BeforeAll
    static void load() throws Exception {
        analyzer = SentimentAnalyzer.defaultModel();
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    private static Explanation.TokenContribution token(Explanation e, String token) {
        return e.contributions().stream().filter(c -> c.token().equals(token)).findFirst().orElseThrow(
                () -> new AssertionError("no token '" + token + "' in " + e.contributions()));
    }

    @Test
    void aNegativeWordPullsAwayFromPositive() {
        Explanation e = analyzer.explain("I love the screen but the battery is terrible", "positive");
        assertEquals("positive", e.label());
        assertTrue(token(e, "terrible").contribution() < 0, e.contributions().toString());
        assertTrue(token(e, "love").contribution() > 0, e.contributions().toString());
        assertEquals(List.of("i", "love", "the", "screen", "but", "the", "battery", "is", "terrible"),
                e.contributions().stream().map(Explanation.TokenContribution::token).toList());
    }

    @Test
    void theDefaultExplainsThePredictedLabel() {
        String text = "This is the worst movie I have ever seen";
        Explanation e = analyzer.explain(text);
        assertEquals(analyzer.analyze(text).label(), e.label());
        assertEquals(analyzer.analyze(text).score(), e.probability(), 1e-6);
        assertEquals("worst", e.byMagnitude().get(0).token(), e.byMagnitude().toString());
    }

    @Test
    void contributionsAreWhatLeavingTheTokenOutChanges() {
        String text = "Not bad at all, really good";
        Explanation e = analyzer.explain(text, "negative");
        List<String> tokens = e.contributions().stream().map(Explanation.TokenContribution::token).toList();
        double sum = 0;
        for (Explanation.TokenContribution c : e.contributions()) {
            List<String> rest = new ArrayList<>(tokens);
            rest.remove(c.index());
            double without = analyzer.analyze(String.join(" ", rest)).score("negative");
            assertEquals(e.probability() - without, c.contribution(), 1e-5, c.toString());
            assertTrue(Math.abs(c.contribution()) <= 1, c.toString());
            sum += c.contribution();
        }
        double total = sum;
        assertTrue(Double.isFinite(total) && Math.abs(total) <= tokens.size(), "sum " + total);
    }

    @Test
    void oneTokenContributesItsWholeDifferenceFromTheEmptyText() {
        Explanation e = analyzer.explain("awful", "negative");
        assertEquals(1, e.contributions().size());
        double sum = e.contributions().stream().mapToDouble(Explanation.TokenContribution::contribution).sum();
        assertEquals(e.probability() - analyzer.analyze("").score("negative"), sum, 1e-6);
        assertTrue(sum > 0.1, "awful makes negative much more likely: " + sum);
    }

    @Test
    void anEmptyTextHasNoContributions() {
        for (String text : List.of("", "   ", "\u200B")) {
            Explanation e = analyzer.explain(text);
            assertEquals(List.of(), e.contributions());
            assertEquals(analyzer.analyze(text).label(), e.label());
        }
    }

    @Test
    void theCliPrintsTheExplanationLargestFirst() throws Exception {
        SentimentCliTest.Run r = SentimentCliTest.run("--explain", "The food was awful", "");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.lines().size());
        JsonNode first = JSON.readTree(r.lines().get(0));
        assertEquals("negative", first.get("label").asText());
        List<String> keys = new ArrayList<>();
        first.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("text", "label", "score", "scores", "read", "explanation"), keys);
        JsonNode explanation = first.get("explanation");
        assertEquals(4, explanation.size());
        assertEquals("awful", explanation.get(0).get("token").asText());
        assertTrue(explanation.get(0).get("contribution").asDouble() > 0);
        for (int i = 1; i < explanation.size(); i++) {
            assertTrue(Math.abs(explanation.get(i - 1).get("contribution").asDouble())
                    >= Math.abs(explanation.get(i).get("contribution").asDouble()));
        }
        assertEquals(0, JSON.readTree(r.lines().get(1)).get("explanation").size());
        JsonNode plain = JSON.readTree(SentimentCliTest.run("The food was awful").lines().get(0));
        assertTrue(!plain.has("explanation"), plain.toString());
    }
}
