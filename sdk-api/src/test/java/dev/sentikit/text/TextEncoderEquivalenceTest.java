package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The fast {@link TextEncoder} gives exactly the tokens and ids of the plain algorithm, {@link ReferenceEncoder},
 * on random texts built from the characters where a shortcut could go wrong, and on every code point of planes 0
 * to 2 (where the encoder decides per code point whether NFKC can be skipped).
 */
class TextEncoderEquivalenceTest {

    private static final int RANDOM_TEXTS = 20_000;

    /** Code points chosen for the encoder's corner cases, as strings (some are sequences). */
    private static final String[] TRICKY = {
        // ASCII: letters of both cases, digits, apostrophe, punctuation, separators, controls
        "a", "b", "Z", "Q", "i", "I", "0", "7", "'", "'", " ", " ", "\t", "\n", "\r", "\u0000", "\u001B", "!", ".",
        ",", "?", "-", "_", "@", "#", "$", "(", "/", ":", "`", "\"",
        // Latin-1 and Latin Extended: precomposed, compatibility forms, special casing
        "\u00E9", "\u00C9", "\u00F1", "\u00DF", "\u00AA", "\u00B2", "\u00BD", "\u00B4", "\u00A8", "\u00A0", "\u00B5",
        "\u00FF", "\u00AD", "\u00D7", "\u00AB", "\u0130", "\u0131", "\u0149", "\u017F", "\u01C5", "\u01C4", "\u0132",
        // combining marks (some compose with the letter before)
        "\u0301", "\u0308", "\u0327", "\u0307", "\u0345", "\u0338", "\u20E3", "\uFE0F", "\u0316", "\u0300",
        // Greek: sigmas, tonos, compatibility forms
        "\u03A3", "\u03C2", "\u03C3", "\u0386", "\u0390", "\u03D0", "\u03D2", "\u0391", "\u039F",
        "\u0414", "\u0434",
        // CJK, kana, full-width and half-width forms, squared words
        "\u6211", "\u7231", "\u6C49", "\u5B57", "\u3007", "\u3005", "\uFF21", "\uFF41", "\uFF11", "\uFF01", "\uFF07",
        "\uFF71", "\uFF9E", "\u337F", "\u3000", "\u304B", "\u3099", "\u30AB", "\uF900",
        // Hangul: syllables and the jamo that compose into them
        "\uD55C", "\uAC00", "\u1112", "\u1161", "\u11AB", "\u1100", "\u1175", "\u11C2",
        // Devanagari, Bengali: virama, vowel signs, a composition exclusion, a two-part vowel
        "\u0928", "\u094D", "\u093F", "\u0958", "\u0915", "\u093C", "\u09C7", "\u09BE",
        // emoji, skin tones, flags, ZWJ sequences, enclosed and squared forms
        "\uD83D\uDE00", "\uD83D\uDC68", "\uD83D\uDC69", "\uD83D\uDC67", "\u2764", "\uD83D\uDC4D", "\uD83C\uDFFD",
        "\uD83C\uDDEB", "\uD83C\uDDF7", "\uD83C\uDD30", "\uD83C\uDE01", "\u200D",
        // format characters
        "\u200B", "\u200C", "\u2060", "\u202E", "\u2066", "\uFEFF", "\u200E",
        // apostrophe look-alikes
        "\u2019", "\u2018", "\u02BC",
        // compatibility forms that NFKC expands
        "\uFB01", "\u2122", "\u210C", "\u2103", "\u2460", "\u24B6", "\u2160", "\u2026", "\u2014", "\u2013", "\uFDFA",
        "\u2474", "\u3392",
        // surrogates: lone halves, and supplementary letters and ideographs
        "\uD800", "\uDC00", "\uDBFF", "\uDFFF", "\uD835\uDC00", "\uD801\uDC00", "\uD801\uDC28", "\uD840\uDC00",
        "\uD87E\uDC00", "\uD880\uDC00", "\uDB40\uDC41", "\uDB80\uDC00",
        // noncharacters, unassigned, private use
        "\uFFFE", "\uFFFF", "\u0378", "\uE000",
    };

    private static final List<EncoderSpec> SPECS = List.of(
            EncoderSpec.defaults(),
            new EncoderSpec(EncoderSpec.SCHEME_V1, false, true, 5, 40, 97),
            new EncoderSpec(EncoderSpec.SCHEME_V1, true, false, 3, 7, 1),
            new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, 64, 300, 1000));

    private static String randomText(Random random) {
        int length = random.nextInt(50) == 0 ? 400 + random.nextInt(2000) : random.nextInt(40);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            int pick = random.nextInt(10);
            if (pick < 7) {
                sb.append(TRICKY[random.nextInt(TRICKY.length)]);
            } else if (pick < 9) {
                sb.append((char) random.nextInt(0x10000));
            } else {
                sb.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
            }
        }
        return sb.toString();
    }

    /** Tokens and bigrams of some random texts, about half of them kept: a vocabulary that some lookups hit. */
    private static List<String> vocabularyFor(EncoderSpec spec, Random random) {
        ReferenceEncoder plain = new ReferenceEncoder(spec, List.of());
        Set<String> entries = new LinkedHashSet<>();
        for (int i = 0; i < 3000; i++) {
            List<String> tokens = plain.tokenize(randomText(random));
            for (int t = 0; t < tokens.size(); t++) {
                if (random.nextBoolean()) {
                    entries.add(tokens.get(t));
                }
                if (t + 1 < tokens.size() && random.nextBoolean()) {
                    entries.add(tokens.get(t) + " " + tokens.get(t + 1));
                }
            }
        }
        return new ArrayList<>(entries);
    }

    @Test
    void randomTextsGiveTheReferenceTokensAndIds() {
        Random random = new Random(5);
        List<WordsEncoder> fast = new ArrayList<>();
        List<ReferenceEncoder> plain = new ArrayList<>();
        for (EncoderSpec spec : SPECS) {
            List<String> vocabulary = vocabularyFor(spec, random);
            fast.add(new WordsEncoder(spec, Vocabulary.of(vocabulary)));
            plain.add(new ReferenceEncoder(spec, vocabulary));
        }
        long[] into = new long[8];
        List<String> batch = new ArrayList<>();
        for (int n = 0; n < RANDOM_TEXTS; n++) {
            String text = randomText(random);
            int which = n % SPECS.size();
            WordsEncoder encoder = fast.get(which);
            ReferenceEncoder reference = plain.get(which);
            int index = n;
            Supplier<String> what = () -> "text " + index + " " + text.codePoints().mapToObj(Integer::toHexString)
                    .toList() + " with " + SPECS.get(which);
            assertEquals(reference.tokenize(text), encoder.tokenize(text), what);
            int[] expected = reference.encode(text);
            assertArrayEquals(expected, encoder.encode(text), what);
            int offset = n % 3;
            int written = encoder.encodeInto(text, into, offset);
            if (written < 0) {
                assertEquals(expected.length, -written, what);
                into = new long[offset - written];
                written = encoder.encodeInto(text, into, offset);
            }
            assertEquals(expected.length, written, what);
            for (int i = 0; i < written; i++) {
                assertEquals(expected[i], into[offset + i], what);
            }
            if (which == 0) {
                batch.add(text);
                if (batch.size() == 7) {
                    EncodedBatch encoded = encoder.encodeBatch(batch);
                    for (int r = 0; r < batch.size(); r++) {
                        int[] ids = reference.encode(batch.get(r));
                        long[] row = encoded.row(r);
                        assertEquals(ids.length, row.length, "batch row " + r);
                        for (int i = 0; i < ids.length; i++) {
                            assertEquals(ids[i], row[i], "batch row " + r + " id " + i);
                        }
                    }
                    batch.clear();
                }
            }
            assertEquals(reference.idOf(text), encoder.idOf(text), what);
        }
    }

    /** The hash bucket, computed without a division, is the unsigned remainder for every number of buckets. */
    @Test
    void bucketsAreTheUnsignedRemainder() {
        Random random = new Random(7);
        int[] sizes = {1, 2, 3, 7, 97, 1000, 4096, 65_537, (1 << 30) + 3, Integer.MAX_VALUE - 2, Integer.MAX_VALUE - 1};
        int[] edges = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x811C9DC5};
        for (int size : sizes) {
            WordsEncoder encoder = new WordsEncoder(EncoderSpec.defaults().withHashBuckets(size),
                    Vocabulary.of(List.of()));
            for (int i = 0; i < 20_000; i++) {
                int fnv = i < edges.length ? edges[i] : random.nextInt();
                assertEquals(1 + Integer.remainderUnsigned(fnv, size), encoder.bucket(fnv),
                        "fnv " + fnv + " mod " + size);
            }
        }
    }

    /**
     * Every code point of planes 0 to 2 between letters, and every canonical decomposition of one: where the
     * encoder skips NFKC for a code point it must be right to, in any context, including a decomposed letter that
     * NFKC would compose (e + U+0301, Hangul jamo, Indic two-part vowels).
     */
    @Test
    void everyCodePointAndEveryDecompositionGivesTheReferenceTokens() {
        List<String> vocabulary = List.of("a", "b", "a b");
        WordsEncoder encoder = new WordsEncoder(EncoderSpec.defaults(), Vocabulary.of(vocabulary));
        ReferenceEncoder reference = new ReferenceEncoder(EncoderSpec.defaults(), vocabulary);
        for (int cp = 0; cp < 0x30000; cp++) {
            String c = new String(Character.toChars(cp));
            check(encoder, reference, "A" + c + "'" + c + "b" + c + "İ" + c);
            String nfd = Normalizer.normalize(c, Normalizer.Form.NFD);
            if (!nfd.equals(c)) {
                check(encoder, reference, "x" + nfd + nfd);
            }
        }
    }

    private static void check(WordsEncoder encoder, ReferenceEncoder reference, String text) {
        Supplier<String> what = () -> text.codePoints().mapToObj(Integer::toHexString).toList().toString();
        assertEquals(reference.tokenize(text), encoder.tokenize(text), what);
        assertArrayEquals(reference.encode(text), encoder.encode(text), what);
    }
}
