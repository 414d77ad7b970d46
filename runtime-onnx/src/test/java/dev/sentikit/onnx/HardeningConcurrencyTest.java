package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, concurrency: 8 threads analyzing at once get exactly the results of one thread, and {@code close()}
 * while calls are in flight lets each call finish or fail with {@link IllegalStateException}, and frees the native
 * session exactly once however many threads close it.
 */
class HardeningConcurrencyTest {

    private static final int THREADS = 8;
    private static final String CLOSED = "this SentimentAnalyzer is closed";

    private static byte[] model;
    private static List<String> texts;
    private static List<List<String>> chunks;
    private static SentimentAnalyzer shared;

    @BeforeAll
    static void setUp() throws Exception {
        model = ModelGenerators.bagModel(808L, ModelGenerators.LABELS_3);
        shared = SentimentAnalyzer.fromBytes(model, "concurrency.onnx", options(32));
        String[] words = {"good", "bad", "great", "terrible", "not", "movie", "boring", "plot", "\u597D",
            "\uD83D\uDE00", "", "!!!", "unknown", "words"};
        Random random = new Random(8);
        texts = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(i % 40 == 0 ? 1 : 60);
            for (int w = 0; w < n; w++) {
                sb.append(words[random.nextInt(words.length)]).append(' ');
            }
            texts.add(sb.toString());
        }
        chunks = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += 37) {
            chunks.add(texts.subList(from, Math.min(texts.size(), from + 37)));
        }
    }

    @AfterAll
    static void tearDown() {
        if (shared != null) {
            shared.close();
        }
    }

    /** CPU, and batches of {@code maxBatchSize}, so that a list of 37 texts runs as two batches. */
    private static AnalyzerOptions options(int maxBatchSize) {
        return AnalyzerOptions.builder().optDevice(Device.CPU).optMaxBatchSize(maxBatchSize).build();
    }

    @Test
    void eightThreadsGetExactlyTheResultsOfOneThread() throws Exception {
        // One thread: each text alone, and each chunk as a batch.
        List<Sentiment> single = new ArrayList<>();
        for (String t : texts) {
            single.add(shared.analyze(t));
        }
        List<List<Sentiment>> batched = new ArrayList<>();
        for (List<String> chunk : chunks) {
            batched.add(shared.analyzeAll(chunk));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final long seed = t;
                futures.add(pool.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < texts.size(); i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, new Random(seed));
                    start.await();
                    int calls = 0;
                    for (int round = 0; round < 3; round++) {
                        for (int i : order) {
                            // Bitwise equal: the same inputs in the same batch give the same floats.
                            assertEquals(single.get(i), shared.analyze(texts.get(i)), "text " + i);
                            calls++;
                            if (i % 20 == seed) {
                                int c = i % chunks.size();
                                assertEquals(batched.get(c), shared.analyzeAll(chunks.get(c)), "chunk " + c);
                                calls++;
                            }
                        }
                    }
                    return calls;
                }));
            }
            int calls = 0;
            for (Future<Integer> f : futures) {
                calls += f.get(5, TimeUnit.MINUTES);
            }
            assertTrue(calls >= THREADS * 3 * texts.size(), "calls: " + calls);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWhileCallsAreInFlightLetsThemFinishOrFailAndFreesNativeMemoryOnce() throws Exception {
        List<Sentiment> single = new ArrayList<>();
        for (String t : texts) {
            single.add(shared.analyze(t));
        }
        List<List<Sentiment>> batched = new ArrayList<>();
        for (List<String> chunk : chunks) {
            batched.add(shared.analyzeAll(chunk));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 4);
        try {
            for (int trial = 0; trial < 10; trial++) {
                OnnxSentimentAnalyzer a = (OnnxSentimentAnalyzer) SentimentAnalyzer.fromBytes(model, "trial-" + trial,
                        options(32));
                AtomicInteger finished = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                CountDownLatch running = new CountDownLatch(THREADS);
                CountDownLatch closeNow = new CountDownLatch(1);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    final int offset = t;
                    workers.add(pool.submit(() -> {
                        running.countDown();
                        for (int k = offset; ; k++) {
                            int i = k % texts.size();
                            try {
                                if (k % 5 == 0) {
                                    int c = k % chunks.size();
                                    assertEquals(batched.get(c), a.analyzeAll(chunks.get(c)));
                                } else {
                                    assertEquals(single.get(i), a.analyze(texts.get(i)));
                                }
                                finished.incrementAndGet();
                            } catch (IllegalStateException e) {
                                assertEquals(CLOSED, e.getMessage());
                                refused.incrementAndGet();
                                return null;
                            }
                        }
                    }));
                }
                // Four threads close at once while the eight are calling.
                List<Future<?>> closers = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    closers.add(pool.submit(() -> {
                        closeNow.await();
                        a.close();
                        return null;
                    }));
                }
                running.await();
                Thread.sleep(20 + 5 * trial);
                closeNow.countDown();
                for (Future<?> f : closers) {
                    f.get(1, TimeUnit.MINUTES);
                }
                for (Future<?> f : workers) {
                    f.get(1, TimeUnit.MINUTES); // a worker's assertion error surfaces here
                }
                assertTrue(a.isClosed());
                assertEquals(1, a.nativeReleases(), "the session is freed once, by one of the four close() calls");
                assertEquals(THREADS, refused.get(), "every worker ends with IllegalStateException");
                assertTrue(finished.get() > 0, "calls finished before the close");
                a.close();
                assertEquals(1, a.nativeReleases(), "a later close() does nothing");
                assertEquals(CLOSED, assertThrows(IllegalStateException.class, () -> a.analyze("good")).getMessage());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLongBatchInFlightWhenCloseIsCalledFinishesOrFailsWithIllegalStateException() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(texts.get(i % texts.size()));
        }
        OnnxSentimentAnalyzer a = (OnnxSentimentAnalyzer) SentimentAnalyzer.fromBytes(model, "long", options(64));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1);
            Future<List<Sentiment>> call = pool.submit(() -> {
                started.countDown();
                return a.analyzeAll(many);
            });
            started.await();
            Thread.sleep(5);
            a.close();
            assertEquals(1, a.nativeReleases());
            try {
                List<Sentiment> result = call.get(2, TimeUnit.MINUTES);
                // It finished: every result is there and right.
                assertEquals(many.size(), result.size());
                for (int i = 0; i < many.size(); i += 101) {
                    HardeningTextInputTest.assertSameScores(shared.analyze(many.get(i)), result.get(i), "text " + i);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof IllegalStateException, "fails only as closed: " + e.getCause());
                assertEquals(CLOSED, e.getCause().getMessage());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
