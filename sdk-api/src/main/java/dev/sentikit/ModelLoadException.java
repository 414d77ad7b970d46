package dev.sentikit;

/**
 * A model could not be loaded: the file is missing, unreadable, not a Sentikit model, or its metadata is
 * inconsistent. The message names what is wrong and, where there is one, what to do next.
 */
public class ModelLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
