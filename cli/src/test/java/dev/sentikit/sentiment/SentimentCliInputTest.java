package dev.sentikit.sentiment;

import static dev.sentikit.sentiment.CliProcess.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sentiment --input} as a user runs it, in its own JVM: one result per input line whatever the bytes,
 * {@code --strict}, the line ends, and results that are printed as they are ready and survive {@code kill -9}.
 * The small {@code en-lite} model keeps each run to a few seconds.
 */
class SentimentCliInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "en-lite";

    private static SentimentAnalyzer analyzer;

    @BeforeAll
    static void load() throws Exception {
        analyzer = SentimentAnalyzer.fromZoo(MODEL);
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    /** What a CharsetDecoder set to REPLACE makes of {@code data}. */
    static String replacing(byte[] data) throws Exception {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(data)).toString();
    }

    private static CliProcess.Result sentiment(Path dir, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--model", MODEL));
        all.addAll(List.of(args));
        return CliProcess.run(dir, SentimentCli.class, all.toArray(String[]::new));
    }

    /** Each output line is the JSON of the text expected at its position, with the in-process analyzer's result. */
    private static void assertResults(List<String> expectedTexts, List<String> lines) throws Exception {
        assertEquals(expectedTexts.size(), lines.size(), "one result per input line: " + lines);
        List<Sentiment> expected = analyzer.analyzeAll(expectedTexts);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode r = JSON.readTree(lines.get(i));
            assertEquals(expectedTexts.get(i), r.get("text").asText(), "line " + (i + 1));
            assertEquals(expected.get(i).label(), r.get("label").asText(), "line " + (i + 1));
            for (String label : analyzer.labels()) {
                assertEquals(expected.get(i).score(label), r.get("scores").get(label).asDouble(), 1e-6,
                        "line " + (i + 1));
            }
        }
    }

    private static final byte[] FIVE_LINES = bytes("I love this phone\n", "The battery died after two days\n",
            "terrible ", new int[] {0xFF, 0xFE}, " service ", new int[] {0xED, 0xA0, 0x80}, " truly\n",
            "works great\n", "not bad at all\n");

    @Test
    void aLineWithBadBytesIsAnalyzedWithReplacementsAndReported(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("five.txt");
        Files.write(file, FIVE_LINES);
        CliProcess.Result r = sentiment(dir, "--input", file.toString());
        assertEquals(0, r.code(), r.err());
        String third = "terrible \uFFFD\uFFFD service \uFFFD truly";
        assertEquals(third, replacing(FIVE_LINES).split("\n")[2]);
        assertResults(List.of("I love this phone", "The battery died after two days", third, "works great",
                "not bad at all"), r.lines());
        assertTrue(r.err().contains("warning: " + file + ": 1 line was not valid UTF-8 and was analyzed with each bad "
                + "byte sequence replaced by U+FFFD (3 sequences): line 3 (3 bad sequences, the first FF at character "
                + "10)"), r.err());
        assertFalse(r.err().contains("Input length"), r.err());
    }

    @Test
    void strictStopsAtTheFirstBadLineAfterPrintingTheOnesBefore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("five.txt");
        Files.write(file, FIVE_LINES);
        CliProcess.Result r = sentiment(dir, "--strict", "--input", file.toString());
        assertEquals(1, r.code(), r.err());
        assertResults(List.of("I love this phone", "The battery died after two days"), r.lines());
        assertTrue(r.err().contains("error: " + file + " line 3: not valid UTF-8 (3 bad sequences, the first FF at "
                + "character 10). Re-save the file as UTF-8, or leave out --strict"), r.err());

        CliProcess.Result clean = sentiment(dir, "--strict", "--input", "-");
        assertEquals(0, clean.code(), clean.err());
        assertEquals(List.of(), clean.lines(), "empty standard input, no results");
    }

    @Test
    void nulBytesAByteOrderMarkMidFileCrOnlyLineEndsAndNoFinalNewline(@TempDir Path dir) throws Exception {
        Path nul = dir.resolve("nul.txt");
        Files.write(nul, bytes("good\n", "bad\0movie\n", "fine\n"));
        CliProcess.Result withNul = sentiment(dir, "--input", nul.toString());
        assertEquals(0, withNul.code(), withNul.err());
        assertResults(List.of("good", "bad\0movie", "fine"), withNul.lines());
        assertTrue(withNul.err().contains("1 line holds NUL characters, analyzed as separators: line 2"),
                withNul.err());
        assertEquals(analyzer.analyze("bad movie"), analyzer.analyze("bad\0movie"), "NUL separates words");

        // Two files joined with cat, each with a byte-order mark: the second one's is not part of its first text.
        Path joined = dir.resolve("joined.txt");
        Files.write(joined, bytes("\uFEFFgreat day\n", "awful food\n", "\uFEFFso so\n", "loved it\n"));
        CliProcess.Result bom = sentiment(dir, "--input", joined.toString());
        assertEquals(0, bom.code(), bom.err());
        assertResults(List.of("great day", "awful food", "so so", "loved it"), bom.lines());

        Path cr = dir.resolve("mac.txt");
        Files.write(cr, bytes("great\r", "awful\r", "\r", "fine\r\n", "last"));
        CliProcess.Result crOnly = sentiment(dir, "--input", cr.toString());
        assertEquals(0, crOnly.code(), crOnly.err());
        assertResults(List.of("great", "awful", "", "fine", "last"), crOnly.lines());
        assertEquals("", crOnly.err().strip(), "nothing to report");

        Path noNewline = dir.resolve("cut.txt");
        Files.write(noNewline, bytes("great\n", "the last line has no line break"));
        CliProcess.Result cut = sentiment(dir, "--input", noNewline.toString());
        assertEquals(0, cut.code(), cut.err());
        assertResults(List.of("great", "the last line has no line break"), cut.lines());
    }

    @Test
    void errorsNameTheInputAndSayWhatToDo(@TempDir Path dir) throws Exception {
        CliProcess.Result missing = sentiment(dir, "--input", dir.resolve("nope.txt").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("error: input file not found: " + dir.resolve("nope.txt")
                + "; give a text file with one text per line, or - for standard input"), missing.err());
        CliProcess.Result directory = sentiment(dir, "--input", dir.toString());
        assertEquals(1, directory.code());
        assertTrue(directory.err().contains("--input " + dir + " is a directory"), directory.err());
        CliProcess.Result strictAlone = sentiment(dir, "--strict", "great");
        assertEquals(2, strictAlone.code());
        assertTrue(strictAlone.err().contains("--strict applies to --input"), strictAlone.err());
    }

    /** Lines of a process's standard output, as they come. */
    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                // the process was killed
            }
            lines.add("<end>");
        });
        t.setDaemon(true);
        t.start();
        return lines;
    }

    private static List<String> take(BlockingQueue<String> lines, int n) throws InterruptedException {
        List<String> taken = new ArrayList<>();
        while (taken.size() < n) {
            String l = lines.poll(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (l == null || l.equals("<end>")) {
                throw new AssertionError("got " + taken.size() + " of " + n + " results: " + taken);
            }
            taken.add(l);
        }
        return taken;
    }

    @Test
    void resultsAppearWhileStandardInputIsOpenAndAKilledRunKeepsThem(@TempDir Path dir) throws Exception {
        Process p = CliProcess.start(SentimentCli.class, dir.resolve("err.txt"), "--model", MODEL, "--input", "-");
        try {
            BlockingQueue<String> out = lines(p);
            OutputStream in = p.getOutputStream();
            in.write(bytes("great phone\n", "awful ", new int[] {0xFF}, " battery\n"));
            in.flush();
            // Two lines sent, standard input still open: both results come without waiting for more.
            List<String> got = new ArrayList<>(take(out, 2));
            in.write(bytes("fine\n", "loved it\n", "hated it\n"));
            in.flush();
            got.addAll(take(out, 3));
            CliProcess.kill9(p);
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
            assertEquals("<end>", out.poll(60, TimeUnit.SECONDS), "nothing after the kill");
            assertResults(List.of("great phone", "awful \uFFFD battery", "fine", "loved it", "hated it"), got);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aRunKilledMidFileHasPrintedCompleteResultsInOrder(@TempDir Path dir) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            texts.add((i % 3 == 0 ? "great " : i % 3 == 1 ? "awful " : "fine ") + i);
        }
        Path file = dir.resolve("big.txt");
        Files.write(file, texts, StandardCharsets.UTF_8);
        Path stdout = dir.resolve("out.jsonl");
        Process p = new ProcessBuilder(CliProcess.command(SentimentCli.class, "--model", MODEL, "--input",
                file.toString())).redirectOutput(stdout.toFile()).redirectError(dir.resolve("err.txt").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CliProcess.TIMEOUT_SECONDS);
            while (Files.size(stdout) < 100_000 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), "still running when killed");
            CliProcess.kill9(p);
        } finally {
            p.destroyForcibly();
        }
        String written = Files.readString(stdout, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(written.split("\n", -1)));
        lines.remove(lines.size() - 1); // after the last line break: empty, or a line the kill cut short
        assertTrue(lines.size() >= 256 && lines.size() < texts.size(), lines.size() + " results");
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(texts.get(i), JSON.readTree(lines.get(i)).get("text").asText(), "line " + (i + 1));
        }
    }
}
