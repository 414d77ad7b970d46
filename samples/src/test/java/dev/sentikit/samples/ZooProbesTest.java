package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The zoo models on the hand-written probe sentences of {@code model-zoo/probes/} (negation, negated negatives,
 * contrast with "but", intensifiers, hedges; label TAB text), as a regression test: each model must keep at least the
 * share it had when it shipped (docs/benchmarks.md gives every model's score). The probes are the behaviour a user
 * checks first ("not good"), not a test set: they were written to probe, not sampled. A model is scored on the
 * probes whose label it has (a two-label model is not asked for neutral).
 */
class ZooProbesTest {

    @ParameterizedTest(name = "{0} on probes/{1}.tsv: at least {2}, and {3} of the neutral ones")
    @CsvSource({
        // What each scored when it shipped: en 52 of 56 (14 of the 14 neutral ones); en-lite, the distilled bilstm,
        // 50 of 56 (13 of 14 neutral); zh, three labels with the shopping reviews as --partial-data, 40 of 56 (5 of
        // the 14 neutral ones, 1 before --partial-data: the 85% is missed, see its card); zh-lite, three
        // labels, 36 of 56 (2 of the 14 neutral ones)
        "en, en, 0.92, 14",
        "en-lite, en, 0.89, 13",
        "zh, zh, 0.71, 5",
        "zh-lite, zh, 0.64, 2",
    })
    void keepsItsShareOfProbes(String model, String language, double floor, int neutralFloor) throws Exception {
        Path file = Path.of(System.getProperty("sentikit.root.dir", "..")).resolve("model-zoo/probes")
                .resolve(language + ".tsv");
        List<String> labels = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            labels.add(line.substring(0, tab));
            texts.add(line.substring(tab + 1));
        }
        assertTrue(texts.size() >= 40, file + " has " + texts.size() + " probes, fewer than the 40 reviewed");
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromZoo(model)) {
            for (int i = texts.size() - 1; i >= 0; i--) {
                if (!analyzer.labels().contains(labels.get(i))) {
                    labels.remove(i);
                    texts.remove(i);
                }
            }
            List<Sentiment> results = analyzer.analyzeAll(texts);
            int right = 0;
            int neutralRight = 0;
            StringBuilder wrong = new StringBuilder();
            for (int i = 0; i < texts.size(); i++) {
                if (results.get(i).label().equals(labels.get(i))) {
                    right++;
                    neutralRight += labels.get(i).equals("neutral") ? 1 : 0;
                } else {
                    wrong.append("\n  ").append(texts.get(i)).append(": ").append(labels.get(i)).append(" expected, ")
                            .append(results.get(i).label()).append(' ').append(results.get(i).scores());
                }
            }
            double share = right / (double) texts.size();
            assertTrue(share >= floor, String.format("%s gets %d of %d probes right (%.2f), below %.2f; wrong:%s",
                    model, right, texts.size(), share, floor, wrong));
            assertTrue(neutralRight >= neutralFloor, String.format("%s gets %d of the neutral probes right, fewer "
                    + "than %d; wrong:%s", model, neutralRight, neutralFloor, wrong));
        }
    }
}
