package dev.sentikit.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Texts ready for training: each text with the index of its label in {@code labels}, and, for a student trained by
 * distillation, each text's soft targets too (a teacher's probabilities over {@code labels}; see
 * {@link Distillation}). A row may have no label ({@link #NO_LABEL}): an unlabelled text, which a student learns from
 * through its soft targets only (the trainer refuses a training row with neither, and a validation row without a
 * label).
 *
 * @param labels the label names, in the order of the model's outputs
 * @param texts the texts
 * @param targets for each text, the index of its label, or {@link #NO_LABEL} where it has none
 * @param soft for each text, the probability of each label (rows of {@code labels.size()} non-negative numbers that
 *     add up to 1), or null: the rows have only their labels
 */
public record Examples(List<String> labels, List<String> texts, int[] targets, float[][] soft) {

    /** The target of a row without a label (an unlabelled text, learned from its soft targets only). */
    public static final int NO_LABEL = -1;

    /** How far a row of soft targets may add up from 1 (float rounding of a softmax and a renormalization). */
    static final double SOFT_SUM_TOLERANCE = 1e-3;

    public Examples {
        labels = List.copyOf(labels);
        texts = List.copyOf(texts);
        if (targets.length != texts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + targets.length + " targets");
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] != NO_LABEL && (targets[i] < 0 || targets[i] >= labels.size())) {
                throw new IllegalArgumentException("target " + targets[i] + " of text " + i + " is not a label index (0.."
                        + (labels.size() - 1) + ", or " + NO_LABEL + " for no label)");
            }
        }
        if (soft != null) {
            if (soft.length != texts.size()) {
                throw new IllegalArgumentException(texts.size() + " texts but " + soft.length + " rows of soft targets");
            }
            for (int i = 0; i < soft.length; i++) {
                checkDistribution(soft[i], labels.size(), i);
            }
        }
    }

    /** Labelled texts without soft targets. */
    public Examples(List<String> labels, List<String> texts, int[] targets) {
        this(labels, texts, targets, null);
    }

    private static void checkDistribution(float[] row, int size, int index) {
        if (row == null || row.length != size) {
            throw new IllegalArgumentException("the soft targets of text " + index + " are not " + size
                    + " probabilities, one per label");
        }
        double sum = 0;
        for (float p : row) {
            if (!(p >= 0) || !Float.isFinite(p)) {
                throw new IllegalArgumentException("the soft targets of text " + index + " hold " + p
                        + ", not a probability");
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > SOFT_SUM_TOLERANCE) {
            throw new IllegalArgumentException("the soft targets of text " + index + " add up to " + sum + ", not 1");
        }
    }

    public int size() {
        return texts.size();
    }

    /** Whether the rows carry soft targets (a teacher's probabilities). */
    public boolean hasSoftTargets() {
        return soft != null;
    }

    /** Whether row {@code i} has a label. */
    public boolean labelled(int i) {
        return targets[i] != NO_LABEL;
    }

    /** The number of rows that have a label. */
    public int labelledCount() {
        int n = 0;
        for (int t : targets) {
            n += t == NO_LABEL ? 0 : 1;
        }
        return n;
    }

    /** These rows with {@code soft} as their soft targets (one row of probabilities per text, in label order). */
    public Examples withSoftTargets(float[][] soft) {
        return new Examples(labels, texts, targets, java.util.Objects.requireNonNull(soft, "soft").clone());
    }

    /** These rows followed by {@code more}'s; both with soft targets or both without, and the same labels. */
    public Examples concat(Examples more) {
        if (!labels.equals(more.labels)) {
            throw new IllegalArgumentException("labels " + labels + " and " + more.labels + " differ");
        }
        if ((soft == null) != (more.soft == null)) {
            throw new IllegalArgumentException("only one of the two has soft targets");
        }
        List<String> t = new ArrayList<>(texts);
        t.addAll(more.texts);
        int[] y = java.util.Arrays.copyOf(targets, targets.length + more.targets.length);
        System.arraycopy(more.targets, 0, y, targets.length, more.targets.length);
        float[][] s = null;
        if (soft != null) {
            s = java.util.Arrays.copyOf(soft, soft.length + more.soft.length);
            System.arraycopy(more.soft, 0, s, soft.length, more.soft.length);
        }
        return new Examples(labels, t, y, s);
    }

    /** The examples at the given positions, in that order. */
    public Examples subset(int[] indices) {
        String[] t = new String[indices.length];
        int[] y = new int[indices.length];
        float[][] s = soft == null ? null : new float[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            t[i] = texts.get(indices[i]);
            y[i] = targets[indices[i]];
            if (s != null) {
                s[i] = soft[indices[i]];
            }
        }
        return new Examples(labels, List.of(t), y, s);
    }
}
