package dev.sentikit.train.data;

import java.util.Objects;

/**
 * One usable training example.
 *
 * @param label the example's label, stripped of surrounding whitespace; never empty
 * @param text  the example's text exactly as it appears in the file (quotes and escapes resolved for CSV and
 *              JSONL); never blank
 * @param line  the 1-based line on which the example starts (a quoted CSV field may continue on later lines)
 */
public record LabeledText(String label, String text, long line) {

    /**
     * @throws NullPointerException     if {@code label} or {@code text} is null
     * @throws IllegalArgumentException if {@code label} is empty, {@code text} is blank or {@code line < 1}
     */
    public LabeledText {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(text, "text");
        if (label.isEmpty()) {
            throw new IllegalArgumentException("label is empty (line " + line + ")");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("text is blank (line " + line + ")");
        }
        if (line < 1) {
            throw new IllegalArgumentException("line must be 1 or more, was " + line);
        }
    }
}
