package dev.sentikit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import dev.sentikit.text.Coverage;

/**
 * The result of analyzing one text: the most probable label, its probability, the probability of every label of
 * the model, in the model's label order, and how much of the text the model read.
 *
 * @param label the most probable label
 * @param score the probability of {@code label}, in [0, 1]
 * @param scores the probability of every label, in the model's label order; the values sum to 1
 * @param coverage how much of the text was read: whole, cut as the model's truncation says, or in windows; null
 *     only from an engine that does not say
 */
public record Sentiment(String label, double score, Map<String, Double> scores, Coverage coverage) {

    /** A result that does not say how much of its text was read. */
    public Sentiment(String label, double score, Map<String, Double> scores) {
        this(label, score, scores, null);
    }

    public Sentiment {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(scores, "scores");
        if (!scores.containsKey(label)) {
            throw new IllegalArgumentException("label '" + label + "' is not one of " + scores.keySet());
        }
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /**
     * Builds a sentiment from a probability vector.
     *
     * @param labels the model's labels, in output order
     * @param probabilities one probability per label
     * @return the sentiment whose label is the arg-max (the first one on ties)
     * @throws IllegalArgumentException if there are no labels, or not one probability per label
     */
    public static Sentiment of(java.util.List<String> labels, float[] probabilities) {
        return of(labels, probabilities, null);
    }

    /** {@link #of(java.util.List, float[])} with how much of the text was read. */
    public static Sentiment of(java.util.List<String> labels, float[] probabilities, Coverage coverage) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(probabilities, "probabilities");
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("no labels: a sentiment needs at least one label and its probability");
        }
        if (labels.size() != probabilities.length) {
            throw new IllegalArgumentException(
                    "expected " + labels.size() + " probabilities, one per label, got " + probabilities.length);
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < probabilities.length; i++) {
            scores.put(labels.get(i), (double) probabilities[i]);
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return new Sentiment(labels.get(best), probabilities[best], scores, coverage);
    }

    /** Returns the probability of {@code label}, or throws if the model has no such label. */
    public double score(String label) {
        Double p = scores.get(label);
        if (p == null) {
            throw new IllegalArgumentException("unknown label '" + label + "'; the model's labels are " + scores.keySet());
        }
        return p;
    }
}
