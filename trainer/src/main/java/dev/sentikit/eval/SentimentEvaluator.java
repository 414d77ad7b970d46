package dev.sentikit.eval;

import dev.sentikit.train.data.LabeledData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Evaluates a Sentikit model's predictions with Tribuo's classification metrics.
 *
 * <p>The predictions come from outside Tribuo (a DJL or ONNX Runtime model), as a probability distribution over
 * the labels per example. The predicted label of an example is its most probable label; a tie goes to the label
 * that comes first in {@code labels}. Tribuo's {@link LabelEvaluator} computes the evaluation; the result reports
 * everything in the caller's label order.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class SentimentEvaluator {

    /**
     * How far each probability may stray outside [0, 1], and each example's probabilities' sum from 1, before the
     * input is rejected; generous enough for float softmax outputs.
     */
    public static final double PROBABILITY_TOLERANCE = 1e-3;

    /** The data description recorded in the provenance when the caller gives none. */
    public static final String DEFAULT_DATA_DESCRIPTION = "evaluation data (unnamed)";

    private static final LabelFactory LABEL_FACTORY = new LabelFactory();

    private final String modelName;

    /**
     * @param modelName the name of the Sentikit model whose predictions are evaluated; recorded in the Tribuo
     *                  evaluation's provenance
     * @throws IllegalArgumentException if {@code modelName} is blank
     */
    public SentimentEvaluator(String modelName) {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName must name the evaluated model, was "
                    + (modelName == null ? "null" : "'" + modelName + "'"));
        }
        this.modelName = modelName;
    }

    /** @return the name of the model whose predictions this evaluator evaluates */
    public String modelName() {
        return modelName;
    }

    /**
     * Evaluates predictions on a labelled file, described in the provenance by its path and SHA-256.
     *
     * @param data          the evaluation data; its {@code labels()} and {@code labelIndices()} are the gold labels
     * @param probabilities per row of {@code data.rows()}, the probability of each label of {@code data.labels()}
     * @return the evaluation
     * @throws IllegalArgumentException as {@link #evaluate(List, int[], float[][], String)}
     */
    public SentimentEvaluation evaluate(LabeledData data, float[][] probabilities) {
        Objects.requireNonNull(data, "data");
        return evaluate(data.labels(), data.labelIndices(), probabilities,
                data.source() + " (sha256 " + data.sha256() + ")");
    }

    /**
     * Evaluates predictions, recording {@link #DEFAULT_DATA_DESCRIPTION} as the data's provenance.
     *
     * @throws IllegalArgumentException as {@link #evaluate(List, int[], float[][], String)}
     * @see #evaluate(List, int[], float[][], String)
     */
    public SentimentEvaluation evaluate(List<String> labels, int[] gold, float[][] probabilities) {
        return evaluate(labels, gold, probabilities, DEFAULT_DATA_DESCRIPTION);
    }

    /**
     * Evaluates predictions.
     *
     * @param labels          the label set, in the order used by {@code gold} and by the columns of
     *                        {@code probabilities}; the evaluation reports in this order
     * @param gold            per example, the index of its true label in {@code labels}
     * @param probabilities   per example, the predicted probability of each label: values in [0, 1] summing to 1,
     *                        both within {@link #PROBABILITY_TOLERANCE}
     * @param dataDescription what the examples are (e.g. a file name), recorded in the provenance
     * @return the evaluation
     * @throws IllegalArgumentException if {@code labels} is empty or has blank or repeated labels; if there are no
     *                                  examples; if {@code gold} and {@code probabilities} differ in length; if a
     *                                  gold index is out of range; or if a probability row has the wrong length or
     *                                  is not a probability distribution. The message names the offending values.
     */
    public SentimentEvaluation evaluate(List<String> labels, int[] gold, float[][] probabilities,
                                        String dataDescription) {
        Objects.requireNonNull(dataDescription, "dataDescription");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(probabilities, "probabilities");
        List<String> labelList = checkLabels(labels);
        checkExamples(labelList, gold, probabilities);

        Map<Label, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < labelList.size(); i++) {
            ids.put(new Label(labelList.get(i)), i);
        }
        ImmutableOutputInfo<Label> domain = LABEL_FACTORY.constructInfoForExternalModel(ids);
        ExternalPredictionsModel model = new ExternalPredictionsModel(modelName, domain);

        int[] predicted = mostProbable(probabilities, IntStream.range(0, labelList.size()).toArray());
        List<Prediction<Label>> predictions = new ArrayList<>(gold.length);
        for (int i = 0; i < gold.length; i++) {
            predictions.add(prediction(labelList, gold[i], probabilities[i], predicted[i]));
        }
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, predictions,
                new SimpleDataSourceProvenance(dataDescription, LABEL_FACTORY));
        return new SentimentEvaluation(labelList, evaluation);
    }

    /**
     * The accuracy when each example's prediction is the most probable of the labels {@code among} alone (indices
     * into the columns of {@code probabilities}; a tie goes to the first of them): how a model with more labels than
     * the data reads that data, such as a three-label model on reviews labelled negative or positive only.
     *
     * @param gold          per example, the index of its true label, one of {@code among}
     * @param probabilities per example, the probability of each label
     * @param among         the labels competing, at least two
     * @throws IllegalArgumentException if fewer than two labels compete, if there are no examples, or if an example's
     *                                  true label is not one of them
     */
    public static double accuracyAmong(int[] gold, float[][] probabilities, int[] among) {
        if (among.length < 2) {
            throw new IllegalArgumentException("at least two labels must compete, got " + among.length);
        }
        if (gold.length != probabilities.length) {
            throw new IllegalArgumentException(gold.length + " gold labels for " + probabilities.length
                    + " probability rows");
        }
        int[] predicted = mostProbable(probabilities, among);
        long right = 0;
        for (int i = 0; i < gold.length; i++) {
            boolean goldCompetes = false;
            for (int l : among) {
                goldCompetes |= l == gold[i];
            }
            if (!goldCompetes) {
                throw new IllegalArgumentException("example " + i + ": its label (index " + gold[i]
                        + ") is not among " + Arrays.toString(among));
            }
            if (predicted[i] == gold[i]) {
                right++;
            }
        }
        return (double) right / gold.length;
    }

    /**
     * Each example's most probable label of {@code among} alone; a tie goes to the one that comes first in
     * {@code among}. With every label competing, in order, these are the predictions {@link #evaluate} scores.
     *
     * @param probabilities per example, the probability of each label
     * @param among         the labels competing (indices into the columns of {@code probabilities}), at least one
     * @return per example, the index of its most probable competing label
     * @throws IllegalArgumentException if no label competes or if there are no examples
     */
    public static int[] mostProbable(float[][] probabilities, int[] among) {
        if (among.length == 0) {
            throw new IllegalArgumentException("no label competes: among is empty");
        }
        if (probabilities.length == 0) {
            throw new IllegalArgumentException("no examples: probabilities is empty");
        }
        int[] predicted = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            int best = among[0];
            for (int l : among) {
                if (probabilities[i][l] > probabilities[i][best]) {
                    best = l;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }

    /**
     * Builds one Tribuo prediction: a feature-less example carrying the gold label, the predicted label
     * ({@link #mostProbable}) and the full score map.
     */
    private static Prediction<Label> prediction(List<String> labels, int gold, float[] probabilities, int predicted) {
        ArrayExample<Label> example = new ArrayExample<>(new Label(labels.get(gold)));
        Map<String, Label> scores = new LinkedHashMap<>();
        for (int j = 0; j < probabilities.length; j++) {
            scores.put(labels.get(j), new Label(labels.get(j), probabilities[j]));
        }
        return new Prediction<>(scores.get(labels.get(predicted)), scores, 0, example, true);
    }

    private static List<String> checkLabels(List<String> labels) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels is empty; give the model's labels in its output order");
        }
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (label == null || label.isBlank() || Label.UNKNOWN.equals(label)) {
                throw new IllegalArgumentException("label " + (label == null ? "null" : "'" + label + "'")
                        + " in " + labels + " is not a usable label name");
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("label '" + label + "' appears twice in " + labels);
            }
        }
        return List.copyOf(labels);
    }

    private static void checkExamples(List<String> labels, int[] gold, float[][] probabilities) {
        if (gold.length != probabilities.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "gold has %d examples but probabilities has %d; give one probability row per gold label",
                    gold.length, probabilities.length));
        }
        if (gold.length == 0) {
            throw new IllegalArgumentException("no examples to evaluate: gold and probabilities are empty");
        }
        for (int i = 0; i < gold.length; i++) {
            if (gold[i] < 0 || gold[i] >= labels.size()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "gold[%d] = %d is not an index into the %d labels %s (valid: 0 to %d)",
                        i, gold[i], labels.size(), labels, labels.size() - 1));
            }
            float[] row = probabilities[i];
            if (row == null || row.length != labels.size()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "probabilities[%d] has %s values but there are %d labels %s",
                        i, row == null ? "no" : Integer.toString(row.length), labels.size(), labels));
            }
            double sum = 0;
            for (int j = 0; j < row.length; j++) {
                float p = row[j];
                if (!(p >= -PROBABILITY_TOLERANCE && p <= 1 + PROBABILITY_TOLERANCE)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "probabilities[%d][%d] = %s (label '%s') is not a probability in [0, 1]; "
                                    + "apply softmax to the model's logits first", i, j, p, labels.get(j)));
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "probabilities[%d] sums to %s, not 1 (tolerance %s); apply softmax to the model's logits "
                                + "first", i, sum, PROBABILITY_TOLERANCE));
            }
        }
    }
}
