package dev.sentikit.samples;

import static dev.sentikit.sentiment.CliProcess.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.sentiment.CliProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sample BatchCsv} as a user runs it, in its own JVM: one output row per input row whatever the bytes,
 * {@code --strict}, the line ends, and rows written as they are scored.
 */
class BatchCsvInputTest {

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

    private static CliProcess.Result batchCsv(Path dir, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--model", MODEL, "--progress", "none"));
        all.addAll(List.of(args));
        return CliProcess.run(dir, BatchCsv.class, all.toArray(String[]::new));
    }

    /** The output has the input's rows in order, each with the in-process analyzer's label and probabilities. */
    private static void assertScored(List<List<String>> expectedRows, int textColumn, List<List<String>> output) {
        assertEquals(expectedRows.size() + 1, output.size(), "a header and one row per input row: " + output);
        List<String> texts = new ArrayList<>();
        for (List<String> row : expectedRows) {
            texts.add(row.get(textColumn));
        }
        List<Sentiment> expected = analyzer.analyzeAll(texts);
        for (int i = 0; i < expectedRows.size(); i++) {
            List<String> row = output.get(i + 1);
            int n = expectedRows.get(i).size();
            assertEquals(expectedRows.get(i), row.subList(0, n), "row " + (i + 1));
            assertEquals(expected.get(i).label(), row.get(n), "row " + (i + 1));
            for (int l = 0; l < analyzer.labels().size(); l++) {
                assertEquals((float) expected.get(i).score(analyzer.labels().get(l)), Float.parseFloat(row.get(n + 1 + l)),
                        1e-6f, "row " + (i + 1));
            }
        }
    }

    private static final byte[] BAD_ROW_3 = bytes("id,text\n", "1,I love this phone\n", "2,\"awful, just awful\"\n",
            "3,terrible ", new int[] {0xFF, 0xFE}, " service ", new int[] {0xED, 0xA0, 0x80}, "\n", "4,works great\n",
            "5,not bad\n");

    @Test
    void aRowWithBadBytesIsScoredWithReplacementsAndReported(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("reviews.csv");
        Files.write(in, BAD_ROW_3);
        Path out = dir.resolve("scored.csv");
        CliProcess.Result r = batchCsv(dir, "--input", in.toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertScored(List.of(List.of("1", "I love this phone"), List.of("2", "awful, just awful"),
                List.of("3", "terrible \uFFFD\uFFFD service \uFFFD"), List.of("4", "works great"), List.of("5", "not bad")),
                1, CsvTest.parse(Files.readString(out, StandardCharsets.UTF_8)));
        assertTrue(r.err().contains("scored 5 rows"), r.err());
        assertTrue(r.err().contains("warning: " + in + ": 1 line was not valid UTF-8 and was analyzed with each bad "
                + "byte sequence replaced by U+FFFD (3 sequences): line 4 (3 bad sequences, the first FF at character "
                + "12)"), r.err());
        assertFalse(r.err().contains("Input length"), r.err());
    }

    @Test
    void strictFailsAtTheBadRowAndWritesNoFile(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("reviews.csv");
        Files.write(in, BAD_ROW_3);
        Path out = dir.resolve("scored.csv");
        CliProcess.Result r = batchCsv(dir, "--strict", "--input", in.toString(), "--output", out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("error: " + in + " line 4: not valid UTF-8 (3 bad sequences, the first FF at "
                + "character 12)"), r.err());
        assertFalse(Files.exists(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(in), files.toList(), "no temporary file left");
        }
        // To standard output, the rows before the bad one are written.
        CliProcess.Result toStdout = batchCsv(dir, "--strict", "--input", in.toString(), "--output", "-");
        assertEquals(1, toStdout.code(), toStdout.err());
        assertScored(List.of(List.of("1", "I love this phone"), List.of("2", "awful, just awful")), 1,
                CsvTest.parse(toStdout.out()));
    }

    @Test
    void nulBytesAByteOrderMarkMidFileCrOnlyLineEndsAndNoFinalNewline(@TempDir Path dir) throws Exception {
        Path nul = dir.resolve("nul.csv");
        Files.write(nul, bytes("text\n", "good\n", "bad\0movie\n", "fine\n"));
        CliProcess.Result withNul = batchCsv(dir, "--input", nul.toString(), "--output", "-");
        assertEquals(0, withNul.code(), withNul.err());
        assertScored(List.of(List.of("good"), List.of("bad\0movie"), List.of("fine")), 0, CsvTest.parse(withNul.out()));
        assertTrue(withNul.err().contains("1 line holds NUL characters, analyzed as separators: line 3"),
                withNul.err());

        // Two files joined with cat: the second one's byte-order mark is dropped, its header is a row like any other.
        Path joined = dir.resolve("joined.csv");
        Files.write(joined, bytes("\uFEFFid,text\n", "1,great day\n", "\uFEFFid,text\n", "2,awful food\n"));
        CliProcess.Result bom = batchCsv(dir, "--input", joined.toString(), "--output", "-");
        assertEquals(0, bom.code(), bom.err());
        assertTrue(bom.out().startsWith("\uFEFFid,text,label,"), "the file's own mark is kept: " + bom.out());
        assertScored(List.of(List.of("1", "great day"), List.of("id", "text"), List.of("2", "awful food")), 1,
                CsvTest.parse(bom.out()));

        Path cr = dir.resolve("mac.csv");
        Files.write(cr, bytes("id,text\r", "1,great\r", "2,\"two\rlines\"\r", "3,awful"));
        CliProcess.Result crOnly = batchCsv(dir, "--input", cr.toString(), "--output", "-");
        assertEquals(0, crOnly.code(), crOnly.err());
        assertScored(List.of(List.of("1", "great"), List.of("2", "two\rlines"), List.of("3", "awful")), 1,
                CsvTest.parse(crOnly.out()));
        assertFalse(crOnly.out().contains("\n"), "the output keeps the input's CR line ends");
    }

    @Test
    void errorsNameTheFileAndTheLine(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("ragged.csv");
        Files.writeString(in, "id,text\n1,good\n2,bad, really bad\n");
        CliProcess.Result ragged = batchCsv(dir, "--input", in.toString(), "--output", "-");
        assertEquals(1, ragged.code());
        assertTrue(ragged.err().contains("error: " + in + " line 3: 3 fields, but the header has 2; a field that "
                + "holds a comma, a quote or a line break must be in quotes (\"a, b\")"), ragged.err());

        Files.writeString(in, "id,text\n1,\"open\n");
        CliProcess.Result open = batchCsv(dir, "--input", in.toString(), "--output", "-");
        assertEquals(1, open.code());
        assertTrue(open.err().contains("error: " + in + " line 2: a quoted field has no closing quote"), open.err());

        Files.writeString(in, "");
        CliProcess.Result empty = batchCsv(dir, "--input", in.toString(), "--output", "-");
        assertEquals(1, empty.code());
        assertTrue(empty.err().contains("error: " + in + " is empty: a header row is needed"), empty.err());
    }

    @Test
    @Timeout(300) // a guard against a hang: readLine waits for the process
    void rowsAreWrittenAsTheyAreScoredAndAKilledRunKeepsThem(@TempDir Path dir) throws Exception {
        Process p = CliProcess.start(BatchCsv.class, dir.resolve("err.txt"), "--model", MODEL, "--progress", "none",
                "--input", "-", "--output", "-");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            OutputStream in = p.getOutputStream();
            in.write(bytes("id,text\n", "1,great phone\n", "2,awful ", new int[] {0xFF}, " battery\n"));
            in.flush();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(out.readLine()); // the header and two rows, standard input still open
            }
            in.write(bytes("3,fine\n"));
            in.flush();
            got.add(out.readLine());
            CliProcess.kill9(p);
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
            assertEquals(null, out.readLine(), "nothing after the kill");
            assertScored(List.of(List.of("1", "great phone"), List.of("2", "awful \uFFFD battery"), List.of("3", "fine")),
                    1, CsvTest.parse(String.join("\n", got) + "\n"));
        } finally {
            p.destroyForcibly();
        }
    }
}
