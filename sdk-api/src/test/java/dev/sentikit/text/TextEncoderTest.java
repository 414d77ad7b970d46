package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Hand-written expectations for {@link TextEncoder}, one rule of docs/model-format.md at a time. */
class TextEncoderTest {

    private static final int MAX_TOKENS = 8;
    private static final int MAX_CHARS = 64;
    private static final int HASH_BUCKETS = 1000;

    /** Ids 1..5. */
    private static final Vocabulary VOCABULARY = Vocabulary.of(List.of("not", "good", "!", "not good", "don't"));
    private static final int NOT = 1;
    private static final int GOOD = 2;
    private static final int BANG = 3;
    private static final int NOT_GOOD = 4;
    private static final int DONT = 5;
    private static final int FIRST_BUCKET_ID = 1 + 5;

    private static final EncoderSpec SPEC =
            new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, MAX_TOKENS, MAX_CHARS, HASH_BUCKETS);
    private static final WordsEncoder ENCODER = new WordsEncoder(SPEC, VOCABULARY);

    /** Published FNV-1a 32-bit test vectors (draft-eastlake-fnv, FNV test suite). */
    private static final int FNV_EMPTY = 0x811C9DC5;
    private static final int FNV_A = 0xE40C292C;
    private static final int FNV_FOOBAR = 0xBF9CF968;

    private static List<String> tokens(String text) {
        return ENCODER.tokenize(text);
    }

    @Nested
    class Tokenization {

        @Test
        void whitespaceSeparatesAndPunctuationIsOneTokenPerCodePoint() {
            assertEquals(List.of("hello", ",", "world", "!", "!"), tokens("Hello,  world!!"));
        }

        @Test
        void lowerCasingFollowsTheSpec() {
            EncoderSpec keepCase = new EncoderSpec(EncoderSpec.SCHEME_V1, false, true, MAX_TOKENS, MAX_CHARS,
                    HASH_BUCKETS);
            assertEquals(List.of("good", "movie"), tokens("GOOD Movie"));
            assertEquals(List.of("GOOD", "Movie"), TextEncoder.tokenize("GOOD Movie", keepCase));
        }

        @Test
        void nfkcFoldsCompatibilityForms() {
            assertEquals(List.of("abc123"), tokens("\uFF21\uFF22\uFF23\uFF11\uFF12\uFF13"));
            assertEquals(List.of("fine"), tokens("\uFB01ne"));
            assertEquals(List.of("caf\u00E9"), tokens("cafe\u0301"));
        }

        @Test
        void lowerCasingIsLocaleIndependent() {
            // Capital I with dot becomes i + U+0307 (not the Turkish rule), plain I becomes i (not dotless).
            assertEquals(List.of("i\u0307yi\u0307", "isparta"), tokens("\u0130Y\u0130 ISPARTA"));
        }

        @Test
        void lowerCasingMapsEverySigmaToTheMedialForm() {
            // ΟΔΟΣ and ΣΑΣ: a word-final Σ becomes σ (U+03C3), not ς (U+03C2).
            assertEquals(List.of("\u03BF\u03B4\u03BF\u03C3"), tokens("\u039F\u0394\u039F\u03A3"));
            assertEquals(List.of("\u03C3\u03B1\u03C3"), tokens("\u03A3\u0391\u03A3"));
            // A ς already in the text becomes σ too: οδος.
            assertEquals(List.of("\u03BF\u03B4\u03BF\u03C3"), tokens("\u03BF\u03B4\u03BF\u03C2"));
            // Where Java's word rules and Unicode's Final_Sigma condition disagreed (ΑΣ1Α, Α1Σ, ΑΣ-Α, ΑΣ:Α),
            // every Σ is now σ.
            assertEquals(List.of("\u03B1\u03C3" + "1\u03B1", "\u03B1" + "1\u03C3", "\u03B1\u03C3", "-", "\u03B1",
                    "\u03B1\u03C3", ":", "\u03B1"),
                    tokens("\u0391\u03A3" + "1\u0391 \u0391" + "1\u03A3 \u0391\u03A3-\u0391 \u0391\u03A3:\u0391"));
            for (String token : tokens("\u039F\u0394\u039F\u03A3 \u03C2 \u0391\u03A3.")) {
                assertTrue(token.indexOf('\u03C2') < 0, "no final sigma in " + token);
            }
        }

        @Test
        void finalSigmaIsKeptWhenCaseIsKept() {
            EncoderSpec keepCase = new EncoderSpec(EncoderSpec.SCHEME_V1, false, true, MAX_TOKENS, MAX_CHARS,
                    HASH_BUCKETS);
            assertEquals(List.of("\u03BF\u03B4\u03BF\u03C2", "\u039F\u0394\u039F\u03A3"),
                    TextEncoder.tokenize("\u03BF\u03B4\u03BF\u03C2 \u039F\u0394\u039F\u03A3", keepCase));
        }

        @Test
        void apostropheBetweenWordCharactersStaysAndBecomesAscii() {
            assertEquals(List.of("don't"), tokens("don't"));
            assertEquals(List.of("don't"), tokens("don\u2019t"));
            assertEquals(List.of("rock'n'roll"), tokens("rock'n'roll"));
        }

        @Test
        void apostropheAtAWordEdgeIsATokenAndKeepsItsCodePoint() {
            assertEquals(List.of("'", "quoted", "'"), tokens("'quoted'"));
            assertEquals(List.of("students", "\u2019"), tokens("students\u2019"));
            assertEquals(List.of("don", "'", "'", "t"), tokens("don''t"));
            assertEquals(List.of("a", "'", "!"), tokens("a'!"));
        }

        @Test
        void formatCharactersAreDeletedWithoutSplitting() {
            assertEquals(List.of("notgood"), tokens("not\u200Bgood"));
            assertEquals(List.of("wonderful"), tokens("\uFEFFwon\u00ADderful"));
            assertEquals(List.of("good", "bad"), tokens("\u202Bgood\u202C \u200Fbad\u200E"));
        }

        @Test
        void formatCharactersAroundAnApostropheDoNotSplitTheWord() {
            assertEquals(List.of("don't"), tokens("don'\u200Bt"));
            assertEquals(List.of("don't"), tokens("don\u200B'\u200B\u200Ct"));
            assertEquals(List.of("don", "'"), tokens("don'\u200B"));
        }

        @Test
        void marksJoinTheWordButAreDroppedWithoutOne() {
            assertEquals(List.of("x"), tokens("\u0301 x \u0301"));
            // U+FE0F (a mark) after an emoji has no word to attach to.
            assertEquals(List.of("\u2764", "it"), tokens("\u2764\uFE0F it"));
            // After a digit it is part of the word, with the enclosing keycap mark.
            assertEquals(List.of("1\uFE0F\u20E3"), tokens("1\uFE0F\u20E3"));
        }

        @Test
        void everyIdeographIsATokenButKanaAndHangulFormWords() {
            assertEquals(List.of("\u6BCF", "\u4E2A", "\u6C49", "\u5B57"), tokens("\u6BCF\u4E2A\u6C49\u5B57"));
            assertEquals(List.of("\u6211", "nlp", "\u548C", "ai"), tokens("\u6211NLP\u548CAI"));
            assertEquals(List.of("\u3068\u3066\u3082", "\u826F", "\u3044"), tokens("\u3068\u3066\u3082\u826F\u3044"));
            assertEquals(List.of("\uC815\uB9D0", "\uC88B\uC544\uC694"), tokens("\uC815\uB9D0 \uC88B\uC544\uC694"));
        }

        @Test
        void symbolsAndEmojiAreOneTokenPerCodePoint() {
            String man = "\uD83D\uDC68";
            String woman = "\uD83D\uDC69";
            assertEquals(List.of(man, woman), tokens(man + "\u200D" + woman));
            assertEquals(List.of("great", "\uD83D\uDE00", "$", "12"), tokens("great\uD83D\uDE00 $12"));
        }

        @Test
        void controlsSurrogatesPrivateUseAndUnassignedSeparate() {
            assertEquals(List.of("a", "b", "c", "d", "e", "f"), tokens("a\0b\u0007c\uD800d\uE000e\uFFFFf"));
            assertEquals(List.of("line", "one", "two"), tokens("line\tone\r\ntwo\n"));
        }

        @Test
        void emptyAndBlankTextsHaveNoTokens() {
            assertEquals(List.of(), tokens(""));
            assertEquals(List.of(), tokens(" \t\n\u3000\u200B "));
        }

        @Test
        void maxTokensKeepsTheFirstTokens() {
            assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h"), tokens("a b c d e f g h i j"));
            // The limit falls on a symbol: the second "!" and the word after are cut.
            assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "!"), tokens("a b c d e f g!! x"));
            // Exactly MAX_TOKENS words, the last one flushed at the end of the text.
            assertEquals(MAX_TOKENS, tokens("a b c d e f g hhh").size());
            assertEquals("hhh", tokens("a b c d e f g hhh").get(MAX_TOKENS - 1));
        }

        @Test
        void maxCharsCutsUtf16UnitsBeforeNormalization() {
            EncoderSpec twelve = new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, MAX_TOKENS, 12, HASH_BUCKETS);
            assertEquals(List.of("one", "two", "thre"), TextEncoder.tokenize("one two three", twelve));
            // 14 full-width letters: 12 are kept, then NFKC makes them ASCII.
            assertEquals(List.of("abcdefghijkl"), TextEncoder.tokenize(
                    "\uFF21\uFF22\uFF23\uFF24\uFF25\uFF26\uFF27\uFF28\uFF29\uFF2A\uFF2B\uFF2C\uFF2D\uFF2E", twelve));
        }

        @Test
        void maxCharsDoesNotSplitASurrogatePair() {
            EncoderSpec twelve = new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, MAX_TOKENS, 12, HASH_BUCKETS);
            String emoji = "\uD83D\uDE00";
            assertEquals(List.of("abcdefghijk"), TextEncoder.tokenize("abcdefghijk" + emoji, twelve));
            assertEquals(List.of("abcdefghij", emoji), TextEncoder.tokenize("abcdefghij" + emoji, twelve));
            EncoderSpec one = new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, MAX_TOKENS, 1, HASH_BUCKETS);
            assertEquals(List.of(), TextEncoder.tokenize(emoji + "abc", one));
            assertEquals(List.of("a"), TextEncoder.tokenize("abc", one));
        }

        @Test
        void nullTextIsRejected() {
            assertThrows(NullPointerException.class, () -> ENCODER.tokenize(null));
            assertThrows(NullPointerException.class, () -> ENCODER.encode(null));
            List<String> withNull = Arrays.asList("good", null);
            assertThrows(NullPointerException.class, () -> ENCODER.encodeBatch(withNull));
            assertThrows(NullPointerException.class, () -> TextEncoder.of(null, VOCABULARY));
            assertThrows(NullPointerException.class, () -> TextEncoder.of(SPEC, null));
        }
    }

    @Nested
    class Ids {

        @Test
        void fnv1aMatchesThePublishedTestVectors() {
            assertEquals(FNV_EMPTY, WordsEncoder.fnv1a32(""));
            assertEquals(FNV_A, WordsEncoder.fnv1a32("a"));
            assertEquals(FNV_FOOBAR, WordsEncoder.fnv1a32("foobar"));
        }

        @Test
        void fnv1aHashesUtf8Bytes() {
            // U+00E9 is C3 A9 in UTF-8: ((basis ^ C3) * prime ^ A9) * prime.
            int h = (FNV_EMPTY ^ 0xC3) * 0x01000193;
            h = (h ^ 0xA9) * 0x01000193;
            assertEquals(h, WordsEncoder.fnv1a32("\u00E9"));
        }

        @Test
        void vocabularyTokensGetTheirVocabularyId() {
            assertEquals(NOT, ENCODER.idOf("not"));
            assertEquals(NOT_GOOD, ENCODER.idOf("not good"));
        }

        @Test
        void unknownTokensGetTheirUnsignedHashBucket() {
            // FNV_A is negative as a signed int, so a signed remainder would give a wrong (negative) bucket.
            long unsigned = Integer.toUnsignedLong(FNV_A);
            assertEquals(FIRST_BUCKET_ID + (int) (unsigned % HASH_BUCKETS), ENCODER.idOf("a"));
            assertEquals(FIRST_BUCKET_ID + 220, ENCODER.idOf("a"));
        }

        @Test
        void hashBucketsStayInRange() {
            Random random = new Random(7);
            for (int i = 0; i < 2_000; i++) {
                String token = randomToken(random);
                int id = ENCODER.idOf(token);
                if (VOCABULARY.id(token) < 0) {
                    assertTrue(id >= FIRST_BUCKET_ID && id < ENCODER.idSpace(),
                            "id " + id + " of '" + token + "' is outside the buckets " + FIRST_BUCKET_ID + ".."
                                    + (ENCODER.idSpace() - 1));
                }
            }
        }

        @Test
        void oneBucketTakesEveryUnknownToken() {
            WordsEncoder single = new WordsEncoder(SPEC.withHashBuckets(1), VOCABULARY);
            assertEquals(FIRST_BUCKET_ID, single.idOf("anything"));
            assertEquals(FIRST_BUCKET_ID, single.idOf("\uD83D\uDE00"));
            assertEquals(FIRST_BUCKET_ID + 1, single.idSpace());
        }

        @Test
        void idSpaceCountsPaddingVocabularyAndBuckets() {
            assertEquals(1 + VOCABULARY.size() + HASH_BUCKETS, ENCODER.idSpace());
        }

        @Test
        void wordIdsComeFirstThenBigramIds() {
            int[] ids = ENCODER.encode("not good!");
            int[] expected = {NOT, GOOD, BANG, NOT_GOOD, ENCODER.idOf("good !")};
            assertArrayEquals(expected, ids);
        }

        @Test
        void contractionsMapToTheSameIdWhateverTheApostrophe() {
            assertArrayEquals(ENCODER.encode("don't"), ENCODER.encode("DON\u2019T"));
            assertArrayEquals(new int[] {DONT}, ENCODER.encode("don't"));
        }

        @Test
        void oneTokenHasNoBigramAndNoTokenNoIds() {
            assertArrayEquals(new int[] {GOOD}, ENCODER.encode("good"));
            assertArrayEquals(new int[0], ENCODER.encode(""));
        }

        @Test
        void bigramsOffGivesOnlyWordIds() {
            TextEncoder words = TextEncoder.of(SPEC.withBigrams(false), VOCABULARY);
            assertArrayEquals(new int[] {NOT, GOOD, BANG}, words.encode("not good!"));
        }

        @Test
        void bigramsAreFormedFromTheKeptTokensOnly() {
            String text = "a b c d e f g h i j";
            int[] ids = ENCODER.encode(text);
            assertEquals(SPEC.maxSequenceLength(), ids.length);
            assertEquals(ENCODER.idOf("g h"), ids[ids.length - 1]);
        }
    }

    @Nested
    class Batches {

        @Test
        void rowsArePaddedToTheLongestWithPadId() {
            EncodedBatch batch = ENCODER.encodeBatch(List.of("not good", "", "good"));
            assertEquals(3, batch.batchSize());
            assertEquals(3, batch.sequenceLength());
            assertArrayEquals(new int[] {3, 0, 1}, batch.lengths());
            long[] expected = {
                NOT, GOOD, NOT_GOOD,
                Vocabulary.PAD_ID, Vocabulary.PAD_ID, Vocabulary.PAD_ID,
                GOOD, Vocabulary.PAD_ID, Vocabulary.PAD_ID};
            assertArrayEquals(expected, batch.ids());
            assertArrayEquals(new long[] {GOOD}, batch.row(2));
            assertArrayEquals(new long[0], batch.row(1));
        }

        @Test
        void aBatchOfEmptyTextsStillHasOnePaddingColumn() {
            EncodedBatch batch = ENCODER.encodeBatch(List.of("", "   "));
            assertEquals(1, batch.sequenceLength());
            assertArrayEquals(new long[] {Vocabulary.PAD_ID, Vocabulary.PAD_ID}, batch.ids());
            assertArrayEquals(new int[] {0, 0}, batch.lengths());
        }

        @Test
        void anEmptyListGivesAnEmptyBatch() {
            EncodedBatch batch = ENCODER.encodeBatch(List.of());
            assertEquals(0, batch.batchSize());
            assertEquals(0, batch.ids().length);
        }

        @Test
        void batchRowsEqualSingleEncodings() {
            List<String> texts = List.of("I don't like it!!", "\u4E0D\u597D", "", "\uD83D\uDE00 great");
            EncodedBatch batch = ENCODER.encodeBatch(texts);
            for (int r = 0; r < texts.size(); r++) {
                int[] single = ENCODER.encode(texts.get(r));
                long[] expected = new long[single.length];
                for (int i = 0; i < single.length; i++) {
                    expected[i] = single[i];
                }
                assertArrayEquals(expected, batch.row(r), "row " + r);
            }
        }

        @Test
        void inconsistentBatchShapesAreRejected() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EncodedBatch(new long[5], 2, 3, new int[2]));
            assertTrue(e.getMessage().contains("5") && e.getMessage().contains("2 x 3"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new EncodedBatch(new long[6], 2, 3, new int[3]));
        }
    }

    private static String randomToken(Random random) {
        int length = 1 + random.nextInt(6);
        List<Integer> cps = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            // Mostly letters, some CJK and emoji, so that 1-, 2-, 3- and 4-byte UTF-8 sequences are hashed.
            int pick = random.nextInt(4);
            cps.add(pick == 0 ? 'a' + random.nextInt(26)
                    : pick == 1 ? 0xE0 + random.nextInt(0x1F)
                    : pick == 2 ? 0x4E00 + random.nextInt(0x5000)
                    : 0x1F600 + random.nextInt(0x40));
        }
        StringBuilder b = new StringBuilder();
        cps.forEach(b::appendCodePoint);
        return b.toString();
    }
}
