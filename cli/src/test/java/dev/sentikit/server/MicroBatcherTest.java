package dev.sentikit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The batcher's estimate of a text's work, which admission counts in. */
class MicroBatcherTest {

    @Test
    void aTextsWorkIsEstimatedFromItsWordsMarksAndCjkCharacters() {
        assertEquals(2, MicroBatcher.estimateTokens("", 128), "the two markers around every text");
        assertEquals(3, MicroBatcher.estimateTokens("good", 128));
        assertEquals(6, MicroBatcher.estimateTokens("aaaa bbbb cccc dddd", 128));
        assertEquals(6, MicroBatcher.estimateTokens("good, bad!", 128), "2 words, 2 marks, 2 markers");
        assertEquals(4, MicroBatcher.estimateTokens("unbelievably", 128), "a long word is split, as WordPiece does");
        assertEquals(4, MicroBatcher.estimateTokens("不好", 128), "a CJK character is a token");
        assertEquals(128, MicroBatcher.estimateTokens("word ".repeat(10_000), 128), "no more than the model reads");
    }
}
