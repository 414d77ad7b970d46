package dev.sentikit.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The outputs that the README shows are those the product gives: each example is read from the README, run, and
 * its shown output compared with what the run printed, to the digits shown.
 */
class ReadmeExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static String readme() throws IOException {
        return Files.readString(Path.of(System.getProperty("sentikit.root.dir", "..")).resolve("README.md"),
                StandardCharsets.UTF_8);
    }

    /** The first match of {@code regex} in the README (group 1 and on), failing with {@code what} when none. */
    static Matcher find(String readme, String regex, String what) {
        Matcher m = Pattern.compile(regex).matcher(readme);
        assertTrue(m.find(), "the README no longer shows " + what + " (" + regex + ")");
        return m;
    }

    /**
     * "Explain a result": {@code bin/sentiment --explain TEXT}, and the explanation's first tokens shown under it
     * with their contributions to two decimals, largest first.
     */
    @Test
    void explainShowsWhatSentimentExplainPrints() throws Exception {
        String readme = readme();
        String text = find(readme, "\\nbin/sentiment --explain \"([^\"]+)\"\\n", "the --explain command").group(1);
        Matcher shown = find(readme, "adds to each JSON object `\"explanation\":\\[((?:\\{[^}]*},)+)…]`",
                "the --explain output");
        Matcher token = Pattern.compile("\\{\"token\":\"([^\"]+)\",\"contribution\":(-?\\d\\.\\d\\d)}")
                .matcher(shown.group(1));
        List<String> expected = new ArrayList<>();
        while (token.find()) {
            expected.add(token.group(1) + " " + token.group(2));
        }
        assertTrue(expected.size() >= 2, "the README shows too few tokens: " + shown.group(1));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SentimentCli.run(new String[] {"--explain", text}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        JsonNode result = JSON.readTree(out.toString());
        List<String> actual = new ArrayList<>();
        for (JsonNode c : result.get("explanation")) {
            actual.add(c.get("token").asText() + " " + String.format(Locale.ROOT, "%.2f",
                    c.get("contribution").asDouble()));
        }
        assertEquals(expected, actual.subList(0, Math.min(expected.size(), actual.size())),
                "bin/sentiment --explain \"" + text + "\" prints " + out);
    }

    /** "Use it from Java": the comment after the println shows what it prints, to two decimals. */
    @Test
    void javaExampleShowsWhatItPrints() throws Exception {
        Matcher m = find(readme(), "analyzer\\.analyze\\(\"([^\"]+)\"\\);\\s*\\n\\s*System\\.out\\.println\\(s\\.label\\(\\) "
                + "\\+ \" \" \\+ s\\.score\\(\\) \\+ \" \" \\+ s\\.scores\\(\\)\\);\\s*// ([^\\n]+)\\n",
                "the Java example");
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.defaultModel()) {
            Sentiment s = analyzer.analyze(m.group(1));
            String printed = s.label() + " " + twoDecimals(s.score()) + " " + s.scores().entrySet().stream()
                    .map(e -> e.getKey() + "=" + twoDecimals(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
            assertEquals(m.group(2).strip(), printed, "the example prints " + s);
        }
    }

    /** "Use it from JavaScript": the result shown, which the JavaScript package gives within 1e-5 of Java's. */
    @Test
    void javaScriptExampleShowsTheEnModelsResult() throws Exception {
        Matcher m = find(readme(), "await analyzer\\.analyze\\('([^']+)'\\);\\s*// \\{label: '(\\w+)', score: "
                + "(\\d\\.\\d+)…", "the JavaScript example");
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromZoo("en")) {
            Sentiment s = analyzer.analyze(m.group(1));
            assertEquals(m.group(2), s.label(), s.toString());
            assertTrue(String.valueOf(s.score()).startsWith(m.group(3)), "the score is " + s.score() + ", the README "
                    + "shows " + m.group(3) + "…");
        }
    }

    private static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
