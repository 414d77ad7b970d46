package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.spi.AnalyzerProvider;
import dev.sentikit.spi.Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inference, batching, threads and closing, on a bag model built by {@link ModelGenerators}. */
class OnnxSentimentAnalyzerTest {

    private static final long SEED = 20240611L;
    private static final double TOLERANCE = 1e-5;

    /** Known words, bigrams, unknown words (hash buckets), punctuation, emoji, empty and blank texts. */
    static final List<String> TEXTS = List.of(
            "good movie",
            "not good",
            "Terrible, boring movie!",
            "",
            "   ",
            "great great great",
            "an utterly unknown sentence about nothing",
            "Ünïcödé text ☺ with an emoji 🎉 and café",
            "bad",
            "The movie was not good, not great, but not terrible either.");

    private static ModelGenerators.Bag bag;
    private static byte[] model;
    private static SentimentAnalyzer shared;

    @BeforeAll
    static void buildModel() throws Exception {
        bag = ModelGenerators.Bag.random(SEED, ModelGenerators.ROWS, ModelGenerators.DIM, 3);
        model = ModelGenerators.bagModel(bag, ModelGenerators.props(ModelGenerators.LABELS_3));
        shared = SentimentAnalyzer.fromBytes(model, "fixture.onnx", cpu());
    }

    @AfterAll
    static void closeShared() {
        if (shared != null) {
            shared.close();
        }
    }

    /** Options on the CPU, so that the tests do the same on every machine. */
    static AnalyzerOptions cpu() {
        return AnalyzerOptions.builder().optDevice(Device.CPU).build();
    }

    static AnalyzerOptions cpu(int maxBatchSize) {
        return AnalyzerOptions.builder().optDevice(Device.CPU).optMaxBatchSize(maxBatchSize).build();
    }

    private static void assertMatchesReference(String text, Sentiment actual) {
        double[] expected = bag.probabilities(ModelGenerators.encoder().encode(text));
        List<String> labels = ModelGenerators.LABELS_3;
        assertEquals(labels, new ArrayList<>(actual.scores().keySet()), "labels in model order");
        int best = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.score(labels.get(i)), TOLERANCE,
                    "probability of " + labels.get(i) + " for \"" + text + "\"");
            if (expected[i] > expected[best]) {
                best = i;
            }
        }
        assertEquals(labels.get(best), actual.label(), "label of \"" + text + "\"");
        assertEquals(expected[best], actual.score(), TOLERANCE);
    }

    @Test
    void probabilitiesMatchPlainJavaMath() {
        for (String text : TEXTS) {
            assertMatchesReference(text, shared.analyze(text));
        }
    }

    @Test
    void emptyTextGivesSoftmaxOfBias() {
        Sentiment s = shared.analyze("");
        double[] expected = bag.probabilities(new int[0]);
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], s.score(ModelGenerators.LABELS_3.get(i)), TOLERANCE);
            sum += s.score(ModelGenerators.LABELS_3.get(i));
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void analyzeAllMatchesReferenceInOrder() {
        List<Sentiment> all = shared.analyzeAll(TEXTS);
        assertEquals(TEXTS.size(), all.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertMatchesReference(TEXTS.get(i), all.get(i));
        }
    }

    @Test
    void serviceLoaderFindsTheProvider() throws Exception {
        AnalyzerProvider provider = Providers.find();
        assertInstanceOf(OnnxAnalyzerProvider.class, provider);
        assertEquals("onnxruntime", provider.name());
        try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(model, "bytes", cpu())) {
            assertInstanceOf(OnnxSentimentAnalyzer.class, a);
            assertMatchesReference("good movie", a.analyze("good movie"));
        }
    }

    @Test
    void loadsFromPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, model);
        try (SentimentAnalyzer a = SentimentAnalyzer.load(file, cpu())) {
            assertMatchesReference("not good", a.analyze("not good"));
            assertTrue(a.toString().contains(file.toString()), a.toString());
        }
    }

    @Test
    void labelsAndCard() {
        assertEquals(ModelGenerators.LABELS_3, shared.labels());
        assertEquals(ModelGenerators.card(ModelGenerators.LABELS_3), shared.card());
        assertEquals("fixture", shared.card().name());
        assertEquals(ModelGenerators.ROWS, shared.card().embeddingRows());
    }

    @Test
    void batchesLargerThanMaxBatchSizeAreSplitAndKeepOrder() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            texts.add(TEXTS.get(i % TEXTS.size()) + (i % 3 == 0 ? "" : " good".repeat(i % 4)));
        }
        try (SentimentAnalyzer small = SentimentAnalyzer.fromBytes(model, "fixture", cpu(4))) {
            List<Sentiment> split = small.analyzeAll(texts);
            assertEquals(texts.size(), split.size());
            for (int i = 0; i < texts.size(); i++) {
                assertMatchesReference(texts.get(i), split.get(i));
                Sentiment one = shared.analyze(texts.get(i));
                assertEquals(one.label(), split.get(i).label(), "text " + i);
                assertEquals(one.score(), split.get(i).score(), 1e-6, "text " + i);
            }
        }
        try (SentimentAnalyzer single = SentimentAnalyzer.fromBytes(model, "fixture", cpu(1))) {
            List<Sentiment> split = single.analyzeAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertMatchesReference(texts.get(i), split.get(i));
            }
        }
    }

    @Test
    void emptyListGivesEmptyList() {
        assertEquals(List.of(), shared.analyzeAll(List.of()));
    }

    @Test
    void resultsAreUnmodifiable() {
        List<Sentiment> all = shared.analyzeAll(List.of("good"));
        assertThrows(UnsupportedOperationException.class, () -> all.add(all.get(0)));
    }

    @Test
    void nullsAreRejectedWithAMessage() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> shared.analyze(null));
        assertTrue(e.getMessage().contains("text"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> shared.analyzeAll(null));
        assertTrue(e.getMessage().contains("texts"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> shared.analyzeAll(Arrays.asList("good", null)));
        assertTrue(e.getMessage().contains("texts[1]"), e.getMessage());
    }

    @Test
    void eightThreadsGiveTheSingleThreadResults() throws Exception {
        List<Sentiment> expected = new ArrayList<>();
        for (String t : TEXTS) {
            expected.add(shared.analyze(t));
        }
        List<Sentiment> expectedBatch = shared.analyzeAll(TEXTS);
        int threads = 8;
        int rounds = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int offset = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int r = 0; r < rounds; r++) {
                        int i = (r + offset) % TEXTS.size();
                        assertEquals(expected.get(i), shared.analyze(TEXTS.get(i)), "text " + i);
                        checked++;
                        if (r % 10 == offset % 10) {
                            assertEquals(expectedBatch, shared.analyzeAll(TEXTS));
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(2, TimeUnit.MINUTES);
            }
            assertTrue(total >= threads * rounds);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeTwiceAndUseAfterClose() throws Exception {
        SentimentAnalyzer a = SentimentAnalyzer.fromBytes(model, "fixture", cpu());
        a.analyze("good");
        a.close();
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.analyze("good"));
        assertEquals("this SentimentAnalyzer is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> a.analyzeAll(List.of("good")));
        assertThrows(IllegalStateException.class, () -> a.analyzeAll(List.of()));
        assertTrue(((OnnxSentimentAnalyzer) a).isClosed());
        assertEquals(ModelGenerators.LABELS_3, a.labels(), "labels need no native memory");
    }

    @Test
    void closeWhileCallsAreInFlight() throws Exception {
        SentimentAnalyzer a = SentimentAnalyzer.fromBytes(model, "fixture", cpu());
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger done = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(threads);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Void> task = () -> {
                    running.countDown();
                    while (true) {
                        try {
                            List<Sentiment> r = a.analyzeAll(TEXTS);
                            assertEquals(TEXTS.size(), r.size());
                            done.incrementAndGet();
                        } catch (IllegalStateException closed) {
                            assertEquals("this SentimentAnalyzer is closed", closed.getMessage());
                            return null;
                        }
                    }
                };
                futures.add(pool.submit(task));
            }
            running.await();
            Thread.sleep(50);
            a.close();
            for (Future<Void> f : futures) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertTrue(done.get() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code optIntraOpThreads(n)} reaches ONNX Runtime: a session of n intra-op threads starts n - 1 pool threads
     * (the caller's thread is the n-th), and the default starts none ({@link
     * OnnxSentimentAnalyzer#DEFAULT_INTRA_OP_THREADS} is 1). The results do not depend on it.
     */
    @Test
    void intraOpThreadsOptionSizesTheSessionsThreadPool() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")),
                "threads are counted in /proc/self/task, which only Linux has");
        assertEquals(0, poolThreadsStarted(AnalyzerOptions.builder().optDevice(Device.CPU).build()),
                "the default is one intra-op thread: the caller's");
        assertEquals(0, poolThreadsStarted(AnalyzerOptions.builder().optDevice(Device.CPU).optIntraOpThreads(1)
                .build()));
        assertEquals(2, poolThreadsStarted(AnalyzerOptions.builder().optDevice(Device.CPU).optIntraOpThreads(3)
                .build()));
    }

    /**
     * How many native threads loading the fixture with {@code options} starts, counted while it is open, and checks
     * its results. The load runs on a thread of its own name; Linux gives a new thread its creator's name
     * ({@code /proc/self/task/TID/comm}), and ONNX Runtime's pool threads keep it, so they are told apart from the
     * JVM's own threads by name.
     */
    private static int poolThreadsStarted(AnalyzerOptions options) throws Exception {
        String name = "sk-intra-" + THREAD_NAMES.incrementAndGet(); // at most 15 bytes: Linux cuts names there
        int[] count = new int[1];
        Throwable[] failure = new Throwable[1];
        Thread loader = new Thread(() -> {
            try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(model, "fixture", options)) {
                for (String text : TEXTS) {
                    assertMatchesReference(text, a.analyze(text));
                }
                count[0] = threadsNamed(name) - 1; // all but the loader itself
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, name);
        loader.start();
        loader.join(TimeUnit.MINUTES.toMillis(1));
        if (failure[0] != null) {
            throw new AssertionError("loading with " + options + " failed", failure[0]);
        }
        assertTrue(!loader.isAlive(), "the load did not finish in a minute");
        // Closing the session joins its pool threads; the loader's own native thread ends just after join returns.
        for (int i = 0; i < 100 && threadsNamed(name) > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, threadsNamed(name), "closing the session ends its pool threads");
        return count[0];
    }

    private static final AtomicInteger THREAD_NAMES = new AtomicInteger();

    /** The threads of this process whose Linux name is {@code name}. */
    private static int threadsNamed(String name) throws java.io.IOException {
        int n = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                        n++;
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a thread that ended while we looked
                }
            }
        }
        return n;
    }

    @Test
    void twoLabelModel() throws Exception {
        byte[] two = ModelGenerators.bagModel(7L, ModelGenerators.LABELS_2);
        try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(two, "two", cpu())) {
            assertEquals(ModelGenerators.LABELS_2, a.labels());
            Sentiment s = a.analyze("good");
            assertEquals(1.0, s.score("negative") + s.score("positive"), 1e-5);
        }
    }

    @Test
    void sharedAnalyzerRunsOnTheCpu() {
        assertSame(Device.CPU, ((OnnxSentimentAnalyzer) shared).executionDevice());
        assertEquals("CPUExecutionProvider", ((OnnxSentimentAnalyzer) shared).executionProvider());
    }
}
