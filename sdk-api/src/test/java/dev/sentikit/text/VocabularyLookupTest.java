package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The vocabulary's lookup tables: a small one for the first {@link Vocabulary#HOT_ENTRIES} ids, a large one behind
 * a Bloom filter for the rest, and lookups by character range. Every entry is found with its id, wherever it is
 * stored, and nothing else is.
 */
class VocabularyLookupTest {

    private static List<String> randomEntries(Random random, int n) {
        Set<String> entries = new LinkedHashSet<>();
        while (entries.size() < n) {
            StringBuilder sb = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int i = 0; i < length; i++) {
                // Mostly a few letters (so that hashes collide in the tables' low bits), sometimes anything.
                sb.append(random.nextInt(8) == 0 ? (char) (1 + random.nextInt(0xFFFE))
                        : (char) ('a' + random.nextInt(4)));
            }
            if (random.nextInt(4) == 0) {
                sb.append(' ').append((char) ('a' + random.nextInt(26)));
            }
            entries.add(sb.toString());
        }
        return new ArrayList<>(entries);
    }

    @Test
    void everyEntryOfBothTablesIsFoundWithItsIdAndNothingElse() {
        Random random = new Random(11);
        for (int size : new int[] {0, 1, 2, 3, 100, Vocabulary.HOT_ENTRIES - 1, Vocabulary.HOT_ENTRIES,
            Vocabulary.HOT_ENTRIES + 1, 3 * Vocabulary.HOT_ENTRIES + 17}) {
            List<String> all = randomEntries(random, size + 2000);
            List<String> entries = all.subList(0, size);
            Vocabulary vocabulary = Vocabulary.of(entries);
            assertEquals(size, vocabulary.size());
            char[] buffer = new char[64];
            for (int i = 0; i < size; i++) {
                String e = entries.get(i);
                assertEquals(i + 1, vocabulary.id(e), e);
                // By range, at an offset inside a larger buffer, as the encoder looks tokens up.
                e.getChars(0, e.length(), buffer, 7);
                assertEquals(i + 1, vocabulary.find(buffer, 7, e.length(), e.hashCode()), e);
            }
            for (String other : all.subList(size, all.size())) {
                assertEquals(-1, vocabulary.id(other), other);
            }
            assertEquals(-1, vocabulary.id(""));
            assertEquals(-1, vocabulary.id(null));
        }
    }

    @Test
    void aDuplicateInTheLargeTableIsRefused() {
        List<String> entries = randomEntries(new Random(12), Vocabulary.HOT_ENTRIES + 10);
        List<String> hotTwice = new ArrayList<>(entries);
        hotTwice.add(entries.get(3));
        List<String> coldTwice = new ArrayList<>(entries);
        coldTwice.add(entries.get(Vocabulary.HOT_ENTRIES + 5));
        for (List<String> bad : List.of(hotTwice, coldTwice)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(bad));
            assertEquals("vocabulary entry '" + bad.get(bad.size() - 1) + "' appears twice", e.getMessage());
        }
    }
}
