package dev.sentikit.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The tokens a model knows, each with its id. Id {@value #PAD_ID} is padding; the entries take ids
 * 1..size(); ids after them are the hash buckets of the {@link EncoderSpec}. Bigram entries are two words
 * joined by one space ({@code "not good"}). Immutable and thread-safe.
 *
 * <p>Lookups need no {@code String}: the entries' characters lie back to back in one array, indexed by an
 * open-addressing table keyed by {@link String#hashCode()}, so that the encoder can look up a token, or a bigram,
 * as a range of its own character buffer (see {@link #find}). Since the polynomial hash of {@code a + " " + b}
 * follows from those of {@code a} and {@code b}, a bigram costs one probe and, on a hit, one comparison.
 */
public final class Vocabulary {

    /** The id of padding; an id sequence never holds it except as padding. */
    public static final int PAD_ID = 0;

    /** Spreads {@link String#hashCode()} over the table (Fibonacci hashing: the top bits of hash × 2³²/φ). */
    private static final int SPREAD = 0x9E3779B9;

    private final List<String> entries;
    /** The characters of every entry, back to back: entry id {@code i} is {@code chars[offsets[i-1] .. offsets[i])}. */
    private final char[] chars;
    private final int[] offsets;
    /**
     * Open addressing with linear probing, at most half full: each slot is 0 (empty) or {@code hash << 32 | id},
     * so that one read of the slot rejects almost every other entry without touching its characters.
     */
    private final long[] table;
    private final int mask;
    private final int shift;

    private Vocabulary(List<String> entries) {
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        int n = this.entries.size();
        int capacity = Integer.highestOneBit(Math.max(2, 2 * n - 1)) << 1; // a power of two >= 2n, load <= 1/2
        this.table = new long[capacity];
        this.mask = capacity - 1;
        this.shift = Integer.numberOfLeadingZeros(capacity) + 1;
        this.offsets = new int[n + 1];
        long total = 0;
        for (int i = 0; i < n; i++) {
            String e = this.entries.get(i);
            if (e == null || e.isEmpty()) {
                throw new IllegalArgumentException("vocabulary entry " + i + " is empty");
            }
            total += e.length();
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the vocabulary's entries hold more than 2^31 characters");
            }
            offsets[i + 1] = (int) total;
        }
        this.chars = new char[(int) total];
        for (int i = 0; i < n; i++) {
            String e = this.entries.get(i);
            e.getChars(0, e.length(), chars, offsets[i]);
            int hash = e.hashCode();
            int slot = slotOf(hash);
            for (long v = table[slot]; v != 0; v = table[slot]) {
                if ((int) (v >>> 32) == hash && matches((int) v, chars, offsets[i], e.length())) {
                    throw new IllegalArgumentException("vocabulary entry '" + e + "' appears twice");
                }
                slot = (slot + 1) & mask;
            }
            table[slot] = ((long) hash << 32) | (i + 1);
        }
    }

    private int slotOf(int hash) {
        return (hash * SPREAD) >>> shift;
    }

    /** Whether entry {@code id} is {@code a[from .. from + length)}. */
    private boolean matches(int id, char[] a, int from, int length) {
        int start = offsets[id - 1];
        if (offsets[id] - start != length) {
            return false;
        }
        // A plain loop: tokens are short, and Arrays.equals on ranges costs more in its checks than it saves.
        for (int k = 0; k < length; k++) {
            if (chars[start + k] != a[from + k]) {
                return false;
            }
        }
        return true;
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
        if (token == null) {
            return -1;
        }
        int hash = token.hashCode();
        int length = token.length();
        for (int slot = slotOf(hash); ; slot = (slot + 1) & mask) {
            long v = table[slot];
            if (v == 0) {
                return -1;
            }
            if ((int) (v >>> 32) == hash) {
                int id = (int) v;
                if (offsets[id] - offsets[id - 1] == length && sameChars(token, offsets[id - 1])) {
                    return id;
                }
            }
        }
    }

    private boolean sameChars(String token, int start) {
        for (int k = 0; k < token.length(); k++) {
            if (chars[start + k] != token.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The id of the token {@code a[from .. from + length)}, or -1 when it is not an entry, without making a
     * {@code String} of it. {@code hash} must be the range's {@link String#hashCode()}: {@code a[from]·31^(length-1)
     * + … + a[from+length-1]}, in {@code int} arithmetic.
     */
    int find(char[] a, int from, int length, int hash) {
        for (int slot = slotOf(hash); ; slot = (slot + 1) & mask) {
            long v = table[slot];
            if (v == 0) {
                return -1;
            }
            if ((int) (v >>> 32) == hash && matches((int) v, a, from, length)) {
                return (int) v;
            }
        }
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
