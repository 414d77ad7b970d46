package dev.sentikit.train.report;

/**
 * What one epoch gave.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean cross-entropy over the epoch's training batches
 * @param validAccuracy accuracy on the validation split
 * @param validMacroF1 macro-averaged F1 on the validation split
 * @param examplesPerSecond training throughput of the epoch
 */
public record EpochResult(int epoch, double trainLoss, double validAccuracy, double validMacroF1,
        double examplesPerSecond) {}
