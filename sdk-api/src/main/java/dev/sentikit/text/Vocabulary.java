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
 * <p>Lookups need no {@code String}: entries sit in open-addressing tables keyed by {@link String#hashCode()},
 * so that the encoder can look up a token, or a bigram, as a range of its own character buffer ({@link #find},
 * {@link #findAll}); the polynomial hash of {@code a + " " + b} follows from those of {@code a} and {@code b}.
 * Such lookups are bound by memory latency, not by computation, so the layout is about cache lines:
 * <ul>
 *   <li>A slot is 32 bytes, half a cache line, and holds the entry's hash, its id and, for an entry of at most
 *       {@value #INLINE_CHARS} characters all in U+0001..U+00FF (nearly every English token and bigram), the
 *       characters themselves: finding such an entry reads one line. Longer entries are compared with their copy
 *       in one shared array.</li>
 *   <li>The first {@value #HOT_ENTRIES} ids (a trained vocabulary's most frequent entries, as {@link #fromCounts}
 *       orders them) have a table of their own, small enough to stay in the CPU's caches.</li>
 *   <li>The other entries have a second table behind a Bloom filter, which turns away most tokens that are not
 *       entries (half of all bigrams) without reading that table.</li>
 *   <li>{@link #findAll} looks up many tokens in passes, first touching every slot it will need, so that their
 *       cache misses overlap instead of following one another.</li>
 * </ul>
 */
public final class Vocabulary {

    /** The id of padding; an id sequence never holds it except as padding. */
    public static final int PAD_ID = 0;

    /**
     * Entries in the small table: ids 1 to this. 8,192 cover about 88% of the word and 35% of the bigram
     * lookups of English reviews with a 48,000-entry vocabulary (see docs/benchmarks.md), in a 512 KiB table.
     */
    static final int HOT_ENTRIES = 8192;

    /** Characters an entry may have to be stored in its slot (one byte each). */
    static final int INLINE_CHARS = 24;

    /** Longs per slot: hash and id, then {@link #INLINE_CHARS} bytes of characters. */
    private static final int SLOT = 4;

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
     * Open addressing with linear probing, at most two thirds full. Slot {@code i} is {@code slots[4i .. 4i+4)}:
     * {@code hash << 32 | id} (0: empty), then the entry's characters as bytes, little-endian, zero after the
     * last; or, for an entry that does not fit (too long, or a character outside U+0001..U+00FF), three zeros.
     */
    private static final class Table {
        final long[] slots;
        final int mask;
        final int shift;

        Table(int entries) {
            // A power of two >= 1.5 n: two thirds full at most.
            int capacity = Integer.highestOneBit(Math.max(2, entries + entries / 2)) << 1;
            this.slots = new long[capacity * SLOT];
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
            int from = offsets[i];
            e.getChars(0, e.length(), chars, from);
            int hash = e.hashCode();
            if (find(chars, from, e.length(), hash) > 0) {
                throw new IllegalArgumentException("vocabulary entry '" + e + "' appears twice");
            }
            Table table = i < HOT_ENTRIES ? hot : cold;
            int slot = table.slotOf(hash);
            while (table.slots[slot * SLOT] != 0) {
                slot = (slot + 1) & table.mask;
            }
            int base = slot * SLOT;
            table.slots[base] = ((long) hash << 32) | (i + 1);
            if (e.length() <= INLINE_CHARS && e.chars().allMatch(c -> c >= 1 && c <= 0xFF)) {
                for (int j = 0; j < e.length(); j++) {
                    table.slots[base + 1 + (j >>> 3)] |= (long) e.charAt(j) << ((j & 7) << 3);
                }
            }
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
        if (id > 0 || !mayBeCold(hash)) {
            return id;
        }
        return probe(cold, a, from, length, hash);
    }

    /**
     * {@link #find} for {@code n} tokens at once: {@code ids[k] = find(a, from[k], to[k] - from[k], hash[k])}.
     * Faster for many tokens, because it reads each table in a pass of independent loads first, so that the
     * processor waits for their cache misses together rather than one after the other. {@code touched} and
     * {@code pending} are working space of at least {@code n} values.
     */
    void findAll(char[] a, int[] from, int[] to, int[] hash, int n, int[] ids, long[] touched, int[] pending) {
        long[] hotSlots = hot.slots;
        for (int k = 0; k < n; k++) {
            int h = hash[k];
            long touch = hotSlots[hot.slotOf(h) * SLOT];
            if (cold != null) {
                touch ^= filter[mix(h) >>> filterShift];
            }
            touched[k] = touch; // kept, so that the loads are not optimized away
        }
        int waiting = 0;
        for (int k = 0; k < n; k++) {
            int id = probe(hot, a, from[k], to[k] - from[k], hash[k]);
            if (id < 0 && mayBeCold(hash[k])) {
                pending[waiting++] = k;
            }
            ids[k] = id;
        }
        if (waiting == 0) {
            return;
        }
        long[] coldSlots = cold.slots;
        for (int j = 0; j < waiting; j++) {
            touched[j] = coldSlots[cold.slotOf(hash[pending[j]]) * SLOT];
        }
        for (int j = 0; j < waiting; j++) {
            int k = pending[j];
            ids[k] = probe(cold, a, from[k], to[k] - from[k], hash[k]);
        }
    }

    /** False when the Bloom filter proves that no entry of the large table has this hash. */
    private boolean mayBeCold(int hash) {
        if (cold == null) {
            return false;
        }
        int mixed = mix(hash);
        long bits = (1L << mixed) | (1L << (mixed >>> 6));
        return (filter[mixed >>> filterShift] & bits) == bits;
    }

    private int probe(Table table, char[] a, int from, int length, int hash) {
        long[] slots = table.slots;
        for (int slot = table.slotOf(hash); ; slot = (slot + 1) & table.mask) {
            int base = slot * SLOT;
            long v = slots[base];
            if (v == 0) {
                return -1;
            }
            if ((int) (v >>> 32) == hash && matches(slots, base, (int) v, a, from, length)) {
                return (int) v;
            }
        }
    }

    /** Whether the entry in the slot at {@code base}, whose id is {@code id}, is {@code a[from .. from + length)}. */
    private boolean matches(long[] slots, int base, int id, char[] a, int from, int length) {
        if (slots[base + 1] == 0) {
            // Not stored in the slot: compare with the shared copy.
            int start = offsets[id - 1];
            if (offsets[id] - start != length) {
                return false;
            }
            for (int k = 0; k < length; k++) {
                if (chars[start + k] != a[from + k]) {
                    return false;
                }
            }
            return true;
        }
        if (length > INLINE_CHARS) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (a[from + k] != ((int) (slots[base + 1 + (k >>> 3)] >>> ((k & 7) << 3)) & 0xFF)) {
                return false;
            }
        }
        // The entry ends here too: its next byte is 0 (an entry in its slot has no U+0000).
        return length == INLINE_CHARS || ((slots[base + 1 + (length >>> 3)] >>> ((length & 7) << 3)) & 0xFF) == 0;
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
