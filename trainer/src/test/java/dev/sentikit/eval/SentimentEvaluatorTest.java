package dev.sentikit.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.impl.ArrayExample;

class SentimentEvaluatorTest {

    private static final double EXACT = 1e-12;
    private static final List<String> LABELS = List.of("negative", "neutral", "positive");
    private static final SentimentEvaluator EVALUATOR = new SentimentEvaluator("test-model");

    /*
     * Ten examples, rows gold, columns predicted (negative, neutral, positive):
     *   negative  2 1 1
     *   neutral   1 2 0
     *   positive  0 1 2
     * accuracy 6/10; precision 2/3, 2/4, 2/3; recall 2/4, 2/3, 2/3; F1 4/7, 4/7, 2/3; macro F1 38/63.
     */
    private static final int[] GOLD = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    private static final int[] PREDICTED = {0, 0, 1, 2, 1, 0, 1, 2, 2, 1};

    @Test
    void accuracyAmongTheDataLabelsPicksTheMoreProbableOfThem() {
        // labels negative, neutral, positive; the data has negative (0) and positive (2) only
        int[] gold = {0, 0, 2, 2};
        float[][] p = {
            {0.5f, 0.3f, 0.2f},   // negative, right either way
            {0.2f, 0.5f, 0.3f},   // neutral overall (wrong); among negative and positive: positive, still wrong
            {0.1f, 0.6f, 0.3f},   // neutral overall (wrong); among the two: positive, right
            {0.3f, 0.3f, 0.4f},   // positive, right
        };
        assertEquals(0.75, SentimentEvaluator.accuracyAmong(gold, p, new int[] {0, 2}), 1e-12);
        assertEquals(0.5, new SentimentEvaluator("m").evaluate(List.of("negative", "neutral", "positive"), gold, p)
                .accuracy(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SentimentEvaluator.accuracyAmong(gold, p, new int[] {0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SentimentEvaluator.accuracyAmong(new int[] {1}, new float[][] {{0.2f, 0.5f, 0.3f}},
                        new int[] {0, 2}));
        assertTrue(e.getMessage().contains("example 0"), e.getMessage());
    }

    @Test
    void handComputedThreeClassExample() {
        SentimentEvaluation e = EVALUATOR.evaluate(LABELS, GOLD, probabilities(PREDICTED, 3));

        assertEquals(0.6, e.accuracy(), EXACT);
        assertEquals(2.0 / 3, e.precision("negative"), EXACT);
        assertEquals(0.5, e.precision("neutral"), EXACT);
        assertEquals(2.0 / 3, e.precision("positive"), EXACT);
        assertEquals(0.5, e.recall("negative"), EXACT);
        assertEquals(2.0 / 3, e.recall("neutral"), EXACT);
        assertEquals(2.0 / 3, e.recall("positive"), EXACT);
        assertEquals(4.0 / 7, e.f1("negative"), EXACT);
        assertEquals(4.0 / 7, e.f1("neutral"), EXACT);
        assertEquals(2.0 / 3, e.f1("positive"), EXACT);
        assertEquals(38.0 / 63, e.macroF1(), EXACT);
        assertEquals((2.0 / 3 + 0.5 + 2.0 / 3) / 3, e.macroPrecision(), EXACT);
        assertEquals(4, e.support("negative"));
        assertEquals(3, e.support("neutral"));
        assertEquals(3, e.support("positive"));
        assertEquals(10, e.examples());
        assertArrayEquals(new long[][] {{2, 1, 1}, {1, 2, 0}, {0, 1, 2}}, e.confusionMatrix());
        assertEquals(LABELS, e.labels());
    }

    @Test
    void resultsFollowTheCallersLabelOrderWhateverItIs() {
        SentimentEvaluation original = EVALUATOR.evaluate(LABELS, GOLD, probabilities(PREDICTED, 3));
        // Same data, labels listed as positive, negative, neutral: old index i becomes NEW_INDEX[i].
        List<String> reordered = List.of("positive", "negative", "neutral");
        int[] newIndex = {1, 2, 0};
        int[] gold = remap(GOLD, newIndex);
        int[] predicted = remap(PREDICTED, newIndex);

        SentimentEvaluation e = EVALUATOR.evaluate(reordered, gold, probabilities(predicted, 3));

        assertEquals(reordered, e.labels());
        for (String label : LABELS) {
            assertEquals(original.precision(label), e.precision(label), EXACT, label);
            assertEquals(original.recall(label), e.recall(label), EXACT, label);
            assertEquals(original.f1(label), e.f1(label), EXACT, label);
            assertEquals(original.support(label), e.support(label), label);
        }
        assertEquals(original.accuracy(), e.accuracy(), EXACT);
        assertEquals(original.macroF1(), e.macroF1(), EXACT);
        // rows and columns in the new order: positive, negative, neutral
        assertArrayEquals(new long[][] {{2, 0, 1}, {1, 2, 1}, {0, 1, 2}}, e.confusionMatrix());
        assertEquals(reordered, List.copyOf(perClass(e).keySet()));
    }

    @Test
    void aLabelNeverPredictedHasZeroPrecisionAndNoNaNAnywhere() {
        // "neutral" is true once but never predicted; "mixed" is neither true nor predicted.
        List<String> labels = List.of("negative", "neutral", "positive", "mixed");
        int[] gold = {0, 1, 2, 2};
        int[] predicted = {0, 2, 2, 0};

        SentimentEvaluation e = EVALUATOR.evaluate(labels, gold, probabilities(predicted, 4));

        assertEquals(0.0, e.precision("neutral"));
        assertEquals(0.0, e.recall("neutral"));
        assertEquals(0.0, e.f1("neutral"));
        assertEquals(1, e.support("neutral"));
        assertEquals(0.0, e.precision("mixed"));
        assertEquals(0, e.support("mixed"));
        assertEquals(0.5, e.accuracy(), EXACT);
        assertNoNaN(e.toMap());
    }

    @Test
    void toMapIsJsonReady() {
        SentimentEvaluation e = EVALUATOR.evaluate(LABELS, GOLD, probabilities(PREDICTED, 3));

        Map<String, Object> map = e.toMap();

        assertEquals(List.of("accuracy", "macro_precision", "macro_recall", "macro_f1", "per_class",
                "confusion_matrix", "examples"), List.copyOf(map.keySet()));
        assertEquals(0.6, (Double) map.get("accuracy"), EXACT);
        assertEquals(38.0 / 63, (Double) map.get("macro_f1"), EXACT);
        assertEquals(10L, map.get("examples"));
        Map<?, ?> negative = (Map<?, ?>) perClass(e).get("negative");
        assertEquals(2.0 / 3, (Double) negative.get("precision"), EXACT);
        assertEquals(0.5, (Double) negative.get("recall"), EXACT);
        assertEquals(4.0 / 7, (Double) negative.get("f1"), EXACT);
        assertEquals(4L, negative.get("support"));
        Map<?, ?> confusion = (Map<?, ?>) map.get("confusion_matrix");
        assertEquals(LABELS, confusion.get("labels"));
        assertEquals(List.of(List.of(2L, 1L, 1L), List.of(1L, 2L, 0L), List.of(0L, 1L, 2L)), confusion.get("matrix"));
    }

    @Test
    void toTableShowsMetricsAndALabelledConfusionMatrix() {
        String table = EVALUATOR.evaluate(LABELS, GOLD, probabilities(PREDICTED, 3)).toTable();
        List<String> lines = table.lines().toList();

        assertEquals("label      precision     recall         f1  support", lines.get(0));
        assertEquals("negative      0.6667     0.5000     0.5714        4", lines.get(1));
        assertEquals("neutral       0.5000     0.6667     0.5714        3", lines.get(2));
        assertEquals("positive      0.6667     0.6667     0.6667        3", lines.get(3));
        assertEquals("", lines.get(4));
        assertEquals("macro avg     0.6111     0.6111     0.6032       10", lines.get(5));
        assertEquals("accuracy                            0.6000       10", lines.get(6));
        assertEquals("", lines.get(7));
        assertEquals("confusion matrix (rows: gold label, columns: predicted label)", lines.get(8));
        assertEquals("gold \\ predicted  negative   neutral  positive", lines.get(9));
        assertEquals("negative                 2         1         1", lines.get(10));
        assertEquals("neutral                  1         2         0", lines.get(11));
        assertEquals("positive                 0         1         2", lines.get(12));
        assertEquals(13, lines.size());
    }

    @Test
    void theWrappedTribuoEvaluationIsRealAndUsesTheProbabilities() {
        List<String> labels = List.of("negative", "positive");
        int[] gold = {0, 0, 1, 1};
        float[][] probabilities = {{0.9f, 0.1f}, {0.6f, 0.4f}, {0.45f, 0.55f}, {0.2f, 0.8f}};

        SentimentEvaluation e = EVALUATOR.evaluate(labels, gold, probabilities, "held-out.tsv");
        LabelEvaluation tribuo = e.tribuo();

        assertEquals(1.0, tribuo.AUCROC(new Label("positive")), EXACT);
        assertEquals(4, tribuo.getPredictions().size());
        assertEquals(0.55, tribuo.getPredictions().get(2).getOutputScores().get("positive").getScore(), 1e-6);
        String provenance = tribuo.getProvenance().toString();
        assertTrue(provenance.contains("test-model"), provenance);
        assertTrue(provenance.contains("held-out.tsv"), provenance);
    }

    @Test
    void tiesGoToTheLabelListedFirst() {
        float[][] probabilities = {{0.4f, 0.4f, 0.2f}};

        SentimentEvaluation e = EVALUATOR.evaluate(LABELS, new int[] {1}, probabilities);

        assertArrayEquals(new long[] {1, 0, 0}, e.confusionMatrix()[1]);
    }

    @Test
    void lengthMismatchNamesBothLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EVALUATOR.evaluate(LABELS, new int[] {0, 1, 2}, probabilities(new int[] {0, 1}, 3)));

        assertTrue(e.getMessage().contains("gold has 3 examples but probabilities has 2"), e.getMessage());
    }

    @Test
    void probabilityRowOfTheWrongWidthIsRejected() {
        float[][] probabilities = {{1f, 0f, 0f}, {0.5f, 0.5f}};

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EVALUATOR.evaluate(LABELS, new int[] {0, 1}, probabilities));

        assertTrue(e.getMessage().contains("probabilities[1] has 2 values but there are 3 labels"), e.getMessage());
    }

    @Test
    void otherBadInputsAreRejectedWithTheValueNamed() {
        IllegalArgumentException gold = assertThrows(IllegalArgumentException.class,
                () -> EVALUATOR.evaluate(LABELS, new int[] {3}, probabilities(new int[] {0}, 3)));
        assertTrue(gold.getMessage().contains("gold[0] = 3"), gold.getMessage());

        IllegalArgumentException logits = assertThrows(IllegalArgumentException.class,
                () -> EVALUATOR.evaluate(LABELS, new int[] {0}, new float[][] {{2.5f, -1f, 0.3f}}));
        assertTrue(logits.getMessage().contains("probabilities[0][0] = 2.5"), logits.getMessage());

        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class,
                () -> EVALUATOR.evaluate(LABELS, new int[] {0}, new float[][] {{0.5f, 0.2f, 0.2f}}));
        assertTrue(sum.getMessage().contains("probabilities[0] sums to 0.9"), sum.getMessage());

        IllegalArgumentException repeated = assertThrows(IllegalArgumentException.class,
                () -> EVALUATOR.evaluate(List.of("a", "a"), new int[] {0}, new float[][] {{1f, 0f}}));
        assertTrue(repeated.getMessage().contains("'a' appears twice"), repeated.getMessage());

        assertThrows(IllegalArgumentException.class,
                () -> EVALUATOR.evaluate(LABELS, new int[0], new float[0][]));
        assertThrows(IllegalArgumentException.class, () -> new SentimentEvaluator(" "));
    }

    @Test
    void unknownLabelQueriesNameTheLabels() {
        SentimentEvaluation e = EVALUATOR.evaluate(LABELS, GOLD, probabilities(PREDICTED, 3));

        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.precision("Positive"));

        assertTrue(x.getMessage().contains("'Positive'"), x.getMessage());
        assertTrue(x.getMessage().contains(LABELS.toString()), x.getMessage());
    }

    @Test
    void theStandInModelCannotPredict() {
        SentimentEvaluation e = EVALUATOR.evaluate(LABELS, GOLD, probabilities(PREDICTED, 3));
        var model = e.tribuo().getProvenance().getModelProvenance();
        assertEquals(ExternalPredictionsModel.class.getName(), model.getClassName());

        ExternalPredictionsModel standIn = new ExternalPredictionsModel("m",
                e.tribuo().getConfusionMatrix().getDomain());
        UnsupportedOperationException x = assertThrows(UnsupportedOperationException.class,
                () -> standIn.predict(new ArrayExample<>(new Label("negative"))));
        assertTrue(x.getMessage().contains("SentimentEvaluator"), x.getMessage());
        assertFalse(standIn.getExcuse(new ArrayExample<>(new Label("negative"))).isPresent());
    }

    /** One-hot-ish probabilities: 0.7 on the predicted label, the rest shared equally. */
    private static float[][] probabilities(int[] predicted, int labels) {
        float[][] p = new float[predicted.length][labels];
        float rest = 0.3f / (labels - 1);
        for (int i = 0; i < predicted.length; i++) {
            for (int j = 0; j < labels; j++) {
                p[i][j] = j == predicted[i] ? 0.7f : rest;
            }
        }
        return p;
    }

    private static int[] remap(int[] indices, int[] newIndex) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = newIndex[indices[i]];
        }
        return out;
    }

    private static Map<?, ?> perClass(SentimentEvaluation e) {
        return (Map<?, ?>) e.toMap().get("per_class");
    }

    private static void assertNoNaN(Object value) {
        if (value instanceof Map<?, ?> map) {
            map.values().forEach(SentimentEvaluatorTest::assertNoNaN);
        } else if (value instanceof List<?> list) {
            list.forEach(SentimentEvaluatorTest::assertNoNaN);
        } else if (value instanceof Double d) {
            assertFalse(d.isNaN() || d.isInfinite(), "non-finite value in toMap()");
        }
    }
}
