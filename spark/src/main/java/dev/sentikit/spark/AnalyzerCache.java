package dev.sentikit.spark;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyzers of this JVM, one per model and device: every task of an executor, on every one of its task
 * threads, shares them (an analyzer is thread-safe, and each call runs on its caller's thread).
 *
 * <p>An analyzer is loaded on first use, by the first task that needs it, while the others that need the same one
 * wait; a load that fails is not remembered, so a retried task tries again. Analyzers stay open for the life of
 * the JVM (executors are reused across jobs) and are closed by a shutdown hook.
 */
final class AnalyzerCache {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerCache.class);

    private static final ConcurrentHashMap<String, Entry> ENTRIES = new ConcurrentHashMap<>();
    /** Analyzers loaded by this JVM since it started: what the tests check is one per model and device. */
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static final AtomicBoolean HOOK_ADDED = new AtomicBoolean();

    private AnalyzerCache() {}

    /**
     * Returns this JVM's analyzer for {@code source} on {@code device}, loading it the first time.
     *
     * @param device a device in its text form ({@link Device#parse})
     * @throws IllegalStateException if the model cannot be loaded, with the loader's message and cause
     */
    static SentimentAnalyzer get(ModelSource source, String device) {
        String key = source.key() + " on " + device;
        while (true) {
            SentimentAnalyzer analyzer = ENTRIES.computeIfAbsent(key, k -> new Entry()).get(source, device);
            if (analyzer != null) {
                return analyzer;
            }
            // The entry was closed by closeAll() after this thread found it; the next one is fresh.
        }
    }

    /** How many analyzers this JVM has loaded. */
    static int loads() {
        return LOADS.get();
    }

    /** Closes and forgets every analyzer; the next {@link #get} loads again. For the shutdown hook and tests. */
    static void closeAll() {
        for (String key : ENTRIES.keySet()) {
            Entry entry = ENTRIES.remove(key);
            if (entry != null) {
                entry.close();
            }
        }
    }

    /** One model on one device: loaded once, by the first caller, while the others wait. */
    private static final class Entry {
        private volatile SentimentAnalyzer analyzer;
        /** Set by {@link #close()}; a closed entry loads nothing more (guarded by this). */
        private boolean closed;

        /** The analyzer, loaded on the first call; null once the entry is closed. */
        SentimentAnalyzer get(ModelSource source, String device) {
            SentimentAnalyzer a = analyzer;
            if (a != null) {
                return a;
            }
            synchronized (this) {
                if (closed) {
                    return null;
                }
                if (analyzer == null) {
                    analyzer = load(source, device);
                }
                return analyzer;
            }
        }

        synchronized void close() {
            closed = true;
            if (analyzer != null) {
                analyzer.close();
                analyzer = null;
            }
        }
    }

    private static SentimentAnalyzer load(ModelSource source, String device) {
        long start = System.nanoTime();
        SentimentAnalyzer analyzer;
        try {
            analyzer = source.open(AnalyzerOptions.builder().optDevice(device).build());
        } catch (ModelLoadException e) {
            throw new IllegalStateException("cannot load the sentiment model, " + source.describe() + ", on "
                    + where() + ": " + e.getMessage(), e);
        }
        LOADS.incrementAndGet();
        if (HOOK_ADDED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(AnalyzerCache::closeAll, "sentikit-close-analyzers"));
        }
        LOG.info("Loaded the sentiment model, {}, on {} for all its tasks, in {} ms", source.describe(), where(),
                (System.nanoTime() - start) / 1_000_000);
        return analyzer;
    }

    /** This JVM as Spark names it: "executor 3", or "the driver" (local mode). */
    private static String where() {
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return "this JVM";
        }
        String id = env.executorId();
        return "driver".equals(id) ? "the driver (local mode)" : "executor " + id;
    }
}
