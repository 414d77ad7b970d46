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
 * <p>Lookups need no {@code String}: the entries' characters lie back to back in one array, indexed by
 * open-addressing tables keyed by {@link String#hashCode()}, so that the encoder can look up a token, or a
 * bigram, as a range of its own character buffer (see {@link #find}); the polynomial hash of {@code a + " " + b}
 * follows from those of {@code a} and {@code b}. Lookups are bound by memory latency, so the first
 * {@value #HOT_ENTRIES} ids (a trained vocabulary's most frequent entries, as {@link #fromCounts} orders them)
 * have a table of their own that stays in the CPU's caches, and the other entries a second table behind a Bloom
 * filter, which answers most lookups of tokens that are not entries (half of all bigrams) without touching it.
 */
public final class Vocabulary {

    /** The id of padding; an id sequence never holds it except as padding. */
    public static final int PAD_ID = 0;

    /**
     * Entries in the small table: ids 1 to this, in a 128 KiB table. With the 48,275-entry vocabulary of the
     * benchmark model (docs/benchmarks.md), they are about 88% of the word and 35% of the bigram lookups of IMDB
     * reviews; 47% of those bigrams are not entries, and the Bloom filter turns nearly all of them away.
     */
    static final int HOT_ENTRIES = 8192;

    /** Bits of Bloom filter per entry of the large table, at least (rounded up to a power of two in all). */
    private static final int FILTER_BITS_PER_ENTRY = 8;

    /** Spreads {@link String#hashCode()} over a table (Fibonacci hashing: the top bits of hash × 2³²/φ). */
    private static final int SPREAD = 0x9E3779B9;

    private final List<String> entries;
    /** The characters of every entry, back to back: entry id {@code i} is {@code chars[offsets[i-1] .. offsets[i])}. */
    private final char[] chars;
    private final int[] offsets;
    /** Ids 1 to {@link #HOT_ENTRIES}. */
    private final Table hot;
    /** The other ids; null when there are none. */
    private final Table cold;
    /**
     * A blocked Bloom filter of the hashes in {@link #cold}: two bits of one 64-bit word per entry. A clear bit
     * proves that a hash is not there; no entry is ever missed.
     */
    private final long[] filter;
    private final int filterShift;

    /**
     * Open addressing with linear probing, at most half full: each slot is 0 (empty) or {@code hash << 32 | id},
     * so that one read of a slot rejects almost every other entry without touching its characters.
     */
    private static final class Table {
        final long[] slots;
        final int mask;
        final int shift;

        Table(int entries) {
            int capacity = Integer.highestOneBit(Math.max(2, 2 * entries - 1)) << 1; // a power of two >= 2n
            this.slots = new long[capacity];
            this.mask = capacity - 1;
            this.shift = Integer.numberOfLeadingZeros(capacity) + 1;
        }

        int slotOf(int hash) {
            return (hash * SPREAD) >>> shift;
        }
    }

    private Vocabulary(List<String> entries) {
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        int n = this.entries.size();
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
        this.hot = new Table(Math.min(n, HOT_ENTRIES));
        int coldEntries = n - Math.min(n, HOT_ENTRIES);
        this.cold = coldEntries > 0 ? new Table(coldEntries) : null;
        int words = Integer.highestOneBit(Math.max(2, (int) Math.min(1 << 30,
                (long) coldEntries * FILTER_BITS_PER_ENTRY / Long.SIZE) * 2 - 1));
        this.filter = coldEntries > 0 ? new long[words] : null;
        this.filterShift = Integer.numberOfLeadingZeros(words) + 1;
        for (int i = 0; i < n; i++) {
            String e = this.entries.get(i);
            e.getChars(0, e.length(), chars, offsets[i]);
            int hash = e.hashCode();
            if (find(chars, offsets[i], e.length(), hash) > 0) {
                throw new IllegalArgumentException("vocabulary entry '" + e + "' appears twice");
            }
            Table table = i < HOT_ENTRIES ? hot : cold;
            int slot = table.slotOf(hash);
            while (table.slots[slot] != 0) {
                slot = (slot + 1) & table.mask;
            }
            table.slots[slot] = ((long) hash << 32) | (i + 1);
            if (table == cold) {
                int mixed = mix(hash);
                filter[mixed >>> filterShift] |= (1L << mixed) | (1L << (mixed >>> 6));
            }
        }
    }

    /** MurmurHash3's finalizer: every bit of {@code h} moves about half of the result's bits. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
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
        if (token == null || token.isEmpty()) {
            return -1;
        }
        // Not on the encoder's path: a copy of the characters is simpler than a second comparison.
        return find(token.toCharArray(), 0, token.length(), token.hashCode());
    }

    /**
     * The id of the token {@code a[from .. from + length)}, or -1 when it is not an entry, without making a
     * {@code String} of it. {@code hash} must be the range's {@link String#hashCode()}: {@code a[from]·31^(length-1)
     * + … + a[from+length-1]}, in {@code int} arithmetic.
     */
    int find(char[] a, int from, int length, int hash) {
        int id = probe(hot, a, from, length, hash);
        if (id > 0 || cold == null) {
            return id;
        }
        int mixed = mix(hash);
        long bits = (1L << mixed) | (1L << (mixed >>> 6));
        if ((filter[mixed >>> filterShift] & bits) != bits) {
            return -1;
        }
        return probe(cold, a, from, length, hash);
    }

    private int probe(Table table, char[] a, int from, int length, int hash) {
        long[] slots = table.slots;
        for (int slot = table.slotOf(hash); ; slot = (slot + 1) & table.mask) {
            long v = slots[slot];
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
