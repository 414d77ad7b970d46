package dev.sentikit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service under load, on a {@link FakeAnalyzer} whose calls the tests hold at a gate: the probes answer while
 * the model is busy, a full queue is refused with 503 and Retry-After, a deadline is answered at the deadline,
 * concurrent requests share one call of the model, large ones are split, and /metrics is Prometheus' text format.
 * Nothing here measures speed: each test orders events with the gate and checks what was answered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SentimentServerUnderLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough never to fire on a slow machine; a probe stuck behind the model waits far longer (forever). */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final FakeAnalyzer fake = new FakeAnalyzer();
    private SentimentServer server;

    @AfterEach
    void stop() {
        fake.release();
        if (server != null) {
            server.close();
        }
    }

    private void start(SentimentServer.Limits limits) throws Exception {
        server = SentimentServer.start(fake, "fake", new InetSocketAddress("127.0.0.1", 0), limits);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, Object body) throws Exception {
        String json = body instanceof String s ? s : JSON.writeValueAsString(body);
        return client.sendAsync(HttpRequest.newBuilder(uri(path)).timeout(PATIENCE)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private CompletableFuture<HttpResponse<String>> analyze(String text) throws Exception {
        return postAsync(SentimentServer.ANALYZE, Map.of("text", text));
    }

    private CompletableFuture<HttpResponse<String>> analyzeAll(List<String> texts) throws Exception {
        return postAsync(SentimentServer.ANALYZE, Map.of("texts", texts));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(PATIENCE).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> done(CompletableFuture<HttpResponse<String>> f) throws Exception {
        return f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 2_000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "never happened: " + what);
    }

    /** Holds the model with one blocking request, and returns it once its call has reached the gate. */
    private CompletableFuture<HttpResponse<String>> holdTheModel() throws Exception {
        fake.hold();
        CompletableFuture<HttpResponse<String>> blocker = analyze("blocker");
        assertTrue(fake.awaitCall(PATIENCE.toSeconds()), "the blocking request reached the model");
        return blocker;
    }

    private static JsonNode body(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertResults(List<String> texts, HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        JsonNode results = body(r).get("results");
        assertEquals(texts.size(), results.size(), r.body());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i), results.get(i).get("text").asText(), "result " + i + " in order");
            assertEquals(FakeAnalyzer.expected(texts.get(i)).label(), results.get(i).get("label").asText());
        }
    }

    @Test
    void probesAnswerWhileTheModelIsBusyAndEveryThreadHasAnAnalysisWaiting() throws Exception {
        start(SentimentServer.Limits.defaults().withThreads(2));
        CompletableFuture<HttpResponse<String>> blocker = holdTheModel();
        // More analyses than there are threads of any pool: were any thread to wait for the model, the probes
        // would wait behind them.
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            waiting.add(analyze("good " + i));
        }
        waitFor("an analysis queued", () -> server.batcher().waitingTexts() > 0);

        HttpResponse<String> health = get(SentimentServer.HEALTH);
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\",\"model\":\"fake\",\"labels\":[\"negative\",\"positive\"]}", health.body());
        HttpResponse<String> ready = get(SentimentServer.READY);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("ready", body(ready).get("status").asText());
        waitFor("12 texts queued", () -> server.batcher().waitingTexts() == 12);
        HttpResponse<String> metrics = get(SentimentServer.METRICS);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("\nsentiment_queue_texts 12\n"), metrics.body());
        assertFalse(blocker.isDone(), "the model was still held while the probes answered");

        fake.release();
        assertEquals(200, done(blocker).statusCode());
        for (int i = 0; i < waiting.size(); i++) {
            HttpResponse<String> r = done(waiting.get(i));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("good " + i, body(r).get("text").asText());
        }
    }

    @Test
    void aFullQueueIsRefusedAtOnceWith503AndRetryAfter() throws Exception {
        // "aaaa bbbb cccc dddd" is estimated at 6 tokens (4 words and the 2 markers): 3 fit in 20.
        String text = "aaaa bbbb cccc dddd";
        assertEquals(6, MicroBatcher.estimateTokens(text, 128));
        start(SentimentServer.Limits.defaults().withMaxQueueTokens(20));
        CompletableFuture<HttpResponse<String>> blocker = holdTheModel();
        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            admitted.add(analyze(text));
            int n = i + 1;
            waitFor(n + " requests queued", () -> server.batcher().waitingRequests() == n);
        }

        HttpResponse<String> refused = done(analyze(text));
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(body(refused).get("error").asText().contains("at capacity"), refused.body());
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= MicroBatcher.MAX_RETRY_AFTER_SECONDS, "Retry-After " + retryAfter);
        assertFalse(blocker.isDone(), "refused while the model was still held: at once, not after waiting");

        HttpResponse<String> notReady = get(SentimentServer.READY);
        assertEquals(503, notReady.statusCode(), notReady.body());
        assertEquals("busy", body(notReady).get("status").asText());
        assertTrue(notReady.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, get(SentimentServer.HEALTH).statusCode(), "alive while not ready");

        // A request that alone is more work than the queue holds can never be admitted: 413, not 503.
        HttpResponse<String> tooMuch = done(analyzeAll(List.of(text, text, text, text)));
        assertEquals(413, tooMuch.statusCode(), tooMuch.body());
        assertTrue(body(tooMuch).get("error").asText().contains("more than the 20 the queue holds (--max-queue-tokens)"),
                tooMuch.body());

        fake.release();
        assertEquals(200, done(blocker).statusCode());
        for (CompletableFuture<HttpResponse<String>> f : admitted) {
            assertEquals(200, done(f).statusCode(), "every admitted request is served");
        }
        assertEquals(200, get(SentimentServer.READY).statusCode(), "ready again once the queue drained");
    }

    @Test
    void aRequestPastItsDeadlineIsAnsweredAtTheDeadlineNotLate() throws Exception {
        start(SentimentServer.Limits.defaults().withDeadline(Duration.ofMillis(500)));
        CompletableFuture<HttpResponse<String>> running = holdTheModel();
        CompletableFuture<HttpResponse<String>> queued = analyze("good, but queued");

        // Both are answered while the model still holds the first: at their deadline, not when it is done.
        HttpResponse<String> timedOut = done(running);
        assertEquals(504, timedOut.statusCode(), timedOut.body());
        assertTrue(body(timedOut).get("error").asText().contains("passed while it was being analyzed"),
                timedOut.body());
        HttpResponse<String> expired = done(queued);
        assertEquals(503, expired.statusCode(), expired.body());
        assertTrue(body(expired).get("error").asText().contains("waited its whole deadline"), expired.body());
        assertTrue(expired.headers().firstValue("Retry-After").isPresent(), "a 503 says when to retry");
        assertEquals(List.of(List.of("blocker")), fake.calls(), "the expired request never reached the model");

        fake.release();
        HttpResponse<String> after = done(analyze("good again"));
        assertEquals(200, after.statusCode(), "the service goes on: " + after.body());
    }

    @Test
    void concurrentRequestsAreJoinedIntoOneCallAndEachGetsItsOwnResultsInOrder() throws Exception {
        start(SentimentServer.Limits.defaults());
        CompletableFuture<HttpResponse<String>> blocker = holdTheModel();
        Map<String, CompletableFuture<HttpResponse<String>>> ones = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            String text = (i % 2 == 0 ? "good " : "bad ") + i;
            ones.put(text, analyze(text));
        }
        List<String> three = List.of("three: good", "three: bad", "three: good again");
        CompletableFuture<HttpResponse<String>> several = analyzeAll(three);
        waitFor("11 texts queued", () -> server.batcher().waitingTexts() == 11);

        fake.release();
        assertEquals(200, done(blocker).statusCode());
        for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> e : ones.entrySet()) {
            HttpResponse<String> r = done(e.getValue());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(e.getKey(), body(r).get("text").asText(), "each caller gets its own result");
            assertEquals(FakeAnalyzer.expected(e.getKey()).label(), body(r).get("label").asText());
        }
        assertResults(three, done(several));

        List<List<String>> calls = fake.calls();
        assertEquals(2, calls.size(), "the blocker, then one call for the 9 waiting requests: " + calls);
        assertEquals(11, calls.get(1).size(), calls.toString());
        assertEquals(new HashSet<>(calls.get(1)), union(ones.keySet(), three));
        int at = calls.get(1).indexOf(three.get(0));
        assertEquals(three, calls.get(1).subList(at, at + 3), "a request's texts stay together and in order");
    }

    private static Set<String> union(Set<String> a, List<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void aLargeRequestIsSplitAndSmallOnesThatCameAfterItGoFirst() throws Exception {
        start(SentimentServer.Limits.defaults().withMaxBatch(4, Duration.ofMillis(5)));
        CompletableFuture<HttpResponse<String>> blocker = holdTheModel();
        List<String> large = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            large.add("large " + i + (i % 3 == 0 ? " good" : ""));
        }
        CompletableFuture<HttpResponse<String>> big = analyzeAll(large);
        waitFor("the large request queued", () -> server.batcher().waitingTexts() == 10);
        CompletableFuture<HttpResponse<String>> small1 = analyze("small good");
        waitFor("the first small request queued", () -> server.batcher().waitingTexts() == 11);
        CompletableFuture<HttpResponse<String>> small2 = analyze("small bad");
        waitFor("the second small request queued", () -> server.batcher().waitingTexts() == 12);

        fake.release();
        assertEquals(200, done(blocker).statusCode());
        assertResults(large, done(big));
        assertEquals("small good", body(done(small1)).get("text").asText());
        assertEquals("small bad", body(done(small2)).get("text").asText());

        // The small ones first (though they came after it), with the large request's first texts, then its rest in
        // slices of 4.
        List<List<String>> calls = fake.calls();
        assertEquals(List.of(List.of("blocker"), List.of("small good", "small bad", large.get(0), large.get(1)),
                large.subList(2, 6), large.subList(6, 10)), calls);
    }

    @Test
    void oneRequestsFailureDoesNotFailTheOthersInItsBatch() throws Exception {
        start(SentimentServer.Limits.defaults());
        CompletableFuture<HttpResponse<String>> blocker = holdTheModel();
        CompletableFuture<HttpResponse<String>> good = analyze("good");
        CompletableFuture<HttpResponse<String>> boom = analyze(FakeAnalyzer.BOOM);
        CompletableFuture<HttpResponse<String>> bad = analyzeAll(List.of("bad", "good too"));
        waitFor("4 texts queued", () -> server.batcher().waitingTexts() == 4);
        fake.release();
        assertEquals(200, done(blocker).statusCode());
        assertEquals(200, done(good).statusCode());
        assertResults(List.of("bad", "good too"), done(bad));
        HttpResponse<String> failed = done(boom);
        assertEquals(500, failed.statusCode(), failed.body());
        assertTrue(body(failed).get("error").asText().contains("the analysis failed"), failed.body());
    }

    @Test
    void limitsAreEnforcedWithMessagesThatSayWhatToDo() throws Exception {
        start(SentimentServer.Limits.defaults().withMaxTexts(3).withMaxBodyBytes(200));
        HttpResponse<String> many = done(analyzeAll(List.of("a", "b", "c", "d")));
        assertEquals(413, many.statusCode(), many.body());
        assertEquals("too many texts: 4, at most 3 per request; send them in several requests (or raise --max-texts)",
                body(many).get("error").asText());
        HttpResponse<String> big = done(analyze("x".repeat(300)));
        assertEquals(413, big.statusCode(), big.body());
        assertTrue(body(big).get("error").asText().contains("more than the 200 bytes a request may have; send the "
                + "texts in several requests (or raise --max-body-bytes)"), big.body());
        assertResults(List.of("a", "good"), done(analyzeAll(List.of("a", "good"))));
    }

    /** One sample line of the text format: name, optional {labels}, value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? "
                    + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)");
    private static final Pattern META = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)");

    /** Parses the text format strictly enough to fail on a malformed line; returns value by "name{labels}". */
    private static Map<String, Double> parsePrometheus(String text) {
        assertTrue(text.endsWith("\n"), "the text format ends with a line feed");
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher meta = META.matcher(line);
            if (meta.matches()) {
                if (meta.group(1).equals("TYPE")) {
                    assertTrue(Set.of("counter", "gauge", "histogram").contains(meta.group(3)), line);
                    assertTrue(types.put(meta.group(2), meta.group(3)) == null, "one TYPE per metric: " + line);
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            String name = m.group(1);
            String family = name.replaceAll("_(bucket|sum|count)$", "");
            assertTrue(types.containsKey(name) || "histogram".equals(types.get(family)),
                    "a sample before its TYPE: " + line);
            samples.put(name + (m.group(2) == null ? "" : "{" + m.group(2) + "}"), Double.parseDouble(m.group(3)));
        }
        return samples;
    }

    @Test
    void metricsAreThePrometheusTextFormatAndCountRequestsByStatus() throws Exception {
        start(SentimentServer.Limits.defaults());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, done(analyze("good " + i)).statusCode());
        }
        assertResults(List.of("a", "b good"), done(analyzeAll(List.of("a", "b good"))));
        assertEquals(400, done(postAsync(SentimentServer.ANALYZE, "{\"text\": ")).statusCode());
        assertEquals(404, get("/nowhere").statusCode());
        assertEquals(404, get("/elsewhere").statusCode());

        HttpResponse<String> r = get(SentimentServer.METRICS);
        assertEquals(200, r.statusCode());
        assertEquals(ServerMetrics.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(null));
        Map<String, Double> m = parsePrometheus(r.body());
        String analyze = "endpoint=\"/v1/analyze\"";
        assertEquals(4.0, m.get("sentiment_requests_total{" + analyze + ",code=\"200\"}"), r.body());
        assertEquals(1.0, m.get("sentiment_requests_total{" + analyze + ",code=\"400\"}"), r.body());
        assertEquals(2.0, m.get("sentiment_requests_total{endpoint=\"other\",code=\"404\"}"), "one label for "
                + "every unknown path: " + r.body());
        assertEquals(5.0, m.get("sentiment_texts_total{" + analyze + ",code=\"200\"}"), r.body());
        assertEquals(5.0, m.get("sentiment_request_duration_seconds_count{" + analyze + "}"), r.body());
        assertEquals(5.0, m.get("sentiment_request_duration_seconds_bucket{" + analyze + ",le=\"+Inf\"}"), r.body());
        assertEquals(5.0, m.get("sentiment_analyzed_texts_total"), r.body());
        assertEquals(m.get("sentiment_batch_texts_count"), m.get("sentiment_batch_texts_bucket{le=\"+Inf\"}"));
        assertEquals(5.0, m.get("sentiment_batch_texts_sum"), "batch sizes add up to the texts analyzed");
        assertEquals(0.0, m.get("sentiment_queue_texts"));
        assertNotNull(m.get("sentiment_texts_per_second"));
        assertEquals(1.0, m.get("sentiment_ready"));
        assertEquals(1.0, m.get("sentiment_model_info{model=\"fake\",version=\"unknown\",architecture=\"transformer\","
                + "sentikit=\"" + ServerMetrics.escape(dev.sentikit.SentikitVersion.get()) + "\"}"), r.body());
        // Buckets are cumulative.
        double previous = 0;
        for (String le : List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30",
                "60", "+Inf")) {
            double count = m.get("sentiment_request_duration_seconds_bucket{" + analyze + ",le=\"" + le + "\"}");
            assertTrue(count >= previous, "bucket " + le + " below the one before it");
            previous = count;
        }
    }

    @Test
    void explanationsGoThroughTheQueueOneTextAtATime() throws Exception {
        start(SentimentServer.Limits.defaults());
        CompletableFuture<HttpResponse<String>> blocker = holdTheModel();
        CompletableFuture<HttpResponse<String>> explain = postAsync(SentimentServer.EXPLAIN,
                Map.of("texts", List.of("good one", "bad one")));
        waitFor("the explanation queued", () -> server.batcher().waitingTexts() == 2);
        CompletableFuture<HttpResponse<String>> one = analyze("good");
        waitFor("3 texts queued", () -> server.batcher().waitingTexts() == 3);
        fake.release();
        assertEquals(200, done(blocker).statusCode());
        HttpResponse<String> r = done(explain);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode results = body(r).get("results");
        assertEquals("good one", results.get(0).get("text").asText());
        assertEquals("bad one", results.get(1).get("text").asText());
        assertTrue(results.get(0).has("explanation"), r.body());
        assertEquals(200, done(one).statusCode());
        // Each explained text is a batch of its own, and the analysis takes its turn between them.
        List<List<String>> calls = fake.calls();
        assertEquals(List.of(List.of("blocker"), List.of("good one"), List.of("good"), List.of("bad one")), calls,
                "the analysis takes its turn between the two explained texts");
    }
}
