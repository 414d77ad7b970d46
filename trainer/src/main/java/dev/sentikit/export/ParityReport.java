package dev.sentikit.export;

/**
 * How closely one graph reproduced another (ONNX Runtime against DJL, or an int8 graph against its float32 one).
 *
 * @param texts texts compared
 * @param maxProbabilityDifference the largest absolute difference of one probability
 * @param tolerance the largest difference allowed
 * @param worstText the text with the largest difference
 * @param meanProbabilityDifference the mean over the texts of each text's largest difference
 * @param meanTolerance the largest mean allowed
 */
public record ParityReport(int texts, double maxProbabilityDifference, double tolerance, String worstText,
        double meanProbabilityDifference, double meanTolerance) {

    /** A report held to its largest difference only. */
    public ParityReport(int texts, double maxProbabilityDifference, double tolerance, String worstText) {
        this(texts, maxProbabilityDifference, tolerance, worstText, 0, Double.POSITIVE_INFINITY);
    }

    public boolean passed() {
        return maxProbabilityDifference <= tolerance && meanProbabilityDifference <= meanTolerance;
    }
}
