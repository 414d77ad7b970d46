package dev.sentikit.text;

import java.util.ArrayList;
import java.util.List;

/**
 * What both schemes share for texts longer than a model reads: which code units are read ({@code max_chars},
 * §4.1), which tokens are kept ({@link Truncation#keptRanges}) and the windows of a windowed read (§4.7). Token
 * ranges are {@code [from, to)}.
 */
final class LongText {

    private LongText() {}

    /**
     * The stretches of {@code text} that are read, one or two {@code [from, to)} in code units: the first
     * {@code maxChars} ({@code head}), the last ({@code tail}), or the first {@code maxChars / 2} and the last
     * {@code maxChars - maxChars / 2} ({@code head+tail}); the whole text when it is no longer than
     * {@code maxChars}. A surrogate pair is never split: a cut that would fall inside one moves to leave it out.
     */
    static int[][] stretches(String text, int maxChars, Truncation truncation) {
        int n = text.length();
        if (n <= maxChars) {
            return new int[][] {{0, n}};
        }
        return switch (truncation.keep()) {
            case Truncation.KEEP_HEAD -> new int[][] {{0, headEnd(text, maxChars)}};
            case Truncation.KEEP_TAIL -> new int[][] {{tailStart(text, n - maxChars), n}};
            default -> {
                int half = maxChars / 2;
                yield new int[][] {{0, headEnd(text, half)}, {tailStart(text, n - (maxChars - half)), n}};
            }
        };
    }

    /** {@code end}, or one less when it would split a surrogate pair. */
    private static int headEnd(String text, int end) {
        if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))
                && Character.isLowSurrogate(text.charAt(end))) {
            return end - 1;
        }
        return end;
    }

    /** {@code start}, or one more when it would split a surrogate pair. */
    private static int tailStart(String text, int start) {
        if (start > 0 && start < text.length() && Character.isLowSurrogate(text.charAt(start))
                && Character.isHighSurrogate(text.charAt(start - 1))) {
            return start + 1;
        }
        return start;
    }

    /**
     * The windows of a text of {@code tokens} tokens read {@code room} at a time: one ({@code [0, tokens)}) when it
     * fits; else windows of {@code room} tokens starting every {@code room - room / 2} tokens (they overlap by
     * {@code room / 2}, as Hugging Face {@code tokenizers}' overflowing tokens with that stride), the last one
     * ending at the text's end, possibly shorter. When there would be more than {@code maxWindows}, the first
     * {@code maxWindows - 1} and the last {@code room} tokens are read.
     */
    static int[][] windows(int tokens, int room, int maxWindows) {
        if (tokens <= room) {
            return new int[][] {{0, tokens}};
        }
        int step = room - room / 2;
        List<int[]> out = new ArrayList<>();
        for (int start = 0; ; start += step) {
            int end = Math.min(start + room, tokens);
            out.add(new int[] {start, end});
            if (end == tokens) {
                break;
            }
        }
        if (out.size() > maxWindows) {
            List<int[]> bounded = new ArrayList<>(out.subList(0, maxWindows - 1));
            bounded.add(new int[] {tokens - room, tokens});
            out = bounded;
        }
        return out.toArray(new int[0][]);
    }

    /** The tokens the ranges hold together, each counted once; the ranges are sorted by their start. */
    static int union(int[][] ranges) {
        int total = 0;
        int covered = 0;
        for (int[] r : ranges) {
            int from = Math.max(r[0], covered);
            if (r[1] > from) {
                total += r[1] - from;
                covered = r[1];
            }
        }
        return total;
    }
}
