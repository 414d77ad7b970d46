package dev.sentikit.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokens a model knows, each with its id. Id {@value #PAD_ID} is padding; the entries take ids
 * 1..size(); ids after them are the hash buckets of the {@link EncoderSpec}. Bigram entries are two words
 * joined by one space ({@code "not good"}). Immutable and thread-safe.
 */
public final class Vocabulary {

    /** The id of padding; an id sequence never holds it except as padding. */
    public static final int PAD_ID = 0;

    private final List<String> entries;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> entries) {
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        this.ids = new HashMap<>(entries.size() * 2);
        for (int i = 0; i < entries.size(); i++) {
            String e = entries.get(i);
            if (e == null || e.isEmpty()) {
                throw new IllegalArgumentException("vocabulary entry " + i + " is empty");
            }
            if (ids.put(e, i + 1) != null) {
                throw new IllegalArgumentException("vocabulary entry '" + e + "' appears twice");
            }
        }
    }

    /** A vocabulary with the given entries, which take ids 1, 2, … in this order. */
    public static Vocabulary of(List<String> entries) {
        return new Vocabulary(entries);
    }

    /**
     * Builds a vocabulary from token counts: entries seen at least {@code minCount} times, the most frequent
     * first (ties in code-point order of the token, so the result does not depend on map order), at most
     * {@code maxSize} of them.
     */
    public static Vocabulary fromCounts(Map<String, Long> counts, long minCount, int maxSize) {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be >= 0, got " + maxSize);
        }
        List<Map.Entry<String, Long>> kept = new ArrayList<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() >= minCount) {
                kept.add(e);
            }
        }
        kept.sort(Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue())
                .thenComparing(Map.Entry::getKey, Vocabulary::compareCodePoints));
        List<String> entries = new ArrayList<>(Math.min(maxSize, kept.size()));
        for (int i = 0; i < kept.size() && i < maxSize; i++) {
            entries.add(kept.get(i).getKey());
        }
        return new Vocabulary(entries);
    }

    /**
     * Compares by Unicode code point, as Python's and most other languages' string order does; {@link
     * String#compareTo} compares UTF-16 units, which puts U+10000 and above before U+E000..U+FFFF.
     */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The id of {@code token}, or -1 when it is not an entry. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The entry with id {@code id} (1..size()). */
    public String token(int id) {
        if (id < 1 || id > entries.size()) {
            throw new IndexOutOfBoundsException("id " + id + " is not a vocabulary entry (1.." + entries.size() + ")");
        }
        return entries.get(id - 1);
    }

    /** The number of entries, padding and hash buckets not counted. */
    public int size() {
        return entries.size();
    }

    /** The entries in id order (entry i has id i + 1). */
    public List<String> entries() {
        return entries;
    }
}
