package dev.sentikit.text;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.Objects;

/**
 * The configuration of the {@link TextEncoder}, stored in every model file so that the runtime encodes
 * exactly as the trainer did. The algorithms it configures are specified in {@code docs/model-format.md}.
 *
 * <p>Every field but {@code wordpiece} is required in JSON, and none may be {@code null}: a card that leaves one
 * out is refused rather than read as {@code false} or {@code 0}. {@code wordpiece} is present exactly when the
 * scheme is {@link #SCHEME_WORDPIECE_V1}.
 *
 * @param scheme the encoding algorithm and its version: {@value #SCHEME_V1} or {@value #SCHEME_WORDPIECE_V1}
 * @param lowercase whether text is lower-cased (locale-independent) after normalization
 * @param bigrams whether word bigrams are appended after the word ids (words scheme only; false for WordPiece)
 * @param maxTokens words kept per text (the rest is cut); bigrams are formed from the kept words only. For
 *     WordPiece: ids per text, {@code [CLS]} and {@code [SEP]} included
 * @param maxChars characters of a text read at most before normalization, bounding the cost of huge inputs
 * @param hashBuckets ids reserved for tokens that are not in the vocabulary (FNV-1a hash, modulo this); 0 for
 *     WordPiece, whose unknown words take the unknown-token's id
 * @param wordPiece the WordPiece settings; null for the words scheme
 * @param truncation which tokens of a longer text are kept ({@link Truncation}); {@link Truncation#HEAD} when the
 *     file has none, and then not written (a file with another one is of format 2)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EncoderSpec(
        @JsonProperty(value = "scheme", required = true) @JsonSetter(nulls = Nulls.FAIL) String scheme,
        @JsonProperty(value = "lowercase", required = true) @JsonSetter(nulls = Nulls.FAIL) boolean lowercase,
        @JsonProperty(value = "bigrams", required = true) @JsonSetter(nulls = Nulls.FAIL) boolean bigrams,
        @JsonProperty(value = "max_tokens", required = true) @JsonSetter(nulls = Nulls.FAIL) int maxTokens,
        @JsonProperty(value = "max_chars", required = true) @JsonSetter(nulls = Nulls.FAIL) int maxChars,
        @JsonProperty(value = "hash_buckets", required = true) @JsonSetter(nulls = Nulls.FAIL) int hashBuckets,
        @JsonProperty("wordpiece") WordPieceSpec wordPiece,
        @JsonProperty("truncation")
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Truncation.OmitHead.class)
                Truncation truncation) {

    /** Unicode NFKC, lower-casing, words by general category, one token per CJK ideograph, bigrams. */
    public static final String SCHEME_V1 = "sentikit-words-v1";

    /**
     * BERT's basic tokenization and greedy longest-match WordPiece, {@code [CLS] … [SEP]}: the ids of Hugging Face
     * {@code tokenizers} for a {@code BertNormalizer} + {@code BertPreTokenizer} + {@code WordPiece}
     * {@code tokenizer.json}.
     */
    public static final String SCHEME_WORDPIECE_V1 = "sentikit-wordpiece-v1";

    /** Long enough for most reviews (IMDB's median is about 170 words) while bounding the cost per text. */
    public static final int DEFAULT_MAX_TOKENS = 256;

    /** Generous for {@link #DEFAULT_MAX_TOKENS} words; a 10 MB text is cut here before any work. */
    public static final int DEFAULT_MAX_CHARS = 16_384;

    public static final int DEFAULT_HASH_BUCKETS = 4_096;

    public EncoderSpec {
        Objects.requireNonNull(scheme, "scheme");
        if (truncation == null) {
            truncation = Truncation.HEAD;
        }
        if (!SCHEME_V1.equals(scheme) && !SCHEME_WORDPIECE_V1.equals(scheme)) {
            throw new IllegalArgumentException("unknown encoder scheme '" + scheme + "': this version supports "
                    + SCHEME_V1 + " and " + SCHEME_WORDPIECE_V1 + "; a newer Sentikit may be needed to run this model");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxTokens);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("max_chars must be >= 1, got " + maxChars);
        }
        if (SCHEME_V1.equals(scheme)) {
            if (hashBuckets < 1) {
                throw new IllegalArgumentException("hash_buckets must be >= 1, got " + hashBuckets);
            }
            if (wordPiece != null) {
                throw new IllegalArgumentException("the " + SCHEME_V1 + " scheme takes no 'wordpiece' settings");
            }
        } else {
            if (wordPiece == null) {
                throw new IllegalArgumentException("the " + SCHEME_WORDPIECE_V1 + " scheme needs its 'wordpiece' "
                        + "settings");
            }
            if (hashBuckets != 0) {
                throw new IllegalArgumentException("hash_buckets must be 0 for " + SCHEME_WORDPIECE_V1
                        + " (unknown words take the unknown-token's id), got " + hashBuckets);
            }
            if (bigrams) {
                throw new IllegalArgumentException(SCHEME_WORDPIECE_V1 + " has no bigrams");
            }
            if (maxTokens < 2) {
                throw new IllegalArgumentException("max_tokens must be >= 2 for " + SCHEME_WORDPIECE_V1
                        + " ([CLS] and [SEP] count), got " + maxTokens);
            }
        }
        int room = wordPiece != null ? maxTokens - 2 : maxTokens;
        if (truncation.headTokens() != null && truncation.headTokens() >= room) {
            throw new IllegalArgumentException("truncation head+tail:" + truncation.headTokens() + " keeps no tail: "
                    + "the model reads " + room + " tokens; give fewer head tokens, or head");
        }
    }

    /** A specification as written before truncation was a setting: it keeps the first tokens. */
    public EncoderSpec(String scheme, boolean lowercase, boolean bigrams, int maxTokens, int maxChars,
            int hashBuckets, WordPieceSpec wordPiece) {
        this(scheme, lowercase, bigrams, maxTokens, maxChars, hashBuckets, wordPiece, Truncation.HEAD);
    }

    /** A words-scheme specification (no WordPiece settings). */
    public EncoderSpec(String scheme, boolean lowercase, boolean bigrams, int maxTokens, int maxChars,
            int hashBuckets) {
        this(scheme, lowercase, bigrams, maxTokens, maxChars, hashBuckets, null, Truncation.HEAD);
    }

    /**
     * A WordPiece specification.
     *
     * @param lowercase whether text is lower-cased
     * @param maxTokens ids per text, {@code [CLS]} and {@code [SEP]} included
     * @param wordPiece the tokenizer's settings
     */
    public static EncoderSpec wordPiece(boolean lowercase, int maxTokens, WordPieceSpec wordPiece) {
        return new EncoderSpec(SCHEME_WORDPIECE_V1, lowercase, false, maxTokens, DEFAULT_MAX_CHARS, 0,
                Objects.requireNonNull(wordPiece, "wordPiece"), Truncation.HEAD);
    }

    /** The default specification: lower-cased words and bigrams, 256 words, 4,096 hash buckets. */
    public static EncoderSpec defaults() {
        return new EncoderSpec(SCHEME_V1, true, true, DEFAULT_MAX_TOKENS, DEFAULT_MAX_CHARS, DEFAULT_HASH_BUCKETS);
    }

    public EncoderSpec withBigrams(boolean on) {
        return new EncoderSpec(scheme, lowercase, on, maxTokens, maxChars, hashBuckets, wordPiece, truncation);
    }

    public EncoderSpec withMaxTokens(int n) {
        return new EncoderSpec(scheme, lowercase, bigrams, n, maxChars, hashBuckets, wordPiece, truncation);
    }

    public EncoderSpec withHashBuckets(int n) {
        return new EncoderSpec(scheme, lowercase, bigrams, maxTokens, maxChars, n, wordPiece, truncation);
    }

    /** The same settings with another {@link Truncation}. */
    public EncoderSpec withTruncation(Truncation t) {
        return new EncoderSpec(scheme, lowercase, bigrams, maxTokens, maxChars, hashBuckets, wordPiece,
                Objects.requireNonNull(t, "truncation"));
    }

    /** How many tokens of a text the model reads: the words' {@code max_tokens}, or the pieces between [CLS] and [SEP]. */
    @JsonIgnore
    public int room() {
        return wordPiece != null ? maxTokens - 2 : maxTokens;
    }

    /** Whether this is the WordPiece scheme. */
    public boolean usesWordPiece() {
        return wordPiece != null;
    }

    /** The longest id sequence one text can produce: the words, then their bigrams; for WordPiece max_tokens. */
    public int maxSequenceLength() {
        // In long: 2 * max_tokens - 1 does not fit an int above 2^30 tokens (a text never has that many).
        return bigrams ? (int) Math.min(Integer.MAX_VALUE, 2L * maxTokens - 1) : maxTokens;
    }
}
