package dev.sentikit.train;

import dev.sentikit.train.report.EpochResult;

/** Told what a training run is doing, for progress displays and logs. Every method has an empty default. */
public interface TrainingListener {

    /** An epoch of {@code steps} optimizer steps begins. */
    default void epochStarted(int epoch, int epochs, int steps) {}

    /**
     * An optimizer step ended.
     *
     * @param step steps done in this epoch so far (1-based)
     * @param loss the step's mean loss
     * @param examples examples in the step
     */
    default void stepEnded(int step, double loss, int examples) {}

    /** An epoch ended and was evaluated. */
    default void epochEnded(EpochResult result) {}

    /** What the run is doing, such as reading the encoded data from the cache: not a problem. */
    default void message(String message) {}

    /** Something worth telling a person, such as a damaged checkpoint skipped on resume. */
    default void warning(String message) {}
}
