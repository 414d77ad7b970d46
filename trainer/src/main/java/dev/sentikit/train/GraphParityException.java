package dev.sentikit.train;

/**
 * Thrown before training when DJL, on this machine, computes a network other than its exported graph
 * ({@link GraphParity}); its message names the CPU and what to do next.
 */
public final class GraphParityException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public GraphParityException(String message) {
        super(message);
    }
}
