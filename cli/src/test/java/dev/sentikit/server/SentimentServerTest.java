package dev.sentikit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The REST service over real HTTP on 127.0.0.1, on a free port. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SentimentServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SentimentAnalyzer analyzer;
    private static SentimentServer server;
    private static HttpClient client;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        analyzer = SentimentAnalyzer.defaultModel();
        server = SentimentServer.start(analyzer, "en", new InetSocketAddress("127.0.0.1", 0),
                SentimentServer.Limits.defaults().withThreads(4));
        base = URI.create("http://127.0.0.1:" + server.address().getPort());
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        analyzer.close();
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

    static Reply send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null));
        return new Reply(r.statusCode(), JSON.readTree(r.body()), r);
    }

    static Reply post(String body) throws Exception {
        return send("POST", "/v1/analyze", body);
    }

    static void assertResult(String text, Sentiment expected, JsonNode actual) {
        assertEquals(text, actual.get("text").asText());
        assertEquals(expected.label(), actual.get("label").asText(), text);
        assertEquals(expected.score(), actual.get("score").asDouble(), 1e-6, text);
        List<String> labels = new ArrayList<>();
        actual.get("scores").fieldNames().forEachRemaining(labels::add);
        assertEquals(analyzer.labels(), labels);
        for (String label : labels) {
            assertEquals(expected.score(label), actual.get("scores").get(label).asDouble(), 1e-6, text);
        }
    }

    static void assertError(int status, String fragment, Reply reply) {
        assertEquals(status, reply.status(), reply.body().toString());
        assertEquals(1, reply.body().size(), reply.body().toString());
        String error = reply.body().get("error").asText();
        assertTrue(error.contains(fragment), "expected '" + fragment + "' in: " + error);
    }

    @Test
    void health() throws Exception {
        Reply r = send("GET", "/health", null);
        assertEquals(200, r.status());
        assertEquals("{\"status\":\"ok\",\"model\":\"en\",\"labels\":[\"negative\",\"neutral\",\"positive\"]}",
                r.body().toString());
    }

    @Test
    void oneText() throws Exception {
        Reply r = post("{\"text\": \"I love this phone\"}");
        assertEquals(200, r.status(), r.body().toString());
        assertResult("I love this phone", analyzer.analyze("I love this phone"), r.body());
        List<String> keys = new ArrayList<>();
        r.body().fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("text", "label", "score", "scores", "read"), keys, "the CLI's shape");
    }

    @Test
    void manyTextsInOrder() throws Exception {
        List<String> texts = List.of("great", "awful", "", "The package arrived.", "不好", "😀 \"quoted\"\n");
        Reply r = post(JSON.writeValueAsString(java.util.Map.of("texts", texts)));
        assertEquals(200, r.status(), r.body().toString());
        JsonNode results = r.body().get("results");
        assertEquals(texts.size(), results.size());
        List<Sentiment> expected = analyzer.analyzeAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertResult(texts.get(i), expected.get(i), results.get(i));
        }
        assertEquals("{\"results\":[]}", post("{\"texts\": []}").body().toString());
    }

    @Test
    void explainGivesEachTokensContributionAsTheSdkDoes() throws Exception {
        Reply r = send("POST", "/v1/explain", "{\"text\": \"Not bad at all, I really like it\"}");
        assertEquals(200, r.status(), r.body().toString());
        String text = "Not bad at all, I really like it";
        Sentiment expected = analyzer.analyze(text);
        assertResult(text, expected, r.body());
        List<String> keys = new ArrayList<>();
        r.body().fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("text", "label", "score", "scores", "read", "explanation"), keys);
        List<dev.sentikit.Explanation.TokenContribution> want = analyzer.explain(text, expected.label()).byMagnitude();
        JsonNode got = r.body().get("explanation");
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).index(), got.get(i).get("index").asInt());
            assertEquals(want.get(i).token(), got.get(i).get("token").asText());
            assertEquals(want.get(i).contribution(), got.get(i).get("contribution").asDouble(), 1e-6);
        }

        List<String> texts = List.of("great", "", "不好");
        JsonNode results = send("POST", "/v1/explain", JSON.writeValueAsString(java.util.Map.of("texts", texts)))
                .body().get("results");
        assertEquals(texts.size(), results.size());
        for (int i = 0; i < texts.size(); i++) {
            assertResult(texts.get(i), analyzer.analyze(texts.get(i)), results.get(i));
            assertEquals(analyzer.explain(texts.get(i)).contributions().size(), results.get(i).get("explanation").size());
        }
        assertEquals(0, results.get(1).get("explanation").size(), "an empty text has no tokens");

        List<String> many = java.util.Collections.nCopies(SentimentServer.MAX_EXPLAIN_TEXTS + 1, "a");
        assertError(413, "at most " + SentimentServer.MAX_EXPLAIN_TEXTS,
                send("POST", "/v1/explain", JSON.writeValueAsString(java.util.Map.of("texts", many))));
        assertError(400, "\"text\" must be a string", send("POST", "/v1/explain", "{\"text\": 1}"));
    }

    @Test
    void thePageIsOneFileThatLoadsNothingElse() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals(SentimentServer.PAGE_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(null));
        String page = r.body();
        assertTrue(page.startsWith("<!doctype html>"), page.substring(0, 40));
        // Every src and href is inline data; the script fetches only the service's own paths.
        Matcher refs = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(page);
        while (refs.find()) {
            assertTrue(refs.group(1).startsWith("data:"), "the page refers to " + refs.group(1));
        }
        assertTrue(!page.contains("http://") && !page.contains("https://") && !page.contains("//cdn"), "an address");
        assertTrue(page.contains("fetch('v1/explain'") && page.contains("fetch('health')"), "the page's calls");
    }

    @Test
    void badRequestsGetA4xxJsonError() throws Exception {
        assertError(400, "not valid JSON", post("{\"text\": "));
        assertError(400, "not valid JSON", post("{\"text\": \"a\"} trailing"));
        assertError(400, "not valid JSON", post("{\"text\": \"a\", \"text\": \"b\"}"));
        assertError(400, "body is empty", post(""));
        assertError(400, "no JSON value", post("   "));
        assertError(400, "must be a JSON object", post("[\"a\"]"));
        assertError(400, "not a string", post("\"a\""));
        assertError(400, "missing field", post("{}"));
        assertError(400, "missing field", post("{\"txt\": \"a\"}"));
        assertError(400, "not both", post("{\"text\": \"a\", \"texts\": [\"b\"]}"));
        assertError(400, "\"text\" must be a string, not a number", post("{\"text\": 5}"));
        assertError(400, "\"text\" must be a string, not null", post("{\"text\": null}"));
        assertError(400, "\"texts\" must be an array of strings, not a string", post("{\"texts\": \"a\"}"));
        assertError(400, "\"texts\"[1] must be a string, not an object", post("{\"texts\": [\"a\", {}]}"));
        assertError(400, "\"texts\"[0] must be a string, not null", post("{\"texts\": [null]}"));
    }

    @Test
    void invalidUtf8IsBadJson() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/analyze"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"',
                    (byte) 0xC3, '"', '}'}))
                .build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("not valid JSON"), r.body());
    }

    @Test
    void limits() throws Exception {
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= SentimentServer.Limits.DEFAULT_MAX_TEXTS; i++) {
            tooMany.add("a");
        }
        assertError(413, "too many texts: 1001, at most 1000 per request; send them in several requests (or raise "
                + "--max-texts)",
                post(JSON.writeValueAsString(java.util.Map.of("texts", tooMany))));
        String big = "{\"text\": \"" + "a".repeat(SentimentServer.Limits.DEFAULT_MAX_BODY_BYTES) + "\"}";
        assertError(413, "more than the 1048576 bytes a request may have; send the texts in several requests (or "
                + "raise --max-body-bytes)", post(big));
        // The server still answers after refusing a large body.
        assertEquals(200, send("GET", "/health", null).status());
    }

    @Test
    void aHugeDeclaredBodyIsRefusedWithoutReadingIt() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000000\r\n\r\n{\"text\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The answer comes before the body is read; the connection stays open until the client gives up.
            InputStream in = socket.getInputStream();
            StringBuilder response = new StringBuilder();
            byte[] buffer = new byte[4096];
            for (int n; !response.toString().endsWith("}") && (n = in.read(buffer)) > 0; ) {
                response.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            assertTrue(response.toString().startsWith("HTTP/1.1 413 "), response.toString());
            assertTrue(response.toString().contains("1000000000 bytes, more than the 1048576 bytes"),
                    response.toString());
        }
    }

    @Test
    void wrongMethodsAndPaths() throws Exception {
        Reply get = send("GET", "/v1/analyze", null);
        assertError(405, "use POST", get);
        assertEquals("POST", get.raw().headers().firstValue("Allow").orElse(null));
        Reply postHealth = send("POST", "/health", "{}");
        assertError(405, "use GET", postHealth);
        assertEquals("GET", postHealth.raw().headers().firstValue("Allow").orElse(null));
        assertError(405, "method DELETE", send("DELETE", "/v1/analyze", null));
        assertError(404, "no such path: /v1/analyse", send("POST", "/v1/analyse", "{\"text\": \"a\"}"));
        assertError(404, "no such path: /index.html", send("GET", "/index.html", null));
        Reply postPage = send("POST", "/", "{}");
        assertError(405, "use GET", postPage);
        assertEquals("GET", postPage.raw().headers().firstValue("Allow").orElse(null));
        assertError(405, "use POST", send("GET", "/v1/explain", null));
        assertError(404, "no such path: /v1/analyze/extra", send("POST", "/v1/analyze/extra", "{\"text\": \"a\"}"));
    }

    @Test
    void concurrentRequestsGetTheAnswersOfDirectCalls() throws Exception {
        int threads = 8;
        int requests = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < requests; i++) {
                        String text = (i % 2 == 0 ? "great phone " : "awful battery ") + thread + " " + i;
                        if (i % 3 == 0) {
                            List<String> texts = List.of(text, "meh " + i, "");
                            Reply r = post(JSON.writeValueAsString(java.util.Map.of("texts", texts)));
                            assertEquals(200, r.status(), r.body().toString());
                            List<Sentiment> expected = analyzer.analyzeAll(texts);
                            for (int k = 0; k < texts.size(); k++) {
                                assertResult(texts.get(k), expected.get(k), r.body().get("results").get(k));
                            }
                        } else {
                            Reply r = post(JSON.writeValueAsString(java.util.Map.of("text", text)));
                            assertEquals(200, r.status(), r.body().toString());
                            assertResult(text, analyzer.analyze(text), r.body());
                        }
                    }
                    return requests;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(90, TimeUnit.SECONDS);
            }
            assertEquals(threads * requests, total);
        } finally {
            pool.shutdownNow();
        }
    }

    /** An analyzer whose batches wait until the test lets them go. */
    static final class Held implements SentimentAnalyzer {
        final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        @Override
        public Sentiment analyze(String text) {
            return analyzeAll(List.of(text)).get(0);
        }

        @Override
        public List<Sentiment> analyzeAll(List<String> texts) {
            started.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return analyzer.analyzeAll(texts);
        }

        @Override
        public List<String> labels() {
            return analyzer.labels();
        }

        @Override
        public dev.sentikit.model.ModelCard card() {
            return analyzer.card();
        }

        @Override
        public void close() {}
    }

    @Test
    void closeLetsARunningRequestFinishAndRefusesNewConnections() throws Exception {
        Held held = new Held();
        SentimentServer s = SentimentServer.start(held, "held", new InetSocketAddress("127.0.0.1", 0),
                SentimentServer.Limits.defaults().withThreads(2).withGraceSeconds(30));
        URI uri = URI.create("http://127.0.0.1:" + s.address().getPort() + "/v1/analyze");
        var inFlight = client.sendAsync(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString("{\"texts\": [\"good\", \"bad\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(held.started.await(30, TimeUnit.SECONDS), "the request reached the analyzer");
        Thread closing = new Thread(s::close);
        closing.start();
        boolean refused = false;
        for (int i = 0; i < 100 && !refused; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(s.address(), 1_000);
                Thread.sleep(50);
            } catch (java.io.IOException e) {
                refused = true;
            }
        }
        assertTrue(refused, "still accepting connections while closing");
        assertTrue(closing.isAlive(), "close waits for the running request");
        held.release.countDown();
        HttpResponse<String> r = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, JSON.readTree(r.body()).get("results").size());
        closing.join(30_000);
        assertTrue(!closing.isAlive(), "close returned");
    }
}
