package dev.sentikit.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code sentiment serve}: the command that runs {@link dev.sentikit.server.SentimentServer} until stopped. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeCommandTest {

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void theServeCommandServesUntilStopped() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ExecutorService cli = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> code = cli.submit(() -> SentimentCli.run(new String[] {"serve", "--port", "0",
                "--threads", "2"}, new PrintWriter(out, true), new PrintWriter(err, true)));
            Pattern started = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+) with 2 threads");
            Matcher m = started.matcher("");
            for (int i = 0; i < 600 && !m.find(); i++) {
                assertTrue(!code.isDone(), "serve ended: " + err);
                Thread.sleep(100);
                m = started.matcher(out.toString());
            }
            URI health = URI.create("http://127.0.0.1:" + m.group(1) + "/health");
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"model\":\"en\""), r.body());
            ServeCommand.stopAll();
            assertEquals(0, code.get(30, TimeUnit.SECONDS), err.toString());
            assertTrue(out.toString().endsWith("stopped\n"), out.toString());
        } finally {
            ServeCommand.stopAll();
            cli.shutdownNow();
        }
    }

    @Test
    void theServeCommandRefusesBadOptions() {
        SentimentCliTest.Run port = SentimentCliTest.run("serve", "--port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("--port must be in 0..65535"), port.err());
        SentimentCliTest.Run model = SentimentCliTest.run("serve", "--port", "0", "--model", "klingon");
        assertEquals(1, model.code());
        assertTrue(model.err().contains("no zoo model 'klingon'"), model.err());
    }
}
