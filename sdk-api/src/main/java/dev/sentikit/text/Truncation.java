package dev.sentikit.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Which tokens of a text longer than the model reads are kept: a property of the encoder, written in the model
 * file ({@code encoder.truncation}, {@code docs/model-format.md} §4.7 and §8.7), so that a model reads at inference
 * the part of a text it was trained on. The tokens are the words of {@link EncoderSpec#SCHEME_V1} or the WordPiece
 * pieces of {@link EncoderSpec#SCHEME_WORDPIECE_V1}; with room for {@code L} of them (the words' {@code
 * max_tokens}, or {@code max_tokens − 2} pieces between {@code [CLS]} and {@code [SEP]}), a text of {@code T > L}
 * tokens keeps:
 * <ul>
 *   <li>{@link #HEAD} ({@code head}): the first {@code L}, what every model did before;</li>
 *   <li>{@link #TAIL} ({@code tail}): the last {@code L}, where reviews tend to give their verdict (Hugging Face's
 *       {@code truncation_side="left"});</li>
 *   <li>{@link #headTail head+tail}: the first {@code head_tokens} and the last {@code L − head_tokens} (Sun et al.
 *       2019, "How to Fine-Tune BERT for Text Classification").</li>
 * </ul>
 * Text past {@code max_chars} is not read: {@code head} reads the first {@code max_chars} code units, {@code tail}
 * the last, {@code head+tail} the first and the last {@code max_chars / 2}.
 *
 * @param keep {@code head}, {@code tail} or {@code head+tail}
 * @param headTokens with {@code head+tail}, the tokens kept from the start (at least 1); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Truncation(@JsonProperty(value = "keep", required = true) String keep,
        @JsonProperty("head_tokens") Integer headTokens) {

    public static final String KEEP_HEAD = "head";
    public static final String KEEP_TAIL = "tail";
    public static final String KEEP_HEAD_TAIL = "head+tail";

    /** The first tokens: what a file without {@code encoder.truncation} reads. */
    public static final Truncation HEAD = new Truncation(KEEP_HEAD, null);

    /** The last tokens. */
    public static final Truncation TAIL = new Truncation(KEEP_TAIL, null);

    @JsonCreator
    public Truncation {
        Objects.requireNonNull(keep, "truncation.keep");
        switch (keep) {
            case KEEP_HEAD, KEEP_TAIL -> {
                if (headTokens != null) {
                    throw new IllegalArgumentException("truncation '" + keep + "' takes no head_tokens");
                }
            }
            case KEEP_HEAD_TAIL -> {
                if (headTokens == null || headTokens < 1) {
                    throw new IllegalArgumentException("truncation 'head+tail' needs head_tokens >= 1, got "
                            + headTokens);
                }
            }
            default -> throw new IllegalArgumentException("unknown truncation '" + keep + "': expected head, tail "
                    + "or head+tail; a newer Sentikit may be needed to run this model");
        }
    }

    /** The first {@code headTokens} tokens and as many from the end as there is room for. */
    public static Truncation headTail(int headTokens) {
        return new Truncation(KEEP_HEAD_TAIL, headTokens);
    }

    /**
     * Parses {@code head}, {@code tail} or {@code head+tail:N} (N head tokens), as the trainer's
     * {@code --truncation} takes it.
     */
    public static Truncation parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith(KEEP_HEAD_TAIL + ":")) {
            try {
                return headTail(Integer.parseInt(t.substring(KEEP_HEAD_TAIL.length() + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("truncation must be head, tail or head+tail:N, got '" + s + "'");
            }
        }
        return switch (t) {
            case KEEP_HEAD -> HEAD;
            case KEEP_TAIL -> TAIL;
            default -> throw new IllegalArgumentException("truncation must be head, tail or head+tail:N (N tokens "
                    + "from the start, the rest from the end), got '" + s + "'");
        };
    }

    /** Jackson's filter that leaves {@link #HEAD}, what a file without the field means, out of the JSON. */
    public static final class OmitHead {
        @Override
        public boolean equals(Object value) {
            return value == null || HEAD.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** Whether this is {@link #HEAD}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isHead() {
        return KEEP_HEAD.equals(keep);
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        return headTokens == null ? keep : keep + ":" + headTokens;
    }

    /**
     * The token ranges {@code [from, to)} kept of a text of {@code tokens} tokens when there is room for
     * {@code room}: one range, or two for {@code head+tail} when the text is longer than the room.
     */
    public int[][] keptRanges(int tokens, int room) {
        if (tokens <= room) {
            return new int[][] {{0, tokens}};
        }
        return switch (keep) {
            case KEEP_HEAD -> new int[][] {{0, room}};
            case KEEP_TAIL -> new int[][] {{tokens - room, tokens}};
            default -> {
                int head = Math.min(headTokens, room);
                yield head == room ? new int[][] {{0, room}}
                        : new int[][] {{0, head}, {tokens - (room - head), tokens}};
            }
        };
    }
}
