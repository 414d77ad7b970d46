package dev.sentikit.sentiment;

import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.server.SentimentServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sentiment serve}: runs {@link SentimentServer} until the process is stopped (Ctrl-C or SIGTERM), then
 * stops gracefully: no new requests, running ones finish, the model is closed.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves a model over HTTP: POST /v1/analyze with {\"text\": \"...\"} or {\"texts\": [...]}, "
                + "POST /v1/explain (the same, with each token's contribution), GET /health (liveness), GET /ready "
                + "(readiness), GET /metrics (Prometheus), and a page for people at GET /. Concurrent requests are "
                + "joined into batches; when the queue is full, requests are answered 503 with Retry-After. Runs "
                + "until stopped (Ctrl-C), then finishes the admitted requests.")
final class ServeCommand implements Callable<Integer> {

    /** Commands now serving, so that tests can stop them as a signal would. */
    private static final Set<ServeCommand> RUNNING = ConcurrentHashMap.newKeySet();

    @Option(names = "--port", defaultValue = "8080", description = "The port (default: ${DEFAULT-VALUE}; 0 picks a "
            + "free one, printed at start).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "The address to listen on (default: "
            + "${DEFAULT-VALUE}, this machine only; 0.0.0.0 listens on every interface).")
    String host;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--threads", paramLabel = "N", description = "Threads that read request bodies and write "
            + "answers (default: one per core, at least 4). The model runs on its own thread, one batch at a time, "
            + "each batch on every core.")
    Integer threads;

    @Option(names = "--max-texts", paramLabel = "N", description = "Texts in one request at most (default: 1000 for "
            + "a transformer such as en, 10000 for the small models); more is answered 413.")
    Integer maxTexts;

    @Option(names = "--max-body-bytes", paramLabel = "BYTES", description = "A request body's size at most (default: "
            + "1048576, 1 MiB); more is answered 413.")
    Integer maxBodyBytes;

    @Option(names = "--max-batch", paramLabel = "N", description = "Texts in one call of the model at most (default: "
            + "32); concurrent requests are joined up to this, larger ones split into slices this size.")
    Integer maxBatch;

    @Option(names = "--max-batch-wait-ms", paramLabel = "MS", description = "How long the first text of a batch "
            + "waits for others to join it (default: 5).")
    Integer maxBatchWaitMs;

    @Option(names = "--max-queue-tokens", paramLabel = "N", description = "Work waiting for the model at most, in "
            + "estimated tokens (default: 4 requests of the most texts, each as long as the model reads: 512000 for "
            + "en); a request that would pass it is answered 503 with Retry-After.")
    Long maxQueueTokens;

    @Option(names = "--deadline-ms", paramLabel = "MS", description = "How long a request may take (default: "
            + "30000). One that cannot finish in time is answered 503 with Retry-After (before the model) or 504 "
            + "(during), never late.")
    Integer deadlineMs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile Runnable stopAction;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be in 0..65535, got " + port);
        }
        positive("--threads", threads);
        positive("--max-texts", maxTexts);
        positive("--max-body-bytes", maxBodyBytes);
        positive("--max-batch", maxBatch);
        positive("--deadline-ms", deadlineMs);
        if (maxBatchWaitMs != null && maxBatchWaitMs < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-batch-wait-ms must be >= 0, got "
                    + maxBatchWaitMs);
        }
        if (maxQueueTokens != null && maxQueueTokens < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-queue-tokens must be >= 1, got "
                    + maxQueueTokens);
        }
        // The JDK server has no request deadline by default; one keeps a slow client from holding a thread.
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "60");
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "60");
        PrintWriter out = spec.commandLine().getOut();
        SentimentAnalyzer analyzer = modelOptions.open();
        SentimentServer.Limits limits = limits(analyzer);
        SentimentServer server;
        try {
            server = SentimentServer.start(analyzer, modelName(analyzer), new InetSocketAddress(host, port), limits);
        } catch (IOException | RuntimeException e) {
            analyzer.close();
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        Thread hook = new Thread(() -> {
            stop();
            try {
                exited.await(5, java.util.concurrent.TimeUnit.SECONDS); // let call() say so before the JVM halts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sentiment-serve-stop");
        stopAction = () -> {
            server.close();
            analyzer.close();
        };
        Runtime.getRuntime().addShutdownHook(hook);
        RUNNING.add(this);
        InetSocketAddress at = server.address();
        out.printf("serving %s (labels %s) on http://%s:%d with %d threads: POST %s, POST %s, GET %s, GET %s, GET %s, "
                + "and the page at http://%s:%d/; Ctrl-C stops%n", modelName(analyzer), analyzer.labels(),
                at.getHostString(), at.getPort(), limits.threads(), SentimentServer.ANALYZE, SentimentServer.EXPLAIN,
                SentimentServer.HEALTH, SentimentServer.READY, SentimentServer.METRICS, at.getHostString(), at.getPort());
        out.printf("limits: %d texts and %d bytes a request, batches of %d texts or %d ms, %d tokens queued, "
                + "deadline %d ms%n", limits.maxTexts(), limits.maxBodyBytes(), limits.maxBatchTexts(),
                limits.maxBatchWait().toMillis(), limits.maxQueueTokens(), limits.deadline().toMillis());
        out.flush();
        stopped.await();
        RUNNING.remove(this);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is what stopped us.
        }
        out.println("stopped");
        out.flush();
        exited.countDown();
        return 0;
    }

    /** The model's default limits ({@link SentimentServer.Limits#defaultsFor}) with the options given. */
    private SentimentServer.Limits limits(SentimentAnalyzer analyzer) {
        SentimentServer.Limits limits = SentimentServer.Limits.defaultsFor(analyzer);
        if (threads != null) {
            limits = limits.withThreads(threads);
        }
        if (maxTexts != null) {
            limits = limits.withMaxTexts(maxTexts);
        }
        if (maxBodyBytes != null) {
            limits = limits.withMaxBodyBytes(maxBodyBytes);
        }
        if (maxBatch != null || maxBatchWaitMs != null) {
            limits = limits.withMaxBatch(maxBatch != null ? maxBatch : limits.maxBatchTexts(),
                    maxBatchWaitMs != null ? Duration.ofMillis(maxBatchWaitMs) : limits.maxBatchWait());
        }
        if (maxQueueTokens != null) {
            limits = limits.withMaxQueueTokens(maxQueueTokens);
        }
        if (deadlineMs != null) {
            limits = limits.withDeadline(Duration.ofMillis(deadlineMs));
        }
        return limits;
    }

    private void positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be >= 1, got " + value);
        }
    }

    /** Stops serving: what Ctrl-C does. */
    void stop() {
        Runnable action = stopAction;
        if (action != null) {
            action.run();
        }
        stopped.countDown();
    }

    /** Stops every command now serving in this JVM; for tests. */
    static void stopAll() {
        for (ServeCommand command : RUNNING) {
            command.stop();
        }
    }

    private String modelName(SentimentAnalyzer analyzer) {
        String name = analyzer.card().name();
        if (name != null && !name.isBlank()) {
            return name;
        }
        Path file = Path.of(modelOptions.model).getFileName();
        return file == null ? modelOptions.model : file.toString();
    }
}
