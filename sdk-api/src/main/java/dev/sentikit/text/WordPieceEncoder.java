package dev.sentikit.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link EncoderSpec#SCHEME_WORDPIECE_V1} scheme of the {@link TextEncoder}: the ids that Hugging Face
 * {@code tokenizers} gives for a BERT {@code tokenizer.json} ({@code BertNormalizer}, {@code BertPreTokenizer},
 * {@code WordPiece}, {@code [CLS] $A [SEP]}, truncation to {@code max_tokens}), but for the few known differences
 * that {@code docs/model-format.md} §8.13 lists. Immutable and thread-safe.
 *
 * <p>The steps, as {@code docs/model-format.md} specifies them (each named after the step of {@code tokenizers}
 * it reproduces):
 * <ol>
 *   <li>Keep the first {@code max_chars} UTF-16 code units (a surrogate pair is not split); a lone surrogate reads
 *       as U+FFFD.</li>
 *   <li>{@link #nextSpecial Special tokens}: split the raw text where a special token occurs literally (leftmost
 *       first, the longest at one place); each is a token with its own id.</li>
 *   <li>{@link #normalize BertNormalizer}, on each stretch between them: {@code clean_text} deletes U+0000,
 *       U+FFFD and {@link BertCharacters#isControl controls} and turns {@link BertCharacters#isWhitespace
 *       whitespace} into U+0020; {@code handle_chinese_chars} puts U+0020 around each
 *       {@link BertCharacters#isChinese CJK ideograph}; {@code strip_accents} applies NFD and deletes
 *       {@link BertCharacters#isNonspacingMark non-spacing marks}; {@code lowercase} maps each code point to its
 *       Unicode lower case (U+0130 to {@code i} + U+0307).</li>
 *   <li>{@link #preTokenize BertPreTokenizer}: whitespace separates words and is dropped; each
 *       {@link BertCharacters#isPunctuation punctuation} code point is a word of its own.</li>
 *   <li>{@link Run#wordPiece WordPiece}: a word of more than {@code max_input_chars_per_word} code points is the
 *       unknown token; otherwise the longest prefix that is a vocabulary entry, then the longest continuation
 *       that is one with the {@code continuing_subword_prefix} before it, and so on; a word with a part that
 *       matches nothing is the unknown token, whole.</li>
 *   <li>Keep the first {@code max_tokens − 2} tokens; put {@code [CLS]} before them and {@code [SEP]} after.</li>
 * </ol>
 */
final class WordPieceEncoder implements TextEncoder {

    private final EncoderSpec spec;
    private final WordPieceSpec wordPiece;
    private final Vocabulary vocabulary;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final String[] specials;
    private final int[] specialIds;
    private final char[] prefix;

    WordPieceEncoder(EncoderSpec spec, Vocabulary vocabulary) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        this.wordPiece = Objects.requireNonNull(spec.wordPiece(), "the spec's wordpiece settings");
        this.unkId = requireId("unk_token", wordPiece.unkToken());
        this.clsId = requireId("cls_token", wordPiece.clsToken());
        this.sepId = requireId("sep_token", wordPiece.sepToken());
        List<String> tokens = wordPiece.specialTokens();
        this.specials = tokens.toArray(new String[0]);
        this.specialIds = new int[specials.length];
        for (int i = 0; i < specials.length; i++) {
            specialIds[i] = requireId("special_tokens", specials[i]);
        }
        this.prefix = wordPiece.continuingSubwordPrefix().toCharArray();
    }

    private int requireId(String field, String token) {
        if (token.equals(wordPiece.padToken())) {
            return Vocabulary.PAD_ID;
        }
        int id = vocabulary.id(token);
        if (id < 1) {
            throw new IllegalArgumentException("the vocabulary has no entry for the " + field + " '" + token
                    + "' (" + vocabulary.size() + " entries)");
        }
        return id;
    }

    @Override
    public EncoderSpec spec() {
        return spec;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int idSpace() {
        return 1 + vocabulary.size();
    }

    /** The words of the text whose pieces are kept (see {@link TextEncoder#tokenize(String, EncoderSpec)}). */
    @Override
    public List<String> tokenize(String text) {
        return words(this, text, spec);
    }

    /**
     * The words of BERT's basic tokenization, without a vocabulary: at most {@code max_tokens − 2} of them (each
     * gives at least one piece), so some of the last may lie past the truncation an encoder with its vocabulary
     * would apply. With a truncation other than {@code head}, the words kept as if each were one piece.
     */
    static List<String> words(String text, EncoderSpec spec) {
        return words(null, text, spec);
    }

    /** The words whose pieces are kept; without an encoder, each word counts as one piece. */
    private static List<String> words(WordPieceEncoder encoder, String text, EncoderSpec spec) {
        Objects.requireNonNull(text, "text must not be null");
        if (spec.truncation().isHead()) {
            Run run = new Run(encoder, spec, new ArrayList<>());
            run.head(text);
            return run.words;
        }
        Run run = Run.all(encoder, spec, text, true);
        return run.wordsOf(spec.truncation().keptRanges(run.count, spec.room()));
    }

    @Override
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text must not be null");
        if (spec.truncation().isHead()) {
            Run run = new Run(this, spec, null);
            run.head(text);
            return java.util.Arrays.copyOf(run.ids, run.count);
        }
        Run run = Run.all(this, spec, text, false);
        return run.framed(spec.truncation().keptRanges(run.count, spec.room()));
    }

    @Override
    public int[] encodeTokens(List<String> tokens) {
        Objects.requireNonNull(tokens, "tokens must not be null");
        Run run = new Run(this, spec, null, Integer.MAX_VALUE, false);
        run.tokens(tokens);
        return run.framed(spec.truncation().keptRanges(run.count, spec.room()));
    }

    @Override
    public int encodeInto(String text, long[] out, int offset) {
        Objects.requireNonNull(text, "text must not be null");
        Objects.checkIndex(offset, out.length + 1);
        int[] ids;
        int count;
        if (spec.truncation().isHead()) {
            Run run = new Run(this, spec, null);
            run.head(text);
            ids = run.ids;
            count = run.count;
        } else {
            ids = encode(text);
            count = ids.length;
        }
        if (count > out.length - offset) {
            return -count;
        }
        for (int i = 0; i < count; i++) {
            out[offset + i] = ids[i];
        }
        return count;
    }

    @Override
    public EncodedText read(String text, int maxWindows) {
        Objects.requireNonNull(text, "text must not be null");
        if (maxWindows < 1) {
            throw new IllegalArgumentException("maxWindows must be >= 1, got " + maxWindows);
        }
        Run run = Run.all(this, spec, text, false);
        int room = spec.room();
        int[][] ranges = maxWindows == 1 ? spec.truncation().keptRanges(run.count, room)
                : LongText.windows(run.count, room, maxWindows);
        int[][] windows = maxWindows == 1 ? new int[][] {run.framed(ranges)} : new int[ranges.length][];
        if (maxWindows > 1) {
            for (int w = 0; w < ranges.length; w++) {
                windows[w] = run.framed(new int[][] {ranges[w]});
            }
        }
        return new EncodedText(windows, new Coverage(LongText.union(ranges), run.count, windows.length,
                text.length() > spec.maxChars()));
    }

    @Override
    public EncodedBatch encodeBatch(List<String> texts) {
        int rows = texts.size();
        int[][] all = new int[rows][];
        int[] lengths = new int[rows];
        int width = 1;
        for (int r = 0; r < rows; r++) {
            all[r] = encode(Objects.requireNonNull(texts.get(r), "text must not be null"));
            lengths[r] = all[r].length;
            width = Math.max(width, lengths[r]);
        }
        long[] ids = new long[Math.multiplyExact(rows, width)];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < lengths[r]; c++) {
                ids[r * width + c] = all[r][c];
            }
        }
        return new EncodedBatch(ids, rows, width, lengths);
    }

    // ------------------------------------------------------------------------------------------ steps 1 and 2

    /**
     * The first special token at or after {@code from} that ends by {@code to}: its start in the high and its
     * index in {@code specials} in the low 32 bits, or -1. At one place the longest token wins.
     */
    private static long nextSpecial(String text, int from, int to, String[] specials) {
        if (specials.length == 0) {
            return -1;
        }
        for (int i = from; i < to; i++) {
            int best = -1;
            for (int k = 0; k < specials.length; k++) {
                String s = specials[k];
                if (i + s.length() <= to && text.startsWith(s, i)
                        && (best < 0 || s.length() > specials[best].length())) {
                    best = k;
                }
            }
            if (best >= 0) {
                return ((long) i << 32) | best;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------ step 3

    /** BertNormalizer over {@code text[from .. to)}, into {@code out} (cleared first). */
    static void normalize(String text, int from, int to, EncoderSpec spec, StringBuilder out) {
        WordPieceSpec wp = spec.wordPiece();
        out.setLength(0);
        boolean ascii = true;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                cp = 0xFFFD; // a lone surrogate: not a character, read as the replacement character
            }
            if (wp.cleanText()) {
                if (cp == 0 || cp == 0xFFFD || BertCharacters.isControl(cp)) {
                    continue;
                }
                if (BertCharacters.isWhitespace(cp)) {
                    cp = ' ';
                }
            }
            if (wp.handleChineseChars() && BertCharacters.isChinese(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
                ascii = false;
            } else {
                out.appendCodePoint(cp);
                ascii &= cp < 0x80;
            }
        }
        if (wp.stripAccents() && !ascii) {
            String nfd = Normalizer.normalize(out, Normalizer.Form.NFD);
            out.setLength(0);
            for (int i = 0; i < nfd.length(); ) {
                int cp = nfd.codePointAt(i);
                i += Character.charCount(cp);
                if (!BertCharacters.isNonspacingMark(cp)) {
                    out.appendCodePoint(cp);
                }
            }
        }
        if (spec.lowercase()) {
            lowerCase(out);
        }
    }

    /** Each code point to its Unicode lower case: Rust's {@code char::to_lowercase}, U+0130 to two code points. */
    private static void lowerCase(StringBuilder s) {
        boolean simple = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                simple = false;
                break;
            }
        }
        if (simple) {
            return;
        }
        String in = s.toString();
        s.setLength(0);
        for (int i = 0; i < in.length(); ) {
            int cp = in.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\u0130') {
                s.append('i').append('\u0307');
            } else {
                s.appendCodePoint(Character.toLowerCase(cp));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ steps 4 to 6

    /**
     * One text's encoding: its ids (and, when asked, its words) so far, with the room left. {@link #head} reads the
     * text as {@code head} truncation does, stopping when the room is full, and frames the ids with [CLS] and
     * [SEP]; {@link #all} reads every piece of the stretches {@link LongText#stretches} gives, unframed, with the
     * word each piece belongs to, for the other truncations, windows and coverage.
     */
    private static final class Run {
        private final WordPieceEncoder encoder;
        private final EncoderSpec spec;
        private final WordPieceSpec wp;
        /** The words, or null when only ids are wanted. */
        final List<String> words;
        /** The ids: with {@link #head}, [CLS] first and [SEP] added at the end; with {@link #all}, the pieces. */
        int[] ids;
        int count;
        /** With {@link #all} and words wanted: the index in {@link #words} of each piece. */
        int[] wordOf;
        /** Tokens between [CLS] and [SEP] at most. */
        private final int limit;
        private final boolean framed;
        private int tokens;
        private char[] buffer = new char[64];
        private final StringBuilder normalized = new StringBuilder();
        private int[] pieces = new int[16];

        Run(WordPieceEncoder encoder, EncoderSpec spec, List<String> words) {
            this(encoder, spec, words, spec.maxTokens() - 2, true);
        }

        private Run(WordPieceEncoder encoder, EncoderSpec spec, List<String> words, int limit, boolean framed) {
            this.encoder = encoder;
            this.spec = spec;
            this.wp = spec.wordPiece();
            this.words = words;
            this.limit = limit;
            this.framed = framed;
            this.ids = encoder == null ? null : new int[framed ? spec.maxTokens() : 64];
            this.wordOf = words != null && !framed ? new int[64] : null;
        }

        /**
         * Every piece of the stretches of {@code text} that are read, without [CLS] and [SEP]; without an encoder,
         * each word counts as one piece.
         */
        static Run all(WordPieceEncoder encoder, EncoderSpec spec, String text, boolean words) {
            Run run = new Run(encoder, spec, words ? new ArrayList<>() : null, Integer.MAX_VALUE, false);
            for (int[] stretch : LongText.stretches(text, spec.maxChars(), spec.truncation())) {
                run.stretch(text, stretch[0], stretch[1]);
            }
            if (encoder == null) {
                run.count = run.tokens;
            }
            return run;
        }

        /** [CLS], the pieces of {@code ranges}, [SEP]: what the model reads. */
        int[] framed(int[][] ranges) {
            int n = 0;
            for (int[] r : ranges) {
                n += r[1] - r[0];
            }
            int[] out = new int[n + 2];
            out[0] = encoder.clsId;
            int o = 1;
            for (int[] r : ranges) {
                System.arraycopy(ids, r[0], out, o, r[1] - r[0]);
                o += r[1] - r[0];
            }
            out[o] = encoder.sepId;
            return out;
        }

        /** The words of which at least one piece lies in {@code ranges}, in order. */
        List<String> wordsOf(int[][] ranges) {
            List<String> out = new ArrayList<>();
            int last = -1;
            for (int[] r : ranges) {
                for (int p = r[0]; p < r[1]; p++) {
                    int w = encoder == null ? p : wordOf[p];
                    if (w != last) {
                        out.add(words.get(w));
                        last = w;
                    }
                }
            }
            return out;
        }

        /** Steps 1 to 6 over the whole text, as {@code head} truncation reads it. */
        void head(String text) {
            if (ids != null) {
                ids[count++] = encoder.clsId;
            }
            int end = text.length();
            if (end > spec.maxChars()) {
                end = spec.maxChars();
                if (Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
                    end--;
                }
            }
            stretch(text, 0, end);
            if (ids != null) {
                ids[count++] = encoder.sepId;
            }
        }

        /** Steps 2 to 5 over {@code text[at .. end)}. */
        private void stretch(String text, int at, int end) {
            String[] specials = wp.specialTokens().toArray(new String[0]);
            while (at < end && tokens < limit) {
                long special = nextSpecial(text, at, end, specials);
                int stretchEnd = special < 0 ? end : (int) (special >>> 32);
                if (stretchEnd > at) {
                    normalize(text, at, stretchEnd, spec, normalized);
                    preTokenize(normalized);
                }
                if (special < 0) {
                    break;
                }
                int k = (int) special;
                if (tokens < limit) {
                    if (words != null) {
                        words.add(specials[k]);
                    }
                    if (ids != null) {
                        add(encoder.specialIds[k]);
                    }
                    tokens++;
                }
                at = stretchEnd + specials[k].length();
            }
        }

        /**
         * The pieces of words as {@link #tokenize} gives them, unframed: a special token gives its id, any other
         * word its WordPiece pieces (the words are normalized already).
         */
        void tokens(List<String> given) {
            List<String> specials = wp.specialTokens();
            for (String w : given) {
                Objects.requireNonNull(w, "tokens must not hold null");
                int special = specials.indexOf(w);
                if (special >= 0) {
                    add(encoder.specialIds[special]);
                    tokens++;
                } else {
                    word(w, 0, w.length());
                }
            }
        }

        /** Appends one piece of the current word. */
        private void add(int id) {
            if (count == ids.length) {
                ids = java.util.Arrays.copyOf(ids, 2 * ids.length);
            }
            if (wordOf != null) {
                if (count == wordOf.length) {
                    wordOf = java.util.Arrays.copyOf(wordOf, 2 * wordOf.length);
                }
                wordOf[count] = words.size() - 1;
            }
            ids[count++] = id;
        }

        /** BertPreTokenizer over a normalized stretch: each word goes to {@link #wordPiece}. */
        private void preTokenize(CharSequence s) {
            int n = s.length();
            int start = -1;
            for (int i = 0; i < n && tokens < limit; ) {
                int cp = Character.codePointAt(s, i);
                int next = i + Character.charCount(cp);
                if (BertCharacters.isWhitespace(cp)) {
                    if (start >= 0) {
                        word(s, start, i);
                        start = -1;
                    }
                } else if (BertCharacters.isPunctuation(cp)) {
                    if (start >= 0) {
                        word(s, start, i);
                        start = -1;
                    }
                    if (tokens < limit) {
                        word(s, i, next);
                    }
                } else if (start < 0) {
                    start = i;
                }
                i = next;
            }
            if (start >= 0 && tokens < limit) {
                word(s, start, n);
            }
        }

        private void word(CharSequence s, int from, int to) {
            if (words != null) {
                words.add(s.subSequence(from, to).toString());
            }
            if (ids == null) {
                tokens++;
                return;
            }
            int n = wordPiece(s, from, to);
            int kept = Math.min(n, limit - tokens);
            for (int i = 0; i < kept; i++) {
                add(pieces[i]);
            }
            tokens += kept;
        }

        /**
         * WordPiece of the word {@code s[from .. to)} into {@link #pieces}; returns their number. The candidate
         * continuation {@code prefix + word[start .. end)} is made in place: the word lies in the buffer after room
         * for the prefix, and the prefix is written over the part of the word (or the room) before {@code start},
         * which is done with.
         */
        private int wordPiece(CharSequence s, int from, int to) {
            int length = to - from;
            if (Character.codePointCount(s, from, to) > wp.maxInputCharsPerWord()) {
                pieces[0] = encoder.unkId;
                return 1;
            }
            char[] prefix = encoder.prefix;
            int p = prefix.length;
            if (buffer.length < p + length) {
                buffer = new char[Math.max(p + length, 2 * buffer.length)];
            }
            char[] b = buffer;
            for (int i = 0; i < length; i++) {
                b[p + i] = s.charAt(from + i);
            }
            int n = 0;
            int start = 0;
            while (start < length) {
                int candidateFrom = p;
                if (start > 0) {
                    System.arraycopy(prefix, 0, b, start, p);
                    candidateFrom = start;
                }
                int end = length;
                int id = -1;
                while (end > start) {
                    id = lookup(b, candidateFrom, p + end);
                    if (id > 0) {
                        break;
                    }
                    end--;
                    if (end > start && Character.isLowSurrogate(b[p + end]) && Character.isHighSurrogate(b[p + end - 1])) {
                        end--;
                    }
                }
                if (id <= 0) {
                    pieces[0] = encoder.unkId;
                    return 1;
                }
                if (n == pieces.length) {
                    pieces = java.util.Arrays.copyOf(pieces, 2 * n);
                }
                pieces[n++] = id;
                start = end;
            }
            return n;
        }

        private int lookup(char[] a, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + a[i];
            }
            return encoder.vocabulary.find(a, from, to - from, h);
        }
    }
}
