package dev.sentikit.train.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReaderTest {

    private static final List<String> SENTIMENTS = List.of("negative", "neutral", "positive");

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- TSV

    @Test
    void tsvSkipsHeaderSplitsOnFirstTabAndSortsLabels() throws Exception {
        Path file = write("train.tsv", "LABEL\tText\npositive\tgood\twith a tab\nnegative\tbad\npositive\tfine\n");

        LabeledData data = DataReader.builder().build().read(file);

        assertEquals(List.of("negative", "positive"), data.labels());
        assertEquals(List.of(
                new LabeledText("positive", "good\twith a tab", 2),
                new LabeledText("negative", "bad", 3),
                new LabeledText("positive", "fine", 4)), data.rows());
        assertArrayEquals(new int[] {1, 0, 1}, data.labelIndices());
        assertEquals(DataFormat.TSV, data.format());
        assertEquals(4, data.linesRead());
        assertEquals(3, data.rowsRead());
        assertEquals(0, data.skippedCount());
        assertEquals("read 3 rows: 3 used, 0 skipped", data.summary());
    }

    @Test
    void tsvHeaderIsOnlyRecognisedOnTheFirstLine() throws Exception {
        Path file = write("train.tsv", "positive\tgood\nlabel\ttext\n");

        LabeledData data = DataReader.builder().build().read(file);

        assertEquals(List.of(new LabeledText("positive", "good", 1), new LabeledText("label", "text", 2)),
                data.rows());
    }

    @Test
    void tsvReportsEachBadRowKindWithItsLineNumber() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("positive\tgood\n".getBytes(UTF_8));                  // 1 ok
        bytes.writeBytes("\tno label here\n".getBytes(UTF_8));                 // 2 missing label
        bytes.writeBytes("negative\t   \n".getBytes(UTF_8));                   // 3 empty text
        bytes.writeBytes("just some text without a tab\n".getBytes(UTF_8));    // 4 missing field
        bytes.writeBytes("postive\ttypo in the label\n".getBytes(UTF_8));      // 5 unknown label
        bytes.writeBytes("neutral\tcaf".getBytes(UTF_8));                      // 6 invalid UTF-8 (Latin-1 é)
        bytes.write(0xE9);
        bytes.writeBytes("\n".getBytes(UTF_8));
        bytes.writeBytes("   \n".getBytes(UTF_8));                              // 7 blank: not a row
        bytes.writeBytes(" neutral \tok\n".getBytes(UTF_8));                   // 8 ok, label stripped
        Path file = write("train.tsv", bytes.toByteArray());

        LabeledData data = DataReader.builder().labels(SENTIMENTS).build().read(file);

        assertEquals(List.of(new LabeledText("positive", "good", 1), new LabeledText("neutral", "ok", 8)),
                data.rows());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), lines(data.badRows()));
        assertEquals(List.of(BadRow.Kind.MISSING_LABEL, BadRow.Kind.EMPTY_TEXT, BadRow.Kind.MISSING_FIELD,
                        BadRow.Kind.UNKNOWN_LABEL, BadRow.Kind.INVALID_UTF8),
                data.badRows().stream().map(BadRow::kind).collect(Collectors.toList()));
        assertEquals("unknown label 'postive'; expected one of [negative, neutral, positive]",
                data.badRows().get(3).reason());
        assertTrue(data.badRows().get(4).reason().contains("byte 12"), data.badRows().get(4).reason());
        assertEquals(8, data.linesRead());
        assertEquals(1, data.blankLines());
        assertEquals(7, data.rowsRead());
        assertEquals(data.rowsRead(), data.rows().size() + data.skippedCount());
        assertEquals("read 7 rows: 2 used, 5 skipped (1 missing label, 1 unknown label, 1 empty text, "
                + "1 invalid UTF-8, 1 missing field); 1 blank line ignored", data.summary());
    }

    @Test
    void byteOrderMarkAndCrlfAreAccepted() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0xEF);
        bytes.write(0xBB);
        bytes.write(0xBF);
        bytes.writeBytes("label\ttext\r\npositive\tgreat\r\nnegative\tawful\r\n".getBytes(UTF_8));
        Path file = write("bom.tsv", bytes.toByteArray());

        LabeledData data = DataReader.builder().build().read(file);

        assertEquals(List.of(new LabeledText("positive", "great", 2), new LabeledText("negative", "awful", 3)),
                data.rows());
        assertEquals(0, data.skippedCount());
    }

    @Test
    void nulBytesAByteOrderMarkMidFileCrOnlyLineEndsAndNoFinalNewline() throws Exception {
        // Two TSV files joined with cat, the second with a byte-order mark: no label '\uFEFFpositive' appears.
        Path joined = write("joined.tsv", "\uFEFFpositive\tgreat\nnegative\tawful\n\uFEFFpositive\tfine\n");
        LabeledData cat = DataReader.builder().build().read(joined);
        assertEquals(List.of("negative", "positive"), cat.labels());
        assertEquals(new LabeledText("positive", "fine", 3), cat.rows().get(2));

        // A NUL is valid UTF-8: the row is used as it is (the encoder takes NUL for a separator).
        Path nul = write("nul.tsv", "positive\tgood\u0000movie\nnegative\tbad\n");
        assertEquals(new LabeledText("positive", "good\u0000movie", 1),
                DataReader.builder().build().read(nul).rows().get(0));

        // CR line ends (an old Mac file) are lines, not one huge row; so in CSV and JSONL.
        Path mac = write("mac.tsv", "positive\tgreat\rnegative\tawful\rneutral\tok");
        LabeledData cr = DataReader.builder().build().read(mac);
        assertEquals(List.of(new LabeledText("positive", "great", 1), new LabeledText("negative", "awful", 2),
                new LabeledText("neutral", "ok", 3)), cr.rows(), "the last line has no line end and is a row");
        assertEquals(3, cr.linesRead());
        Path macCsv = write("mac.csv", "label,text\rpositive,\"two\rlines\"\rnegative,bad\r");
        assertEquals(List.of(new LabeledText("positive", "two\nlines", 2), new LabeledText("negative", "bad", 4)),
                DataReader.builder().build().read(macCsv).rows());
        Path macJsonl = write("mac.jsonl", "{\"label\":\"positive\",\"text\":\"a\"}\r{\"label\":\"negative\",\"text\":\"b\"}");
        assertEquals(List.of(new LabeledText("positive", "a", 1), new LabeledText("negative", "b", 2)),
                DataReader.builder().build().read(macJsonl).rows());
    }

    @Test
    void byteOrderMarkIsNotPartOfTheFirstCsvColumnName() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.writeBytes("label,text\r\npositive,nice\r\n".getBytes(UTF_8));
        Path file = write("bom.csv", bytes.toByteArray());

        LabeledData data = DataReader.builder().build().read(file);

        assertEquals(List.of(new LabeledText("positive", "nice", 2)), data.rows());
    }

    // ---------------------------------------------------------------- CSV

    @Test
    void csvHandlesQuotesEmbeddedNewlinesCommasAndBadRows() throws Exception {
        LabeledData data = DataReader.builder().build().read(fixture("reviews.csv"));

        assertEquals(DataFormat.CSV, data.format());
        assertEquals(List.of(
                new LabeledText("positive", "Great phone, would buy again", 2),
                new LabeledText("negative", "Battery died after \"two\" days.\nSecond line of the same review.", 3),
                new LabeledText("neutral", "It is a phone", 5),
                new LabeledText("positive", "Last one, no newline at end", 9)), data.rows());
        assertEquals(List.of(6L, 7L, 8L), lines(data.badRows()));
        assertEquals(List.of(BadRow.Kind.MALFORMED, BadRow.Kind.MALFORMED, BadRow.Kind.MISSING_FIELD),
                data.badRows().stream().map(BadRow::kind).collect(Collectors.toList()));
        assertTrue(data.badRows().get(0).reason().contains("after the closing quote"), data.badRows().get(0).reason());
        assertTrue(data.badRows().get(1).reason().startsWith("row has 5 fields but the header has 3"),
                data.badRows().get(1).reason());
        assertEquals(SENTIMENTS, data.labels());
        assertEquals(9, data.linesRead());
        assertEquals(7, data.rowsRead());
        assertEquals("read 7 rows: 4 used, 3 skipped (2 malformed, 1 missing field)", data.summary());
    }

    @Test
    void csvColumnsAreChosenByName() throws Exception {
        Path file = write("custom.csv", "review,stars,sentiment\n\"so-so, really\",3,neutral\n");

        LabeledData data = DataReader.builder().labelColumn("sentiment").textColumn("review").build().read(file);

        assertEquals(List.of(new LabeledText("neutral", "so-so, really", 2)), data.rows());
    }

    @Test
    void csvMissingColumnIsAnErrorListingTheHeader() throws Exception {
        Path file = write("custom.csv", "review,sentiment\nok,positive\n");

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DataReader.builder().build().read(file));

        assertTrue(e.getMessage().contains("'label'"), e.getMessage());
        assertTrue(e.getMessage().contains("[review, sentiment]"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.line().isEmpty());
    }

    @Test
    void csvWithoutHeaderIsAnError() throws Exception {
        Path file = write("empty.csv", "\n\n");

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DataReader.builder().build().read(file));

        assertTrue(e.getMessage().contains("no CSV header"), e.getMessage());
    }

    @Test
    void csvUnclosedQuoteIsReportedAtTheLineWhereTheRecordStarts() throws Exception {
        Path file = write("open.csv", "label,text\npositive,fine\nnegative,\"never closed\nmore\nand more\n");

        LabeledData data = DataReader.builder().build().read(file);

        assertEquals(1, data.rows().size());
        assertEquals(List.of(3L), lines(data.badRows()));
        assertEquals(BadRow.Kind.MALFORMED, data.badRows().get(0).kind());
        assertTrue(data.badRows().get(0).reason().contains("never closed"), data.badRows().get(0).reason());
        assertEquals(2, data.rowsRead());
    }

    @Test
    void csvInvalidUtf8InsideAMultiLineRecordRejectsOnlyThatRecord() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("label,text\npositive,\"first line\nsecond ".getBytes(UTF_8));
        bytes.write(0xFF);
        bytes.writeBytes(" line\"\nnegative,after\n".getBytes(UTF_8));
        Path file = write("utf.csv", bytes.toByteArray());

        LabeledData data = DataReader.builder().build().read(file);

        assertEquals(List.of(new LabeledText("negative", "after", 4)), data.rows());
        assertEquals(List.of(2L), lines(data.badRows()));
        assertEquals(BadRow.Kind.INVALID_UTF8, data.badRows().get(0).kind());
        assertTrue(data.badRows().get(0).reason().contains("line 3"), data.badRows().get(0).reason());
    }

    // ---------------------------------------------------------------- JSONL

    @Test
    void jsonlReadsObjectsSkipsBlankLinesAndReportsBadRows() throws Exception {
        LabeledData data = DataReader.builder().build().read(fixture("reviews.jsonl"));

        assertEquals(DataFormat.JSONL, data.format());
        assertEquals(List.of(
                new LabeledText("positive", "Loved it", 1),
                new LabeledText("negative", "Broke in a week", 3),
                new LabeledText("1", "numeric label", 8)), data.rows());
        assertEquals(List.of("1", "negative", "positive"), data.labels());
        assertEquals(List.of(4L, 5L, 6L, 7L, 9L), lines(data.badRows()));
        assertEquals(List.of(BadRow.Kind.MALFORMED, BadRow.Kind.MISSING_FIELD, BadRow.Kind.MALFORMED,
                        BadRow.Kind.EMPTY_TEXT, BadRow.Kind.MALFORMED),
                data.badRows().stream().map(BadRow::kind).collect(Collectors.toList()));
        assertEquals("no field 'label'; the object has fields [text]", data.badRows().get(1).reason());
        assertEquals("expected a JSON object, found array", data.badRows().get(2).reason());
        String truncated = data.badRows().get(0).reason();
        assertTrue(truncated.startsWith("invalid JSON at column ") && truncated.contains("end-of-input")
                && !truncated.contains("Source"), truncated);
        assertEquals("extra content after the JSON object; put exactly one object on each line",
                data.badRows().get(4).reason());
        assertEquals(1, data.blankLines());
        assertEquals(9, data.linesRead());
        assertEquals(8, data.rowsRead());
        assertEquals(data.rowsRead(), data.rows().size() + data.skippedCount());
    }

    @Test
    void jsonlFieldsAreChosenByName() throws Exception {
        Path file = write("x.ndjson", "{\"y\": \"positive\", \"x\": \"nice\", \"label\": \"ignored\"}\n");

        LabeledData data = DataReader.builder().labelColumn("y").textColumn("x").build().read(file);

        assertEquals(List.of(new LabeledText("positive", "nice", 1)), data.rows());
    }

    // ---------------------------------------------------------------- modes, labels, formats

    @Test
    void strictModeThrowsAtTheFirstBadRowNamingFileLineAndReason() throws Exception {
        Path file = write("strict.tsv", "positive\tok\nnegative\tfine\npositive\t\nnegative\t\n");
        DataReader reader = DataReader.builder().strict(true).build();

        DataFormatException e = assertThrows(DataFormatException.class, () -> reader.read(file));

        assertEquals(3, e.line().orElseThrow());
        assertEquals("empty text", e.reason());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ", line 3: empty text"), e.getMessage());
    }

    @Test
    void fixedLabelsKeepTheCallersOrderEvenForLabelsWithoutRows() throws Exception {
        Path file = write("fixed.tsv", "negative\ta\npositive\tb\nnegative\tc\n");

        LabeledData data = DataReader.builder().labels(List.of("positive", "neutral", "negative")).build()
                .read(file);

        assertEquals(List.of("positive", "neutral", "negative"), data.labels());
        assertArrayEquals(new int[] {2, 0, 2}, data.labelIndices());
        assertEquals(Map.of("positive", 1L, "neutral", 0L, "negative", 2L), data.labelCounts());
        assertEquals(List.of("positive", "neutral", "negative"), List.copyOf(data.labelCounts().keySet()));
    }

    @Test
    void labelsFromDataIgnoreLabelsOfRejectedRows() throws Exception {
        Path file = write("x.tsv", "b\ttext\na\t \n");

        LabeledData data = DataReader.builder().build().read(file);

        assertEquals(List.of("b"), data.labels());
    }

    @Test
    void invalidFixedLabelListsAreRejected() {
        DataReader.Builder builder = DataReader.builder();
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> builder.labels(List.of("a", "b", "a")));
        assertTrue(twice.getMessage().contains("'a' appears twice"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.labels(List.of()));
        assertThrows(IllegalArgumentException.class, () -> builder.labels(List.of("a", " b")));
    }

    @Test
    void formatComesFromTheExtension() {
        assertEquals(DataFormat.TSV, DataFormat.fromPath(Path.of("a/train.tsv")));
        assertEquals(DataFormat.TSV, DataFormat.fromPath(Path.of("train.TXT")));
        assertEquals(DataFormat.CSV, DataFormat.fromPath(Path.of("train.csv")));
        assertEquals(DataFormat.JSONL, DataFormat.fromPath(Path.of("train.jsonl")));
        assertEquals(DataFormat.JSONL, DataFormat.fromPath(Path.of("train.ndjson")));
    }

    @Test
    void unknownExtensionIsAnErrorListingTheSupportedOnes() throws Exception {
        Path file = write("train.xlsx", "positive\tok\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataReader.builder().build().read(file));

        assertTrue(e.getMessage().contains("train.xlsx"), e.getMessage());
        assertTrue(e.getMessage().contains(".tsv .txt (TSV), .csv (CSV), .jsonl .ndjson (JSONL)"), e.getMessage());
    }

    @Test
    void explicitFormatOverridesTheExtension() throws Exception {
        Path file = write("train.data", "label,text\npositive,ok\n");

        LabeledData data = DataReader.builder().format(DataFormat.CSV).build().read(file);

        assertEquals(List.of(new LabeledText("positive", "ok", 2)), data.rows());
    }

    @Test
    void sha256IsTheDigestOfTheFileBytes() throws Exception {
        Path file = write("x.tsv", "positive\tok\nnegative\tbad\n");

        LabeledData data = DataReader.builder().build().read(file);

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
        assertEquals(expected, data.sha256());
    }

    @Test
    void badRowsKeptAreCappedButCountsStayExact() throws Exception {
        Path file = write("x.tsv", "a\t\nb\t\nc\t\nd\tok\n");

        LabeledData data = DataReader.builder().maxBadRowsKept(2).build().read(file);

        assertEquals(List.of(1L, 2L), lines(data.badRows()));
        assertEquals(3, data.skippedCount());
        assertEquals(Map.of(BadRow.Kind.EMPTY_TEXT, 3L), data.skippedByKind());
        assertEquals(4, data.rowsRead());
    }

    @Test
    void largeCountsAreGroupedInTheSummary() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1234; i++) {
            sb.append(i % 100 == 0 ? "positive\t\n" : "positive\tok\n");
        }
        LabeledData data = DataReader.builder().build().read(write("big.tsv", sb.toString()));

        assertEquals("read 1,234 rows: 1,221 used, 13 skipped (13 empty text)", data.summary());
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(UTF_8));
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(DataReaderTest.class.getResource(name).toURI());
    }

    private static List<Long> lines(List<BadRow> rows) {
        return rows.stream().map(BadRow::line).collect(Collectors.toList());
    }
}
