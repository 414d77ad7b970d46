package dev.sentikit.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.SentimentAnalyzer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load test of issue 26 ({@code cli/load-test.sh}): serves a model on loopback and measures it as a user would,
 * in three phases on the same machine, one after another:
 *
 * <ol>
 *   <li><b>baseline</b>: {@code analyzeAll} called directly with batches of 32 texts, the pace to compare with;</li>
 *   <li><b>one text</b>: 16 clients sending one-text requests, the texts per second micro-batching reaches;</li>
 *   <li><b>mixed</b>: 16 clients sending 400 requests, 70% one text, 15% 16 texts, 10% malformed JSON, 5% 1,000 texts,
 *       while {@code /health} is probed a few times a second.</li>
 * </ol>
 *
 * <p>It prints throughput, latency percentiles by request kind, the probes' latency, the status codes, and checks
 * that every 200 holds its texts' results in order, that no 5xx other than 503 with {@code Retry-After} (or 504) is
 * answered, and that no request waits past its deadline. Bounded: a fixed number of requests, each with a timeout,
 * and a total time after which no new request is sent. Loopback only: it refuses any other address.
 *
 * <pre>
 * cli/load-test.sh [--requests 400] [--clients 16] [--one-text-requests 640] [--model en] [--url http://127.0.0.1:8080]
 *                  [--max-seconds 600] [--probe-ms 250] [--seed 26] [--out FILE.md]
 * </pre>
 */
public final class ServeLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rounds of the one-text phase, each a baseline measure then one-text requests. */
    private static final int ROUNDS = 3;

    /** The kinds of request in the mixed load, with the issue's shares. */
    enum Kind {
        ONE_TEXT("one text", 0.70, 1),
        SIXTEEN_TEXTS("16 texts", 0.15, 16),
        MALFORMED("malformed JSON", 0.10, 0),
        THOUSAND_TEXTS("1,000 texts", 0.05, 1_000);

        final String label;
        final double share;
        final int texts;

        Kind(String label, double share, int texts) {
            this.label = label;
            this.share = share;
            this.texts = texts;
        }
    }

    /** One answered (or failed) request. */
    record Outcome(Kind kind, int status, long nanos, boolean retryAfter, String problem) {}

    private final int requests;
    private final int clients;
    private final int oneTextRequests;
    private final String model;
    private final URI url;
    private final long maxNanos;
    private final long probeMillis;
    private final long seed;
    private final Path out;
    private final Long batchWaitMs;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final StringBuilder report = new StringBuilder();

    private ServeLoad(Map<String, String> options) {
        this.requests = Integer.parseInt(options.getOrDefault("--requests", "400"));
        this.clients = Integer.parseInt(options.getOrDefault("--clients", "16"));
        this.oneTextRequests = Integer.parseInt(options.getOrDefault("--one-text-requests", "640"));
        this.model = options.getOrDefault("--model", "en");
        this.url = options.containsKey("--url") ? URI.create(options.get("--url")) : null;
        this.maxNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("--max-seconds", "600")));
        this.probeMillis = Long.parseLong(options.getOrDefault("--probe-ms", "250"));
        this.seed = Long.parseLong(options.getOrDefault("--seed", "26"));
        this.out = options.containsKey("--out") ? Path.of(options.get("--out")) : null;
        this.batchWaitMs = options.containsKey("--max-batch-wait-ms") ? Long.valueOf(options.get("--max-batch-wait-ms"))
                : null;
        if (requests < 1 || clients < 1 || oneTextRequests < 0 || probeMillis < 1) {
            throw new IllegalArgumentException("--requests, --clients and --probe-ms must be >= 1, "
                    + "--one-text-requests >= 0");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || !args[i].startsWith("--") || i + 1 == args.length) {
                System.err.println("usage: cli/load-test.sh [--requests 400] [--clients 16] [--one-text-requests 640] "
                        + "[--model en] [--url http://127.0.0.1:PORT] [--max-seconds 600] [--probe-ms 250] "
                        + "[--seed 26] [--max-batch-wait-ms MS] [--out FILE.md]");
                System.exit(args[i].equals("--help") ? 0 : 2);
            }
            options.put(args[i], args[++i]);
        }
        System.exit(new ServeLoad(options).run());
    }

    private int run() throws Exception {
        try (SentimentAnalyzer analyzer = ModelLoading.open(model)) {
            line("## Serving under load: %s, model `%s`, %d cores, Java %s", Instant.now().truncatedTo(
                    ChronoUnit.SECONDS), model, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            line("");
            SentimentServer server = null;
            URI base = url;
            SentimentServer.Limits limits = SentimentServer.Limits.defaultsFor(analyzer);
            if (batchWaitMs != null) {
                limits = limits.withMaxBatch(limits.maxBatchTexts(), Duration.ofMillis(batchWaitMs));
            }
            if (base == null) {
                server = SentimentServer.start(analyzer, model, new InetSocketAddress("127.0.0.1", 0), limits);
                base = URI.create("http://127.0.0.1:" + server.address().getPort());
            } else if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
                throw new IllegalArgumentException("--url must be a loopback address (127.0.0.1, localhost): the load "
                        + "test does not load other machines; got " + base);
            }
            try {
                line("Server: %s, limits %s", url == null ? "in this process, `SentimentServer.Limits.defaultsFor`"
                        : "at " + url, url == null ? limits : "its own");
                line("");
                boolean passed = oneTextRequests == 0 || oneTextPhase(analyzer, base);
                passed &= mixedPhase(base, limits.deadline());
                line("");
                line("Metrics after the run (`GET /metrics`, batching):");
                line("```");
                for (String l : get(base.resolve(SentimentServer.METRICS)).body().split("\n")) {
                    if (l.startsWith("sentiment_batch_texts_sum") || l.startsWith("sentiment_batch_texts_count")
                            || l.startsWith("sentiment_requests_total") || l.startsWith("sentiment_model_info")) {
                        line("%s", l);
                    }
                }
                line("```");
                return passed ? 0 : 1;
            } finally {
                if (server != null) {
                    server.close();
                }
                if (out != null) {
                    Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
                }
            }
        }
    }

    /** Loads a model the way {@code sentiment serve} does, without the CLI's classes. */
    private static final class ModelLoading {
        static SentimentAnalyzer open(String model) throws Exception {
            Path path = Path.of(model);
            if (model.endsWith(".onnx") || model.contains("/") || Files.exists(path)) {
                return SentimentAnalyzer.load(path, AnalyzerOptions.defaults());
            }
            return SentimentAnalyzer.fromZoo(model, AnalyzerOptions.defaults());
        }
    }

    /** Texts/s of analyzeAll with batches of 32 over {@code batches} batches. */
    private static double baseline(SentimentAnalyzer analyzer, Texts texts, int batches) {
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            analyzer.analyzeAll(texts.next(32));
        }
        return batches * 32 / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * One-text requests from {@link #clients} clients against analyzeAll with batches of 32 called directly, in
     * {@link #ROUNDS} alternating rounds: on a shared machine the cores' other load changes from minute to minute,
     * and alternating exposes both measures to the same changes. The ratio is of the totals.
     */
    private boolean oneTextPhase(SentimentAnalyzer analyzer, URI base) throws Exception {
        Texts texts = new Texts(seed);
        for (int i = 0; i < 5; i++) {
            analyzer.analyzeAll(texts.next(32)); // warm-up, as the HTTP path is warmed up below
        }
        List<Outcome> warm = drive(base, 4 * clients, i -> Kind.ONE_TEXT, seed + 1);
        int perRound = Math.max(clients, oneTextRequests / ROUNDS);
        int baselineBatches = Math.max(1, perRound / 32);
        double baselineTexts = 0;
        double baselineSeconds = 0;
        double oneTexts = 0;
        double oneSeconds = 0;
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, Double> before = metrics(base);
        List<String> rounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            double rate = baseline(analyzer, texts, baselineBatches);
            baselineTexts += baselineBatches * 32;
            baselineSeconds += baselineBatches * 32 / rate;
            long start = System.nanoTime();
            List<Outcome> these = drive(base, perRound, i -> Kind.ONE_TEXT, seed + 2 + round);
            double seconds = (System.nanoTime() - start) / 1e9;
            long ok = these.stream().filter(o -> o.status == 200).count();
            oneTexts += ok;
            oneSeconds += seconds;
            outcomes.addAll(these);
            rounds.add(String.format(Locale.ROOT, "%.0f against %.0f texts/s (%.0f%%)", ok / seconds, rate,
                    100 * ok / seconds / rate));
        }
        Map<String, Double> after = metrics(base);
        double batches = after.get("sentiment_batch_texts_count") - before.get("sentiment_batch_texts_count");
        double batched = after.get("sentiment_batch_texts_sum") - before.get("sentiment_batch_texts_sum");
        double baselineRate = baselineTexts / baselineSeconds;
        double rate = oneTexts / oneSeconds;
        double ratio = rate / baselineRate;
        long ok = outcomes.stream().filter(o -> o.status == 200).count();
        line("**Baseline**, `analyzeAll` with batches of 32 called directly: %.0f texts in %.1f s, **%.1f texts/s**.",
                baselineTexts, baselineSeconds, baselineRate);
        line("");
        line("**One-text requests**, %d clients: %d requests (%d answered 200) in %.1f s, **%.1f texts/s = %.0f%% of "
                + "the baseline** (target: at least 70%%); by round, one-text against baseline: %s. Latency p50 %s, "
                + "p99 %s. The requests reached the model in %.0f batches of %.1f texts on average.", clients,
                outcomes.size(), ok, oneSeconds, rate, 100 * ratio, String.join("; ", rounds),
                ms(percentile(outcomes, 0.50)), ms(percentile(outcomes, 0.99)), batches, batched / Math.max(1, batches));
        line("");
        return ratio >= 0.70 && ok == outcomes.size() && warm.stream().allMatch(o -> o.status == 200);
    }

    /** The issue's mixed load, with /health probed throughout. */
    private boolean mixedPhase(URI base, Duration deadline) throws Exception {
        Random random = new Random(seed);
        List<Kind> plan = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            double r = random.nextDouble();
            double at = 0;
            Kind kind = Kind.ONE_TEXT;
            for (Kind k : Kind.values()) {
                at += k.share;
                if (r < at) {
                    kind = k;
                    break;
                }
            }
            plan.add(kind);
        }
        AtomicBoolean probing = new AtomicBoolean(true);
        List<Outcome> probes = Collections.synchronizedList(new ArrayList<>());
        Thread prober = new Thread(() -> {
            while (probing.get()) {
                long start = System.nanoTime();
                int status;
                try {
                    status = client.send(HttpRequest.newBuilder(base.resolve(SentimentServer.HEALTH))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (IOException e) {
                    status = -1;
                } catch (InterruptedException e) {
                    return;
                }
                probes.add(new Outcome(null, status, System.nanoTime() - start, false, null));
                try {
                    Thread.sleep(probeMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "health-prober");
        prober.start();
        long start = System.nanoTime();
        List<Outcome> outcomes;
        try {
            outcomes = drive(base, requests, plan::get, seed + 3);
        } finally {
            probing.set(false);
            prober.join(15_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long texts = outcomes.stream().filter(o -> o.status == 200).mapToLong(o -> o.kind.texts).sum();
        line("**Mixed load**, %d clients, %d requests (%s): %.1f s, **%.1f requests/s**, %.1f texts/s answered 200.",
                clients, outcomes.size(), shares(plan), seconds, outcomes.size() / seconds, texts / seconds);
        line("");
        line("| request | count | status codes | p50 | p90 | p99 | max |");
        line("|---|---:|---|---:|---:|---:|---:|");
        for (Kind k : Kind.values()) {
            List<Outcome> of = outcomes.stream().filter(o -> o.kind == k).toList();
            if (!of.isEmpty()) {
                line("| %s | %d | %s | %s | %s | %s | %s |", k.label, of.size(), codes(of), ms(percentile(of, 0.5)),
                        ms(percentile(of, 0.9)), ms(percentile(of, 0.99)), ms(percentile(of, 1)));
            }
        }
        line("| `/health`, every %d ms | %d | %s | %s | %s | %s | %s |", probeMillis, probes.size(), codes(probes),
                ms(percentile(probes, 0.5)), ms(percentile(probes, 0.9)), ms(percentile(probes, 0.99)),
                ms(percentile(probes, 1)));
        line("");

        List<String> problems = new ArrayList<>();
        long unavailable = outcomes.stream().filter(o -> o.status == 503).count();
        long withRetryAfter = outcomes.stream().filter(o -> o.status == 503 && o.retryAfter).count();
        long late = outcomes.stream().filter(o -> o.nanos > deadline.toNanos() + TimeUnit.SECONDS.toNanos(1)).count();
        long longest503 = outcomes.stream().filter(o -> o.status == 503).mapToLong(o -> o.nanos).max().orElse(0);
        long other5xx = outcomes.stream().filter(o -> o.status >= 500 && o.status != 503 && o.status != 504).count();
        long failed = outcomes.stream().filter(o -> o.status < 0).count();
        long wrongMalformed = outcomes.stream().filter(o -> o.kind == Kind.MALFORMED && o.status != 400).count();
        outcomes.stream().filter(o -> o.problem != null).forEach(o -> problems.add(o.kind.label + ": " + o.problem));
        double health99 = percentile(probes, 0.99) / 1e6;
        line("Against the targets:");
        line("- `/health` p99 %.1f ms (target: at most 50 ms): **%s**.", health99, health99 <= 50 ? "met" : "missed");
        line("- 503 answers: %d, %d with `Retry-After`; the slowest 503 came after %s; deadline %d s; requests past "
                + "their deadline (+1 s): %d: **%s**.", unavailable, withRetryAfter, ms(longest503),
                deadline.toSeconds(), late, unavailable == withRetryAfter && late == 0 ? "met" : "missed");
        line("- Other 5xx: %d (504: %d); failed connections: %d; malformed JSON not answered 400: %d; 200s with "
                + "wrong, missing or misordered results: %d: **%s**.", other5xx,
                outcomes.stream().filter(o -> o.status == 504).count(), failed, wrongMalformed, problems.size(),
                other5xx == 0 && failed == 0 && wrongMalformed == 0 && problems.isEmpty() ? "met" : "missed");
        for (String p : problems.subList(0, Math.min(5, problems.size()))) {
            line("  - %s", p);
        }
        return health99 <= 50 && unavailable == withRetryAfter && late == 0 && other5xx == 0 && failed == 0
                && wrongMalformed == 0 && problems.isEmpty();
    }

    /** Sends {@code count} requests from {@link #clients} threads, each taking the next one when answered. */
    private List<Outcome> drive(URI base, int count, java.util.function.IntFunction<Kind> kinds, long textSeed)
            throws InterruptedException {
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        long stopAt = System.nanoTime() + maxNanos;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            int clientNumber = c;
            pool.execute(() -> {
                Texts texts = new Texts(textSeed * 1_000 + clientNumber);
                for (int i; (i = next.getAndIncrement()) < count && System.nanoTime() < stopAt; ) {
                    outcomes.add(send(base, kinds.apply(i), texts));
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(maxNanos + TimeUnit.MINUTES.toNanos(2), TimeUnit.NANOSECONDS)) {
            pool.shutdownNow();
        }
        return new ArrayList<>(outcomes);
    }

    private Outcome send(URI base, Kind kind, Texts texts) {
        List<String> list = texts.next(kind.texts);
        String body;
        try {
            body = switch (kind) {
                case ONE_TEXT -> JSON.writeValueAsString(Map.of("text", list.get(0)));
                case MALFORMED -> "{\"texts\": [\"" + texts.next(1).get(0) + "\", ";
                default -> JSON.writeValueAsString(Map.of("texts", list));
            };
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(SentimentServer.ANALYZE))
                    .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            long nanos = System.nanoTime() - start;
            String problem = r.statusCode() == 200 ? check(kind, list, r.body()) : null;
            return new Outcome(kind, r.statusCode(), nanos, r.headers().firstValue("Retry-After").isPresent(), problem);
        } catch (IOException e) {
            return new Outcome(kind, -1, System.nanoTime() - start, false, "no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(kind, -1, System.nanoTime() - start, false, "interrupted");
        }
    }

    /** Null when a 200's body holds one result per text, in order; otherwise what is wrong. */
    private static String check(Kind kind, List<String> texts, String body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (kind == Kind.ONE_TEXT) {
                return texts.get(0).equals(json.path("text").asText()) && json.has("label") ? null
                        : "another text's result: " + body;
            }
            JsonNode results = json.path("results");
            if (results.size() != texts.size()) {
                return results.size() + " results for " + texts.size() + " texts";
            }
            for (int i = 0; i < texts.size(); i++) {
                if (!texts.get(i).equals(results.get(i).path("text").asText()) || !results.get(i).has("label")) {
                    return "result " + i + " is not text " + i + "'s";
                }
            }
            return null;
        } catch (IOException e) {
            return "not JSON: " + e.getMessage();
        }
    }

    /** The unlabelled samples of /metrics, by name. */
    private Map<String, Double> metrics(URI base) throws IOException, InterruptedException {
        Map<String, Double> values = new TreeMap<>();
        for (String l : get(base.resolve(SentimentServer.METRICS)).body().split("\n")) {
            String[] parts = l.split(" ");
            if (!l.startsWith("#") && parts.length == 2 && !parts[0].contains("{")) {
                values.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return values;
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String shares(List<Kind> plan) {
        Map<Kind, Integer> n = new EnumMap<>(Kind.class);
        plan.forEach(k -> n.merge(k, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        n.forEach((k, c) -> parts.add(c + " " + k.label));
        return String.join(", ", parts);
    }

    private static String codes(List<Outcome> outcomes) {
        Map<Integer, Integer> n = new TreeMap<>();
        outcomes.forEach(o -> n.merge(o.status, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        n.forEach((code, c) -> parts.add((code < 0 ? "no answer" : code.toString()) + ": " + c));
        return String.join(", ", parts);
    }

    /** The nearest-rank percentile of the latencies, in ns; 0 when there are none. */
    private static long percentile(List<Outcome> outcomes, double p) {
        long[] nanos = outcomes.stream().mapToLong(Outcome::nanos).sorted().toArray();
        if (nanos.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * nanos.length);
        return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))];
    }

    private static String ms(long nanos) {
        double ms = nanos / 1e6;
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private void line(String format, Object... args) {
        String l = String.format(Locale.ROOT, format, args);
        System.out.println(l);
        System.out.flush();
        report.append(l).append('\n');
    }

    /**
     * Review-like English texts of 6 to 30 words, reproducible from a seed: a subject, an opinion and a detail, so
     * that the labels vary and the lengths spread as real reviews' do.
     */
    static final class Texts {
        private static final String[] SUBJECTS = {"The battery", "This phone", "The screen", "Delivery", "The case",
            "Customer service", "The camera", "Setup", "The sound", "The price", "My order", "The charger"};
        private static final String[] OPINIONS = {"is great", "was awful", "works fine", "broke after two days",
            "is not bad at all", "could be better", "exceeded my expectations", "is a complete waste of money",
            "arrived on time", "is okay I guess", "made me really happy", "keeps disconnecting"};
        private static final String[] DETAILS = {"and I would buy it again", "but the manual is confusing",
            "so I returned it", "which is what I expected for the price", "and my kids love it",
            "although the colour is different from the photos", "after the last update",
            "even though the reviews said otherwise", "and support never answered my emails",
            "which makes it perfect for travel", "but only when it is fully charged", "compared to my old one"};
        private final Random random;
        private long serial;

        Texts(long seed) {
            this.random = new Random(seed);
        }

        List<String> next(int n) {
            List<String> texts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                StringBuilder t = new StringBuilder();
                t.append(SUBJECTS[random.nextInt(SUBJECTS.length)]).append(' ')
                        .append(OPINIONS[random.nextInt(OPINIONS.length)]);
                for (int d = random.nextInt(3); d > 0; d--) {
                    t.append(' ').append(DETAILS[random.nextInt(DETAILS.length)]);
                }
                // A number makes each text unique, so that a result cannot be matched to the wrong request.
                t.append(". #").append(serial++);
                texts.add(t.toString());
            }
            return texts;
        }
    }
}
