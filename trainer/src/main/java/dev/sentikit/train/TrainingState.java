package dev.sentikit.train;

import java.util.List;
import java.util.Map;

/**
 * Where a run stands, as {@code last/state.json} records it: enough, with the parameters and the optimizer
 * state beside it, to continue the run exactly where it stopped.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param epoch the epoch in progress or just finished (1-based)
 * @param batchesDone batches of {@code epoch} done; the whole epoch when it finished
 * @param batchesPerEpoch batches in an epoch
 * @param optimizerSteps optimizer steps taken in the whole run
 * @param finished whether the run ended (all epochs done or stopped early)
 * @param lossSum the sum of the batch losses times the batch sizes in {@code epoch} so far
 * @param seconds training seconds spent in {@code epoch} so far
 * @param bestEpoch the epoch with the best validation macro-F1 so far (0: none yet)
 * @param bestMacroF1 its macro-F1
 * @param bestValidation its validation metrics (the card's {@code metrics.validation}), or null
 * @param history one entry per finished epoch, as in {@code metrics.json}
 * @param sha256 the SHA-256 of each other file of the directory, by name
 */
public record TrainingState(int formatVersion, int epoch, int batchesDone, int batchesPerEpoch, long optimizerSteps,
        boolean finished, double lossSum, double seconds, int bestEpoch, double bestMacroF1,
        Map<String, Object> bestValidation, List<Map<String, Object>> history, Map<String, String> sha256) {

    public static final int FORMAT_VERSION = 1;

    /** Whether {@code epoch} is complete. */
    public boolean epochComplete() {
        return batchesDone >= batchesPerEpoch;
    }
}
