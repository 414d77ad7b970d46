package dev.sentikit.text;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The encoder of docs/model-format.md §4 written the plain way, as {@link TextEncoder} was before it was made
 * fast: whole-string NFKC and lower-casing, one {@code String} per token and per bigram, a {@code HashMap}
 * vocabulary, FNV-1a over {@code getBytes(UTF_8)}. {@link TextEncoderEquivalenceTest} holds the fast encoder to
 * it; keep it simple rather than fast.
 */
final class ReferenceEncoder {

    private static final int FNV_OFFSET_BASIS = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    private final EncoderSpec spec;
    private final java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    private final int vocabularySize;

    ReferenceEncoder(EncoderSpec spec, List<String> vocabulary) {
        this.spec = spec;
        this.vocabularySize = vocabulary.size();
        for (int i = 0; i < vocabulary.size(); i++) {
            ids.put(vocabulary.get(i), i + 1);
        }
    }

    List<String> tokenize(String text) {
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
            s = s.toLowerCase(Locale.ROOT).replace('\u03C2', '\u03C3');
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < s.length() && tokens.size() < spec.maxTokens()) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            switch (classify(cp)) {
                case WORD:
                    if (word.length() > 0 || !isMark(cp)) {
                        word.appendCodePoint(cp);
                    }
                    break;
                case APOSTROPHE:
                    if (word.length() > 0 && kindAfterFormat(s, next) == Kind.WORD) {
                        word.append('\'');
                    } else {
                        flush(word, tokens);
                        addIfRoom(tokens, new String(Character.toChars(cp)));
                    }
                    break;
                case SINGLE:
                    flush(word, tokens);
                    addIfRoom(tokens, new String(Character.toChars(cp)));
                    break;
                case FORMAT:
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

    int[] encode(String text) {
        List<String> tokens = tokenize(text);
        int n = tokens.size();
        int[] out = new int[spec.bigrams() && n > 1 ? 2 * n - 1 : n];
        for (int t = 0; t < n; t++) {
            out[t] = idOf(tokens.get(t));
        }
        if (spec.bigrams()) {
            for (int t = 0; t + 1 < n; t++) {
                out[n + t] = idOf(tokens.get(t) + ' ' + tokens.get(t + 1));
            }
        }
        return out;
    }

    int idOf(String token) {
        Integer id = ids.get(token);
        if (id != null) {
            return id;
        }
        return 1 + vocabularySize + Integer.remainderUnsigned(fnv1a32(token), spec.hashBuckets());
    }

    static int fnv1a32(String token) {
        int h = FNV_OFFSET_BASIS;
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }

    private void flush(StringBuilder word, List<String> tokens) {
        if (word.length() > 0) {
            tokens.add(word.toString());
            word.setLength(0);
        }
    }

    private void addIfRoom(List<String> tokens, String token) {
        if (tokens.size() < spec.maxTokens()) {
            tokens.add(token);
        }
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private enum Kind { WORD, APOSTROPHE, SINGLE, FORMAT, SEPARATOR }

    private static Kind kindAfterFormat(String s, int from) {
        int j = from;
        while (j < s.length()) {
            int cp = s.codePointAt(j);
            Kind kind = classify(cp);
            if (kind != Kind.FORMAT) {
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
                return Kind.FORMAT;
            default:
                return Kind.SEPARATOR;
        }
    }
}
