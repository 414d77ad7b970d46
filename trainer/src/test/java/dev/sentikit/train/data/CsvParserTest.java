package dev.sentikit.train.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the trainer's CSV reading on Jackson's parser keeps of the hand-written reader it replaced: each bad record
 * costs that record, named by the line where it starts, and reading goes on; blank lines are counted apart.
 */
class CsvParserTest {

    @TempDir
    Path dir;

    private LabeledData read(String content) throws Exception {
        return DataReader.builder().build().read(Files.write(dir.resolve("d.csv"), content.getBytes(UTF_8)));
    }

    @Test
    void aRecordLongerThanTheLimitIsRejectedAndReadingGoesOn() throws Exception {
        String huge = "x".repeat(CsvParser.MAX_RECORD_CHARS + 10);
        LabeledData data = read("label,text\npositive,fine\nnegative,\"" + huge + "\"\nnegative,after\n");
        assertEquals(List.of(new LabeledText("positive", "fine", 2), new LabeledText("negative", "after", 4)),
                data.rows());
        assertEquals(1, data.badRows().size());
        assertEquals(3, data.badRows().get(0).line());
        assertEquals(BadRow.Kind.MALFORMED, data.badRows().get(0).kind());
        assertTrue(data.badRows().get(0).reason().startsWith("record starting on line 3 is longer than 4,194,304 "
                + "characters"), data.badRows().get(0).reason());
    }

    @Test
    void aCharacterAfterAClosingQuoteCostsItsRecordOnly() throws Exception {
        LabeledData data = read("label,text\npositive,\"good\"x\nnegative,\"two\nlines\"!\nneutral,fine\n");
        assertEquals(List.of(new LabeledText("neutral", "fine", 5)), data.rows());
        assertEquals(List.of(2L, 3L), data.badRows().stream().map(BadRow::line).toList());
        assertEquals("unexpected character 'x' after the closing quote of field 2 on line 2; a quote inside a quoted "
                + "field must be doubled (\"\")", data.badRows().get(0).reason());
        assertTrue(data.badRows().get(1).reason().startsWith("unexpected character '!' after the closing quote of "
                + "field 2 on line 4;"), data.badRows().get(1).reason());
    }

    @Test
    void blankLinesAreCountedNotRows() throws Exception {
        LabeledData data = read("\nlabel,text\n\npositive,good\n   \n\t\nnegative,\"a\n\nb\"\n\n");
        assertEquals(List.of(new LabeledText("positive", "good", 4), new LabeledText("negative", "a\n\nb", 7)),
                data.rows());
        assertEquals(5, data.blankLines());
        assertEquals(List.of(), data.badRows());
    }

    @Test
    void strictStopsAtTheFirstBadRecordNamingItsLine() throws Exception {
        Path file = Files.write(dir.resolve("s.csv"), "label,text\npositive,ok\nnegative,\"bad\"x\n".getBytes(UTF_8));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DataReader.builder().strict(true).build().read(file));
        assertEquals(3, e.line().orElseThrow());
        assertTrue(e.getMessage().contains("after the closing quote"), e.getMessage());
    }
}
