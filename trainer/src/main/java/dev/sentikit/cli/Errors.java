package dev.sentikit.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into one line for people, without a stack trace for the expected ones. */
final class Errors {

    private Errors() {}

    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException) {
            String m = e.getMessage();
            return m != null && m.contains(" ") ? m : "file not found: " + m;
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m;
    }
}
