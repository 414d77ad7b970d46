package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.model.ModelFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the WordPiece encoder does beyond Hugging Face {@code tokenizers} (which {@link WordPieceOracleTest} holds it
 * to): the cases where Sentikit decides, its contract with the rest of the SDK, and its specification's checks.
 */
class WordPieceEncoderTest {

    /** Ids 1..: [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, then the words and pieces. */
    private static final List<String> ENTRIES = List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "not", "un",
            "##believ", "##able", "[", "]", "pad", "!", "a", "##a");
    private static final EncoderSpec SPEC = EncoderSpec.wordPiece(true, 8, WordPieceSpec.bert(true));
    private static final TextEncoder ENCODER = TextEncoder.of(SPEC, Vocabulary.of(ENTRIES));

    private static int id(String token) {
        return ENTRIES.indexOf(token) + 1;
    }

    @Test
    void aTextIsClsPiecesSep() {
        assertArrayEquals(new int[] {id("[CLS]"), id("not"), id("good"), id("[SEP]")}, ENCODER.encode("Not GOOD"));
        assertArrayEquals(new int[] {id("[CLS]"), id("un"), id("##believ"), id("##able"), id("!"), id("[SEP]")},
                ENCODER.encode("unbelievable!"));
        assertArrayEquals(new int[] {id("[CLS]"), id("[SEP]")}, ENCODER.encode(""));
        assertEquals(1 + ENTRIES.size(), ENCODER.idSpace());
    }

    @Test
    void aLiteralPadTokenIsTextNotPadding() {
        // Hugging Face would give id 0; id 0 is padding everywhere in Sentikit, so it never appears inside a text.
        int[] ids = ENCODER.encode("[PAD] good");
        assertArrayEquals(new int[] {id("[CLS]"), id("["), id("pad"), id("]"), id("good"), id("[SEP]")}, ids);
        // The other special tokens are matched in the raw text, as tokenizers does.
        assertArrayEquals(new int[] {id("[CLS]"), id("[MASK]"), id("good"), id("[SEP]")}, ENCODER.encode("[MASK]good"));
    }

    @Test
    void aPadTokenAmongTheSpecialTokensIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WordPieceSpec(true, true,
                true, "[UNK]", "[CLS]", "[SEP]", "[PAD]", "##", 100, List.of("[PAD]", "[CLS]")));
        assertTrue(e.getMessage().contains("pad token"), e.getMessage());
    }

    @Test
    void aLoneSurrogateReadsAsTheReplacementCharacterWhichCleanTextDeletes() {
        assertArrayEquals(ENCODER.encode("good good"), ENCODER.encode("good\uD800 good"));
        assertArrayEquals(ENCODER.encode("good"), ENCODER.encode("go\uDC00od"));
    }

    @Test
    void truncationKeepsClsAndSepAndCutsPieces() {
        // max_tokens 8: [CLS], six pieces, [SEP]
        int[] ids = ENCODER.encode("a aaaaaaaaa");
        assertEquals(8, ids.length);
        assertEquals(id("[CLS]"), ids[0]);
        assertEquals(id("[SEP]"), ids[7]);
        assertArrayEquals(new int[] {id("a"), id("a"), id("##a"), id("##a"), id("##a"), id("##a")},
                java.util.Arrays.copyOfRange(ids, 1, 7));
        EncoderSpec two = SPEC.withMaxTokens(2);
        assertArrayEquals(new int[] {id("[CLS]"), id("[SEP]")}, TextEncoder.of(two, Vocabulary.of(ENTRIES))
                .encode("good good"));
    }

    @Test
    void tokensAreTheWordsWhosePiecesAreKept() {
        assertEquals(List.of("not", "good", "!"), ENCODER.tokenize("Not good!"));
        assertEquals(List.of("a", "aaaaaaaaa"), ENCODER.tokenize("a aaaaaaaaa a a"));
        // Without a vocabulary only the word count can bound them: max_tokens - 2 words.
        assertEquals(List.of("a", "aaaaaaaaa", "a", "a"), TextEncoder.tokenize("a aaaaaaaaa a a", SPEC));
        assertEquals(List.of("[MASK]", "good"), ENCODER.tokenize("[MASK] good"));
    }

    @Test
    void encodeIntoAsksForRoomWhenTheArrayIsShort() {
        long[] out = new long[5];
        assertEquals(-4, ENCODER.encodeInto("not good", out, 2));
        assertArrayEquals(new long[5], out);
        assertEquals(4, ENCODER.encodeInto("not good", out, 1));
        assertArrayEquals(new long[] {0, id("[CLS]"), id("not"), id("good"), id("[SEP]")}, out);
    }

    @Test
    void aBatchIsPaddedWithZero() {
        EncodedBatch batch = ENCODER.encodeBatch(List.of("good", "not good"));
        assertEquals(4, batch.sequenceLength());
        assertArrayEquals(new long[] {id("[CLS]"), id("good"), id("[SEP]"), 0, id("[CLS]"), id("not"), id("good"),
            id("[SEP]")}, batch.ids());
        assertArrayEquals(new int[] {3, 4}, batch.lengths());
    }

    @Test
    void theSpecificationRoundTripsThroughJsonAndRefusesWhatDoesNotFit() throws Exception {
        String json = ModelFormat.toJson(SPEC);
        assertTrue(json.contains("\"scheme\":\"sentikit-wordpiece-v1\""), json);
        assertTrue(json.contains("\"wordpiece\":{"), json);
        assertEquals(SPEC, ModelFormat.json().readValue(json, EncoderSpec.class));
        assertTrue(!ModelFormat.toJson(EncoderSpec.defaults()).contains("wordpiece"), "the words scheme has no "
                + "wordpiece object, so older cards stay byte-identical");
        assertThrows(IllegalArgumentException.class, () -> new EncoderSpec(EncoderSpec.SCHEME_WORDPIECE_V1, true,
                false, 8, 100, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new EncoderSpec(EncoderSpec.SCHEME_WORDPIECE_V1, true,
                false, 8, 100, 16, WordPieceSpec.bert(true)));
        assertThrows(IllegalArgumentException.class, () -> new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, 8, 100,
                16, WordPieceSpec.bert(true)));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TextEncoder.of(SPEC, Vocabulary.of(List.of("good", "[CLS]", "[SEP]", "[MASK]"))));
        assertTrue(missing.getMessage().contains("unk_token '[UNK]'"), missing.getMessage());
    }

    @Test
    void anUnsupportedTokenizerJsonSaysWhatWasExpectedAndFound() {
        String bpe = "{\"model\":{\"type\":\"BPE\",\"vocab\":{}},\"normalizer\":{\"type\":\"NFC\"},"
                + "\"pre_tokenizer\":{\"type\":\"ByteLevel\"}}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerJson.read(bpe, 128));
        assertTrue(e.getMessage().contains("'BPE', expected WordPiece"), e.getMessage());
        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
                () -> TokenizerJson.read("not json", 128));
        assertTrue(notJson.getMessage().startsWith("not a tokenizer.json"), notJson.getMessage());
    }
}
