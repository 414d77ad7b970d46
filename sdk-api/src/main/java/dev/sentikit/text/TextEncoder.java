package dev.sentikit.text;

import java.util.List;
import java.util.Objects;

/**
 * Turns text into the ids a model reads. The one encoder both the trainer and the runtime call, so that a
 * model sees at inference exactly what it saw in training. Every implementation is immutable and thread-safe.
 *
 * <p>The {@link EncoderSpec#scheme() scheme} of the model's {@link EncoderSpec} chooses the algorithm; both are
 * specified in {@code docs/model-format.md}, precisely enough to reimplement in another language, and golden
 * vectors in {@code sdk-api/src/test/resources/dev/sentikit/text/} hold every implementation to them:
 * <ul>
 *   <li>{@link EncoderSpec#SCHEME_V1} ({@code sentikit-words-v1}): Unicode NFKC, lower-casing, words, CJK
 *       ideographs and symbols, looked up in a vocabulary learned from the training data, hash buckets for the
 *       rest, optional word bigrams. Ids {@code 1 .. vocabulary size} are the vocabulary's, the hash buckets
 *       follow.</li>
 *   <li>{@link EncoderSpec#SCHEME_WORDPIECE_V1} ({@code sentikit-wordpiece-v1}): BERT's basic tokenization and
 *       greedy longest-match WordPiece over a pretrained encoder's vocabulary, {@code [CLS] … [SEP]}; the ids are
 *       those of Hugging Face {@code tokenizers} for the base's {@code tokenizer.json}. The vocabulary holds ids
 *       {@code 1 ..}; id 0 is the pad token.</li>
 * </ul>
 *
 * <p>In both, id {@link Vocabulary#PAD_ID} is padding and appears in no encoded text, an encoded text has at
 * most {@link EncoderSpec#maxSequenceLength()} ids, and encoding never fails on any string (a lone surrogate
 * counts as U+FFFD).
 */
public interface TextEncoder {

    /**
     * The encoder of {@code spec}'s scheme over {@code vocabulary}.
     *
     * @throws IllegalArgumentException when the vocabulary cannot serve the specification, such as a WordPiece
     *     vocabulary without the specification's unknown-token, or an id space that does not fit an int
     */
    static TextEncoder of(EncoderSpec spec, Vocabulary vocabulary) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(vocabulary, "vocabulary");
        if (spec.wordPiece() != null) {
            return new WordPieceEncoder(spec, vocabulary);
        }
        return new WordsEncoder(spec, vocabulary);
    }

    /**
     * Splits {@code text} into the units a person would call its words, as the encoder of {@code spec} sees them
     * (normalized: lower-cased where the spec says so), before they are mapped to ids: for
     * {@link EncoderSpec#SCHEME_V1} its tokens, for {@link EncoderSpec#SCHEME_WORDPIECE_V1} the words of BERT's
     * basic tokenization (before WordPiece splits them into pieces), kept while their pieces fit
     * {@code max_tokens} (the first ones, or those the spec's {@link Truncation} keeps). The vocabulary plays no
     * part. Joining such tokens with spaces and encoding the result
     * gives the same ids as the text, so leaving one out approximates the text without it (what
     * {@code SentimentAnalyzer.explain} does).
     *
     * @throws NullPointerException if {@code text} is null
     */
    static List<String> tokenize(String text, EncoderSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.wordPiece() != null) {
            return WordPieceEncoder.words(text, spec);
        }
        return WordsEncoder.tokenize(text, spec);
    }

    /** The specification this encoder follows. */
    EncoderSpec spec();

    /** The vocabulary whose entries take ids {@code 1 .. vocabulary().size()}. */
    Vocabulary vocabulary();

    /** The number of distinct ids this encoder can produce, padding included: the embedding table's rows. */
    int idSpace();

    /** {@link #tokenize(String, EncoderSpec)} with this encoder's specification. */
    List<String> tokenize(String text);

    /** Encodes one text to ids; the array has no padding and, for the words scheme, may be empty. */
    int[] encode(String text);

    /**
     * The ids of a sequence of tokens as {@link #tokenize} gives them, each mapped as it is (not normalized or split
     * again), in order, and cut as the spec's {@link Truncation} cuts a text's tokens: for the words scheme each
     * token's id, then, with bigrams, the bigram of each token and the next; for WordPiece {@code [CLS]}, each
     * word's pieces (a special token its own id), {@code [SEP]}. For the tokens of a text read whole, the ids
     * {@link #encode} gives the text; with some of them left out, the ids of the text without them: the other
     * tokens' ids, and with bigrams the bigrams of the tokens that are then next to each other (leaving out token
     * {@code i} drops its two bigrams and adds the one of its neighbours). That is what
     * {@code SentimentAnalyzer.explain} runs, and what encoding the remaining tokens joined by spaces gives.
     *
     * @throws NullPointerException if {@code tokens} or one of them is null
     */
    int[] encodeTokens(List<String> tokens);

    /**
     * Encodes one text straight into {@code out}, from {@code offset}: the ids that {@link #encode} returns,
     * without padding. Returns how many ids were written. When fewer than that many places are left after
     * {@code offset}, writes nothing and returns minus the number needed, so that the caller can grow its array
     * and call again. At most {@link EncoderSpec#maxSequenceLength()} ids are written.
     *
     * @throws NullPointerException if {@code text} or {@code out} is null
     * @throws IndexOutOfBoundsException if {@code offset} is not in {@code 0 .. out.length}
     */
    int encodeInto(String text, long[] out, int offset);

    /**
     * Encodes texts into one padded batch whose row length is the longest text's id count (at least 1, so that an
     * empty text still has a row of padding).
     */
    EncodedBatch encodeBatch(List<String> texts);

    /**
     * Reads one text as a model does, with how much of it is read ({@link Coverage}, which counts every token of
     * the text, so it costs a little more than {@link #encode} for texts longer than the model reads). With
     * {@code maxWindows} 1, the ids {@link #encode} gives: the text whole, or cut as the spec's
     * {@link Truncation} says. With more, a text longer than the model reads is read in overlapping windows of as
     * many tokens as the model reads, half of them shared with the next window, at most {@code maxWindows} of
     * them (past that, the first {@code maxWindows − 1} and the text's last tokens), each framed as a text of its
     * own; {@code docs/model-format.md} §4.7 and §8.7 specify them.
     *
     * @throws IllegalArgumentException if {@code maxWindows < 1}
     */
    EncodedText read(String text, int maxWindows);
}
