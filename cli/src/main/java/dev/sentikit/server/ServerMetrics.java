package dev.sentikit.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code GET /metrics} answers, in Prometheus' text format (version 0.0.4): requests and texts by endpoint and
 * status, a latency histogram by endpoint, the queue's depth, batch sizes, texts per second, and the model's name and
 * version. Counting is lock-free ({@link LongAdder}); a scrape reads the counters as they are, which Prometheus
 * allows.
 */
final class ServerMetrics implements MicroBatcher.Listener {

    /** The Content-Type of the text format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Latency buckets, in seconds: from a probe (a few ms) to a full deadline. */
    private static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Batch-size buckets, in texts: powers of two up to a large --max-batch. */
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    /** Texts per second is averaged over this many seconds. */
    static final int RATE_SECONDS = 10;

    /** A Prometheus histogram: counts per bucket (not cumulative until written), sum and count. */
    static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            sum.add(value);
            count.increment();
        }

        void write(StringBuilder out, String name, String labels) {
            long cumulative = 0;
            String sep = labels.isEmpty() ? "" : labels + ",";
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(name).append("_bucket{").append(sep).append("le=\"").append(number(bounds[i]))
                        .append("\"} ").append(cumulative).append('\n');
            }
            long n = count.sum();
            out.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(n).append('\n');
            String braces = labels.isEmpty() ? "" : "{" + labels + "}";
            out.append(name).append("_sum").append(braces).append(' ').append(number(sum.sum())).append('\n');
            out.append(name).append("_count").append(braces).append(' ').append(n).append('\n');
        }
    }

    /** Texts analyzed in each of the last {@link #RATE_SECONDS} seconds, a ring indexed by the second. */
    private final AtomicLongArray ring = new AtomicLongArray(RATE_SECONDS);
    private final AtomicLongArray ringSecond = new AtomicLongArray(RATE_SECONDS);
    private final long origin = System.nanoTime();

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> texts = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Histogram batchTexts = new Histogram(BATCH_BUCKETS);
    private final LongAdder analyzedTexts = new LongAdder();
    private final LongAdder analyzedTokens = new LongAdder();
    private final DoubleAdder modelSeconds = new DoubleAdder();
    private final String modelInfo;
    private volatile MicroBatcher queue;

    /**
     * @param model the model's name
     * @param version the model's version: when it was trained, from its card's provenance
     * @param architecture the model's architecture
     * @param sentikit the version of Sentikit serving it
     */
    ServerMetrics(String model, String version, String architecture, String sentikit) {
        this.modelInfo = "sentiment_model_info{model=\"" + escape(model) + "\",version=\"" + escape(version)
                + "\",architecture=\"" + escape(architecture) + "\",sentikit=\"" + escape(sentikit) + "\"} 1\n";
    }

    /** The queue whose depth the metrics report. */
    void watch(MicroBatcher batcher) {
        this.queue = batcher;
    }

    /** A request was answered: its endpoint, status, texts (0 when it held none or could not be read) and latency. */
    void request(String endpoint, int status, int textCount, long nanos) {
        String key = "endpoint=\"" + escape(endpoint) + "\",code=\"" + status + "\"";
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (textCount > 0) {
            texts.computeIfAbsent(key, k -> new LongAdder()).add(textCount);
        }
        latency.computeIfAbsent("endpoint=\"" + escape(endpoint) + "\"", k -> new Histogram(LATENCY_BUCKETS))
                .observe(nanos / 1e9);
    }

    @Override
    public void batch(int textCount, long tokens, long nanos) {
        batchTexts.observe(textCount);
        analyzedTexts.add(textCount);
        analyzedTokens.add(tokens);
        modelSeconds.add(nanos / 1e9);
        long second = (System.nanoTime() - origin) / 1_000_000_000L;
        int slot = (int) (second % RATE_SECONDS);
        if (ringSecond.getAndSet(slot, second) != second) {
            ring.set(slot, 0); // a new second reuses the slot of one RATE_SECONDS ago
        }
        ring.addAndGet(slot, textCount);
    }

    /** Texts analyzed per second over the last {@link #RATE_SECONDS} whole seconds. */
    double textsPerSecond() {
        long now = (System.nanoTime() - origin) / 1_000_000_000L;
        long sum = 0;
        for (int i = 0; i < RATE_SECONDS; i++) {
            long second = ringSecond.get(i);
            if (second < now && second >= now - RATE_SECONDS) {
                sum += ring.get(i);
            }
        }
        return sum / (double) RATE_SECONDS;
    }

    /** Everything, in Prometheus' text format. */
    String render(boolean ready) {
        StringBuilder out = new StringBuilder(4096);
        header(out, "sentiment_model_info", "gauge", "The model served: its name, its version (when it was trained), "
                + "its architecture, and the Sentikit version.");
        out.append(modelInfo);
        header(out, "sentiment_ready", "gauge", "1 when the model is loaded and the queue has room (GET /ready).");
        out.append("sentiment_ready ").append(ready ? 1 : 0).append('\n');
        counters(out, "sentiment_requests_total", "Requests answered, by endpoint and status code.", requests);
        counters(out, "sentiment_texts_total", "Texts in the requests answered, by endpoint and status code.", texts);
        header(out, "sentiment_request_duration_seconds", "histogram", "Time from reading a request's headers to "
                + "answering it, by endpoint.");
        for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
            e.getValue().write(out, "sentiment_request_duration_seconds", e.getKey());
        }
        MicroBatcher q = queue;
        gauge(out, "sentiment_queue_requests", "Requests waiting for the model.", q == null ? 0 : q.waitingRequests());
        gauge(out, "sentiment_queue_texts", "Texts waiting for the model.", q == null ? 0 : q.waitingTexts());
        gauge(out, "sentiment_queue_tokens", "Estimated tokens of the texts waiting for the model.",
                q == null ? 0 : q.waitingTokens());
        gauge(out, "sentiment_queue_capacity_tokens", "The most estimated tokens the queue admits (--max-queue-tokens).",
                q == null ? 0 : q.capacityTokens());
        header(out, "sentiment_batch_texts", "histogram", "Texts per call of the model (analyzeAll): the micro-batches.");
        batchTexts.write(out, "sentiment_batch_texts", "");
        header(out, "sentiment_analyzed_texts_total", "counter", "Texts the model has analyzed.");
        out.append("sentiment_analyzed_texts_total ").append(analyzedTexts.sum()).append('\n');
        header(out, "sentiment_analyzed_tokens_total", "counter", "Estimated tokens the model has read.");
        out.append("sentiment_analyzed_tokens_total ").append(analyzedTokens.sum()).append('\n');
        header(out, "sentiment_model_seconds_total", "counter", "Seconds spent in the model.");
        out.append("sentiment_model_seconds_total ").append(number(modelSeconds.sum())).append('\n');
        gauge(out, "sentiment_texts_per_second", "Texts analyzed per second, over the last " + RATE_SECONDS
                + " seconds.", textsPerSecond());
        gauge(out, "sentiment_model_tokens_per_second", "The model's pace as the queue estimates it, in estimated "
                + "tokens per second of model time (0 until a full batch ran).", q == null ? 0 : q.tokensPerSecond());
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void counters(StringBuilder out, String name, String help, Map<String, LongAdder> values) {
        header(out, name, "counter", help);
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(values).entrySet()) {
            out.append(name).append('{').append(e.getKey()).append("} ").append(e.getValue().sum()).append('\n');
        }
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v); // Prometheus reads Java's forms, 1.0E-4 included
    }

    /** A label value as the text format wants it: backslash, double quote and line feed escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
