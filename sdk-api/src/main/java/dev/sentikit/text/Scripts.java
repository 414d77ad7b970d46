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

    private Scripts() {}

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
                if (Character.isLetter(cp)) {
                    counts.merge(Character.UnicodeScript.of(cp), 1L, Long::sum);
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
        EnumMap<Character.UnicodeScript, Integer> counts = new EnumMap<>(Character.UnicodeScript.class);
        int letters = 0;
        int n = Math.min(text.length(), EncoderSpec.DEFAULT_MAX_CHARS);
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                counts.merge(Character.UnicodeScript.of(cp), 1, Integer::sum);
                letters++;
            }
        }
        if (letters < MIN_LETTERS) {
            return new Check(null, true);
        }
        Character.UnicodeScript dominant = null;
        int best = -1;
        int known = 0;
        for (Map.Entry<Character.UnicodeScript, Integer> e : counts.entrySet()) {
            if (e.getValue() > best) {
                best = e.getValue();
                dominant = e.getKey();
            }
            if (profile != null && profile.getOrDefault(name(e.getKey()), 0.0) >= KNOWN_SHARE) {
                known += e.getValue();
            }
        }
        boolean readable = profile == null || profile.isEmpty() || known * 2 >= letters;
        return new Check(name(dominant), readable);
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
