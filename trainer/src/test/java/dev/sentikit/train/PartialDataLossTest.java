package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rows that know only some labels ({@link PartialData}): their loss is the cross-entropy over their own labels, which
 * leaves the other labels' logits without a gradient; rows that know every label have the ordinary cross-entropy.
 */
class PartialDataLossTest {

    private static final List<String> LABELS = List.of("negative", "neutral", "positive");
    private static final float[][] LOGITS = {{1f, 2f, 0.5f}, {0.3f, -1f, 2f}};
    /** Row 0: positive, from a source of negative and positive rows; row 1: neutral, knowing every label. */
    private static final int[] TARGETS = {2, 1};
    private static final long NEGATIVE_POSITIVE = 0b101;

    @Test
    void lossIsTheCrossEntropyOverEachRowsOwnLabelsAndLeftOutLogitsGetNoGradient() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Examples rows = new Examples(LABELS, List.of("x", "y"), TARGETS, null,
                    new long[] {NEGATIVE_POSITIVE, Examples.allLabels(3)});
            NDList targets = SentimentTrainer.restrictedTargets(m, rows.targets(), rows.labelSets(), new int[] {0, 1},
                    0, 2, 3);
            NDArray logits = m.create(new float[] {1f, 2f, 0.5f, 0.3f, -1f, 2f}, new Shape(2, 3));
            logits.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                loss = SentimentTrainer.restrictedCrossEntropy(logits, targets.get(0), targets.get(1));
                collector.backward(loss);
            }
            // row 0 over negative and positive only: -log(e^0.5 / (e^1 + e^0.5)); row 1 over all three
            double row0 = -(0.5 - Math.log(Math.exp(1) + Math.exp(0.5)));
            double row1 = -(-1 - Math.log(Math.exp(0.3) + Math.exp(-1) + Math.exp(2)));
            assertEquals((row0 + row1) / 2, loss.getFloat(), 1e-6);
            float[] grad = logits.getGradient().toFloatArray();
            assertEquals(0f, grad[1], 0f, "the neutral logit of a row without neutral among its labels");
            for (int i : new int[] {0, 2, 3, 4, 5}) {
                assertNotEquals(0f, grad[i], "logit " + i);
            }
            // d/dz_negative of row 0's term, halved by the mean: softmax over {negative, positive} at negative
            double pNegative = Math.exp(1) / (Math.exp(1) + Math.exp(0.5));
            assertEquals(pNegative / 2, grad[0], 1e-6);
        }
    }

    @Test
    void rowsThatKnowEveryLabelHaveTheOrdinaryCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            long all = Examples.allLabels(3);
            NDList targets = SentimentTrainer.restrictedTargets(m, TARGETS, new long[] {all, all}, new int[] {1, 0},
                    0, 2, 3);
            NDArray logits = m.create(new float[] {0.3f, -1f, 2f, 1f, 2f, 0.5f}, new Shape(2, 3)); // rows 1, 0
            NDArray ours = SentimentTrainer.restrictedCrossEntropy(logits, targets.get(0), targets.get(1));
            NDArray ordinary = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(m.create(new long[] {1, 2})),
                    new NDList(logits));
            assertEquals(ordinary.getFloat(), ours.getFloat(), 1e-6);
        }
    }

    @Test
    void labelSetsAreChecked() {
        List<String> texts = List.of("x", "y");
        assertThrows(IllegalArgumentException.class, () -> new Examples(LABELS, texts, TARGETS, null,
                new long[] {NEGATIVE_POSITIVE, NEGATIVE_POSITIVE}), "row 1 is neutral, outside its set");
        assertThrows(IllegalArgumentException.class, () -> new Examples(LABELS, texts, new int[] {2, 2}, null,
                new long[] {0b100, 0b111}), "a set of one label teaches nothing");
        assertThrows(IllegalArgumentException.class, () -> new Examples(LABELS, texts, TARGETS, null,
                new long[] {0b1101, 0b111}), "a label index beyond the labels");
        assertThrows(IllegalArgumentException.class,
                () -> new PartialData("f.tsv", "0", List.of("positive")), "one label");
    }

    @Test
    void concatAndSubsetKeepEachRowsLabels() {
        Examples plain = new Examples(LABELS, List.of("a", "b"), new int[] {1, 0});
        Examples partial = new Examples(LABELS, List.of("c", "d"), new int[] {2, 0}).restrictedTo(NEGATIVE_POSITIVE);
        Examples both = plain.concat(partial);
        assertTrue(both.hasLabelSets());
        assertEquals(0b111, both.labelSet(0));
        assertEquals(0b111, both.labelSet(1));
        assertEquals(NEGATIVE_POSITIVE, both.labelSet(2));
        assertEquals(NEGATIVE_POSITIVE, both.labelSet(3));
        Examples some = both.subset(new int[] {3, 0});
        assertEquals(List.of("d", "a"), some.texts());
        assertEquals(NEGATIVE_POSITIVE, some.labelSet(0));
        assertEquals(0b111, some.labelSet(1));
        assertEquals(NEGATIVE_POSITIVE, new PartialData("f", "0", List.of("negative", "positive")).labelSet(LABELS));
    }
}
