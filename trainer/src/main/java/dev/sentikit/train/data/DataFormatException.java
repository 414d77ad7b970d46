package dev.sentikit.train.data;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A training file cannot be used: its header lacks a requested column, it has no header, or (in strict mode)
 * a row is bad. The message names the file, the line where there is one, and the reason.
 *
 * <p>Not to be confused with {@code java.util.zip.DataFormatException}.
 */
public final class DataFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private static final long NO_LINE = 0;

    private final transient Path file;
    private final long line;
    private final String reason;

    /**
     * A problem on one line of the file.
     *
     * @param file   the file being read
     * @param line   the 1-based line number
     * @param reason what is wrong
     */
    public DataFormatException(Path file, long line, String reason) {
        this(file, line, reason, null);
    }

    /**
     * A problem with the file as a whole (for example a missing header column).
     *
     * @param file   the file being read
     * @param reason what is wrong and what to do about it
     */
    public DataFormatException(Path file, String reason) {
        this(file, NO_LINE, reason, null);
    }

    /**
     * @param advice the next step for the user, appended to the message; may be null
     */
    DataFormatException(Path file, long line, String reason, String advice) {
        super(message(file, line, reason, advice));
        if (line < NO_LINE) {
            throw new IllegalArgumentException("line must be 1 or more (or 0 for the whole file), was " + line);
        }
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    private static String message(Path file, long line, String reason, String advice) {
        StringBuilder sb = new StringBuilder().append(file);
        if (line > NO_LINE) {
            sb.append(", line ").append(line);
        }
        sb.append(": ").append(reason);
        if (advice != null) {
            sb.append(" (").append(advice).append(')');
        }
        return sb.toString();
    }

    /** @return the file being read */
    public Path file() {
        return file;
    }

    /** @return the 1-based line of the problem, or empty when the problem concerns the whole file */
    public OptionalLong line() {
        return line == NO_LINE ? OptionalLong.empty() : OptionalLong.of(line);
    }

    /** @return what is wrong, without the file and line */
    public String reason() {
        return reason;
    }
}
