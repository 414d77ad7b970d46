package dev.sentikit.train.report;

import dev.sentikit.eval.SentimentEvaluation;
import dev.sentikit.model.ModelCard;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ReportWriter} draws a training report from. Immutable: the arrays are copied in and out.
 *
 * @param card the model card: name, architecture, labels, provenance, calibration
 * @param epochs the results of every epoch, in order; may be empty
 * @param bestEpoch the epoch whose parameters were kept, marked on the curves; 0 when not known
 * @param validation the evaluation of the kept model on the validation split; null to leave out the confusion
 *     matrix and the per-class table
 * @param gold for the reliability diagram: each validation example's true label index; null to leave it out
 * @param probabilitiesBefore the label probabilities of each example before calibration (softmax of the logits);
 *     may be null when {@code probabilitiesAfter} is given
 * @param probabilitiesAfter the probabilities after calibration (softmax of logits / T); may be null
 */
public record ReportInput(ModelCard card, List<EpochResult> epochs, int bestEpoch, SentimentEvaluation validation,
        int[] gold, float[][] probabilitiesBefore, float[][] probabilitiesAfter) {

    /**
     * @throws IllegalArgumentException if the reliability arrays do not fit together or with the card's labels
     */
    public ReportInput {
        Objects.requireNonNull(card, "card");
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
        if (bestEpoch < 0) {
            throw new IllegalArgumentException("bestEpoch must be 0 (unknown) or an epoch number, got " + bestEpoch);
        }
        if (validation != null && !validation.labels().equals(card.labels())) {
            throw new IllegalArgumentException("the evaluation's labels " + validation.labels()
                    + " differ from the card's " + card.labels());
        }
        if (gold == null) {
            if (probabilitiesBefore != null || probabilitiesAfter != null) {
                throw new IllegalArgumentException("probabilities for the reliability diagram need the gold labels");
            }
        } else {
            if (probabilitiesBefore == null && probabilitiesAfter == null) {
                throw new IllegalArgumentException("gold labels need probabilities before or after calibration");
            }
            int labels = card.labels().size();
            for (int i = 0; i < gold.length; i++) {
                if (gold[i] < 0 || gold[i] >= labels) {
                    throw new IllegalArgumentException("gold label " + gold[i] + " of example " + i + " is not one of the "
                            + labels + " labels");
                }
            }
            gold = gold.clone();
            probabilitiesBefore = copy(probabilitiesBefore, gold.length, labels, "before");
            probabilitiesAfter = copy(probabilitiesAfter, gold.length, labels, "after");
        }
    }

    /** A report without a reliability diagram and with no best epoch marked. */
    public static ReportInput of(ModelCard card, List<EpochResult> epochs, SentimentEvaluation validation) {
        return new ReportInput(card, epochs, 0, validation, null, null, null);
    }

    /** A copy that marks {@code epoch} as the one kept. */
    public ReportInput withBestEpoch(int epoch) {
        return new ReportInput(card, epochs, epoch, validation, gold, probabilitiesBefore, probabilitiesAfter);
    }

    /** A copy with the reliability diagram's data (either probability array may be null, not both). */
    public ReportInput withReliability(int[] newGold, float[][] before, float[][] after) {
        return new ReportInput(card, epochs, bestEpoch, validation, newGold, before, after);
    }

    @Override
    public int[] gold() {
        return gold == null ? null : gold.clone();
    }

    @Override
    public float[][] probabilitiesBefore() {
        return copy(probabilitiesBefore);
    }

    @Override
    public float[][] probabilitiesAfter() {
        return copy(probabilitiesAfter);
    }

    /** Reliability bins before calibration, or null when not given. */
    public Reliability reliabilityBefore() {
        return probabilitiesBefore == null ? null : Reliability.of(probabilitiesBefore, gold);
    }

    /** Reliability bins after calibration, or null when not given. */
    public Reliability reliabilityAfter() {
        return probabilitiesAfter == null ? null : Reliability.of(probabilitiesAfter, gold);
    }

    private static float[][] copy(float[][] p, int rows, int labels, String which) {
        if (p == null) {
            return null;
        }
        if (p.length != rows) {
            throw new IllegalArgumentException(p.length + " probability rows " + which + " calibration but " + rows
                    + " gold labels");
        }
        float[][] c = new float[rows][];
        for (int i = 0; i < rows; i++) {
            if (p[i] == null || p[i].length != labels) {
                throw new IllegalArgumentException("probability row " + i + " " + which + " calibration has "
                        + (p[i] == null ? "no" : Integer.toString(p[i].length)) + " values for " + labels + " labels");
            }
            c[i] = p[i].clone();
        }
        return c;
    }

    private static float[][] copy(float[][] p) {
        if (p == null) {
            return null;
        }
        float[][] c = new float[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }
}
