package dev.sentikit.text;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.Objects;

/**
 * The configuration of the {@link TextEncoder}, stored in every model file so that the runtime encodes
 * exactly as the trainer did. The algorithm it configures is specified in {@code docs/model-format.md}.
 *
 * <p>Every field is required in JSON, and none may be {@code null}: a card that leaves one out is refused
 * rather than read as {@code false} or {@code 0}.
 *
 * @param scheme the encoding algorithm and its version; only {@value #SCHEME_V1} exists
 * @param lowercase whether text is lower-cased (locale-independent) after normalization
 * @param bigrams whether word bigrams are appended after the word ids
 * @param maxTokens words kept per text (the rest is cut); bigrams are formed from the kept words only
 * @param maxChars characters of a text read at most before normalization, bounding the cost of huge inputs
 * @param hashBuckets ids reserved for tokens that are not in the vocabulary (FNV-1a hash, modulo this)
 */
public record EncoderSpec(
        @JsonProperty(value = "scheme", required = true) @JsonSetter(nulls = Nulls.FAIL) String scheme,
        @JsonProperty(value = "lowercase", required = true) @JsonSetter(nulls = Nulls.FAIL) boolean lowercase,
        @JsonProperty(value = "bigrams", required = true) @JsonSetter(nulls = Nulls.FAIL) boolean bigrams,
        @JsonProperty(value = "max_tokens", required = true) @JsonSetter(nulls = Nulls.FAIL) int maxTokens,
        @JsonProperty(value = "max_chars", required = true) @JsonSetter(nulls = Nulls.FAIL) int maxChars,
        @JsonProperty(value = "hash_buckets", required = true) @JsonSetter(nulls = Nulls.FAIL) int hashBuckets) {

    /** Unicode NFKC, lower-casing, words by general category, one token per CJK ideograph, bigrams. */
    public static final String SCHEME_V1 = "sentikit-words-v1";

    /** Long enough for most reviews (IMDB's median is about 170 words) while bounding the cost per text. */
    public static final int DEFAULT_MAX_TOKENS = 256;

    /** Generous for {@link #DEFAULT_MAX_TOKENS} words; a 10 MB text is cut here before any work. */
    public static final int DEFAULT_MAX_CHARS = 16_384;

    public static final int DEFAULT_HASH_BUCKETS = 4_096;

    public EncoderSpec {
        Objects.requireNonNull(scheme, "scheme");
        if (!SCHEME_V1.equals(scheme)) {
            throw new IllegalArgumentException("unknown encoder scheme '" + scheme + "': this version supports "
                    + SCHEME_V1 + "; a newer Sentikit may be needed to run this model");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxTokens);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("max_chars must be >= 1, got " + maxChars);
        }
        if (hashBuckets < 1) {
            throw new IllegalArgumentException("hash_buckets must be >= 1, got " + hashBuckets);
        }
    }

    /** The default specification: lower-cased words and bigrams, 256 words, 4,096 hash buckets. */
    public static EncoderSpec defaults() {
        return new EncoderSpec(SCHEME_V1, true, true, DEFAULT_MAX_TOKENS, DEFAULT_MAX_CHARS, DEFAULT_HASH_BUCKETS);
    }

    public EncoderSpec withBigrams(boolean on) {
        return new EncoderSpec(scheme, lowercase, on, maxTokens, maxChars, hashBuckets);
    }

    public EncoderSpec withMaxTokens(int n) {
        return new EncoderSpec(scheme, lowercase, bigrams, n, maxChars, hashBuckets);
    }

    public EncoderSpec withHashBuckets(int n) {
        return new EncoderSpec(scheme, lowercase, bigrams, maxTokens, maxChars, n);
    }

    /** The longest id sequence one text can produce: the words, then their bigrams. */
    public int maxSequenceLength() {
        // In long: 2 * max_tokens - 1 does not fit an int above 2^30 tokens (a text never has that many).
        return bigrams ? (int) Math.min(Integer.MAX_VALUE, 2L * maxTokens - 1) : maxTokens;
    }
}
