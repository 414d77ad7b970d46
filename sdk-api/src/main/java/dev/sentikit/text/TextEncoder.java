package dev.sentikit.text;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns text into the ids a model reads. The one encoder both the trainer and the runtime call, so that a
 * model sees at inference exactly what it saw in training. Immutable and thread-safe.
 *
 * <p>The algorithm ({@link EncoderSpec#SCHEME_V1}), precise enough to reimplement in another language, is in
 * {@code docs/model-format.md}; golden vectors in {@code sdk-api/src/test/resources/dev/sentikit/text/} hold
 * every implementation to it. In short:
 * <ol>
 *   <li>Keep the first {@code max_chars} UTF-16 code units (a surrogate pair is not split).</li>
 *   <li>Normalize to Unicode NFKC, then (when {@code lowercase} is set) lower-case with the locale-independent
 *       Unicode full mapping and replace every final sigma U+03C2 {@code ς} with U+03C3 {@code σ}. That makes
 *       lower-casing context-free: the same as Python's {@code s.lower().replace('ς', 'σ')} or JavaScript's
 *       {@code s.toLowerCase().replaceAll('ς', 'σ')}, whatever word rules each uses to place the final sigma.</li>
 *   <li>Scan code points: letters, digits and marks form words (an apostrophe between two word characters
 *       stays inside the word, as U+0027); every CJK ideograph is a token by itself; every punctuation or
 *       symbol code point (emoji included) is a token by itself; format characters (zero-width joiners and
 *       spaces, bidi marks, soft hyphens) are deleted without splitting; everything else separates tokens.</li>
 *   <li>Keep the first {@code max_tokens} tokens.</li>
 *   <li>Map each token to its vocabulary id, or, when it has none, to
 *       {@code 1 + vocabularySize + fnv1a32(utf8(token)) mod hash_buckets}.</li>
 *   <li>When {@code bigrams} is set, append the ids of the adjacent pairs {@code token[i] + " " + token[i+1]},
 *       mapped the same way.</li>
 * </ol>
 */
public final class TextEncoder {

    private static final int FNV_OFFSET_BASIS = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;
    private static final char FINAL_SIGMA = '\u03C2';
    private static final char SIGMA = '\u03C3';

    private final EncoderSpec spec;
    private final Vocabulary vocabulary;

    public TextEncoder(EncoderSpec spec, Vocabulary vocabulary) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        // Ids are ints: 1 + V + B must fit, or the ids of hash buckets would wrap to negative numbers.
        long idSpace = 1L + vocabulary.size() + spec.hashBuckets();
        if (idSpace > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("1 + " + vocabulary.size() + " vocabulary entries + "
                    + spec.hashBuckets() + " hash buckets = " + idSpace + " ids, more than the "
                    + Integer.MAX_VALUE + " an int id can hold");
        }
    }

    public EncoderSpec spec() {
        return spec;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The number of distinct ids this encoder can produce, padding included: the embedding table's rows. */
    public int idSpace() {
        return 1 + vocabulary.size() + spec.hashBuckets();
    }

    /**
     * Splits {@code text} into tokens (steps 1 to 4), without mapping them to ids.
     *
     * @throws NullPointerException if {@code text} is null
     */
    public List<String> tokenize(String text) {
        return tokenize(text, spec);
    }

    /** Tokenizes with the given specification; the vocabulary plays no part in tokenization. */
    public static List<String> tokenize(String text, EncoderSpec spec) {
        Objects.requireNonNull(text, "text must not be null");
        String s = text;
        if (s.length() > spec.maxChars()) {
            int end = spec.maxChars();
            if (Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
                end--;
            }
            s = s.substring(0, end);
        }
        s = Normalizer.normalize(s, Normalizer.Form.NFKC);
        if (spec.lowercase()) {
            // toLowerCase picks ς or σ for Σ by Java's own word rules; Python and JavaScript decide by the
            // Unicode Final_Sigma condition. Folding ς into σ makes every implementation agree.
            s = s.toLowerCase(Locale.ROOT).replace(FINAL_SIGMA, SIGMA);
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int n = s.length();
        int i = 0;
        while (i < n && tokens.size() < spec.maxTokens()) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            switch (classify(cp)) {
                case WORD:
                    // A mark with no word to attach to (U+FE0F after an emoji) is dropped.
                    if (word.length() > 0 || !isMark(cp)) {
                        word.appendCodePoint(cp);
                    }
                    break;
                case APOSTROPHE:
                    // Inside a word ("don't") it stays; anywhere else it is punctuation. Format characters
                    // after it are looked past, as they are deleted everywhere else: d o n ' U+200B t is "don't".
                    if (word.length() > 0 && kindAfterFormat(s, next) == Kind.WORD) {
                        word.append('\'');
                    } else {
                        flush(word, tokens);
                        addIfRoom(tokens, new String(Character.toChars(cp)), spec);
                    }
                    break;
                case SINGLE:
                    flush(word, tokens);
                    addIfRoom(tokens, new String(Character.toChars(cp)), spec);
                    break;
                case IGNORED:
                    break;
                case SEPARATOR:
                default:
                    flush(word, tokens);
                    break;
            }
            i = next;
        }
        if (tokens.size() < spec.maxTokens()) {
            flush(word, tokens);
        }
        return tokens;
    }

    /** Encodes one text to ids (steps 1 to 6); the array has no padding and may be empty. */
    public int[] encode(String text) {
        List<String> tokens = tokenize(text);
        int n = tokens.size();
        int total = spec.bigrams() && n > 1 ? 2 * n - 1 : n;
        int[] ids = new int[total];
        for (int t = 0; t < n; t++) {
            ids[t] = idOf(tokens.get(t));
        }
        if (spec.bigrams()) {
            for (int t = 0; t + 1 < n; t++) {
                ids[n + t] = idOf(tokens.get(t) + ' ' + tokens.get(t + 1));
            }
        }
        return ids;
    }

    /**
     * Encodes texts into one padded batch whose row length is the longest text's id count (at least 1, so
     * that an empty text still has a row of padding).
     */
    public EncodedBatch encodeBatch(List<String> texts) {
        int[][] rows = new int[texts.size()][];
        int width = 1;
        for (int r = 0; r < rows.length; r++) {
            rows[r] = encode(texts.get(r));
            width = Math.max(width, rows[r].length);
        }
        long[] ids = new long[rows.length * width];
        int[] lengths = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            int[] row = rows[r];
            lengths[r] = row.length;
            int base = r * width;
            for (int c = 0; c < row.length; c++) {
                ids[base + c] = row[c];
            }
        }
        return new EncodedBatch(ids, rows.length, width, lengths);
    }

    /** The id of one token or bigram: its vocabulary id, else its hash bucket. */
    public int idOf(String token) {
        int id = vocabulary.id(token);
        if (id > 0) {
            return id;
        }
        return 1 + vocabulary.size() + Integer.remainderUnsigned(fnv1a32(token), spec.hashBuckets());
    }

    /** 32-bit FNV-1a over the UTF-8 bytes of {@code token}. */
    static int fnv1a32(String token) {
        int h = FNV_OFFSET_BASIS;
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }

    private static void flush(StringBuilder word, List<String> tokens) {
        if (word.length() > 0) {
            tokens.add(word.toString());
            word.setLength(0);
        }
    }

    private static void addIfRoom(List<String> tokens, String token, EncoderSpec spec) {
        if (tokens.size() < spec.maxTokens()) {
            tokens.add(token);
        }
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private enum Kind { WORD, APOSTROPHE, SINGLE, IGNORED, SEPARATOR }

    /** The kind of the first code point at or after {@code from} that is not deleted; SEPARATOR at the end. */
    private static Kind kindAfterFormat(String s, int from) {
        int j = from;
        while (j < s.length()) {
            int cp = s.codePointAt(j);
            Kind kind = classify(cp);
            if (kind != Kind.IGNORED) {
                return kind;
            }
            j += Character.charCount(cp);
        }
        return Kind.SEPARATOR;
    }

    private static Kind classify(int cp) {
        if (cp == '\'' || cp == '\u2019') {
            return Kind.APOSTROPHE;
        }
        if (Character.isIdeographic(cp)) {
            return Kind.SINGLE;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
            case Character.NON_SPACING_MARK:
            case Character.COMBINING_SPACING_MARK:
            case Character.ENCLOSING_MARK:
                return Kind.WORD;
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
            case Character.MATH_SYMBOL:
            case Character.CURRENCY_SYMBOL:
            case Character.MODIFIER_SYMBOL:
            case Character.OTHER_SYMBOL:
                return Kind.SINGLE;
            case Character.FORMAT:
                return Kind.IGNORED;
            default:
                return Kind.SEPARATOR;
        }
    }
}
