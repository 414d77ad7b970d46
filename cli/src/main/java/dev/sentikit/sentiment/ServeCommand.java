package dev.sentikit.sentiment;

import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.server.SentimentServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
                + "POST /v1/explain (the same, with each token's contribution), GET /health, and a page for people "
                + "at GET /. Runs until stopped (Ctrl-C), then finishes the running requests.")
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

    @Option(names = "--threads", paramLabel = "N", description = "Requests analyzed at once (default: one per "
            + "core, at least 2).")
    Integer threads;

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
        SentimentServer.Limits limits = SentimentServer.Limits.defaults();
        if (threads != null) {
            if (threads < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
            }
            limits = limits.withThreads(threads);
        }
        // The JDK server has no request deadline by default; one keeps a slow client from holding a thread.
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "60");
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "60");
        PrintWriter out = spec.commandLine().getOut();
        SentimentAnalyzer analyzer = modelOptions.open();
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
        out.printf("serving %s (labels %s) on http://%s:%d with %d threads: POST %s, POST %s, GET %s, and the "
                + "page at http://%s:%d/; Ctrl-C stops%n", modelName(analyzer), analyzer.labels(), at.getHostString(),
                at.getPort(), limits.threads(), SentimentServer.ANALYZE, SentimentServer.EXPLAIN, SentimentServer.HEALTH,
                at.getHostString(), at.getPort());
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
