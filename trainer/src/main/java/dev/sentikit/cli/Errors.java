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
            return "permission denied: " + e.getMessage() + "; check the permissions of the file and its directory";
        }
        // The JDK's other file exceptions carry only a path; say what is wrong with it.
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " already exists and is in the way (a file where a directory is needed?); "
                    + "move it or choose another path";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException f) {
            return "cannot replace or remove " + f.getFile() + ": it is a directory that is not empty";
        }
        if (e instanceof java.nio.file.NotDirectoryException f) {
            return f.getFile() + " is not a directory";
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": "
                    + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()) + "; check the path";
        }
        // A decoder's message is "Input length = 1": every reader of user files names the file itself; this is
        // the last resort.
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "a file is not valid UTF-8 (" + e + "); re-save it as UTF-8";
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            // No message: a bug, not a problem with the input. Say where, so that it can be reported.
            StackTraceElement[] at = e.getStackTrace();
            return "internal error: " + e.getClass().getName() + (at.length > 0 ? " at " + at[0] : "")
                    + "; please report it with the command line that gave it";
        }
        return m;
    }
}
