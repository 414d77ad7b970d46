package dev.sentikit.text;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The settings of the {@link EncoderSpec#SCHEME_WORDPIECE_V1} scheme: those of a Hugging Face {@code tokenizer.json}
 * with a {@code BertNormalizer}, a {@code BertPreTokenizer}, a {@code WordPiece} model and the {@code [CLS] $A
 * [SEP]} template, written out so that any implementation can follow them without that file. Lower-casing is the
 * {@link EncoderSpec#lowercase()} of the enclosing specification. Every field is required in JSON.
 *
 * @param cleanText delete control characters, U+0000 and U+FFFD, and turn every whitespace character into a space
 * @param handleChineseChars put a space on each side of every CJK ideograph
 * @param stripAccents decompose (NFD) and delete non-spacing marks ({@code BertNormalizer}'s
 *     {@code strip_accents}, which when null in a {@code tokenizer.json} follows {@code lowercase})
 * @param unkToken the token of a word that WordPiece cannot split, such as {@code [UNK]}
 * @param clsToken the token that starts every text, such as {@code [CLS]}
 * @param sepToken the token that ends every text, such as {@code [SEP]}
 * @param padToken the token of id 0, padding, such as {@code [PAD]}
 * @param continuingSubwordPrefix the prefix of a piece that continues a word, such as {@code ##}
 * @param maxInputCharsPerWord a word of more code points than this is the unknown token whole (100 in BERT)
 * @param specialTokens the added tokens that are matched literally in the raw text before anything else, leftmost
 *     and longest first, and give their own id ({@code tokenizer.json}'s {@code added_tokens}, all of them
 *     {@code normalized: false}, such as {@code [CLS]}), except the pad token: id 0 is padding and never part of an
 *     encoded text, so a literal {@code [PAD]} is read as ordinary text (where Hugging Face would give id 0)
 */
public record WordPieceSpec(
        @JsonProperty(value = "clean_text", required = true) @JsonSetter(nulls = Nulls.FAIL) boolean cleanText,
        @JsonProperty(value = "handle_chinese_chars", required = true) @JsonSetter(nulls = Nulls.FAIL)
                boolean handleChineseChars,
        @JsonProperty(value = "strip_accents", required = true) @JsonSetter(nulls = Nulls.FAIL) boolean stripAccents,
        @JsonProperty(value = "unk_token", required = true) @JsonSetter(nulls = Nulls.FAIL) String unkToken,
        @JsonProperty(value = "cls_token", required = true) @JsonSetter(nulls = Nulls.FAIL) String clsToken,
        @JsonProperty(value = "sep_token", required = true) @JsonSetter(nulls = Nulls.FAIL) String sepToken,
        @JsonProperty(value = "pad_token", required = true) @JsonSetter(nulls = Nulls.FAIL) String padToken,
        @JsonProperty(value = "continuing_subword_prefix", required = true) @JsonSetter(nulls = Nulls.FAIL)
                String continuingSubwordPrefix,
        @JsonProperty(value = "max_input_chars_per_word", required = true) @JsonSetter(nulls = Nulls.FAIL)
                int maxInputCharsPerWord,
        @JsonProperty(value = "special_tokens", required = true) @JsonSetter(nulls = Nulls.FAIL)
                List<String> specialTokens) {

    /** BERT's limit on the code points of a word. */
    public static final int DEFAULT_MAX_INPUT_CHARS_PER_WORD = 100;

    public WordPieceSpec {
        requireToken("unk_token", unkToken);
        requireToken("cls_token", clsToken);
        requireToken("sep_token", sepToken);
        requireToken("pad_token", padToken);
        Objects.requireNonNull(continuingSubwordPrefix, "continuing_subword_prefix");
        if (maxInputCharsPerWord < 1) {
            throw new IllegalArgumentException("max_input_chars_per_word must be >= 1, got " + maxInputCharsPerWord);
        }
        Objects.requireNonNull(specialTokens, "special_tokens");
        specialTokens = List.copyOf(specialTokens);
        if (new HashSet<>(specialTokens).size() != specialTokens.size()) {
            throw new IllegalArgumentException("special_tokens lists a token twice: " + specialTokens);
        }
        for (String t : specialTokens) {
            requireToken("special_tokens", t);
        }
        if (specialTokens.contains(padToken)) {
            throw new IllegalArgumentException("special_tokens must not hold the pad token '" + padToken + "': id 0 is "
                    + "padding, never part of an encoded text");
        }
    }

    /**
     * BERT's own settings (those of {@code bert-base-uncased} when {@code lowercase}): clean text, space CJK
     * ideographs, strip accents when lower-casing, {@code [UNK] [CLS] [SEP] [PAD]}, {@code ##}, 100 characters,
     * and {@code [UNK] [CLS] [SEP] [MASK]} as special tokens.
     */
    public static WordPieceSpec bert(boolean lowercase) {
        return new WordPieceSpec(true, true, lowercase, "[UNK]", "[CLS]", "[SEP]", "[PAD]", "##",
                DEFAULT_MAX_INPUT_CHARS_PER_WORD, List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]"));
    }

    private static void requireToken(String field, String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException(field + " must be a non-empty token, got "
                    + (token == null ? "null" : "''"));
        }
    }
}
