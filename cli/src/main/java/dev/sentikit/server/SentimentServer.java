package dev.sentikit.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sentikit.Sentiment;
import dev.sentikit.SentikitVersion;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelCard;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A REST service around one shared {@link SentimentAnalyzer}, on the JDK's own HTTP server, that keeps answering
 * under load:
 *
 * <ul>
 *   <li>{@code POST /v1/analyze} with {@code {"text":"…"}} answers one result
 *       {@code {"text":…,"label":…,"score":…,"scores":{…},"read":{…}}} ({@link ResultJson}, the CLI's shape); with {@code {"texts":["…",…]}} it
 *       answers {@code {"results":[…]}} in the same order.</li>
 *   <li>{@code POST /v1/explain}, with the same bodies, answers the same results, each with an
 *       {@code "explanation"}: {@code [{"index":…,"token":…,"contribution":…},…]}, what each token adds to the
 *       probability of the label (leave one token out, {@link SentimentAnalyzer#explain(String, String)}), largest
 *       first, {@code index} its position among the text's tokens. It costs a run per token, so it takes at most
 *       {@value #MAX_EXPLAIN_TEXTS} texts.</li>
 *   <li>{@code GET /health} (liveness) answers {@code {"status":"ok","model":…,"labels":[…]}}, and
 *       {@code GET /ready} (readiness) 200 {@code {"status":"ready",…}} while the queue has room, 503
 *       {@code {"status":"busy"|"stopping",…}} with {@code Retry-After} otherwise.</li>
 *   <li>{@code GET /metrics} answers the counters in Prometheus' text format ({@link ServerMetrics}).</li>
 *   <li>{@code GET /} answers a page for people ({@code sentiment-page.html}): paste texts, see each label with
 *       its scores and the text with every token shaded by its contribution. The page is one self-contained file
 *       that calls {@code /health} and {@code /v1/explain}; a Content-Security-Policy keeps it from loading
 *       anything else.</li>
 * </ul>
 *
 * <p>Threads, so that the probes answer whatever the load: the JDK server's dispatcher hands each request to a
 * small <em>http</em> pool, which answers the probes, the metrics and the page itself and passes analyses on to the
 * <em>io</em> pool ({@link Limits#threads()}), which reads and parses their bodies and writes their answers. Neither
 * pool ever waits for the model: an analysis is admitted to the {@link MicroBatcher}, whose one worker joins the
 * texts of concurrent requests into {@code analyzeAll} calls, and its answer is written when its results are ready.
 * Both pools queue without bound, so the dispatcher never runs a request itself; their tasks are short, and what
 * bounds the work is the batcher's admission, by estimated tokens ({@link Limits#maxQueueTokens()}) and by
 * deadline ({@link Limits#deadline()}).
 *
 * <p>Errors are JSON too, {@code {"error":"…"}}: 400 for a body that is not a JSON object, a missing or mistyped
 * field; 413 for a body over {@link Limits#maxBodyBytes()}, more than {@link Limits#maxTexts()} texts, or more work
 * than the queue holds; 404 for other paths; 405 (with {@code Allow}) for other methods; 503 with
 * {@code Retry-After} when the queue is full, the request could not finish before its deadline, or it waited its
 * whole deadline; 504 when the deadline passed while it was being analyzed; 500 when the analyzer fails.
 * {@link #close()} stops admitting and accepting, lets admitted requests finish (up to {@link Limits#graceSeconds()}),
 * then stops the threads. The analyzer is not closed: it belongs to the caller.
 *
 * <pre>{@code
 * try (SentimentAnalyzer analyzer = SentimentAnalyzer.defaultModel();
 *      SentimentServer server = SentimentServer.start(analyzer, "en",
 *              new InetSocketAddress("127.0.0.1", 8080), SentimentServer.Limits.defaultsFor(analyzer))) {
 *     ...
 * }
 * }</pre>
 */
public final class SentimentServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentimentServer.class);

    /** The analysis endpoint. */
    public static final String ANALYZE = "/v1/analyze";
    /** The liveness endpoint. */
    public static final String HEALTH = "/health";
    /** The readiness endpoint. */
    public static final String READY = "/ready";
    /** The metrics endpoint, Prometheus' text format. */
    public static final String METRICS = "/metrics";
    /** The explanation endpoint. */
    public static final String EXPLAIN = "/v1/explain";
    /** The page for people. */
    public static final String PAGE = "/";
    /** Texts of one explanation request at most: each costs a run of the model per token. */
    public static final int MAX_EXPLAIN_TEXTS = 100;
    /** The page may run its own inline script and style, and talk to this server; nothing else. */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";
    private static final byte[] PAGE_HTML = page();
    /** Threads that answer the probes and hand analyses on: they never block for long, so two are plenty. */
    private static final int HTTP_THREADS = 2;
    /** The endpoint label of requests to other paths in the metrics (one label, however many paths are tried). */
    private static final String OTHER = "other";

    /** A body this much over the limit is still read (and dropped) so that the client can read the 413. */
    static final int DRAIN_BYTES = 1 << 20;

    static {
        // The JDK server writes an answer's headers and body in separate segments; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK of the headers, some 40 ms on Linux, for every answer. The
        // server reads this property once, when its first instance starts.
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * What the service accepts, how it batches, and how long a request may take.
     *
     * @param maxBodyBytes the largest request body, in bytes
     * @param maxTexts the most texts in one {@code "texts"} array
     * @param maxBatchTexts the most texts in one call of the model; larger requests are split into slices this size
     * @param maxBatchWait how long the first text of a batch waits for others to join it
     * @param maxQueueTokens the most work, in estimated tokens, waiting for the model; a request that would pass it
     *     is answered 503 with {@code Retry-After}
     * @param deadline how long a request may take, from its headers to its answer; one that cannot make it is
     *     answered 503 (not started) or 504 (started) instead of late
     * @param threads the threads that read request bodies and write answers (never the model's)
     * @param graceSeconds how long {@link #close()} waits for admitted requests
     */
    public record Limits(int maxBodyBytes, int maxTexts, int maxBatchTexts, Duration maxBatchWait, long maxQueueTokens,
            Duration deadline, int threads, int graceSeconds) {

        /** 1 MiB: 1,000 texts of about 1,000 characters, more than a transformer reads of each. */
        public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
        /**
         * Texts per request for a transformer (the default {@code en}): about 5 s of work on 2 cores
         * (docs/benchmarks.md, Serving under load), a sixth of the default deadline.
         */
        public static final int DEFAULT_MAX_TEXTS = 1_000;
        /** Texts per request for the small networks (bag, cnn, bilstm), some 20 to 50 times cheaper per text. */
        public static final int DEFAULT_MAX_TEXTS_SMALL_MODEL = 10_000;
        /** Texts per call of the model: where a transformer's cost per text flattens out on a CPU. */
        public static final int DEFAULT_MAX_BATCH_TEXTS = 32;
        /** A few ms, as Triton's {@code max_queue_delay} and TorchServe's {@code max_batch_delay} are set. */
        public static final Duration DEFAULT_MAX_BATCH_WAIT = Duration.ofMillis(5);
        /** Within the 60 s a proxy or load balancer usually gives an answer. */
        public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
        /** The queue holds this many of the largest requests of the longest texts. */
        public static final int DEFAULT_QUEUE_REQUESTS = 4;
        /** Tokens a text is counted for at most, when the model does not say: what a MiniLM reads. */
        public static final int DEFAULT_TOKEN_CAP = 128;

        public Limits {
            positive("maxBodyBytes", maxBodyBytes);
            positive("maxTexts", maxTexts);
            positive("maxBatchTexts", maxBatchTexts);
            Objects.requireNonNull(maxBatchWait, "maxBatchWait");
            if (maxBatchWait.isNegative()) {
                throw new IllegalArgumentException("maxBatchWait must be >= 0, got " + maxBatchWait);
            }
            if (maxQueueTokens < 1) {
                throw new IllegalArgumentException("maxQueueTokens must be >= 1, got " + maxQueueTokens);
            }
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be > 0, got " + deadline);
            }
            positive("threads", threads);
            if (graceSeconds < 0) {
                throw new IllegalArgumentException("graceSeconds must be >= 0, got " + graceSeconds);
            }
        }

        /**
         * The limits for a transformer such as {@code en}: 1 MiB bodies, 1,000 texts, batches of 32 texts or 5 ms,
         * a queue of 4 × 1,000 × 128 tokens, a 30 s deadline, a thread per core (at least 4) for bodies and answers,
         * 5 s of grace.
         */
        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_TEXTS, DEFAULT_MAX_BATCH_TEXTS,
                    DEFAULT_MAX_BATCH_WAIT, (long) DEFAULT_QUEUE_REQUESTS * DEFAULT_MAX_TEXTS * DEFAULT_TOKEN_CAP,
                    DEFAULT_DEADLINE, Math.max(4, Runtime.getRuntime().availableProcessors()), 5);
        }

        /**
         * The limits that fit a model's cost: {@link #defaults()} for a transformer; for the small networks,
         * {@value #DEFAULT_MAX_TEXTS_SMALL_MODEL} texts a request. The queue holds
         * {@value #DEFAULT_QUEUE_REQUESTS} of the largest requests of texts as long as the model reads.
         */
        public static Limits defaultsFor(SentimentAnalyzer analyzer) {
            ModelCard card = analyzer.card();
            int maxTexts = "transformer".equals(card.architecture()) ? DEFAULT_MAX_TEXTS : DEFAULT_MAX_TEXTS_SMALL_MODEL;
            Limits d = defaults();
            return new Limits(d.maxBodyBytes, maxTexts, d.maxBatchTexts, d.maxBatchWait,
                    (long) DEFAULT_QUEUE_REQUESTS * maxTexts * tokenCap(analyzer), d.deadline, d.threads,
                    d.graceSeconds);
        }

        public Limits withMaxBodyBytes(int n) {
            return new Limits(n, maxTexts, maxBatchTexts, maxBatchWait, maxQueueTokens, deadline, threads, graceSeconds);
        }

        public Limits withMaxTexts(int n) {
            return new Limits(maxBodyBytes, n, maxBatchTexts, maxBatchWait, maxQueueTokens, deadline, threads,
                    graceSeconds);
        }

        public Limits withMaxBatch(int texts, Duration wait) {
            return new Limits(maxBodyBytes, maxTexts, texts, wait, maxQueueTokens, deadline, threads, graceSeconds);
        }

        public Limits withMaxQueueTokens(long tokens) {
            return new Limits(maxBodyBytes, maxTexts, maxBatchTexts, maxBatchWait, tokens, deadline, threads,
                    graceSeconds);
        }

        public Limits withDeadline(Duration d) {
            return new Limits(maxBodyBytes, maxTexts, maxBatchTexts, maxBatchWait, maxQueueTokens, d, threads,
                    graceSeconds);
        }

        public Limits withThreads(int n) {
            return new Limits(maxBodyBytes, maxTexts, maxBatchTexts, maxBatchWait, maxQueueTokens, deadline, n,
                    graceSeconds);
        }

        public Limits withGraceSeconds(int seconds) {
            return new Limits(maxBodyBytes, maxTexts, maxBatchTexts, maxBatchWait, maxQueueTokens, deadline, threads,
                    seconds);
        }

        private static void positive(String what, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + n);
            }
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor http;
    private final ThreadPoolExecutor io;
    private final MicroBatcher batcher;
    private final ServerMetrics metrics;
    private final SentimentAnalyzer analyzer;
    private final String modelName;
    private final Limits limits;
    /** Requests begun and not yet answered: {@link #close()} waits for them only when there are some. */
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;

    private SentimentServer(HttpServer server, ThreadPoolExecutor http, ThreadPoolExecutor io, SentimentAnalyzer analyzer,
            String modelName, Limits limits) {
        this.server = server;
        this.http = http;
        this.io = io;
        this.analyzer = analyzer;
        this.modelName = modelName;
        this.limits = limits;
        ModelCard card = analyzer.card();
        String version = card.provenance() == null || card.provenance().createdAt() == null ? "unknown"
                : card.provenance().createdAt();
        this.metrics = new ServerMetrics(modelName, version, String.valueOf(card.architecture()),
                SentikitVersion.get());
        this.batcher = new MicroBatcher(analyzer, limits.maxBatchTexts(), limits.maxBatchWait().toNanos(),
                limits.maxQueueTokens(), tokenCap(analyzer), metrics);
        metrics.watch(batcher);
    }

    /** Tokens the model reads of a text: its encoder's {@code max_tokens}. */
    private static int tokenCap(SentimentAnalyzer analyzer) {
        ModelCard card = analyzer.card();
        return card == null || card.encoder() == null ? Limits.DEFAULT_TOKEN_CAP : card.encoder().maxTokens();
    }

    /**
     * Starts serving {@code analyzer} on {@code address} (port 0 picks a free port: see {@link #address()}).
     *
     * @param modelName the name {@code /health} reports
     */
    public static SentimentServer start(SentimentAnalyzer analyzer, String modelName, InetSocketAddress address,
            Limits limits) throws IOException {
        Objects.requireNonNull(analyzer, "analyzer");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(limits, "limits");
        HttpServer httpServer = HttpServer.create(address, 0);
        SentimentServer server = new SentimentServer(httpServer, pool("sentiment-http-", HTTP_THREADS),
                pool("sentiment-io-", limits.threads()), analyzer, modelName, limits);
        httpServer.createContext("/", server::dispatch);
        httpServer.setExecutor(server.http);
        httpServer.start();
        return server;
    }

    /** A fixed pool of daemon threads with a queue without bound (see the class comment for why that is safe). */
    private static ThreadPoolExecutor pool(String name, int threads) {
        AtomicInteger number = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The address the server listens on, with the actual port. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The queue in front of the model; for tests. */
    MicroBatcher batcher() {
        return batcher;
    }

    /**
     * Stops admitting ({@code /ready} says 503, new analyses 503) and accepting, lets admitted requests finish (up
     * to the grace period), then stops the threads.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        batcher.stopAdmitting();
        // HttpServer.stop(n) waits for running exchanges, but on Java 17 to 20 it waits the full n seconds when
        // there are none (JDK-8304065): stop at once when idle.
        server.stop(active.get() == 0 ? 0 : limits.graceSeconds());
        batcher.close(TimeUnit.SECONDS.toMillis(limits.graceSeconds()));
        for (ThreadPoolExecutor pool : List.of(http, io)) {
            pool.shutdown();
        }
        try {
            for (ThreadPoolExecutor pool : List.of(http, io)) {
                if (!pool.awaitTermination(limits.graceSeconds(), TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            http.shutdownNow();
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** An answer other than 200: its status, message, and for a 503 the seconds to wait before retrying. */
    static final class HttpError extends Exception {
        final int status;
        final long retryAfterSeconds;

        HttpError(int status, String message) {
            this(status, message, 0);
        }

        HttpError(int status, String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    /** On an http thread: answers what is cheap at once and hands analyses to the io pool. */
    private void dispatch(HttpExchange exchange) {
        long start = System.nanoTime();
        active.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String endpoint = switch (path) {
            case ANALYZE, EXPLAIN, HEALTH, READY, METRICS, PAGE -> path;
            default -> OTHER;
        };
        try {
            switch (path) {
                case ANALYZE, EXPLAIN -> {
                    allow(exchange, method, "POST");
                    try {
                        io.execute(() -> intake(exchange, endpoint, start));
                    } catch (RejectedExecutionException stopping) {
                        throw new HttpError(503, "the service is stopping; retry on another instance", 1);
                    }
                }
                case HEALTH -> {
                    allow(exchange, method, "GET");
                    answer(exchange, endpoint, start, 200, health(), 0);
                }
                case READY -> {
                    allow(exchange, method, "GET");
                    ready(exchange, start);
                }
                case METRICS -> {
                    allow(exchange, method, "GET");
                    byte[] text = metrics.render(!closed && batcher.ready()).getBytes(StandardCharsets.UTF_8);
                    send(exchange, 200, ServerMetrics.CONTENT_TYPE, text);
                    finish(exchange, endpoint, start, 200, 0);
                }
                case PAGE -> {
                    allow(exchange, method, "GET");
                    sendPage(exchange);
                    finish(exchange, endpoint, start, 200, 0);
                }
                default -> throw new HttpError(404, "no such path: " + path + " (the paths are POST " + ANALYZE
                        + ", POST " + EXPLAIN + ", GET " + HEALTH + ", GET " + READY + ", GET " + METRICS + " and GET "
                        + PAGE + ", a page)");
            }
        } catch (HttpError e) {
            answer(exchange, endpoint, start, e, 0);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} {}: the answer could not be written", method, path, e);
            finish(exchange, endpoint, start, 500, 0);
        }
    }

    /** On an io thread: reads and checks the body, then admits its texts to the batcher. */
    private void intake(HttpExchange exchange, String endpoint, long start) {
        boolean explain = EXPLAIN.equals(endpoint);
        int count = 0;
        try {
            JsonNode json = readJson(exchange);
            List<String> list = texts(json, explain ? Math.min(MAX_EXPLAIN_TEXTS, limits.maxTexts())
                    : limits.maxTexts());
            count = list.size();
            boolean one = json.has("text");
            MicroBatcher.Ticket ticket;
            try {
                ticket = batcher.submit(list, explain, start + limits.deadline().toNanos());
            } catch (MicroBatcher.Refused r) {
                throw new HttpError(r.status, r.getMessage(), r.retryAfterSeconds);
            }
            // Completed by the batcher's worker or its deadline timer: neither writes answers.
            ticket.future().whenComplete((results, error) -> onIo(
                    () -> reply(exchange, endpoint, start, list, one, results, error)));
        } catch (HttpError e) {
            answer(exchange, endpoint, start, e, count);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: the request could not be read", endpoint, e);
            finish(exchange, endpoint, start, 400, count);
        }
    }

    private void onIo(Runnable task) {
        try {
            io.execute(task);
        } catch (RejectedExecutionException stopping) {
            task.run();
        }
    }

    /** On an io thread: writes an analysis' results, or why there are none. */
    private void reply(HttpExchange exchange, String endpoint, long start, List<String> texts, boolean one,
            List<Object> results, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            HttpError answer;
            if (cause instanceof MicroBatcher.DeadlineExceeded d) {
                String deadline = String.format(Locale.ROOT, "%.1f s", limits.deadline().toMillis() / 1000.0);
                answer = d.started
                        ? new HttpError(504, "the request's deadline of " + deadline + " passed while it was being "
                                + "analyzed; send fewer texts, or raise the deadline (--deadline-ms)")
                        : new HttpError(503, closed ? "the service stopped before the request reached the model; "
                                + "retry on another instance" : "the request waited its whole deadline of " + deadline
                                + " for the model; retry later", batcher.retryAfterSeconds());
            } else {
                LOG.error("{} failed", endpoint, cause);
                answer = new HttpError(500, "the analysis failed: " + cause);
            }
            answer(exchange, endpoint, start, answer, texts.size());
            return;
        }
        List<Object> json = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Object r = results.get(i);
            if (r instanceof MicroBatcher.Explained e) {
                Map<String, Object> result = ResultJson.result(texts.get(i), e.sentiment());
                result.put("explanation", ResultJson.explanation(e.explanation(), true));
                json.add(result);
            } else {
                json.add(ResultJson.result(texts.get(i), (Sentiment) r));
            }
        }
        answer(exchange, endpoint, start, 200, one ? json.get(0) : Map.of("results", json), texts.size());
    }

    private static void allow(HttpExchange exchange, String method, String allowed) throws HttpError {
        if (!allowed.equals(method)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new HttpError(405, "method " + method + " is not allowed here; use " + allowed);
        }
    }

    private Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("model", modelName);
        health.put("labels", analyzer.labels());
        return health;
    }

    /** Ready: the model is loaded (it is, once serving) and the queue has room; otherwise 503 with Retry-After. */
    private void ready(HttpExchange exchange, long start) {
        boolean ready = !closed && batcher.ready();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : closed ? "stopping" : "busy");
        body.put("model", modelName);
        body.put("queue_tokens", batcher.waitingTokens());
        body.put("capacity_tokens", batcher.capacityTokens());
        if (!ready) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(batcher.retryAfterSeconds()));
        }
        answer(exchange, READY, start, ready ? 200 : 503, body, 0);
    }

    private void answer(HttpExchange exchange, String endpoint, long start, HttpError e, int texts) {
        if (e.status == 503) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds)));
        }
        answer(exchange, endpoint, start, e.status, Map.of("error", e.getMessage()), texts);
    }

    /** Writes a JSON answer and ends the exchange. */
    private void answer(HttpExchange exchange, String endpoint, long start, int status, Object body, int texts) {
        try {
            send(exchange, status, "application/json; charset=utf-8",
                    JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // The client left, or its connection was closed at a time limit: nothing to answer to.
            LOG.debug("{}: the answer ({}) could not be written", endpoint, status, e);
        }
        finish(exchange, endpoint, start, status, texts);
    }

    /** Ends the exchange, once, and counts it. */
    private void finish(HttpExchange exchange, String endpoint, long start, int status, int texts) {
        try {
            exchange.close();
        } finally {
            active.decrementAndGet();
            metrics.request(endpoint, status, texts, System.nanoTime() - start);
        }
    }

    /** The texts of a request body: {"text": "…"} (one) or {"texts": ["…", …]} (at most {@code max}). */
    private static List<String> texts(JsonNode request, int max) throws HttpError {
        if (!request.isObject()) {
            throw new HttpError(400, "the body must be a JSON object, {\"text\": \"...\"} or {\"texts\": [\"...\"]}, "
                    + "not " + describe(request));
        }
        JsonNode text = request.get("text");
        JsonNode texts = request.get("texts");
        if (text != null && texts != null) {
            throw new HttpError(400, "give either \"text\" or \"texts\", not both");
        }
        if (text != null) {
            if (!text.isTextual()) {
                throw new HttpError(400, "\"text\" must be a string, not " + describe(text));
            }
            return List.of(text.textValue());
        }
        if (texts != null) {
            if (!texts.isArray()) {
                throw new HttpError(400, "\"texts\" must be an array of strings, not " + describe(texts));
            }
            if (texts.size() > max) {
                throw new HttpError(413, "too many texts: " + texts.size() + ", at most " + max + " per request; send "
                        + "them in several requests" + (max == MAX_EXPLAIN_TEXTS ? "" : " (or raise --max-texts)"));
            }
            List<String> list = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                JsonNode t = texts.get(i);
                if (!t.isTextual()) {
                    throw new HttpError(400, "\"texts\"[" + i + "] must be a string, not " + describe(t));
                }
                list.add(t.textValue());
            }
            return list;
        }
        throw new HttpError(400, "missing field: give \"text\" (a string) or \"texts\" (an array of strings)");
    }

    private static String describe(JsonNode node) {
        switch (node.getNodeType()) {
            case NULL:
                return "null";
            case BOOLEAN:
                return "a boolean";
            case NUMBER:
                return "a number";
            case STRING:
                return "a string";
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            default:
                return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Reads the body, at most {@link Limits#maxBodyBytes()}, as one JSON value. */
    private JsonNode readJson(HttpExchange exchange) throws HttpError, IOException {
        long declared = contentLength(exchange);
        if (declared > (long) limits.maxBodyBytes() + DRAIN_BYTES) {
            // Too large to read and drop: answer at once and close the connection.
            exchange.getResponseHeaders().set("Connection", "close");
            throw tooLarge(declared);
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(limits.maxBodyBytes() + 1);
            if (body.length > limits.maxBodyBytes()) {
                // Read (not skip: the JDK's body stream passes skip to the connection) what the client still sends.
                long rest = 0;
                byte[] drop = new byte[8192];
                for (int n; rest < DRAIN_BYTES
                        && (n = in.read(drop, 0, (int) Math.min(drop.length, DRAIN_BYTES - rest))) > 0; ) {
                    rest += n;
                }
                exchange.getResponseHeaders().set("Connection", "close");
                throw tooLarge(declared >= 0 ? declared : body.length + rest);
            }
        }
        if (body.length == 0) {
            throw new HttpError(400, "the body is empty; send {\"text\": \"...\"} or {\"texts\": [\"...\"]}");
        }
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || json.isMissingNode()) {
                throw new HttpError(400, "the body holds no JSON value; send {\"text\": \"...\"} or "
                        + "{\"texts\": [\"...\"]}");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "the body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        }
    }

    private HttpError tooLarge(long bytes) {
        return new HttpError(413, "the body is " + (bytes > limits.maxBodyBytes() ? bytes + " bytes" : "too large")
                + ", more than the " + limits.maxBodyBytes() + " bytes a request may have; send the texts in several "
                + "requests (or raise --max-body-bytes)");
    }

    private static long contentLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] page() {
        try (InputStream in = SentimentServer.class.getResourceAsStream("sentiment-page.html")) {
            if (in == null) {
                throw new IllegalStateException("sentiment-page.html is missing from the sentiment-cli jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read sentiment-page.html from the sentiment-cli jar", e);
        }
    }

    private static void sendPage(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        send(exchange, 200, "text/html; charset=utf-8", PAGE_HTML);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
