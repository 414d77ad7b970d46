package dev.sentikit.train;

/** The training device ran out of memory; the message suggests a smaller batch with gradient accumulation. */
public final class TrainingOutOfMemoryException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public TrainingOutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
