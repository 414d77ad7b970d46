package dev.sentikit.export;

/**
 * How closely ONNX Runtime reproduced DJL on the exported model.
 *
 * @param texts texts compared
 * @param maxProbabilityDifference the largest absolute difference of one probability
 * @param tolerance the largest difference allowed
 * @param worstText the text with the largest difference
 */
public record ParityReport(int texts, double maxProbabilityDifference, double tolerance, String worstText) {

    public boolean passed() {
        return maxProbabilityDifference <= tolerance;
    }
}
