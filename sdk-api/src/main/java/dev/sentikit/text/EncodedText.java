package dev.sentikit.text;

/**
 * One text as a model reads it ({@link TextEncoder#read}): the ids of each window it is read in (one, for a text
 * that fits or is cut as the model's {@link Truncation} says), without padding, and how much of it they hold.
 *
 * @param windows the ids of each window, in text order
 * @param coverage how much of the text the windows read
 */
public record EncodedText(int[][] windows, Coverage coverage) {

    public EncodedText {
        if (windows.length != coverage.windows()) {
            throw new IllegalArgumentException(windows.length + " windows, the coverage says " + coverage.windows());
        }
    }
}
