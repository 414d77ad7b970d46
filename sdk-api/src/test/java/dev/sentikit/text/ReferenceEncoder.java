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

    /** The tokens the first {@code max_chars} give, at most {@code max_tokens} (the {@code head} truncation). */
    List<String> tokenize(String text) {
        String s = text;
        if (s.length() > spec.maxChars()) {
            int end = spec.maxChars();
            if (Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
                end--;
            }
            s = s.substring(0, end);
        }
        return tokens(s, spec.maxTokens());
    }

    /**
     * docs/model-format.md §4.7 written out plainly: every token of the stretches of {@code text} that are read,
     * then the windows ({@code maxWindows > 1}) or the truncation's kept tokens, each as ids; {@code coverage}
     * gets the tokens read and the tokens counted.
     */
    List<int[]> read(String text, int maxWindows, int[] coverage) {
        int n = text.length();
        int max = spec.maxChars();
        Truncation t = spec.truncation();
        List<String> stretches = new ArrayList<>();
        if (n <= max) {
            stretches.add(text);
        } else if (t.keep().equals("head")) {
            stretches.add(text.substring(0, cutBefore(text, max)));
        } else if (t.keep().equals("tail")) {
            stretches.add(text.substring(cutAfter(text, n - max)));
        } else {
            stretches.add(text.substring(0, cutBefore(text, max / 2)));
            stretches.add(text.substring(cutAfter(text, n - (max - max / 2))));
        }
        List<String> all = new ArrayList<>();
        int junction = -1;
        for (String stretch : stretches) {
            List<String> part = tokens(stretch, Integer.MAX_VALUE);
            if (!all.isEmpty() && !part.isEmpty()) {
                junction = all.size();
            }
            all.addAll(part);
        }
        int total = all.size();
        int room = spec.maxTokens();
        List<int[]> groups = new ArrayList<>(); // each: a window, or the policy's kept ranges as pairs
        if (total <= room) {
            groups.add(new int[] {0, total});
        } else if (maxWindows > 1) {
            int step = room - room / 2;
            List<int[]> windows = new ArrayList<>();
            for (int start = 0; ; start += step) {
                int end = Math.min(start + room, total);
                windows.add(new int[] {start, end});
                if (end == total) {
                    break;
                }
            }
            if (windows.size() > maxWindows) {
                windows = new ArrayList<>(windows.subList(0, maxWindows - 1));
                windows.add(new int[] {total - room, total});
            }
            groups.addAll(windows);
        } else if (t.keep().equals("head")) {
            groups.add(new int[] {0, room});
        } else if (t.keep().equals("tail")) {
            groups.add(new int[] {total - room, total});
        } else {
            int head = t.headTokens();
            groups.add(new int[] {0, head, total - (room - head), total});
        }
        boolean[] read = new boolean[total];
        List<int[]> out = new ArrayList<>();
        for (int[] g : groups) {
            List<Integer> kept = new ArrayList<>();
            for (int r = 0; r < g.length; r += 2) {
                for (int k = g[r]; k < g[r + 1]; k++) {
                    kept.add(k);
                    read[k] = true;
                }
            }
            List<Integer> ids = new ArrayList<>();
            for (int k : kept) {
                ids.add(idOf(all.get(k)));
            }
            if (spec.bigrams()) {
                for (int i = 0; i + 1 < kept.size(); i++) {
                    int a = kept.get(i);
                    int b = kept.get(i + 1);
                    if (b == a + 1 && b != junction) {
                        ids.add(idOf(all.get(a) + ' ' + all.get(b)));
                    }
                }
            }
            out.add(ids.stream().mapToInt(Integer::intValue).toArray());
        }
        int r = 0;
        for (boolean b : read) {
            r += b ? 1 : 0;
        }
        coverage[0] = r;
        coverage[1] = total;
        return out;
    }

    private static int cutBefore(String s, int end) {
        return end > 0 && end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))
                && Character.isLowSurrogate(s.charAt(end)) ? end - 1 : end;
    }

    private static int cutAfter(String s, int start) {
        return start > 0 && start < s.length() && Character.isLowSurrogate(s.charAt(start))
                && Character.isHighSurrogate(s.charAt(start - 1)) ? start + 1 : start;
    }

    /** Steps 2 to 4 over one stretch read, at most {@code limit} tokens. */
    private List<String> tokens(String stretch, int limit) {
        String s = Normalizer.normalize(stretch, Normalizer.Form.NFKC);
        if (spec.lowercase()) {
            s = s.toLowerCase(Locale.ROOT).replace('\u03C2', '\u03C3');
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < s.length() && tokens.size() < limit) {
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
                        addIfRoom(tokens, new String(Character.toChars(cp)), limit);
                    }
                    break;
                case SINGLE:
                    flush(word, tokens);
                    addIfRoom(tokens, new String(Character.toChars(cp)), limit);
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
        if (tokens.size() < limit) {
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

    private void addIfRoom(List<String> tokens, String token, int limit) {
        if (tokens.size() < limit) {
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
