package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchCsvTest {

    private static SentimentAnalyzer analyzer;

    @BeforeAll
    static void load() throws Exception {
        analyzer = SentimentAnalyzer.defaultModel();
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BatchCsv.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** Texts with everything CSV must quote, and more rows than one batch. */
    static List<String> texts(int n) {
        String[] words = {"great", "awful", "fine", "love it", "hate it", "so-so", "\"quoted\"", "a, b, c",
            "two\nlines", "crlf\r\ninside", "", " spaced ", "café", "不好", "😀", "it's"};
        Random random = new Random(11);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add(words[random.nextInt(words.length)] + (i % 3 == 0 ? "" : " " + words[random.nextInt(words.length)]));
        }
        return texts;
    }

    static List<List<String>> read(Path file) throws IOException {
        return CsvTest.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void addsTheLabelAndOneProbabilityPerLabelToEveryRowInOrder(@TempDir Path dir) throws Exception {
        List<String> texts = texts(BatchCsv.BATCH * 2 + 37);
        StringWriter csv = new StringWriter();
        Csv.write(csv, List.of("id", "review", "stars"), "\r\n");
        for (int i = 0; i < texts.size(); i++) {
            Csv.write(csv, List.of(Integer.toString(i), texts.get(i), "x,\"" + i + "\""), "\r\n");
        }
        Path input = dir.resolve("reviews.csv");
        Files.writeString(input, csv.toString(), StandardCharsets.UTF_8);
        Path output = dir.resolve("out/scored.csv");

        Run r = run("--input", input.toString(), "--column", "review", "--output", output.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("scored " + texts.size() + " rows"), r.err());
        assertFalse(r.err().contains("\r"), "no progress bar when not asked for: " + r.err());

        List<List<String>> rows = read(output);
        assertEquals(List.of("id", "review", "stars", "label", "p_negative", "p_neutral", "p_positive"), rows.get(0));
        assertEquals(texts.size() + 1, rows.size());
        List<Sentiment> expected = analyzer.analyzeAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            List<String> row = rows.get(i + 1);
            assertEquals(List.of(Integer.toString(i), texts.get(i), "x,\"" + i + "\""), row.subList(0, 3));
            Sentiment s = expected.get(i);
            assertEquals(s.label(), row.get(3), texts.get(i));
            for (int l = 0; l < analyzer.labels().size(); l++) {
                float written = Float.parseFloat(row.get(4 + l));
                assertEquals((float) s.score(analyzer.labels().get(l)), written, 1e-6f, texts.get(i));
            }
        }
        assertTrue(Files.readString(output).contains("\r\n"), "keeps the input's CRLF line ends");
        try (var files = Files.list(output.getParent())) {
            assertEquals(List.of(output), files.toList(), "no temporary file left");
        }
    }

    @Test
    void canRewriteItsInputAndKeepsLfAndTheByteOrderMark(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("in.csv");
        Files.writeString(file, "\uFEFFtext\ngreat\n\"bad, bad\"\n", StandardCharsets.UTF_8);
        Run r = run("--input", file.toString(), "--output", file.toString(), "--progress", "bar");
        assertEquals(0, r.code(), r.err());
        String written = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(written.startsWith("\uFEFFtext,label,p_negative,p_neutral,p_positive\ngreat,positive,"), written);
        assertFalse(written.contains("\r"), written);
        assertEquals("bad, bad", CsvTest.parse(written).get(2).get(0));
    }

    @Test
    void theProgressBarRedrawsOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("in.csv");
        StringBuilder csv = new StringBuilder("text\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("great ").append(i).append('\n');
        }
        Files.writeString(file, csv);
        Run r = run("--input", file.toString(), "--output", dir.resolve("o.csv").toString(), "--progress", "bar");
        assertEquals(0, r.code(), r.err());
        // The bar is redrawn at most ten times a second: on a slow machine it shows; always cleared at the end.
        if (r.err().contains("scoring:")) {
            assertTrue(r.err().contains("\rscoring: "), r.err());
            assertTrue(r.err().contains("%)"), r.err());
        }
        assertTrue(r.err().contains("\u001B[Kscored 20000 rows in ") || !r.err().contains("scoring:"), r.err());
        assertTrue(r.err().contains("scored 20000 rows in "), r.err());
    }

    @Test
    void errorsNameTheProblem(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.csv");
        Path out = dir.resolve("out.csv");
        Files.writeString(in, "id,text\n1,good\n");
        Run noColumn = run("--input", in.toString(), "--column", "review", "--output", out.toString());
        assertEquals(1, noColumn.code());
        assertTrue(noColumn.err().contains("no column 'review' in the header [id, text]"), noColumn.err());

        Files.writeString(in, "label,text\nneutral,good\n");
        Run clash = run("--input", in.toString(), "--output", out.toString());
        assertEquals(1, clash.code());
        assertTrue(clash.err().contains("--prefix"), clash.err());
        Run prefixed = run("--input", in.toString(), "--output", out.toString(), "--prefix", "predicted_");
        assertEquals(0, prefixed.code(), prefixed.err());
        assertEquals(List.of("label", "text", "predicted_label", "predicted_p_negative", "predicted_p_neutral",
                "predicted_p_positive"), read(out).get(0));

        Files.delete(out);
        Files.writeString(in, "id,text\n1,good\n2,bad,extra\n");
        Run ragged = run("--input", in.toString(), "--output", out.toString());
        assertEquals(1, ragged.code());
        assertTrue(ragged.err().contains("line 3: 3 fields, but the header has 2"), ragged.err());
        assertFalse(Files.exists(out), "no output after a failure");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }

        Run missing = run("--input", dir.resolve("nope.csv").toString(), "--output", out.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("input file not found"), missing.err());

        // Bad bytes cost their row nothing but a replacement (BatchCsvInputTest has the details).
        Files.write(in, new byte[] {'t', 'e', 'x', 't', '\n', (byte) 0xC3, '\n'});
        Run invalid = run("--input", in.toString(), "--output", out.toString());
        assertEquals(0, invalid.code(), invalid.err());
        assertTrue(invalid.err().contains("line 2 (the bytes C3 at character 1)"), invalid.err());
        assertEquals("\uFFFD", read(out).get(1).get(0));

        assertEquals(2, run("--input", in.toString()).code(), "--output is required");
    }

    @Test
    void parsesItsOwnOutputLikeAnyCsvReader() throws IOException {
        // What a CSV library would see: the text column round-trips through quoting.
        StringWriter w = new StringWriter();
        Csv.write(w, List.of("a\"b", "c"), "\n");
        try (Csv.Reader reader = new Csv.Reader(new StringReader(w.toString()), "in.csv")) {
            assertEquals(List.of("a\"b", "c"), reader.next());
        }
    }
}
