package dev.sentikit.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The {@link EncoderSpec#SCHEME_V1} words scheme of the {@link TextEncoder}: words, CJK ideographs and symbols,
 * looked up in a vocabulary learned from the training data, with hash buckets for the rest. Immutable and
 * thread-safe.
 *
 * <p>The algorithm, precise enough to reimplement in another language, is in
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
 *
 * <p>How it runs fast without changing an id (the golden vectors and a randomized comparison with the plain
 * algorithm above hold it to that): a text is copied once into a per-thread character buffer; NFKC is skipped
 * when every code point of the text is one that NFKC leaves alone in any context (all of ASCII, most other
 * letters, CJK, emoji: checked once per code point and remembered), and lower-casing is done per code point
 * while scanning. The tokens go into a second buffer, one U+0020 apart, so that a bigram {@code a + " " + b} is a
 * range of that buffer too. Tokens and bigrams are looked up in the {@link Vocabulary} by range and
 * {@link String#hashCode()} (a bigram's follows from its two tokens'), and FNV-1a runs over the UTF-8 encoding
 * of the characters directly. So encoding allocates nothing per token; {@link #encodeInto} allocates nothing at
 * all once the thread's buffers have grown to the texts' size.
 */
final class WordsEncoder implements TextEncoder {

    private static final int FNV_OFFSET_BASIS = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;
    private static final int FINAL_SIGMA = '\u03C2';
    private static final int SIGMA = '\u03C3';
    /** Lower-cases to two code points, i + U+0307 (Java's {@code toLowerCase(Locale.ROOT)}, §4.3). */
    private static final int CAPITAL_I_WITH_DOT_ABOVE = '\u0130';
    private static final char COMBINING_DOT_ABOVE = '\u0307';

    // The classes of §4.4 (the low three bits of an INFO entry) and the facts kept beside them. The classes and
    // kindOf/isMark are package-private for JsUnicodeDataTest, which writes them out for the JavaScript encoder.
    static final int WORD = 0;
    static final int APOSTROPHE = 1;
    static final int SINGLE = 2;
    static final int FORMAT = 3;
    static final int SEPARATOR = 4;
    private static final int KIND = 7;
    /** General category Mn, Mc or Me. */
    private static final int MARK = 8;
    /** NFKC leaves every text made only of such code points unchanged (see {@link #isNfkcStable(int)}). */
    private static final int STABLE = 16;
    /** Set in every computed entry, so that 0 means "not computed yet". */
    private static final int KNOWN = 32;

    /**
     * What {@link #computeInfo} says of each code point of planes 0 to 2, computed on first use (a Normalizer call
     * per code point would cost about 0.1 s if done up front). Threads may race to fill an entry; they write the
     * same value, and a byte is read or written whole, so a reader sees 0 (and computes it) or the value.
     */
    private static final byte[] INFO = new byte[0x30000];

    /** The class of each ASCII character; none is FORMAT, and ASCII is NFKC-stable. */
    private static final byte[] ASCII_KIND = new byte[128];
    /** Each ASCII WORD character (letters and digits) as itself, and 0 for the others. */
    private static final char[] ASCII_WORD = new char[128];
    /** The same, lower-cased. */
    private static final char[] ASCII_WORD_LOWER = new char[128];

    static {
        for (int c = 0; c < ASCII_KIND.length; c++) {
            ASCII_KIND[c] = (byte) kindOf(c);
            if (ASCII_KIND[c] == WORD) {
                ASCII_WORD[c] = (char) c;
                ASCII_WORD_LOWER[c] = Character.toLowerCase((char) c);
            }
        }
    }

    private final EncoderSpec spec;
    private final Vocabulary vocabulary;
    /** The first hash-bucket id: 1 + the vocabulary size. */
    private final int firstBucket;
    /** {@code ceil(2^64 / hash_buckets)}, for {@link #bucket}. */
    private final long bucketMultiplier;

    WordsEncoder(EncoderSpec spec, Vocabulary vocabulary) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        // Ids are ints: 1 + V + B must fit, or the ids of hash buckets would wrap to negative numbers.
        long idSpace = 1L + vocabulary.size() + spec.hashBuckets();
        if (idSpace > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("1 + " + vocabulary.size() + " vocabulary entries + "
                    + spec.hashBuckets() + " hash buckets = " + idSpace + " ids, more than the "
                    + Integer.MAX_VALUE + " an int id can hold");
        }
        this.firstBucket = 1 + vocabulary.size();
        this.bucketMultiplier = Long.divideUnsigned(-1L, spec.hashBuckets()) + 1;
    }

    @Override
    public EncoderSpec spec() {
        return spec;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The number of distinct ids this encoder can produce, padding included: the embedding table's rows. */
    @Override
    public int idSpace() {
        return 1 + vocabulary.size() + spec.hashBuckets();
    }

    /**
     * Splits {@code text} into tokens (steps 1 to 4), without mapping them to ids.
     *
     * @throws NullPointerException if {@code text} is null
     */
    @Override
    public List<String> tokenize(String text) {
        return tokenize(text, spec);
    }

    /** Tokenizes with the given specification; the vocabulary plays no part in tokenization. */
    static List<String> tokenize(String text, EncoderSpec spec) {
        Objects.requireNonNull(text, "text must not be null");
        Scratch s = Scratch.get();
        try {
            int count = scanKept(text, spec, s);
            List<String> tokens = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                tokens.add(new String(s.tokens, s.start[k], s.end[k] - s.start[k]));
            }
            return tokens;
        } finally {
            s.trim();
        }
    }

    /** Encodes one text to ids (steps 1 to 6); the array has no padding and may be empty. */
    @Override
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text must not be null");
        Scratch s = Scratch.get();
        try {
            int count = scanKept(text, spec, s);
            long[] ids = s.ids(idCount(count, s.follows));
            int n = ids(s, count, ids, 0);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = (int) ids[i];
            }
            return out;
        } finally {
            s.trim();
        }
    }

    @Override
    public int[] encodeTokens(List<String> tokens) {
        Objects.requireNonNull(tokens, "tokens must not be null");
        int[][] ranges = spec.truncation().keptRanges(tokens.size(), spec.maxTokens());
        int n = 0;
        for (int[] r : ranges) {
            n += r[1] - r[0];
        }
        String[] kept = new String[n];
        boolean[] follows = new boolean[n];
        int k = 0;
        int previous = -2;
        for (int[] r : ranges) {
            for (int t = r[0]; t < r[1]; t++) {
                kept[k] = Objects.requireNonNull(tokens.get(t), "tokens must not hold null");
                follows[k] = t == previous + 1; // no bigram across a cut, as in a text
                previous = t;
                k++;
            }
        }
        int bigrams = 0;
        if (spec.bigrams()) {
            for (k = 1; k < n; k++) {
                bigrams += follows[k] ? 1 : 0;
            }
        }
        int[] ids = new int[n + bigrams];
        for (k = 0; k < n; k++) {
            ids[k] = idOf(kept[k]);
        }
        for (k = 0, bigrams = n; spec.bigrams() && k + 1 < n; k++) {
            if (follows[k + 1]) {
                ids[bigrams++] = idOf(kept[k] + " " + kept[k + 1]);
            }
        }
        return ids;
    }

    /**
     * Encodes one text (steps 1 to 6) straight into {@code out}, from {@code offset}: the ids that
     * {@link #encode} returns, without padding. Returns how many ids were written. When fewer than that many
     * places are left after {@code offset}, writes nothing and returns minus the number needed, so that the
     * caller can grow its array and call again. At most {@link EncoderSpec#maxSequenceLength()} ids are written.
     *
     * @throws NullPointerException if {@code text} or {@code out} is null
     * @throws IndexOutOfBoundsException if {@code offset} is not in {@code 0 .. out.length}
     */
    @Override
    public int encodeInto(String text, long[] out, int offset) {
        Objects.requireNonNull(text, "text must not be null");
        Objects.checkIndex(offset, out.length + 1);
        Scratch s = Scratch.get();
        try {
            int count = scanKept(text, spec, s);
            int n = idCount(count, s.follows);
            if (n > out.length - offset) {
                return -n;
            }
            return ids(s, count, out, offset);
        } finally {
            s.trim();
        }
    }

    /**
     * Encodes texts into one padded batch whose row length is the longest text's id count (at least 1, so
     * that an empty text still has a row of padding).
     */
    @Override
    public EncodedBatch encodeBatch(List<String> texts) {
        int rows = texts.size();
        int[] lengths = new int[rows];
        Scratch s = Scratch.get();
        try {
            long[] packed = s.packed;
            int used = 0;
            int width = 1;
            for (int r = 0; r < rows; r++) {
                String text = Objects.requireNonNull(texts.get(r), "text must not be null");
                int count = scanKept(text, spec, s);
                int n = idCount(count, s.follows);
                if (n > packed.length - used) {
                    packed = s.growPacked(used + n);
                }
                ids(s, count, packed, used);
                lengths[r] = n;
                used += n;
                width = Math.max(width, n);
            }
            long[] ids = new long[Math.multiplyExact(rows, width)];
            for (int r = 0, from = 0; r < rows; from += lengths[r], r++) {
                System.arraycopy(packed, from, ids, r * width, lengths[r]);
            }
            return new EncodedBatch(ids, rows, width, lengths);
        } finally {
            s.trim();
        }
    }

    @Override
    public EncodedText read(String text, int maxWindows) {
        Objects.requireNonNull(text, "text must not be null");
        if (maxWindows < 1) {
            throw new IllegalArgumentException("maxWindows must be >= 1, got " + maxWindows);
        }
        Scratch s = Scratch.get();
        try {
            int total = scanAll(text, spec, s);
            int[][] ranges = maxWindows == 1 ? spec.truncation().keptRanges(total, spec.maxTokens())
                    : LongText.windows(total, spec.maxTokens(), maxWindows);
            int[] start = Arrays.copyOf(s.start, total);
            int[] end = Arrays.copyOf(s.end, total);
            int junction = s.junction;
            int[][] windows = new int[maxWindows == 1 ? 1 : ranges.length][];
            for (int w = 0; w < windows.length; w++) {
                int count = keep(s, start, end, junction, maxWindows == 1 ? ranges : new int[][] {ranges[w]});
                long[] ids = s.ids(idCount(count, s.follows));
                int n = ids(s, count, ids, 0);
                windows[w] = new int[n];
                for (int i = 0; i < n; i++) {
                    windows[w][i] = (int) ids[i];
                }
            }
            return new EncodedText(windows, new Coverage(LongText.union(ranges), total, windows.length,
                    text.length() > spec.maxChars()));
        } finally {
            s.follows = null;
            s.trim();
        }
    }

    /** The id of one token or bigram: its vocabulary id, else its hash bucket. */
    int idOf(String token) {
        int id = vocabulary.id(token);
        if (id > 0) {
            return id;
        }
        return bucket(fnv1a32(token));
    }

    /**
     * The id of the hash bucket of an FNV-1a hash: {@code firstBucket + Integer.remainderUnsigned(fnv,
     * hash_buckets)}, computed without a division (Lemire, Kaser and Kurz, "Faster remainder by direct computation",
     * 2019: {@code fnv mod d} is the high 64 bits of {@code ((M × fnv) mod 2^64) × d} for {@code M = ceil(2^64 / d)},
     * exact for every 32-bit {@code fnv} and {@code d}): a 64-bit division costs tens of cycles, two multiplications
     * a few.
     */
    int bucket(int fnv) {
        long low = bucketMultiplier * Integer.toUnsignedLong(fnv);
        int d = spec.hashBuckets();
        // The unsigned high half of low × d, from the signed one: add d when low is negative as a signed long.
        return firstBucket + (int) (Math.multiplyHigh(low, d) + (d & (low >> 63)));
    }

    /** 32-bit FNV-1a over the UTF-8 bytes of {@code token}. */
    static int fnv1a32(String token) {
        return fnv1a32(FNV_OFFSET_BASIS, token.toCharArray(), 0, token.length());
    }

    /**
     * 32-bit FNV-1a, from the state {@code h}, over the UTF-8 encoding of {@code a[from .. to)}, computed from the
     * characters: the bytes that {@code String.getBytes(UTF_8)} gives, so a lone surrogate counts as {@code '?'}
     * (tokens never hold one).
     */
    private static int fnv1a32(int state, char[] a, int from, int to) {
        int h = state;
        for (int j = from; j < to; j++) {
            int c = a[j];
            if (c < 0x80) {
                h = (h ^ c) * FNV_PRIME;
            } else if (c < 0x800) {
                h = (h ^ (0xC0 | c >>> 6)) * FNV_PRIME;
                h = (h ^ (0x80 | c & 0x3F)) * FNV_PRIME;
            } else if (!Character.isSurrogate((char) c)) {
                h = (h ^ (0xE0 | c >>> 12)) * FNV_PRIME;
                h = (h ^ (0x80 | c >>> 6 & 0x3F)) * FNV_PRIME;
                h = (h ^ (0x80 | c & 0x3F)) * FNV_PRIME;
            } else if (Character.isHighSurrogate((char) c) && j + 1 < to && Character.isLowSurrogate(a[j + 1])) {
                int cp = Character.toCodePoint((char) c, a[++j]);
                h = (h ^ (0xF0 | cp >>> 18)) * FNV_PRIME;
                h = (h ^ (0x80 | cp >>> 12 & 0x3F)) * FNV_PRIME;
                h = (h ^ (0x80 | cp >>> 6 & 0x3F)) * FNV_PRIME;
                h = (h ^ (0x80 | cp & 0x3F)) * FNV_PRIME;
            } else {
                h = (h ^ '?') * FNV_PRIME;
            }
        }
        return h;
    }

    // ------------------------------------------------------------------------------------------ steps 1 to 4

    /**
     * The ids {@code count} tokens give: the tokens, then their bigrams when the spec has them (of each token and
     * the next, where the next {@code follows} it in the text; all of them when {@code follows} is null).
     */
    private int idCount(int count, boolean[] follows) {
        if (!spec.bigrams() || count < 2) {
            return count;
        }
        if (follows == null) {
            return 2 * count - 1;
        }
        int n = count;
        for (int k = 1; k < count; k++) {
            if (follows[k]) {
                n++;
            }
        }
        return n;
    }

    /**
     * Steps 1 to 4 into {@code s} as the spec's truncation keeps them: returns the number of tokens kept; token
     * {@code k} is {@code s.tokens[s.start[k] .. s.end[k])}, and {@code s.follows} says which follow the one before
     * in the text (null: all do). With {@code head} it stops at {@code max_tokens}, as it always did.
     */
    private static int scanKept(String text, EncoderSpec spec, Scratch s) {
        s.follows = null;
        if (spec.truncation().isHead()) {
            return scan(text, spec, s);
        }
        int total = scanAll(text, spec, s);
        int[][] ranges = spec.truncation().keptRanges(total, spec.maxTokens());
        if (ranges.length == 1 && ranges[0][0] == 0 && ranges[0][1] == total && s.junction < 0) {
            return total;
        }
        return keep(s, Arrays.copyOf(s.start, total), Arrays.copyOf(s.end, total), s.junction, ranges);
    }

    /**
     * Keeps the tokens of {@code ranges} of those {@code start}/{@code end} bound (the text's, in order): writes
     * them to {@code s.start}/{@code s.end} and sets {@code s.follows}; returns their number. A kept token follows
     * the one before when it came right after it in the text: not across the gap between two ranges, nor across
     * the {@code junction} of two stretches (the token that begins the second, or -1).
     */
    private static int keep(Scratch s, int[] start, int[] end, int junction, int[][] ranges) {
        int n = 0;
        for (int[] r : ranges) {
            n += r[1] - r[0];
        }
        s.bounds(n + 1);
        boolean[] follows = new boolean[Math.max(n, 1)];
        int k = 0;
        int previous = -2;
        for (int[] r : ranges) {
            for (int t = r[0]; t < r[1]; t++) {
                s.start[k] = start[t];
                s.end[k] = end[t];
                follows[k] = t == previous + 1 && t != junction;
                previous = t;
                k++;
            }
        }
        s.follows = follows;
        return n;
    }

    /** Steps 1 to 4 of the first stretch {@code head} reads, up to {@code max_tokens} tokens. */
    private static int scan(String text, EncoderSpec spec, Scratch s) {
        int n = text.length();
        if (n > spec.maxChars()) {
            n = spec.maxChars();
            if (Character.isHighSurrogate(text.charAt(n - 1)) && Character.isLowSurrogate(text.charAt(n))) {
                n--;
            }
        }
        return scanStretch(text, 0, n, spec.lowercase(), spec.maxTokens(), s);
    }

    /**
     * Steps 1 to 4 over every stretch the spec's truncation reads ({@link LongText#stretches}), every token
     * kept; the tokens of a second stretch follow the first's in {@code s}, and {@code s.junction} is the index
     * of the first of them (-1 with one stretch).
     */
    private static int scanAll(String text, EncoderSpec spec, Scratch s) {
        int[][] stretches = LongText.stretches(text, spec.maxChars(), spec.truncation());
        int count = scanStretch(text, stretches[0][0], stretches[0][1], spec.lowercase(), Integer.MAX_VALUE, s);
        s.junction = -1;
        if (stretches.length == 1) {
            return count;
        }
        int length1 = count == 0 ? 0 : s.end[count - 1];
        char[] tokens1 = Arrays.copyOf(s.tokens, length1);
        int[] start1 = Arrays.copyOf(s.start, count);
        int[] end1 = Arrays.copyOf(s.end, count);
        int count2 = scanStretch(text, stretches[1][0], stretches[1][1], spec.lowercase(), Integer.MAX_VALUE, s);
        int length2 = count2 == 0 ? 0 : s.end[count2 - 1];
        int shift = count == 0 || count2 == 0 ? 0 : length1 + 1; // one U+0020 between the two, as between tokens
        char[] merged = new char[shift + length2 + (count2 == 0 ? length1 : 0)];
        if (count2 == 0) {
            System.arraycopy(tokens1, 0, merged, 0, length1);
        } else {
            System.arraycopy(s.tokens, 0, merged, shift, length2);
            if (shift > 0) {
                System.arraycopy(tokens1, 0, merged, 0, length1);
                merged[length1] = ' ';
            }
        }
        int[] start2 = Arrays.copyOf(s.start, count2);
        int[] end2 = Arrays.copyOf(s.end, count2);
        char[] t = s.tokens(merged.length + 1);
        System.arraycopy(merged, 0, t, 0, merged.length);
        s.bounds(count + count2 + 1);
        System.arraycopy(start1, 0, s.start, 0, count);
        System.arraycopy(end1, 0, s.end, 0, count);
        for (int k = 0; k < count2; k++) {
            s.start[count + k] = start2[k] + shift;
            s.end[count + k] = end2[k] + shift;
        }
        s.junction = count2 == 0 ? -1 : count;
        return count + count2;
    }

    /** Steps 1 to 4 over {@code text[from .. to)}: at most {@code maxTokens} tokens into {@code s}. */
    private static int scanStretch(String text, int from, int to, boolean lower, int maxTokens, Scratch s) {
        int n = to - from;
        char[] in = s.text(n);
        text.getChars(from, to, in, 0);
        if (!isNfkcStable(in, n)) {
            String normalized = Normalizer.normalize(from == 0 && to == text.length() ? text
                    : text.substring(from, to), Normalizer.Form.NFKC);
            n = normalized.length();
            in = s.text(n);
            normalized.getChars(0, n, in, 0);
        }
        return tokenize(in, n, lower, maxTokens, s);
    }

    /** Whether NFKC leaves {@code a[0 .. n)} unchanged because each of its code points is {@link #STABLE}. */
    private static boolean isNfkcStable(char[] a, int n) {
        // Most texts are ASCII: four independent ORs per step find that out at a fraction of a cycle per character.
        int any0 = 0;
        int any1 = 0;
        int any2 = 0;
        int any3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            any0 |= a[i];
            any1 |= a[i + 1];
            any2 |= a[i + 2];
            any3 |= a[i + 3];
        }
        for (; i < n; i++) {
            any0 |= a[i];
        }
        if ((any0 | any1 | any2 | any3) < 0x80) {
            return true;
        }
        for (i = 0; i < n; i++) {
            int c = a[i];
            if (c < 0x80) {
                continue;
            }
            if (Character.isHighSurrogate((char) c) && i + 1 < n && Character.isLowSurrogate(a[i + 1])) {
                c = Character.toCodePoint((char) c, a[++i]);
            }
            if ((info(c) & STABLE) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Steps 3 and 4 over the normalized text {@code in[0 .. n)}: lower-cases each code point (when
     * {@code lower}) as it is read, and writes the tokens to {@code s.tokens}, one U+0020 apart. The algorithm
     * of docs/model-format.md §4.4; the pending word is {@code s.tokens[word .. o)}.
     */
    private static int tokenize(char[] in, int n, boolean lower, int maxTokens, Scratch s) {
        // Each unit gives at most 3 characters: a separator and 'i' + U+0307 for U+0130.
        char[] out = s.tokens(3 * n + 1);
        int[] start = s.bounds(Math.min(maxTokens, n) + 1);
        int[] end = s.end;
        char[] asciiWord = lower ? ASCII_WORD_LOWER : ASCII_WORD;
        int count = 0;
        int o = 0;
        int word = -1;
        int i = 0;
        while (i < n && count < maxTokens) {
            int c = in[i++];
            int kind;
            if (c < 0x80) {
                char w = asciiWord[c];
                if (w != 0) {
                    if (word < 0) {
                        if (o > 0) {
                            out[o++] = ' ';
                        }
                        word = o;
                    }
                    out[o++] = w;
                    // The rest of an ASCII word, in a loop of its own: most characters are here.
                    while (i < n && (c = in[i]) < 0x80 && (w = asciiWord[c]) != 0) {
                        out[o++] = w;
                        i++;
                    }
                    continue;
                }
                kind = ASCII_KIND[c];
            } else {
                if (Character.isHighSurrogate((char) c) && i < n && Character.isLowSurrogate(in[i])) {
                    c = Character.toCodePoint((char) c, in[i++]);
                }
                if (lower) {
                    if (c == CAPITAL_I_WITH_DOT_ABOVE) {
                        // A letter and a mark, both WORD: they start or continue the word.
                        if (word < 0) {
                            if (o > 0) {
                                out[o++] = ' ';
                            }
                            word = o;
                        }
                        out[o++] = 'i';
                        out[o++] = COMBINING_DOT_ABOVE;
                        continue;
                    }
                    c = lowerCase(c);
                }
                int info = info(c);
                kind = info & KIND;
                if (kind == WORD) {
                    if (word < 0) {
                        if ((info & MARK) != 0) {
                            continue; // a mark with no word to attach to (U+FE0F after an emoji) is dropped
                        }
                        if (o > 0) {
                            out[o++] = ' ';
                        }
                        word = o;
                    }
                    o = put(out, o, c);
                    continue;
                }
            }
            switch (kind) {
                case APOSTROPHE:
                    // Inside a word ("don't") it stays, as U+0027; format characters after it are looked past.
                    if (word >= 0 && kindAfterFormat(in, i, n, lower) == WORD) {
                        out[o++] = '\'';
                        break;
                    }
                    // Anywhere else it is a token of its own, like punctuation.
                    // fall through
                case SINGLE:
                    if (word >= 0) {
                        start[count] = word;
                        end[count++] = o;
                        word = -1;
                    }
                    if (count < maxTokens) {
                        if (o > 0) {
                            out[o++] = ' ';
                        }
                        start[count] = o;
                        o = put(out, o, c);
                        end[count++] = o;
                    }
                    break;
                case FORMAT:
                    break; // deleted: it neither splits nor joins
                case SEPARATOR:
                default:
                    if (word >= 0) {
                        start[count] = word;
                        end[count++] = o;
                        word = -1;
                    }
                    break;
            }
        }
        if (word >= 0 && count < maxTokens) {
            start[count] = word;
            end[count++] = o;
        }
        return count;
    }

    /** The class of the first code point at or after {@code from} that is not FORMAT; SEPARATOR at the end. */
    private static int kindAfterFormat(char[] in, int from, int n, boolean lower) {
        int j = from;
        while (j < n) {
            int c = in[j++];
            if (c < 0x80) {
                return ASCII_KIND[c];
            }
            if (Character.isHighSurrogate((char) c) && j < n && Character.isLowSurrogate(in[j])) {
                c = Character.toCodePoint((char) c, in[j++]);
            }
            if (lower) {
                c = lowerCase(c); // U+0130 gives 'i', the first of its two code points, as it should here
            }
            int kind = info(c) & KIND;
            if (kind != FORMAT) {
                return kind;
            }
        }
        return SEPARATOR;
    }

    /**
     * Step 3 for one code point: the Unicode lower-case mapping that {@code String.toLowerCase(Locale.ROOT)}
     * applies to it (its two context rules, U+0130 and the final sigma, are handled by the caller and by folding
     * ς into σ), then ς → σ.
     */
    private static int lowerCase(int cp) {
        int lc = Character.toLowerCase(cp);
        return lc == FINAL_SIGMA ? SIGMA : lc;
    }

    private static int put(char[] out, int o, int cp) {
        if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
            out[o] = (char) cp;
            return o + 1;
        }
        out[o] = Character.highSurrogate(cp);
        out[o + 1] = Character.lowSurrogate(cp);
        return o + 2;
    }

    // ------------------------------------------------------------------------------------------ steps 5 and 6

    /** Writes the ids of the {@code count} tokens in {@code s} to {@code dst[offset ..]}; returns how many. */
    private int ids(Scratch s, int count, long[] dst, int offset) {
        char[] t = s.tokens;
        int[] start = s.start;
        int[] end = s.end;
        int[] hash = s.hashes(count);
        int[] power = s.power;
        int[] fnv = s.fnv;
        for (int k = 0; k < count; k++) {
            int from = start[k];
            int to = end[k];
            // String.hashCode of the token, 31^length, and FNV-1a as if every character were ASCII (one byte).
            int h = 0;
            int p = 1;
            int f = FNV_OFFSET_BASIS;
            int any = 0;
            for (int j = from; j < to; j++) {
                int c = t[j];
                h = 31 * h + c;
                p *= 31;
                f = (f ^ c) * FNV_PRIME;
                any |= c;
            }
            if (any >= 0x80) {
                f = fnv1a32(FNV_OFFSET_BASIS, t, from, to);
            }
            hash[k] = h;
            power[k] = p;
            fnv[k] = f;
            int id = vocabulary.find(t, from, to - from, h);
            dst[offset + k] = id > 0 ? id : bucket(f);
        }
        if (!spec.bigrams() || count < 2) {
            return count;
        }
        boolean[] follows = s.follows;
        int bigrams = offset + count;
        for (int k = 0; k + 1 < count; k++) {
            if (follows != null && !follows[k + 1]) {
                continue; // no bigram across a cut
            }
            // The bigram is tokens[start[k] .. end[k + 1]): token k, one space, token k + 1. Its String.hashCode
            // follows from theirs: hash(a + " " + b) = (hash(a) * 31 + ' ') * 31^|b| + hash(b); its FNV-1a goes
            // on from token k's over the space and token k + 1.
            int from = start[k];
            int to = end[k + 1];
            int h = (hash[k] * 31 + ' ') * power[k + 1] + hash[k + 1];
            int id = vocabulary.find(t, from, to - from, h);
            if (id < 0) {
                id = bucket(fnv1a32((fnv[k] ^ ' ') * FNV_PRIME, t, start[k + 1], to));
            }
            dst[bigrams++] = id;
        }
        return bigrams - offset;
    }

    // ------------------------------------------------------------------------------------------ code points

    private static int info(int cp) {
        if (cp < INFO.length) {
            int v = INFO[cp];
            if (v == 0) {
                v = computeInfo(cp);
                INFO[cp] = (byte) v;
            }
            return v;
        }
        return computeInfo(cp);
    }

    private static int computeInfo(int cp) {
        boolean mark = isMark(cp);
        return KNOWN | kindOf(cp) | (mark ? MARK : 0) | (!mark && isNfkcStable(cp) ? STABLE : 0);
    }

    /**
     * Whether NFKC leaves any text made of such code points unchanged: the code point is its own NFKC and NFKC
     * never composes it with the code point before it or reorders it. By the Unicode standard's quick check, a
     * text is in NFKC when each code point has NFKC_Quick_Check = Yes and canonical combining class 0. Here:
     * NFKC maps it to itself (so it is not No), and it is neither a mark (every code point of combining class
     * other than 0, and every one that composes with the one before, is a mark) nor a Hangul vowel or final
     * consonant jamo (the only non-marks that compose, with a preceding syllable or jamo). Surrogates and planes
     * 3 and above are left to the normalizer.
     */
    private static boolean isNfkcStable(int cp) {
        if (cp >= INFO.length || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)
                || (cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2)) {
            return false;
        }
        String s = new String(Character.toChars(cp));
        return Normalizer.normalize(s, Normalizer.Form.NFKC).equals(s);
    }

    static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** The class of a code point (§4.4): APOSTROPHE, then Ideographic SINGLE, then by general category. */
    static int kindOf(int cp) {
        if (cp == '\'' || cp == '\u2019') {
            return APOSTROPHE;
        }
        if (Character.isIdeographic(cp)) {
            return SINGLE;
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
                return WORD;
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
                return SINGLE;
            case Character.FORMAT:
                return FORMAT;
            default:
                return SEPARATOR;
        }
    }

    // ------------------------------------------------------------------------------------------ buffers

    /**
     * One thread's working buffers: the text after steps 1 and 2, the tokens, their bounds and hashes, and ids.
     * They grow to the largest text seen; {@link #trim} drops any grown past {@link #RETAINED_CHARS}, so a thread
     * keeps at most a few hundred KiB however long the texts it once encoded.
     */
    private static final class Scratch {
        /** Buffers up to this many characters of text (the default max_chars) are kept between calls. */
        static final int RETAINED_CHARS = EncoderSpec.DEFAULT_MAX_CHARS;
        static final int RETAINED_IDS = 1 << 16;

        private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

        char[] text = new char[512];
        char[] tokens = new char[3 * 512 + 1];
        int[] start = new int[128];
        int[] end = new int[128];
        int[] hash = new int[128];
        int[] power = new int[128];
        int[] fnv = new int[128];
        long[] ids = new long[256];
        long[] packed = new long[1024];
        /** Which kept tokens follow the one before in the text (a bigram joins them); null: all do. */
        boolean[] follows;
        /** The first token of a second stretch ({@code head+tail} past {@code max_chars}), or -1. */
        int junction = -1;

        static Scratch get() {
            return OF_THREAD.get();
        }

        char[] text(int n) {
            if (text.length < n) {
                text = new char[Math.max(n, 2 * text.length)];
            }
            return text;
        }

        char[] tokens(int n) {
            if (tokens.length < n) {
                tokens = new char[Math.max(n, 2 * tokens.length)];
            }
            return tokens;
        }

        /** The start array, {@code end} the same length, for {@code n} tokens. */
        int[] bounds(int n) {
            if (start.length < n) {
                start = new int[Math.max(n, 2 * start.length)];
                end = new int[start.length];
            }
            return start;
        }

        /** The hash array, {@code power} and {@code fnv} the same length, for {@code n} tokens. */
        int[] hashes(int n) {
            if (hash.length < n) {
                hash = new int[Math.max(n, 2 * hash.length)];
                power = new int[hash.length];
                fnv = new int[hash.length];
            }
            return hash;
        }

        long[] ids(int n) {
            if (ids.length < n) {
                ids = new long[Math.max(n, 2 * ids.length)];
            }
            return ids;
        }

        /** {@code packed} grown to at least {@code n} values, keeping the ones it holds. */
        long[] growPacked(int n) {
            packed = Arrays.copyOf(packed, Math.max(n, 2 * packed.length));
            return packed;
        }

        /** Drops the buffers that grew past what a thread keeps. */
        void trim() {
            if (text.length > RETAINED_CHARS) {
                text = new char[512];
            }
            if (tokens.length > 3 * RETAINED_CHARS + 1) {
                tokens = new char[3 * 512 + 1];
            }
            if (start.length > RETAINED_CHARS) {
                start = new int[128];
                end = new int[128];
            }
            if (hash.length > RETAINED_CHARS) {
                hash = new int[128];
                power = new int[128];
                fnv = new int[128];
            }
            if (ids.length > RETAINED_IDS) {
                ids = new long[256];
            }
            if (packed.length > RETAINED_IDS) {
                packed = new long[1024];
            }
        }
    }
}
