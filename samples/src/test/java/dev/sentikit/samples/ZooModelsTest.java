package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every zoo model on the class path loads, describes itself and labels obvious sentences correctly. */
class ZooModelsTest {

    /** Every zoo model. */
    static final List<String> ZOO = List.of("en", "en-lite", "zh", "zh-lite");

    /** The labels of each zoo model, in output order: what the README's model table says. */
    static final Map<String, List<String>> LABELS = Map.of(
            "en", List.of("negative", "neutral", "positive"),
            "en-lite", List.of("negative", "neutral", "positive"),
            "zh", List.of("negative", "neutral", "positive"),
            "zh-lite", List.of("negative", "neutral", "positive"));

    /** Models larger than this do not ship (the zoo's size limit). */
    private static final long MAX_MODEL_BYTES = 30L << 20;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "zh|这个手机很好用，非常满意|positive",
        "zh|质量太差了，非常失望，不会再买|negative",
        "zh|物流很快，包装也很好，五星好评|positive",
        "zh|完全是假货，客服态度恶劣|negative",
        "zh|这款车的油耗是百公里8个油。|neutral",
        "en|I love this phone, it is wonderful|positive",
        "en|This is the worst movie I have ever seen|negative",
        "en|not good|negative",
        "en-lite|I love this phone, it is wonderful|positive",
        "en-lite|This is the worst movie I have ever seen|negative",
        "zh-lite|这个手机很好用，非常满意|positive",
        "zh-lite|质量太差了，非常失望，不会再买|negative",
        "en-lite|not good|negative",
        "zh-lite|这款车的油耗是百公里8个油。|neutral",
    })
    void obviousSentences(String model, String text, String expected) throws Exception {
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromZoo(model)) {
            assertEquals(expected, analyzer.analyze(text).label(), model + ": " + text + " -> "
                    + analyzer.analyze(text).scores());
        }
    }

    @Test
    void cardsCarryTestMetricsCalibrationAndLimits() throws Exception {
        for (String name : ZOO) {
            try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromZoo(name)) {
                assertEquals(name, analyzer.card().name());
                Map<String, Object> metrics = analyzer.card().metrics();
                assertTrue(metrics.containsKey("test"), name + ": no test metrics in " + metrics.keySet());
                assertTrue(analyzer.card().calibration() != null, name + ": not calibrated");
                assertTrue(!analyzer.card().limitations().isEmpty(), name + ": no known limits");
            }
            long size = getClass().getClassLoader().getResource("META-INF/sentikit/zoo/" + name + ".onnx")
                    .openConnection().getContentLengthLong();
            assertTrue(size <= MAX_MODEL_BYTES, name + " is " + size + " bytes");
        }
        for (Map.Entry<String, List<String>> e : LABELS.entrySet()) {
            try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromZoo(e.getKey())) {
                assertEquals(e.getValue(), analyzer.labels(), e.getKey());
            }
        }
    }

    @Test
    void aMissingModelNamesThosePresent() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentimentAnalyzer.fromZoo("fr"));
        assertTrue(e.getMessage().contains("[en, en-lite, zh, zh-lite]"), e.getMessage());
        assertTrue(e.getMessage().contains("sentikit-model-fr"), e.getMessage());
    }
}
