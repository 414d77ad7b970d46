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
import dev.sentikit.SentimentAnalyzer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small REST service around one shared {@link SentimentAnalyzer}, on the JDK's own HTTP server:
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
 *   <li>{@code GET /health} answers {@code {"status":"ok","model":…,"labels":[…]}}.</li>
 *   <li>{@code GET /} answers a page for people ({@code sentiment-page.html}): paste texts, see each label with
 *       its scores and the text with every token shaded by its contribution. The page is one self-contained file
 *       that calls {@code /health} and {@code /v1/explain}; a Content-Security-Policy keeps it from loading
 *       anything else.</li>
 * </ul>
 *
 * <p>Errors are JSON too, {@code {"error":"…"}}: 400 for a body that is not a JSON object, a missing or mistyped
 * field; 413 for a body over {@link Limits#maxBodyBytes()} or more than {@link Limits#maxTexts()} texts; 404 for
 * other paths; 405 (with {@code Allow}) for other methods; 500 when the analyzer fails. Requests run on a fixed
 * pool of {@link Limits#threads()} threads with a bounded queue; when the queue is full, the thread that accepts
 * connections runs the request itself, which stops it accepting more until it is done (back-pressure rather than
 * an unbounded backlog). {@link #close()} stops accepting, lets running requests finish (up to
 * {@link Limits#graceSeconds()}), then stops the pool. The analyzer is not closed: it belongs to the caller.
 *
 * <pre>{@code
 * try (SentimentAnalyzer analyzer = SentimentAnalyzer.defaultModel();
 *      SentimentServer server = SentimentServer.start(analyzer, "en",
 *              new InetSocketAddress("127.0.0.1", 8080), SentimentServer.Limits.defaults())) {
 *     ...
 * }
 * }</pre>
 */
public final class SentimentServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentimentServer.class);

    /** The analysis endpoint. */
    public static final String ANALYZE = "/v1/analyze";
    /** The health endpoint. */
    public static final String HEALTH = "/health";
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

    /** A body this much over the limit is still read (and dropped) so that the client can read the 413. */
    static final int DRAIN_BYTES = 1 << 20;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * What the service accepts and how many requests it runs at once.
     *
     * @param maxBodyBytes the largest request body, in bytes
     * @param maxTexts the most texts in one {@code "texts"} array
     * @param threads the requests analyzed at once
     * @param queue requests waiting for a thread, at most
     * @param graceSeconds how long {@link #close()} waits for running requests
     */
    public record Limits(int maxBodyBytes, int maxTexts, int threads, int queue, int graceSeconds) {

        public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
        public static final int DEFAULT_MAX_TEXTS = 10_000;

        public Limits {
            positive("maxBodyBytes", maxBodyBytes);
            positive("maxTexts", maxTexts);
            positive("threads", threads);
            positive("queue", queue);
            if (graceSeconds < 0) {
                throw new IllegalArgumentException("graceSeconds must be >= 0, got " + graceSeconds);
            }
        }

        /** 1 MiB bodies, 10,000 texts, one thread per core (at least 2), a queue of 256, 5 s of grace. */
        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_TEXTS,
                    Math.max(2, Runtime.getRuntime().availableProcessors()), 256, 5);
        }

        public Limits withThreads(int n) {
            return new Limits(maxBodyBytes, maxTexts, n, queue, graceSeconds);
        }

        private static void positive(String what, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + n);
            }
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final SentimentAnalyzer analyzer;
    private final String modelName;
    private final Limits limits;
    private final AtomicInteger active = new AtomicInteger();
    private boolean closed;

    private SentimentServer(HttpServer server, ThreadPoolExecutor pool, SentimentAnalyzer analyzer, String modelName,
            Limits limits) {
        this.server = server;
        this.pool = pool;
        this.analyzer = analyzer;
        this.modelName = modelName;
        this.limits = limits;
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
        HttpServer http = HttpServer.create(address, 0);
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limits.threads(), limits.threads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()), r -> {
                    Thread t = new Thread(r, "sentiment-http-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        SentimentServer server = new SentimentServer(http, pool, analyzer, modelName, limits);
        http.createContext("/", server::handle);
        http.setExecutor(pool);
        http.start();
        return server;
    }

    /** The address the server listens on, with the actual port. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting requests, waits for running ones (up to the grace period), then stops the threads. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // HttpServer.stop(n) waits for running exchanges, but on Java 17 to 20 it waits the full n seconds when
        // there are none (JDK-8304065): stop at once when idle.
        server.stop(active.get() == 0 ? 0 : limits.graceSeconds());
        pool.shutdown();
        try {
            if (!pool.awaitTermination(limits.graceSeconds(), TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** An answer other than 200: its status and message. */
    static final class HttpError extends Exception {
        final int status;

        HttpError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        active.incrementAndGet();
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Object body;
            try {
                switch (path) {
                    case ANALYZE:
                        allow(exchange, method, "POST");
                        body = analyze(readJson(exchange));
                        break;
                    case EXPLAIN:
                        allow(exchange, method, "POST");
                        body = explain(readJson(exchange));
                        break;
                    case HEALTH:
                        allow(exchange, method, "GET");
                        body = health();
                        break;
                    case PAGE:
                        allow(exchange, method, "GET");
                        sendPage(exchange);
                        return;
                    default:
                        throw new HttpError(404, "no such path: " + path + " (the paths are POST " + ANALYZE
                                + ", POST " + EXPLAIN + ", GET " + HEALTH + " and GET " + PAGE + ", a page)");
                }
                send(exchange, 200, body);
            } catch (HttpError e) {
                send(exchange, e.status, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", method, path, e);
                send(exchange, 500, Map.of("error", "the analysis failed: " + e));
            }
        } finally {
            exchange.close();
            active.decrementAndGet();
        }
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

    private Object analyze(JsonNode request) throws HttpError {
        List<String> list = texts(request, limits.maxTexts());
        List<Sentiment> sentiments = analyzer.analyzeAll(list);
        List<Object> results = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            results.add(ResultJson.result(list.get(i), sentiments.get(i)));
        }
        return request.has("text") ? results.get(0) : Map.of("results", results);
    }

    private Object explain(JsonNode request) throws HttpError {
        List<String> list = texts(request, Math.min(MAX_EXPLAIN_TEXTS, limits.maxTexts()));
        List<Sentiment> sentiments = analyzer.analyzeAll(list);
        List<Object> results = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> result = ResultJson.result(list.get(i), sentiments.get(i));
            result.put("explanation", ResultJson.explanation(
                    analyzer.explain(list.get(i), sentiments.get(i).label()), true));
            results.add(result);
        }
        return request.has("text") ? results.get(0) : Map.of("results", results);
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
                throw new HttpError(413, "too many texts: " + texts.size() + ", at most " + max + " per request");
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
                + ", more than the " + limits.maxBodyBytes() + " bytes a request may have");
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
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(200, PAGE_HTML.length);
        exchange.getResponseBody().write(PAGE_HTML);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
