package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private static final long MIN_COUNT = 2;
    private static final int UNLIMITED = Integer.MAX_VALUE;

    @Test
    void entriesTakeIdsFromOneInOrder() {
        Vocabulary v = Vocabulary.of(List.of("good", "bad", "not good"));
        assertEquals(3, v.size());
        assertEquals(1, v.id("good"));
        assertEquals(3, v.id("not good"));
        assertEquals(List.of("good", "bad", "not good"), v.entries());
        for (int id = 1; id <= v.size(); id++) {
            assertEquals(id, v.id(v.token(id)), "round trip of id " + id);
        }
    }

    @Test
    void unknownTokenHasIdMinusOneAndPaddingIsZero() {
        Vocabulary v = Vocabulary.of(List.of("good"));
        assertEquals(-1, v.id("bad"));
        assertEquals(-1, v.id("Good"));
        assertEquals(0, Vocabulary.PAD_ID);
    }

    @Test
    void tokenOutsideTheEntriesNamesTheValidRange() {
        Vocabulary v = Vocabulary.of(List.of("a", "b"));
        IndexOutOfBoundsException zero = assertThrows(IndexOutOfBoundsException.class, () -> v.token(Vocabulary.PAD_ID));
        assertEquals("id 0 is not a vocabulary entry (1..2)", zero.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> v.token(3));
    }

    @Test
    void duplicatesAreRejectedNamingTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.of(List.of("good", "bad", "good")));
        assertEquals("vocabulary entry 'good' appears twice", e.getMessage());
    }

    @Test
    void emptyAndNullEntriesAreRejectedNamingTheirIndex() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.of(List.of("good", "")));
        assertEquals("vocabulary entry 1 is empty", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(Arrays.asList("good", null)));
    }

    @Test
    void entriesAreACopyAndUnmodifiable() {
        List<String> source = new ArrayList<>(List.of("a", "b"));
        Vocabulary v = Vocabulary.of(source);
        source.add("c");
        assertEquals(2, v.size());
        assertThrows(UnsupportedOperationException.class, () -> v.entries().add("c"));
    }

    @Test
    void fromCountsPutsTheMostFrequentFirst() {
        Map<String, Long> counts = new HashMap<>(Map.of("rare", 2L, "common", 9L, "middle", 5L));
        Vocabulary v = Vocabulary.fromCounts(counts, 1, UNLIMITED);
        assertEquals(List.of("common", "middle", "rare"), v.entries());
    }

    @Test
    void fromCountsBreaksTiesInCodePointOrderWhateverTheMapOrder() {
        // U+FFFD sorts before U+1F600 by code point, but after it by UTF-16 unit (0xFFFD > 0xD83D).
        List<String> tied = List.of("\uD83D\uDE00", "b", "\uFFFD", "a", "B", "ab");
        List<String> expected = List.of("B", "a", "ab", "b", "\uFFFD", "\uD83D\uDE00");
        Map<String, Long> forward = new LinkedHashMap<>();
        tied.forEach(t -> forward.put(t, 3L));
        Map<String, Long> backward = new LinkedHashMap<>();
        for (int i = tied.size() - 1; i >= 0; i--) {
            backward.put(tied.get(i), 3L);
        }
        assertEquals(expected, Vocabulary.fromCounts(forward, 1, UNLIMITED).entries());
        assertEquals(expected, Vocabulary.fromCounts(backward, 1, UNLIMITED).entries());
    }

    @Test
    void fromCountsDropsTokensBelowMinCount() {
        Map<String, Long> counts = Map.of("once", 1L, "twice", 2L, "thrice", 3L);
        Vocabulary v = Vocabulary.fromCounts(counts, MIN_COUNT, UNLIMITED);
        assertEquals(List.of("thrice", "twice"), v.entries());
        assertEquals(-1, v.id("once"));
    }

    @Test
    void fromCountsKeepsAtMostMaxSize() {
        Map<String, Long> counts = Map.of("a", 4L, "b", 3L, "c", 2L, "d", 1L);
        assertEquals(List.of("a", "b"), Vocabulary.fromCounts(counts, 1, 2).entries());
        assertEquals(0, Vocabulary.fromCounts(counts, 1, 0).size());
    }

    @Test
    void fromCountsRejectsInvalidLimitsNamingTheValue() {
        IllegalArgumentException min = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.fromCounts(Map.of(), 0, UNLIMITED));
        assertEquals("minCount must be >= 1, got 0", min.getMessage());
        IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.fromCounts(Map.of(), 1, -1));
        assertEquals("maxSize must be >= 0, got -1", max.getMessage());
    }

    @Test
    void fromCountsOfManyTokensIsSortedByCountThenCodePoint() {
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            counts.put("t" + i, (long) (i % 7) + 1);
        }
        List<String> entries = Vocabulary.fromCounts(counts, 1, UNLIMITED).entries();
        assertEquals(counts.size(), entries.size());
        for (int i = 1; i < entries.size(); i++) {
            long before = counts.get(entries.get(i - 1));
            long after = counts.get(entries.get(i));
            assertTrue(before > after || (before == after && entries.get(i - 1).compareTo(entries.get(i)) < 0),
                    entries.get(i - 1) + " (" + before + ") before " + entries.get(i) + " (" + after + ")");
        }
    }
}
