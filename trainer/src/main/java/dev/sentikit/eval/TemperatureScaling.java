package dev.sentikit.eval;

import dev.sentikit.model.Calibration;

/**
 * Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017): one scalar T that
 * divides the logits, fitted by minimizing the negative log-likelihood on held-out data. It changes no
 * prediction's label, only how confident the scores are.
 */
public final class TemperatureScaling {

    /** Confidence bins of the expected calibration error, as in Guo et al. */
    public static final int ECE_BINS = 15;

    /** The search interval of log T: T from about 0.05 to 20. */
    private static final double LOG_T_MIN = -3;
    private static final double LOG_T_MAX = 3;
    private static final int GOLDEN_ITERATIONS = 60;

    private TemperatureScaling() {}

    /**
     * Fits T on logits and gold labels and reports ECE and NLL before and after.
     *
     * @param logits one row of logits per example
     * @param gold the index of each example's label
     * @param fittedOn a description of the data, for the model card
     */
    public static Calibration fit(float[][] logits, int[] gold, String fittedOn) {
        if (logits.length != gold.length) {
            throw new IllegalArgumentException(logits.length + " logit rows but " + gold.length + " labels");
        }
        if (logits.length == 0) {
            throw new IllegalArgumentException("no examples to fit a temperature on");
        }
        // NLL(log T) is convex in 1/T, and unimodal in log T: golden-section search.
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = LOG_T_MIN;
        double b = LOG_T_MAX;
        double c = b - phi * (b - a);
        double d = a + phi * (b - a);
        double fc = nll(logits, gold, Math.exp(c));
        double fd = nll(logits, gold, Math.exp(d));
        for (int i = 0; i < GOLDEN_ITERATIONS; i++) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - phi * (b - a);
                fc = nll(logits, gold, Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + phi * (b - a);
                fd = nll(logits, gold, Math.exp(d));
            }
        }
        double t = Math.exp((a + b) / 2);
        return new Calibration(Calibration.TEMPERATURE, t, fittedOn, ece(logits, gold, 1.0), ece(logits, gold, t),
                nll(logits, gold, 1.0), nll(logits, gold, t));
    }

    /** Softmax of {@code logits / temperature}. */
    public static float[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l / temperature);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] / temperature - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** Mean negative log-likelihood of the gold labels under {@code softmax(logits / t)}. */
    public static double nll(float[][] logits, int[] gold, double t) {
        double total = 0;
        for (int n = 0; n < logits.length; n++) {
            float[] row = logits[n];
            double max = Double.NEGATIVE_INFINITY;
            for (float l : row) {
                max = Math.max(max, l / t);
            }
            double sum = 0;
            for (float l : row) {
                sum += Math.exp(l / t - max);
            }
            total += -(row[gold[n]] / t - max - Math.log(sum));
        }
        return total / logits.length;
    }

    /**
     * Expected calibration error with {@value #ECE_BINS} equal-width bins of the top probability: the
     * example-weighted mean of |accuracy − mean confidence| over the bins.
     */
    public static double ece(float[][] logits, int[] gold, double t) {
        double[] confidence = new double[ECE_BINS];
        double[] correct = new double[ECE_BINS];
        int[] count = new int[ECE_BINS];
        for (int n = 0; n < logits.length; n++) {
            float[] p = softmax(logits[n], t);
            int best = 0;
            for (int l = 1; l < p.length; l++) {
                best = p[l] > p[best] ? l : best;
            }
            int bin = Math.min(ECE_BINS - 1, (int) (p[best] * ECE_BINS));
            confidence[bin] += p[best];
            correct[bin] += best == gold[n] ? 1 : 0;
            count[bin]++;
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (count[b] > 0) {
                ece += Math.abs(correct[b] - confidence[b]) / logits.length;
            }
        }
        return ece;
    }
}
