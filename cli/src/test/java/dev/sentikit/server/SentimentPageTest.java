package dev.sentikit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.Explanation;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page of {@code sentiment serve} ({@code GET /}) in headless Chromium (Debian's {@code chromium}): it asks the
 * service for the explanations of the texts in its address and shows, for each, the label, a bar and the
 * probability of every label, and the text itself with every token shaded by its contribution. The test reads the
 * page as Chromium rendered it ({@code --dump-dom}) and checks it against the SDK's own results; it also takes a
 * screenshot ({@code target/sentiment-page.png}, or the path in {@code sentikit.page.screenshot}). Without Chromium
 * it is skipped, saying so; with {@code SENTIKIT_REQUIRE_CHROMIUM=1} (as in .ci/run) that is a failure.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SentimentPageTest {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
    static final List<String> TEXTS = List.of("Not bad at all, I really like it",
            "The food was awful and the staff were rude.", "The package arrived on Tuesday.", "I don\u2019t like it");

    private static SentimentAnalyzer analyzer;
    private static SentimentServer server;

    @BeforeAll
    static void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM);
        if (!present && "1".equals(System.getenv("SENTIKIT_REQUIRE_CHROMIUM"))) {
            throw new IllegalStateException("SENTIKIT_REQUIRE_CHROMIUM is set, but there is no Chromium at " + CHROMIUM);
        }
        Assumptions.assumeTrue(present, "skipped: no Chromium at " + CHROMIUM + " (apt-get install chromium, or set "
                + "CHROMIUM)");
        analyzer = SentimentAnalyzer.defaultModel();
        server = SentimentServer.start(analyzer, "en", new InetSocketAddress("127.0.0.1", 0),
                SentimentServer.Limits.defaults());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            analyzer.close();
        }
    }

    /** Runs headless Chromium on the page with the texts in its address, with a fresh profile; returns its output. */
    static String chromium(Path profile, String... what) throws IOException, InterruptedException {
        String query = TEXTS.stream().map(t -> "text=" + URLEncoder.encode(t, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
        List<String> command = new ArrayList<>();
        command.add(CHROMIUM.toString());
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        // Virtual time runs on until the page is idle: its calls to the service answered and the results drawn.
        command.add("--virtual-time-budget=30000");
        command.add("--window-size=1000,1150");
        command.addAll(List.of(what));
        command.add("http://127.0.0.1:" + server.address().getPort() + "/?" + query);
        Path out = profile.resolve("stdout.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "Chromium did not finish");
        assertEquals(0, p.exitValue(), "Chromium's exit status");
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    static String unescape(String html) {
        return html.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }

    @Test
    void thePageShowsTheSdksResultsAndShadesEveryToken(@TempDir Path profile) throws Exception {
        String dom = chromium(profile, "--dump-dom");
        assertTrue(!dom.contains("data-failed"), "the page reports a failure: " + dom);
        Matcher article = Pattern.compile("<article class=\"result\" data-label=\"([^\"]+)\">(.*?)</article>",
                Pattern.DOTALL).matcher(dom);
        int n = 0;
        for (; article.find(); n++) {
            String text = TEXTS.get(n);
            Sentiment expected = analyzer.analyze(text);
            assertEquals(expected.label(), article.group(1), text);
            String body = article.group(2);

            Matcher shown = Pattern.compile("<div class=\"bar-row\" data-label=\"([^\"]+)\" data-probability=\"([^\"]+)\">"
                    + ".*?<span class=\"value\">([0-9.]+) %</span>", Pattern.DOTALL).matcher(body);
            List<String> labels = new ArrayList<>();
            while (shown.find()) {
                double p = expected.score(shown.group(1));
                labels.add(shown.group(1));
                assertEquals(p, Double.parseDouble(shown.group(2)), 1e-6, text + ": " + shown.group(1));
                assertEquals(p, Double.parseDouble(shown.group(3)) / 100, 1e-4, text + ": shown " + shown.group(3));
            }
            assertEquals(analyzer.labels(), labels, "a bar per label, in the model's order");

            Matcher p = Pattern.compile("<p class=\"text\">(.*?)</p>", Pattern.DOTALL).matcher(body);
            assertTrue(p.find(), body);
            assertEquals(text, unescape(p.group(1)), "the text itself, as written");
            Matcher mark = Pattern.compile("<mark class=\"tok\" style=\"background: rgba\\((\\d+), \\d+, \\d+, [0-9.]+\\)\" "
                    + "data-index=\"(\\d+)\" data-token=\"([^\"]*)\" data-contribution=\"([^\"]+)\"").matcher(p.group(1));
            Explanation explanation = analyzer.explain(text, expected.label());
            int k = 0;
            for (; mark.find(); k++) {
                Explanation.TokenContribution c = explanation.contributions().get(k);
                assertEquals(c.index(), Integer.parseInt(mark.group(2)));
                assertEquals(c.token(), unescape(mark.group(3)));
                assertEquals(c.contribution(), Double.parseDouble(mark.group(4)), 1e-6, c.token());
                // green (46, 139, 87) for the label, red (209, 73, 91) against it
                assertEquals(c.contribution() >= 0 ? "46" : "209", mark.group(1), c.token() + " " + c.contribution());
            }
            assertEquals(explanation.contributions().size(), k, text + ": every token shaded in the text");
        }
        assertEquals(TEXTS.size(), n, "one result per text");
    }

    @Test
    void aScreenshot(@TempDir Path profile) throws Exception {
        Path png = Path.of(System.getProperty("sentikit.page.screenshot", "target/sentiment-page.png")).toAbsolutePath();
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        chromium(profile, "--screenshot=" + png);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 20_000, "a screenshot of " + bytes.length + " bytes");
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
    }
}
