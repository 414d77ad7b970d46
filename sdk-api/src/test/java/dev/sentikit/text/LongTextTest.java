package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.sentikit.model.ModelFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Texts longer than a model reads (docs/model-format.md §4.7 and §8.7): which tokens each {@link Truncation} keeps,
 * the windows of a windowed read, and the {@link Coverage} every read reports. The fast words encoder is held to
 * the plain algorithm ({@link ReferenceEncoder#read}); the WordPiece encoder to Hugging Face {@code tokenizers}: its
 * untruncated pieces, cut as each truncation says, and its overflowing tokens for the windows.
 */
class LongTextTest {

    private static final List<String> WORDS = List.of("the", "movie", "was", "not", "good", "bad", "great", "i",
            "don't", "like", "it", "very", "!", ".", ",", "不", "好", "😀", "café");

    private static final List<Truncation> TRUNCATIONS = List.of(Truncation.HEAD, Truncation.TAIL,
            Truncation.headTail(1), Truncation.headTail(2), Truncation.headTail(3));

    /** A text of {@code words} words and symbols with varied spacing, some of it past short max_chars. */
    private static String text(Random random, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            String w = WORDS.get(random.nextInt(WORDS.size()));
            sb.append(random.nextInt(5) == 0 ? w.toUpperCase(java.util.Locale.ROOT) : w);
            sb.append(random.nextInt(4) == 0 ? "  " : random.nextInt(6) == 0 ? "" : " ");
        }
        return sb.toString();
    }

    @Test
    void theWordsEncoderReadsLongTextsAsThePlainAlgorithm() {
        Random random = new Random(3);
        List<String> vocabulary = List.of("the", "movie", "not", "good", "not good", "great", "!", "不", "好", "不 好");
        int compared = 0;
        for (int round = 0; round < 600; round++) {
            int maxTokens = 4 + random.nextInt(6);
            int room = maxTokens;
            Truncation t = TRUNCATIONS.get(random.nextInt(TRUNCATIONS.size()));
            if (t.headTokens() != null && t.headTokens() >= room) {
                continue;
            }
            int maxChars = 20 + random.nextInt(80);
            EncoderSpec spec = new EncoderSpec(EncoderSpec.SCHEME_V1, true, random.nextBoolean(), maxTokens, maxChars,
                    50, null, t);
            TextEncoder fast = TextEncoder.of(spec, Vocabulary.of(vocabulary));
            ReferenceEncoder plain = new ReferenceEncoder(spec, vocabulary);
            String text = text(random, random.nextInt(40));
            for (int maxWindows : new int[] {1, 2, 3, 8}) {
                int[] coverage = new int[2];
                List<int[]> expected = plain.read(text, maxWindows, coverage);
                EncodedText got = fast.read(text, maxWindows);
                String what = spec.truncation() + ", max_tokens " + maxTokens + ", max_chars " + maxChars
                        + ", bigrams " + spec.bigrams() + ", windows " + maxWindows + ": '" + text + "'";
                assertEquals(expected.size(), got.windows().length, what);
                for (int w = 0; w < expected.size(); w++) {
                    assertArrayEquals(expected.get(w), got.windows()[w], what + ", window " + w);
                }
                assertEquals(coverage[0], got.coverage().tokensRead(), what);
                assertEquals(coverage[1], got.coverage().tokens(), what);
                assertEquals(text.length() > maxChars, got.coverage().charsCut(), what);
                if (maxWindows == 1) {
                    assertArrayEquals(expected.get(0), fast.encode(text), what + " (encode)");
                    long[] into = new long[expected.get(0).length + 3];
                    assertEquals(expected.get(0).length, fast.encodeInto(text, into, 3), what);
                    assertArrayEquals(expected.get(0), Arrays.stream(into).skip(3).mapToInt(l -> (int) l).toArray(),
                            what + " (encodeInto)");
                    EncodedBatch batch = fast.encodeBatch(List.of(text, "the", text));
                    assertArrayEquals(BertTokenizers.toLongs(expected.get(0)), batch.row(2), what + " (encodeBatch)");
                }
                compared++;
            }
        }
        assertTrue(compared > 1_500, "compared " + compared);
    }

    @Test
    void tokenizeGivesTheWordsKept() {
        EncoderSpec spec = new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, 4, 1000, 10, null, Truncation.TAIL);
        assertEquals(List.of("was", "great", "in", "the"),
                TextEncoder.tokenize("one two three four five was great in the", spec));
        EncoderSpec headTail = spec.withTruncation(Truncation.headTail(1));
        assertEquals(List.of("one", "great", "in", "the"),
                TextEncoder.tokenize("one two three four five was great in the", headTail));
        assertEquals(List.of("one", "two"), TextEncoder.tokenize("one two", headTail), "a text that fits is whole");
    }

    @Test
    void tailReadsTheEndOfATextLongerThanMaxChars() {
        String end = "the ending was great";
        String text = "x ".repeat(5_000) + end;
        EncoderSpec head = new EncoderSpec(EncoderSpec.SCHEME_V1, true, false, 4, 100, 10, null, Truncation.HEAD);
        EncoderSpec tail = head.withTruncation(Truncation.TAIL);
        EncoderSpec headTail = head.withTruncation(Truncation.headTail(1));
        assertEquals(List.of("x", "x", "x", "x"), TextEncoder.tokenize(text, head));
        assertEquals(List.of("the", "ending", "was", "great"), TextEncoder.tokenize(text, tail));
        assertEquals(List.of("x", "ending", "was", "great"), TextEncoder.tokenize(text, headTail));
        Coverage c = TextEncoder.of(tail, Vocabulary.of(List.of("great"))).read(text, 1).coverage();
        assertTrue(c.charsCut() && c.cut());
        assertEquals(4, c.tokensRead());
        assertEquals(44, c.tokens(), "the tokens of the last 100 code units: 40 x and the four words");
        assertEquals("cut", c.how());
    }

    @Test
    void aSurrogatePairIsNeverSplitAtACut() {
        String text = "a".repeat(9) + "😀" + "b".repeat(9); // 20 code units; the emoji at 9 and 10
        EncoderSpec tail = new EncoderSpec(EncoderSpec.SCHEME_V1, true, false, 50, 10, 10, null, Truncation.TAIL);
        assertEquals(List.of("bbbbbbbbb"), TextEncoder.tokenize(text, tail), "the last 10 units start inside it");
        EncoderSpec head = tail.withTruncation(Truncation.HEAD);
        assertEquals(List.of("aaaaaaaaa"), TextEncoder.tokenize(text, head));
    }

    @Test
    void windowsOverlapByHalfAndAreBounded() {
        assertArrayEquals(new int[][] {{0, 5}}, LongText.windows(5, 6, 4));
        assertArrayEquals(new int[][] {{0, 6}, {3, 9}, {6, 10}}, LongText.windows(10, 6, 4));
        assertArrayEquals(new int[][] {{0, 6}, {3, 9}, {6, 12}}, LongText.windows(12, 6, 4));
        assertArrayEquals(new int[][] {{0, 5}, {3, 8}, {6, 10}}, LongText.windows(10, 5, 4), "odd room: step 3");
        assertArrayEquals(new int[][] {{0, 6}, {3, 9}, {14, 20}}, LongText.windows(20, 6, 3),
                "past the bound: the first two and the last tokens");
        assertEquals(15, LongText.union(LongText.windows(20, 6, 3)));
        assertEquals(20, LongText.union(LongText.windows(20, 6, 100)));
        Coverage c = TextEncoder.of(new EncoderSpec(EncoderSpec.SCHEME_V1, true, false, 6, 1000, 10),
                Vocabulary.of(List.of("a"))).read("a ".repeat(20), 3).coverage();
        assertEquals(new Coverage(15, 20, 3, false), c);
        assertEquals("windows", c.how());
        assertTrue(c.cut());
        assertThrows(IllegalArgumentException.class, () -> TextEncoder.of(EncoderSpec.defaults(),
                Vocabulary.of(List.of("a"))).read("a", 0));
    }

    @Test
    void truncationIsParsedWrittenAndChecked() throws Exception {
        assertEquals(Truncation.HEAD, Truncation.parse("HEAD"));
        assertEquals(Truncation.TAIL, Truncation.parse(" tail"));
        assertEquals(Truncation.headTail(64), Truncation.parse("head+tail:64"));
        assertEquals("head+tail:64", Truncation.headTail(64).toString());
        for (String bad : List.of("middle", "head+tail", "head+tail:x", "head+tail:0")) {
            assertThrows(IllegalArgumentException.class, () -> Truncation.parse(bad), bad);
        }
        EncoderSpec spec = EncoderSpec.defaults();
        String head = ModelFormat.json().writeValueAsString(spec);
        assertFalse(head.contains("truncation"), "head is what a file without the field means: not written " + head);
        assertEquals(spec, ModelFormat.json().readValue(head, EncoderSpec.class));
        EncoderSpec tail = spec.withTruncation(Truncation.headTail(64));
        String json = ModelFormat.json().writeValueAsString(tail);
        assertTrue(json.contains("\"truncation\":{\"keep\":\"head+tail\",\"head_tokens\":64}"), json);
        assertEquals(tail, ModelFormat.json().readValue(json, EncoderSpec.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec.withMaxTokens(10).withTruncation(Truncation.headTail(10)));
        assertTrue(e.getMessage().contains("keeps no tail"), e.getMessage());
        assertEquals(1, ModelFormat.formatVersionFor(spec));
        assertEquals(2, ModelFormat.formatVersionFor(tail));
    }

    // ------------------------------------------------------------------------------------------ WordPiece

    /** Our pieces of every truncation, and our windows, against Hugging Face tokenizers on the same file. */
    @Test
    void wordPieceKeepsHuggingFacesPiecesAndWindows(@TempDir Path dir) throws IOException {
        List<String> vocabulary = BertTokenizers.vocabulary(false);
        String json = BertTokenizers.tokenizerJson(vocabulary, true, null, true, true);
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        Random random = new Random(9);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(6); k >= 0; k--) {
                sb.append(BertTokenizers.randomText(random)).append(' ');
            }
            texts.add(sb.toString());
        }
        int maxTokens = 12;
        int room = maxTokens - 2;
        int compared = 0;
        try (HuggingFaceTokenizer whole = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build();
                HuggingFaceTokenizer windowed = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                        .optAddSpecialTokens(true).optTruncation(true).optMaxLength(maxTokens)
                        .optStride(room / 2).optWithOverflowingTokens(true).optPadding(false).build()) {
            for (String text : texts) {
                if (BertTokenizers.hasLoneSurrogate(text) || text.contains("[PAD]") || text.length() > 16_384) {
                    continue;
                }
                long[] all = whole.encode(text).getIds();
                long[] pieces = Arrays.copyOfRange(all, 1, all.length - 1); // without [CLS] and [SEP]
                for (Truncation t : TRUNCATIONS) {
                    TextEncoder ours = TokenizerJson.read(json, maxTokens).encoder();
                    ours = TextEncoder.of(ours.spec().withTruncation(t), ours.vocabulary());
                    long[] expected = frame(all[0], cut(pieces, t, room), all[all.length - 1]);
                    assertArrayEquals(expected, BertTokenizers.toLongs(ours.encode(text)), t + ": '" + text + "'");
                    EncodedText read = ours.read(text, 1);
                    assertArrayEquals(expected, BertTokenizers.toLongs(read.windows()[0]), t + " (read): '" + text + "'");
                    assertEquals(pieces.length, read.coverage().tokens(), text);
                    assertEquals(Math.min(pieces.length, room), read.coverage().tokensRead(), text);
                }
                Encoding e = windowed.encode(text);
                List<long[]> theirs = new ArrayList<>();
                theirs.add(e.getIds());
                for (Encoding o : e.getOverflowing()) {
                    theirs.add(o.getIds());
                }
                EncodedText ours = TokenizerJson.read(json, maxTokens).encoder().read(text, 1_000);
                assertEquals(theirs.size(), ours.windows().length, "windows of '" + text + "'");
                for (int w = 0; w < theirs.size(); w++) {
                    assertArrayEquals(theirs.get(w), BertTokenizers.toLongs(ours.windows()[w]), "window " + w + " of '" + text + "'");
                }
                compared++;
            }
        }
        assertTrue(compared > 200, "compared " + compared);
    }

    private static long[] cut(long[] pieces, Truncation t, int room) {
        int n = pieces.length;
        if (n <= room) {
            return pieces;
        }
        return switch (t.keep()) {
            case "head" -> Arrays.copyOfRange(pieces, 0, room);
            case "tail" -> Arrays.copyOfRange(pieces, n - room, n);
            default -> {
                long[] out = new long[room];
                int h = t.headTokens();
                System.arraycopy(pieces, 0, out, 0, h);
                System.arraycopy(pieces, n - (room - h), out, h, room - h);
                yield out;
            }
        };
    }

    private static long[] frame(long cls, long[] pieces, long sep) {
        long[] out = new long[pieces.length + 2];
        out[0] = cls;
        System.arraycopy(pieces, 0, out, 1, pieces.length);
        out[out.length - 1] = sep;
        return out;
    }


}
