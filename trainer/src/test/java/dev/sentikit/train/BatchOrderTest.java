package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.train.TrainingConfig.Batching;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SentimentTrainer#batchOrder}: every example once per epoch, and bucketed batches carry little padding. */
class BatchOrderTest {

    /** 5,000 texts of 1 to 200 tokens, lengths drawn like real reviews: mostly short, a long tail. */
    private static int[][] texts(int n) {
        Random random = new Random(11);
        int[][] ids = new int[n][];
        for (int i = 0; i < n; i++) {
            int length = 1 + (int) Math.min(199, Math.abs(random.nextGaussian()) * 40);
            ids[i] = new int[length];
        }
        return ids;
    }

    private static long paddedCells(int[][] ids, int[] order, int batchSize) {
        long cells = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int width = 0;
            for (int i = from; i < to; i++) {
                width = Math.max(width, ids[order[i]].length);
            }
            cells += (long) width * (to - from);
        }
        return cells;
    }

    @Test
    void everyExampleOncePerEpochInBothModes() {
        int[][] ids = texts(5_003); // not a multiple of the batch size: the last batch is partial
        for (Batching batching : Batching.values()) {
            int[] order = SentimentTrainer.batchOrder(ids, 32, batching, 99);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                assertEquals(i, sorted[i], batching + ": not a permutation");
            }
            assertArrayEquals(order, SentimentTrainer.batchOrder(ids, 32, batching, 99), batching + ": not seeded");
            assertFalse(Arrays.equals(order, SentimentTrainer.batchOrder(ids, 32, batching, 100)),
                    batching + ": another epoch gives the same order");
        }
    }

    @Test
    void bucketedBatchesWasteLittlePadding() {
        int[][] ids = texts(5_000);
        long tokens = Arrays.stream(ids).mapToLong(r -> r.length).sum();
        long random = paddedCells(ids, SentimentTrainer.batchOrder(ids, 32, Batching.RANDOM, 3), 32);
        long bucketed = paddedCells(ids, SentimentTrainer.batchOrder(ids, 32, Batching.BUCKETED, 3), 32);
        // random batches are padded to their longest text (about 3x the tokens here); bucketed ones barely
        assertTrue(random > tokens * 2, "random: " + random + " cells for " + tokens + " tokens");
        assertTrue(bucketed < tokens * 1.1, "bucketed: " + bucketed + " cells for " + tokens + " tokens");
    }

    @Test
    void bucketedBatchesAreShuffledNotSortedByLength() {
        int[][] ids = texts(5_000);
        int[] order = SentimentTrainer.batchOrder(ids, 32, Batching.BUCKETED, 3);
        int rises = 0;
        int batches = order.length / 32;
        for (int b = 1; b < batches; b++) {
            rises += ids[order[b * 32]].length > ids[order[(b - 1) * 32]].length ? 1 : 0;
        }
        // in a random order of batches about half the neighbours rise; in a sorted one nearly all
        assertTrue(rises > batches * 0.3 && rises < batches * 0.7, rises + " rises in " + batches + " batches");
    }
}
