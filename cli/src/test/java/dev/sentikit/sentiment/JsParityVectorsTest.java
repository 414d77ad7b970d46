package dev.sentikit.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The texts that {@link JsParityVectors} writes for the JavaScript package's parity test (js/test/java-parity.test.mjs)
 * are what it says: the same on every run, every code point of the sweep present, lone surrogates among the random
 * texts, and the corpora left out openly when absent.
 */
class JsParityVectorsTest {

    @Test
    void theSweepHoldsEveryCodePointOfItsRanges() {
        BitSet seen = new BitSet(Character.MAX_CODE_POINT + 1);
        for (String text : JsParityVectors.sweep()) {
            text.codePoints().forEach(seen::set);
            // the texts of the sweep are built so that a surrogate is never next to another one that pairs with it
            for (int i = 0; i + 1 < text.length(); i++) {
                if (Character.isHighSurrogate(text.charAt(i)) && Character.isLowSurrogate(text.charAt(i + 1))) {
                    assertTrue(text.codePointAt(i) > 0xFFFF);
                }
            }
        }
        for (int cp = 0; cp <= 0x323FF; cp++) {
            assertTrue(seen.get(cp), "the sweep misses a code point");
        }
        assertTrue(seen.get(0xE0001) && seen.get(0xE0100) && seen.get(0x10FFFF) && seen.get(0xF0000));
    }

    @Test
    void theTextsAreTheSameOnEveryRunAndAwkward(@TempDir Path noCorpora) throws Exception {
        List<String> corpora = new ArrayList<>();
        List<String> scored = new ArrayList<>();
        List<String> unscored = new ArrayList<>();
        JsParityVectors.texts(noCorpora, corpora, scored, unscored);
        assertEquals(List.of(), corpora, "no corpora in an empty directory");
        List<String> scored2 = new ArrayList<>();
        List<String> unscored2 = new ArrayList<>();
        JsParityVectors.texts(noCorpora, new ArrayList<>(), scored2, unscored2);
        assertEquals(scored, scored2);
        assertEquals(unscored, unscored2);
        assertEquals(NodeTestVectors.TEXTS.size() + JsParityVectors.ODD.size() + 4 + JsParityVectors.SCORED_RANDOM,
                scored.size());
        assertEquals(JsParityVectors.RANDOM_TEXTS - JsParityVectors.SCORED_RANDOM, unscored.size());
        List<String> all = new ArrayList<>(scored);
        all.addAll(unscored);
        assertTrue(all.stream().anyMatch(t -> t.chars().anyMatch(c -> Character.isSurrogate((char) c)
                && t.codePoints().anyMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF))), "a lone surrogate");
        assertTrue(all.stream().anyMatch(t -> t.length() > 16384), "a text past max_chars");
        assertTrue(all.stream().anyMatch(t -> t.codePoints().anyMatch(cp -> cp == 0x1FAE0)), "a Unicode 14 character");
    }
}
