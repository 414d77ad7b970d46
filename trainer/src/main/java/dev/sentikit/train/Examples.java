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
 * <p>A row may also know only some of the labels ({@code labelSets}): a row from a source whose annotators chose
 * among fewer labels than the model's, such as reviews labelled negative or positive for a model that also says
 * neutral. The trainer scores such a row by the softmax over its own labels only, so that it teaches which of those
 * labels fits and nothing about the others ({@link PartialData}).
 *
 * @param labels the label names, in the order of the model's outputs
 * @param texts the texts
 * @param targets for each text, the index of its label, or {@link #NO_LABEL} where it has none
 * @param soft for each text, the probability of each label (rows of {@code labels.size()} non-negative numbers that
 *     add up to 1), or null: the rows have only their labels
 * @param labelSets for each text, the labels it may take, as a bit set over label indices (bit {@code i}:
 *     {@code labels.get(i)}), at least two of them and its own label among them; or null: every row may take every
 *     label
 */
public record Examples(List<String> labels, List<String> texts, int[] targets, float[][] soft, long[] labelSets) {

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
        if (labelSets != null) {
            checkLabelSets(labelSets, targets, labels.size());
        }
    }

    /** Rows that may take every label, with soft targets or ({@code soft} null) without. */
    public Examples(List<String> labels, List<String> texts, int[] targets, float[][] soft) {
        this(labels, texts, targets, soft, null);
    }

    /** Labelled texts without soft targets. */
    public Examples(List<String> labels, List<String> texts, int[] targets) {
        this(labels, texts, targets, null, null);
    }

    /** The bit set of every one of {@code count} labels. */
    public static long allLabels(int count) {
        return count == Long.SIZE ? -1L : (1L << count) - 1;
    }

    private static void checkLabelSets(long[] sets, int[] targets, int count) {
        if (count > Long.SIZE) {
            throw new IllegalArgumentException("rows that know only some labels need at most " + Long.SIZE
                    + " labels, not " + count);
        }
        if (sets.length != targets.length) {
            throw new IllegalArgumentException(targets.length + " texts but " + sets.length + " label sets");
        }
        for (int i = 0; i < sets.length; i++) {
            if ((sets[i] & ~allLabels(count)) != 0) {
                throw new IllegalArgumentException("the label set of text " + i + " names a label index beyond "
                        + (count - 1));
            }
            if (Long.bitCount(sets[i]) < 2) {
                throw new IllegalArgumentException("the label set of text " + i + " holds " + Long.bitCount(sets[i])
                        + " label(s): a row that can take only one label teaches nothing");
            }
            if (targets[i] != NO_LABEL && (sets[i] & (1L << targets[i])) == 0) {
                throw new IllegalArgumentException("text " + i + " has label index " + targets[i]
                        + ", which is not in its label set");
            }
        }
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
        return new Examples(labels, texts, targets, java.util.Objects.requireNonNull(soft, "soft").clone(), labelSets);
    }

    /** Whether some rows may take only some of the labels ({@link #labelSets()} is not null). */
    public boolean hasLabelSets() {
        return labelSets != null;
    }

    /** The labels row {@code i} may take, as a bit set over label indices: every label unless it has a label set. */
    public long labelSet(int i) {
        return labelSets == null ? allLabels(labels.size()) : labelSets[i];
    }

    /** These rows, each of which may take only the labels of {@code set} (a bit set over label indices). */
    public Examples restrictedTo(long set) {
        long[] sets = new long[texts.size()];
        java.util.Arrays.fill(sets, set);
        return new Examples(labels, texts, targets, soft, sets);
    }

    /**
     * These rows followed by {@code more}'s; both with soft targets or both without, and the same labels. Where one
     * of the two has label sets, the rows of the other may take every label.
     */
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
        long[] sets = null;
        if (labelSets != null || more.labelSets != null) {
            sets = new long[y.length];
            for (int i = 0; i < y.length; i++) {
                sets[i] = i < targets.length ? labelSet(i) : more.labelSet(i - targets.length);
            }
        }
        return new Examples(labels, t, y, s, sets);
    }

    /** The examples at the given positions, in that order. */
    public Examples subset(int[] indices) {
        String[] t = new String[indices.length];
        int[] y = new int[indices.length];
        float[][] s = soft == null ? null : new float[indices.length][];
        long[] sets = labelSets == null ? null : new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            t[i] = texts.get(indices[i]);
            y[i] = targets[indices[i]];
            if (s != null) {
                s[i] = soft[indices[i]];
            }
            if (sets != null) {
                sets[i] = labelSets[indices[i]];
            }
        }
        return new Examples(labels, List.of(t), y, s, sets);
    }
}
