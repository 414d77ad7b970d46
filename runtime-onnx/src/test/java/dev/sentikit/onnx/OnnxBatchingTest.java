package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hot path of {@link OnnxSentimentAnalyzer}: texts of very different lengths are run in groups of similar
 * length through pooled direct buffers, and every result must still be the text's own, in the caller's order,
 * whatever the batch size and the number of threads.
 */
class OnnxBatchingTest {

    private static final double TOLERANCE = 1e-5;
    private static final List<String> WORDS = List.of("good", "bad", "great", "terrible", "not", "movie", "the",
            "plot", "unknown", "zebra", "!", "café", "🎉");

    private static ModelGenerators.Bag bag;
    private static byte[] model;

    @BeforeAll
    static void buildModel() {
        bag = ModelGenerators.Bag.random(7L, ModelGenerators.ROWS, ModelGenerators.DIM, 3);
        model = ModelGenerators.bagModel(bag, ModelGenerators.props(ModelGenerators.LABELS_3));
    }

    @AfterAll
    static void release() {
        bag = null;
    }

    /** Texts from 0 to {@code maxWords} words, in a seeded random order, so that lengths are mixed. */
    static List<String> mixedTexts(long seed, int count, int maxWords) {
        Random r = new Random(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int words = r.nextInt(4) == 0 ? r.nextInt(3) : r.nextInt(maxWords + 1);
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < words; w++) {
                sb.append(WORDS.get(r.nextInt(WORDS.size()))).append(' ');
            }
            texts.add(sb.toString());
        }
        return texts;
    }

    private static void assertOwnResults(List<String> texts, List<Sentiment> results) {
        assertEquals(texts.size(), results.size());
        for (int i = 0; i < texts.size(); i++) {
            double[] expected = bag.probabilities(ModelGenerators.encoder().encode(texts.get(i)));
            for (int l = 0; l < expected.length; l++) {
                assertEquals(expected[l], results.get(i).score(ModelGenerators.LABELS_3.get(l)), TOLERANCE,
                        "text " + i + " \"" + texts.get(i) + "\"");
            }
        }
    }

    private static AnalyzerOptions options(int maxBatchSize) {
        return AnalyzerOptions.builder().optDevice(Device.CPU).optMaxBatchSize(maxBatchSize).build();
    }

    @Test
    void mixedLengthsKeepTheirOrderAtEveryBatchSize() throws Exception {
        List<String> texts = mixedTexts(1, 300, 120);
        for (int maxBatch : new int[] {1, 2, 7, 32, 256, 1000}) {
            try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(model, "fixture.onnx", options(maxBatch))) {
                assertOwnResults(texts, a.analyzeAll(texts));
            }
        }
    }

    @Test
    void analyzeEqualsAnalyzeAll() throws Exception {
        List<String> texts = mixedTexts(2, 40, 60);
        try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(model, "fixture.onnx", options(256))) {
            List<Sentiment> all = a.analyzeAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                Sentiment one = a.analyze(texts.get(i));
                assertEquals(all.get(i).label(), one.label(), "text " + i);
                for (String label : ModelGenerators.LABELS_3) {
                    // Padding adds exact zeros, but a longer row may sum in another order: equal within rounding.
                    assertEquals(all.get(i).score(label), one.score(label), 1e-6, "text " + i);
                }
            }
        }
    }

    @Test
    void manyThreadsWithMixedLengthsGetTheirOwnResults() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(model, "fixture.onnx", options(16))) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 100 + t;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        List<String> texts = mixedTexts(seed * 1000 + round, 1 + round * 3, 5 + round * 10);
                        assertOwnResults(texts, a.analyzeAll(texts));
                        assertOwnResults(texts.subList(0, 1), List.of(a.analyze(texts.get(0))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * analyzeAll runs its groups on several threads when it may (the default on a machine of several cores): each
     * text gets exactly the result one thread gives, for the bag fixture and the transformer fixture.
     */
    @Test
    void batchesSideBySideGiveTheResultsOfOneThread() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1,
                "one core: analyzeAll has no other thread to run batches on");
        TransformerModels.Weights w = TransformerModels.Weights.random(3L, TransformerModels.VOCABULARY.size() + 1,
                TransformerModels.Pooling.MEAN);
        byte[] transformer = TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK);
        for (byte[] bytes : List.of(model, transformer)) {
            List<String> texts = mixedTexts(5, 600, 40);
            AnalyzerOptions one = AnalyzerOptions.builder().optDevice(Device.CPU).optParallelism(1).build();
            AnalyzerOptions many = AnalyzerOptions.builder().optDevice(Device.CPU).build();
            try (SentimentAnalyzer serial = SentimentAnalyzer.fromBytes(bytes, "fixture.onnx", one);
                    SentimentAnalyzer parallel = SentimentAnalyzer.fromBytes(bytes, "fixture.onnx", many)) {
                OnnxSentimentAnalyzer p = (OnnxSentimentAnalyzer) parallel;
                assertEquals(Runtime.getRuntime().availableProcessors(), p.parallelism(), "every core by default");
                assertSameScores(serial.analyzeAll(texts), parallel, texts, 5);
                assertEquals(0, ((OnnxSentimentAnalyzer) serial).groupsRunByHelpers(), "parallelism 1");
                assertTrue(p.groupsRunByHelpers() > 0, "no batch ran on a helper thread");
            }
        }
    }

    /**
     * Texts that all reach the model's limit make one length group; analyzeAll still runs it on more than one thread
     * (halves of it, each padded as the whole), with exactly the results of one thread.
     */
    @Test
    void oneLengthGroupStillRunsOnSeveralThreads() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1,
                "one core: analyzeAll has no other thread to run batches on");
        TransformerModels.Weights w = TransformerModels.Weights.random(5L, TransformerModels.VOCABULARY.size() + 1,
                TransformerModels.Pooling.MEAN);
        byte[] transformer = TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK);
        Random r = new Random(11);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 3 * TransformerModels.MAX_TOKENS; k++) {
                sb.append(WORDS.get(r.nextInt(WORDS.size()))).append(' ');
            }
            texts.add(sb.toString());
        }
        AnalyzerOptions one = AnalyzerOptions.builder().optDevice(Device.CPU).optParallelism(1).build();
        // Unbounded runs: the 64 texts make one length group of one run (TRANSFORMER_MAX_RUN_IDS would cut it first).
        AnalyzerOptions two = AnalyzerOptions.builder().optDevice(Device.CPU).optParallelism(2)
                .optMaxBatchTokens(1 << 20).build();
        try (SentimentAnalyzer serial = SentimentAnalyzer.fromBytes(transformer, "fixture.onnx", one);
                SentimentAnalyzer parallel = SentimentAnalyzer.fromBytes(transformer, "fixture.onnx", two)) {
            List<Sentiment> expected = serial.analyzeAll(texts);
            for (Sentiment s : expected) {
                assertTrue(s.coverage().cut(), "every text must reach the limit, so that all make one length group");
            }
            // A helper takes the second half unless the caller finishes the first before the helper starts: over 20
            // calls it cannot always be so.
            assertSameScores(expected, parallel, texts, 20);
            assertTrue(((OnnxSentimentAnalyzer) parallel).groupsRunByHelpers() > 0,
                    "the one length group ran on the caller's thread alone");
        }
    }

    /**
     * No run of several texts holds more than {@code maxBatchTokens} ids, padding included, and the texts get the
     * results of unbounded runs; a transformer on the CPU is bounded by default, a bag model is not.
     */
    @Test
    void runsHoldAtMostMaxBatchTokensIds() throws Exception {
        TransformerModels.Weights w = TransformerModels.Weights.random(9L, TransformerModels.VOCABULARY.size() + 1,
                TransformerModels.Pooling.MEAN);
        byte[] transformer = TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK);
        List<String> texts = mixedTexts(9, 300, 40);
        AnalyzerOptions.Builder serial = AnalyzerOptions.builder().optDevice(Device.CPU).optParallelism(1);
        try (OnnxSentimentAnalyzer unbounded = (OnnxSentimentAnalyzer) SentimentAnalyzer.fromBytes(transformer,
                        "fixture.onnx", serial.optMaxBatchTokens(1 << 20).build());
                OnnxSentimentAnalyzer bounded = (OnnxSentimentAnalyzer) SentimentAnalyzer.fromBytes(transformer,
                        "fixture.onnx", serial.optMaxBatchTokens(40).build());
                OnnxSentimentAnalyzer byDefault = (OnnxSentimentAnalyzer) SentimentAnalyzer.fromBytes(transformer,
                        "fixture.onnx", AnalyzerOptions.builder().optDevice(Device.CPU).build());
                OnnxSentimentAnalyzer bagModel = (OnnxSentimentAnalyzer) SentimentAnalyzer.fromBytes(model,
                        "fixture.onnx", AnalyzerOptions.builder().optDevice(Device.CPU).build())) {
            List<Sentiment> expected = unbounded.analyzeAll(texts);
            assertTrue(unbounded.largestRunOfRows() > 40, "the texts must make runs of more than 40 ids unbounded, "
                    + "or the bound is not tested: " + unbounded.largestRunOfRows());
            // Other batch mates and padding: equal within the model's batch invariance.
            assertSameScores(expected, bounded.analyzeAll(texts), bounded.labels(), 1e-6);
            assertTrue(bounded.largestRunOfRows() > 0 && bounded.largestRunOfRows() <= 40,
                    "a run held " + bounded.largestRunOfRows() + " ids");
            assertEquals(OnnxSentimentAnalyzer.TRANSFORMER_MAX_RUN_IDS, byDefault.maxRunIds());
            byDefault.analyzeAll(java.util.Collections.nCopies(8, String.join(" ", java.util.Collections.nCopies(
                    4 * TransformerModels.MAX_TOKENS, "good"))));
            byDefault.analyzeAll(texts);
            assertTrue(byDefault.largestRunOfRows() <= OnnxSentimentAnalyzer.TRANSFORMER_MAX_RUN_IDS,
                    "a run held " + byDefault.largestRunOfRows() + " ids");
            assertEquals(Long.MAX_VALUE, bagModel.maxRunIds(), "a bag model's runs are cut by length alone");
        }
    }

    /** {@code rounds} calls of {@code analyzer.analyzeAll(texts)} each give exactly the scores {@code expected}. */
    private static void assertSameScores(List<Sentiment> expected, SentimentAnalyzer analyzer, List<String> texts,
            int rounds) {
        for (int round = 0; round < rounds; round++) {
            assertSameScores(expected, analyzer.analyzeAll(texts), analyzer.labels(), 0.0);
        }
    }

    /** Each text's scores in {@code actual} are those of {@code expected}, within {@code tolerance}. */
    private static void assertSameScores(List<Sentiment> expected, List<Sentiment> actual, List<String> labels,
            double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (String label : labels) {
                assertEquals(expected.get(i).score(label), actual.get(i).score(label), tolerance,
                        "text " + i + ", " + label);
            }
        }
    }

    @Test
    void poolReusesBuffersAndKeepsTheLargest() {
        DirectBufferPool pool = new DirectBufferPool(1);
        ByteBuffer small = pool.take(100);
        assertTrue(small.isDirect());
        assertEquals(ByteOrder.nativeOrder(), small.order());
        assertEquals(DirectBufferPool.MIN_BYTES, small.capacity());
        pool.give(small);
        assertSame(small, pool.take(DirectBufferPool.MIN_BYTES), "a free buffer that is large enough is reused");

        ByteBuffer big = pool.take(DirectBufferPool.MIN_BYTES + 1);
        assertEquals(2 * DirectBufferPool.MIN_BYTES, big.capacity(), "sizes round up to a power of two");
        pool.give(small);
        pool.give(big);
        assertSame(big, pool.take(10), "with one slot, the larger buffer replaces the smaller");

        ByteBuffer huge = pool.take(DirectBufferPool.MAX_POOLED_BYTES + 8);
        assertEquals(DirectBufferPool.MAX_POOLED_BYTES + 8, huge.capacity());
        pool.give(huge);
        assertNotSame(huge, pool.take(DirectBufferPool.MAX_POOLED_BYTES + 8), "huge buffers are not kept");
    }
}
