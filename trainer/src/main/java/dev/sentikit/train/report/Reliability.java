package dev.sentikit.train.report;

import dev.sentikit.eval.TemperatureScaling;
import java.util.Objects;

/**
 * A reliability diagram's numbers: predictions grouped by the probability of their top label (their
 * confidence) into equal-width bins, with each bin's mean confidence and accuracy, and the expected calibration
 * error (the example-weighted mean of |accuracy − confidence| over the bins). Binned exactly as
 * {@link TemperatureScaling#ece}: bin {@code min(bins - 1, floor(confidence * bins))}, the top label being the
 * first of equally probable ones. Instances are immutable.
 */
public final class Reliability {

    private final int[] count;
    private final double[] confidence;
    private final double[] accuracy;
    private final double ece;
    private final long examples;

    private Reliability(int[] count, double[] confidence, double[] accuracy, double ece, long examples) {
        this.count = count;
        this.confidence = confidence;
        this.accuracy = accuracy;
        this.ece = ece;
        this.examples = examples;
    }

    /** {@link #of(float[][], int[], int)} with {@link TemperatureScaling#ECE_BINS} bins. */
    public static Reliability of(float[][] probabilities, int[] gold) {
        return of(probabilities, gold, TemperatureScaling.ECE_BINS);
    }

    /**
     * @param probabilities one row of label probabilities per example
     * @param gold the index of each example's true label
     * @param bins the number of equal-width confidence bins over [0, 1]
     */
    public static Reliability of(float[][] probabilities, int[] gold, int bins) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(gold, "gold");
        if (probabilities.length != gold.length) {
            throw new IllegalArgumentException(probabilities.length + " probability rows but " + gold.length
                    + " gold labels");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        int[] count = new int[bins];
        double[] confidenceSum = new double[bins];
        double[] correct = new double[bins];
        for (int n = 0; n < probabilities.length; n++) {
            float[] p = probabilities[n];
            if (p.length == 0) {
                throw new IllegalArgumentException("row " + n + " has no probabilities");
            }
            int best = 0;
            for (int l = 1; l < p.length; l++) {
                best = p[l] > p[best] ? l : best;
            }
            int bin = Math.max(0, Math.min(bins - 1, (int) (p[best] * bins)));
            confidenceSum[bin] += p[best];
            correct[bin] += best == gold[n] ? 1 : 0;
            count[bin]++;
        }
        double[] confidence = new double[bins];
        double[] accuracy = new double[bins];
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                confidence[b] = confidenceSum[b] / count[b];
                accuracy[b] = correct[b] / count[b];
                ece += Math.abs(correct[b] - confidenceSum[b]) / probabilities.length;
            } else {
                confidence[b] = Double.NaN;
                accuracy[b] = Double.NaN;
            }
        }
        return new Reliability(count, confidence, accuracy, ece, probabilities.length);
    }

    /** @return the number of bins */
    public int bins() {
        return count.length;
    }

    /** @return the number of examples */
    public long examples() {
        return examples;
    }

    /** @return the examples in each bin */
    public int[] count() {
        return count.clone();
    }

    /** @return each bin's mean confidence; NaN for an empty bin */
    public double[] confidence() {
        return confidence.clone();
    }

    /** @return each bin's accuracy; NaN for an empty bin */
    public double[] accuracy() {
        return accuracy.clone();
    }

    /** @return the expected calibration error; 0 when there are no examples */
    public double ece() {
        return ece;
    }

    /** @return the lower edge of bin {@code b} */
    public double lower(int b) {
        return (double) b / count.length;
    }

    /** @return the upper edge of bin {@code b} */
    public double upper(int b) {
        return (double) (b + 1) / count.length;
    }
}
