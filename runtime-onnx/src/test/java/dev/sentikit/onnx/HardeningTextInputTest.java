package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, text input: what each awkward text gives, end to end through ONNX Runtime. Every result is a probability
 * distribution, never NaN; texts that differ only in what the encoder ignores give exactly the same result. The
 * expected tokens document the behaviour (docs/reliability.md lists it).
 */
class HardeningTextInputTest {

    private static final List<String> LABELS = ModelGenerators.LABELS_3;
    private static final TextEncoder ENCODER = ModelGenerators.encoder();
    private static final EncoderSpec SPEC = ModelGenerators.SPEC;

    private static ModelGenerators.Bag bag;
    private static SentimentAnalyzer analyzer;

    @BeforeAll
    static void load() throws Exception {
        bag = ModelGenerators.Bag.random(606L, ModelGenerators.ROWS, ModelGenerators.DIM, LABELS.size());
        analyzer = SentimentAnalyzer.fromBytes(ModelGenerators.bagModel(bag, ModelGenerators.props(LABELS)),
                "text-input.onnx", AnalyzerOptions.builder().optDevice(Device.CPU).build());
    }

    @AfterAll
    static void close() {
        if (analyzer != null) {
            analyzer.close();
        }
    }

    /** The result is a distribution and matches the plain-Java computation on the encoder's ids. */
    private static Sentiment analyzeAndCheck(String text) {
        Sentiment s = analyzer.analyze(text);
        double[] expected = bag.probabilities(ENCODER.encode(text));
        double sum = 0;
        for (int i = 0; i < LABELS.size(); i++) {
            double p = s.score(LABELS.get(i));
            assertTrue(Double.isFinite(p) && p >= 0 && p <= 1, "probability " + p);
            assertEquals(expected[i], p, 1e-5, LABELS.get(i));
            sum += p;
        }
        assertEquals(1.0, sum, 1e-5);
        return s;
    }

    /** {@code text} has exactly these tokens and exactly the result of {@code same}. */
    private static void givesTheTokensOf(String text, List<String> tokens, String same) {
        assertEquals(tokens, ENCODER.tokenize(text), "tokens of " + escape(text));
        assertEquals(analyzeAndCheck(same), analyzeAndCheck(text), escape(text) + " analyzes as " + escape(same));
    }

    /** The same probabilities, up to float rounding (a batch pads rows, which may change the last bit). */
    static void assertSameScores(Sentiment expected, Sentiment actual, String what) {
        assertEquals(List.copyOf(expected.scores().keySet()), List.copyOf(actual.scores().keySet()), what);
        for (String label : expected.scores().keySet()) {
            assertEquals(expected.score(label), actual.score(label), 1e-6, what + ": " + label);
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return sb.append('"').toString();
    }

    // ------------------------------------------------------------------------------------------------ null, empty

    @Test
    void nullTextThrowsAnExceptionThatSaysSo() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> analyzer.analyze(null));
        assertEquals("text must not be null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> analyzer.analyzeAll(Arrays.asList("good", "bad", null)));
        assertEquals("texts[2] is null; every text must be non-null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> analyzer.analyzeAll(null));
        assertEquals("texts must not be null", e.getMessage());
    }

    @Test
    void emptyAndBlankTextsGiveSoftmaxOfTheBiasNeverNaN() {
        double[] bias = bag.probabilities(new int[0]);
        Sentiment empty = analyzeAndCheck("");
        for (int i = 0; i < LABELS.size(); i++) {
            assertEquals(bias[i], empty.score(LABELS.get(i)), 1e-6, "softmax(bias)");
        }
        // Whitespace of every kind, controls, format characters alone: no tokens, the same result.
        for (String blank : List.of(" ", "   ", "\t\n\r", "\u00A0\u3000\u2003", "\u200B\u200D\u2060\uFEFF",
                "\u200E\u200F\u202A\u202E\u2066\u2069", "\u0000\u0007\u001B", "\uFE0F", "\u0301")) {
            givesTheTokensOf(blank, List.of(), "");
        }
        // In a batch with other texts (longer rows, more padding), still the same result.
        List<Sentiment> batch = analyzer.analyzeAll(List.of("", "good movie, not boring at all", "   "));
        assertSameScores(empty, batch.get(0), "the empty text in a batch");
        assertSameScores(empty, batch.get(2), "a blank text in a batch");
    }

    // ------------------------------------------------------------------------------------------------ size

    @Test
    void aTenMegabyteTextIsCutToMaxCharsBeforeAnyWork() {
        String tenMb = "good movie, not boring! ".repeat(10 * 1024 * 1024 / 24 + 1);
        assertTrue(tenMb.length() >= 10 * 1024 * 1024);
        Sentiment s = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> analyzer.analyze(tenMb),
                "a hang guard, not a benchmark");
        // Only the first max_chars (16,384) code units are read; of those, the first max_tokens (256) tokens.
        Sentiment prefix = analyzer.analyze(tenMb.substring(0, SPEC.maxChars()));
        assertEquals(prefix.scores(), s.scores());
        assertEquals(prefix.label(), s.label());
        // ... and the result says so: the text was cut, and even its tokens were counted only in what was read.
        assertTrue(s.coverage().charsCut() && s.coverage().cut(), s.coverage().toString());
        assertEquals(SPEC.maxTokens(), s.coverage().tokensRead());
        assertEquals(prefix.coverage().tokens(), s.coverage().tokens());
        assertEquals(SPEC.maxTokens(), ENCODER.tokenize(tenMb).size());
        assertEquals(SPEC.maxSequenceLength(), ENCODER.encode(tenMb).length);
        analyzeAndCheck(tenMb);
        // One 10 MB word without a separator: cut to one token of max_chars characters.
        String oneWord = "a".repeat(10 * 1024 * 1024);
        assertEquals(List.of("a".repeat(SPEC.maxChars())), ENCODER.tokenize(oneWord));
        analyzeAndCheck(oneWord);
        // 10 MB of emoji: the cut falls between surrogate pairs, never inside one.
        String emoji = "\uD83D\uDE00".repeat(5 * 1024 * 1024);
        List<String> tokens = ENCODER.tokenize(emoji);
        assertEquals(SPEC.maxTokens(), tokens.size());
        assertTrue(tokens.stream().allMatch("\uD83D\uDE00"::equals));
        analyzeAndCheck(emoji);
    }

    @Test
    void aBatchOfOneHundredThousandTextsIsSplitAndKeepsOrder() {
        int n = 100_000;
        String[] words = {"good", "bad", "great", "terrible", "not", "movie", "boring", "plot", "\u597D", "\uD83D\uDE00"};
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            texts.add(words[i % 10] + " " + words[(i / 10) % 10] + (i % 7 == 0 ? "" : " " + words[(i / 100) % 10]) + " "
                    + i);
        }
        List<Sentiment> all = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> analyzer.analyzeAll(texts),
                "a hang guard, not a benchmark");
        assertEquals(n, all.size());
        for (int i = 0; i < n; i += 997) {
            assertSameScores(analyzer.analyze(texts.get(i)), all.get(i), "text " + i);
        }
        assertSameScores(analyzer.analyze(texts.get(n - 1)), all.get(n - 1), "the last text");
        // The batch size is the option's: 100,000 texts run as 391 batches of at most 256.
        assertEquals(AnalyzerOptions.DEFAULT_MAX_BATCH_SIZE, AnalyzerOptions.defaults().maxBatchSize());
    }

    // ------------------------------------------------------------------------------------------------ odd characters

    @Test
    void loneSurrogatesSeparateTokens() {
        givesTheTokensOf("good\uD800movie", List.of("good", "movie"), "good movie");
        givesTheTokensOf("good\uDC00movie", List.of("good", "movie"), "good movie");
        givesTheTokensOf("\uDFFFnot good\uD83D", List.of("not", "good"), "not good");
        // A reversed pair is two lone surrogates, not an emoji.
        givesTheTokensOf("bad\uDE00\uD83Dmovie", List.of("bad", "movie"), "bad movie");
        givesTheTokensOf("\uD800", List.of(), "");
    }

    @Test
    void controlCharactersSeparateTokens() {
        givesTheTokensOf("good\u0000movie\u0007!", List.of("good", "movie", "!"), "good movie !");
        givesTheTokensOf("not\tgood\r\nat\u000Ball", List.of("not", "good", "at", "all"), "not good at all");
        // An ANSI colour code: ESC separates; the rest is text like any other.
        givesTheTokensOf("\u001B[31mbad\u001B[0m", List.of("[", "31mbad", "[", "0m"), "[31mbad [0m");
        givesTheTokensOf("great\u0085\u2028\u2029movie", List.of("great", "movie"), "great movie");
    }

    @Test
    void zeroWidthAndBidiMarksAreDeletedWithoutSplitting() {
        givesTheTokensOf("not\u200Bgood", List.of("notgood"), "notgood");
        givesTheTokensOf("go\u200Dod mo\u00ADvie", List.of("good", "movie"), "good movie");
        givesTheTokensOf("\u202Eterrible\u202C movie", List.of("terrible", "movie"), "terrible movie");
        givesTheTokensOf("\u2067good\u2069 \u200Fbad\u200E", List.of("good", "bad"), "good bad");
        givesTheTokensOf("don\u200B't", List.of("don't"), "don't");
        givesTheTokensOf("\uFEFFgreat", List.of("great"), "great");
    }

    @Test
    void emojiSequencesGiveOneTokenPerEmoji() {
        // ZWJ family: three emoji, the joiners deleted.
        givesTheTokensOf("\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
                List.of("\uD83D\uDC68", "\uD83D\uDC69", "\uD83D\uDC67"), "\uD83D\uDC68 \uD83D\uDC69 \uD83D\uDC67");
        // Skin tone: the modifier is a token of its own.
        givesTheTokensOf("\uD83D\uDC4D\uD83C\uDFFD", List.of("\uD83D\uDC4D", "\uD83C\uDFFD"),
                "\uD83D\uDC4D \uD83C\uDFFD");
        // A flag: two regional indicators.
        givesTheTokensOf("\uD83C\uDDEB\uD83C\uDDF7", List.of("\uD83C\uDDEB", "\uD83C\uDDF7"),
                "\uD83C\uDDEB \uD83C\uDDF7");
        // Variation selector 16 after an emoji is dropped; a keycap stays one token.
        givesTheTokensOf("I \u2764\uFE0F it", List.of("i", "\u2764", "it"), "i \u2764 it");
        givesTheTokensOf("1\uFE0F\u20E3", List.of("1\uFE0F\u20E3"), "1\uFE0F\u20E3");
        givesTheTokensOf("good\uD83D\uDE00\uD83D\uDE00", List.of("good", "\uD83D\uDE00", "\uD83D\uDE00"),
                "good \uD83D\uDE00 \uD83D\uDE00");
    }

    @Test
    void mixedCjkAndLatin() {
        givesTheTokensOf("\u6211\u7231NLP\u548CAI", List.of("\u6211", "\u7231", "nlp", "\u548C", "ai"),
                "\u6211 \u7231 nlp \u548C ai");
        givesTheTokensOf("\u8FD9\u90E8movie\u4E0D\u597D", List.of("\u8FD9", "\u90E8", "movie", "\u4E0D", "\u597D"),
                "\u8FD9 \u90E8 movie \u4E0D \u597D");
        // Kana and Hangul are letters: words, not one token per character.
        givesTheTokensOf("\u30AB\u30BF\u30AB\u30CA good \uD55C\uAD6D\uC5B4",
                List.of("\u30AB\u30BF\u30AB\u30CA", "good", "\uD55C\uAD6D\uC5B4"),
                "\u30AB\u30BF\u30AB\u30CA good \uD55C\uAD6D\uC5B4");
    }

    @Test
    void fullWidthFormsFoldToTheirPlainForms() {
        givesTheTokensOf("\uFF27\uFF2F\uFF2F\uFF24\u3000\uFF4D\uFF4F\uFF56\uFF49\uFF45\uFF01",
                List.of("good", "movie", "!"), "good movie!");
        givesTheTokensOf("\uFF4E\uFF4F\uFF54 \uFF47\uFF4F\uFF4F\uFF44", List.of("not", "good"), "not good");
        givesTheTokensOf("\uFF11\uFF10\uFF10\uFF05", List.of("100", "%"), "100%");
        givesTheTokensOf("\uFF76\uFF80\uFF76\uFF85", List.of("\u30AB\u30BF\u30AB\u30CA"), "\u30AB\u30BF\u30AB\u30CA");
    }

    @Test
    void everyOddTextAlsoWorksInOneBatch() {
        List<String> texts = List.of("", "good\uD800movie", "good\u0000movie", "not\u200Bgood",
                "\uD83D\uDC68\u200D\uD83D\uDC69", "\u6211\u7231NLP", "\uFF27\uFF2F\uFF2F\uFF24", "\u202E\u202C",
                "a".repeat(100_000));
        List<Sentiment> batch = analyzer.analyzeAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertSameScores(analyzer.analyze(texts.get(i)), batch.get(i), "text " + i);
        }
    }
}
