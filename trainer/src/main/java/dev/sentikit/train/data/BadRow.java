package dev.sentikit.train.data;

import java.util.Objects;

/**
 * A row that could not be used for training, with where it is and why.
 *
 * @param line   the 1-based line on which the row starts
 * @param kind   the category of the problem, used for counting
 * @param reason a human-readable explanation naming the bad value and, where it helps, the valid choices
 */
public record BadRow(long line, Kind kind, String reason) {

    /** Why a row was rejected. Each row is counted under exactly one kind: the first problem found. */
    public enum Kind {
        /** The label is empty or absent (JSON {@code null}). */
        MISSING_LABEL("missing label"),
        /** The label is not one of the labels the caller fixed. */
        UNKNOWN_LABEL("unknown label"),
        /** The text is empty or whitespace only. */
        EMPTY_TEXT("empty text"),
        /** A line of the row is not valid UTF-8. */
        INVALID_UTF8("invalid UTF-8"),
        /** The row cannot be parsed: bad CSV quoting, too many CSV fields, invalid JSON, a line too long. */
        MALFORMED("malformed"),
        /** A required field is absent: no tab in a TSV line, too few CSV fields, no such JSON field. */
        MISSING_FIELD("missing field");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /**
         * @return a short lower-case description for summaries, e.g. {@code "empty text"}
         */
        public String description() {
            return description;
        }
    }

    /**
     * @throws NullPointerException     if {@code kind} or {@code reason} is null
     * @throws IllegalArgumentException if {@code line < 1}
     */
    public BadRow {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if (line < 1) {
            throw new IllegalArgumentException("line must be 1 or more, was " + line);
        }
    }

    /** @return {@code "line 12: empty text"} */
    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}
