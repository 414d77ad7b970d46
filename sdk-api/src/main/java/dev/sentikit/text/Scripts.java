package dev.sentikit.text;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The writing systems of texts: a model's (the share of each Unicode script among the letters of the texts it was
 * trained on, which the trainer writes into the model card as {@code scripts}) and one text's (the script most of
 * its letters are in). A text whose letters are mostly in a script the model hardly saw in training is one the
 * model cannot read, whatever ids its encoder gives it (MiniLM's vocabulary holds Chinese characters, but the
 * {@code en} model never learned what they mean): {@link #check} says so, and every result carries it
 * ({@link Coverage#scriptKnown()}).
 */
public final class Scripts {

    /** A script counts as the model's when at least this share of its training letters were in it. */
    public static final double KNOWN_SHARE = 0.01;

    /** A text needs this many letters before its script is judged; shorter ones (emoji, numbers) are not. */
    public static final int MIN_LETTERS = 2;

    private static final Character.UnicodeScript[] SCRIPTS = Character.UnicodeScript.values();

    /** {@link #name} of each script, by ordinal: {@link #check} runs on every text analyzed. */
    private static final String[] NAMES = new String[SCRIPTS.length];

    static {
        for (Character.UnicodeScript script : SCRIPTS) {
            NAMES[script.ordinal()] = name(script);
        }
    }

    private Scripts() {}

    /**
     * The script of a letter: {@link Character.UnicodeScript#of} (a binary search over Unicode's script ranges),
     * answered without it for the two ranges most texts are made of, ASCII letters (Latin) and the CJK Unified
     * Ideographs U+4E00 to U+9FFF (Han; its unassigned code points are not letters and do not get here).
     */
    static Character.UnicodeScript scriptOfLetter(int cp) {
        if (cp < 0x80) {
            return Character.UnicodeScript.LATIN;
        }
        if (cp >= 0x4E00 && cp <= 0x9FFF) {
            return Character.UnicodeScript.HAN;
        }
        return Character.UnicodeScript.of(cp);
    }

    /** {@link Character#isLetter(int)}, with ASCII answered inline. */
    static boolean isLetter(int cp) {
        if (cp < 0x80) {
            int lower = cp | 0x20;
            return lower >= 'a' && lower <= 'z';
        }
        return Character.isLetter(cp);
    }

    /**
     * The share of each script among the letters of {@code texts}, largest first, rounded to 4 decimals; scripts
     * under 0.0001 are left out. Script names are Java's {@link Character.UnicodeScript}, title-cased (Latin, Han,
     * Cyrillic…).
     */
    public static Map<String, Double> profile(Iterable<String> texts) {
        EnumMap<Character.UnicodeScript, Long> counts = new EnumMap<>(Character.UnicodeScript.class);
        long letters = 0;
        for (String text : texts) {
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                if (isLetter(cp)) {
                    counts.merge(scriptOfLetter(cp), 1L, Long::sum);
                    letters++;
                }
            }
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        if (letters == 0) {
            return shares;
        }
        long total = letters;
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e -> {
            double share = Math.round(e.getValue() * 10_000.0 / total) / 10_000.0;
            if (share >= 0.0001) {
                shares.put(name(e.getKey()), share);
            }
        });
        return shares;
    }

    /**
     * The script most of {@code text}'s letters are in (null when it has fewer than {@link #MIN_LETTERS}), and
     * whether a model of {@code profile} knows it (true when the profile is null or empty: the model does not say).
     */
    public static Check check(String text, Map<String, Double> profile) {
        int[] counts = new int[SCRIPTS.length];
        int letters = 0;
        int n = Math.min(text.length(), EncoderSpec.DEFAULT_MAX_CHARS);
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isLetter(cp)) {
                counts[scriptOfLetter(cp).ordinal()]++;
                letters++;
            }
        }
        if (letters < MIN_LETTERS) {
            return new Check(null, true);
        }
        int dominant = -1;
        int best = 0;
        int known = 0;
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] == 0) {
                continue;
            }
            if (counts[s] > best) { // ties go to the script of lower ordinal, as in enum order
                best = counts[s];
                dominant = s;
            }
            if (profile != null && profile.getOrDefault(NAMES[s], 0.0) >= KNOWN_SHARE) {
                known += counts[s];
            }
        }
        boolean readable = profile == null || profile.isEmpty() || known * 2 >= letters;
        return new Check(NAMES[dominant], readable);
    }

    /** A script's name as profiles write it: {@code LATIN} is {@code Latin}. */
    static String name(Character.UnicodeScript script) {
        String s = script.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        StringBuilder out = new StringBuilder(s.length());
        boolean up = true;
        for (char c : s.toCharArray()) {
            out.append(up ? Character.toUpperCase(c) : c);
            up = c == ' ';
        }
        return out.toString();
    }

    /**
     * What {@link #check} found.
     *
     * @param script the script most of the text's letters are in, or null for a text of fewer than
     *     {@link #MIN_LETTERS} letters
     * @param known whether at least half of the text's letters are in scripts the model was trained on (true when
     *     the model does not say which)
     */
    public record Check(String script, boolean known) {}
}
