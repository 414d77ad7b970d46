package dev.sentikit.train.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class Utf8LineReaderTest {

    @Test
    void splitsOnLfStripsCrBeforeLfKeepsLoneCrAndReadsALastLineWithoutNewline() throws IOException {
        Utf8LineReader reader = reader("a\r\nb\rc\n\nlast".getBytes(UTF_8), Utf8LineReader.MAX_LINE_BYTES);

        assertLine(reader.next(), 1, "a");
        assertLine(reader.next(), 2, "b\rc");
        assertLine(reader.next(), 3, "");
        assertLine(reader.next(), 4, "last");
        assertNull(reader.next());
        assertEquals(4, reader.linesRead());
    }

    @Test
    void decodesMultiByteCharactersAcrossBufferBoundaries() throws IOException {
        String text = "é".repeat(100_000);
        Utf8LineReader reader = reader((text + "\n").getBytes(UTF_8), Utf8LineReader.MAX_LINE_BYTES);

        assertLine(reader.next(), 1, text);
        assertNull(reader.next());
    }

    @Test
    void reportsTheByteWhereUtf8BecomesInvalid() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'a', 'b', (byte) 0xC3, '(', '\n', 'n', 'e', 'x', 't'};
        Utf8LineReader reader = reader(bytes, Utf8LineReader.MAX_LINE_BYTES);

        assertLine(reader.next(), 1, "ok");
        Utf8LineReader.Line bad = reader.next();
        assertEquals(BadRow.Kind.INVALID_UTF8, bad.problemKind());
        assertTrue(bad.problem().startsWith("invalid UTF-8 at byte 3 of line 2"), bad.problem());
        assertEquals("ab\uFFFD(", bad.text());
        assertLine(reader.next(), 3, "next");
    }

    @Test
    void stripsTheByteOrderMarkOnlyAtTheStart() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] bytes = new byte[] {bom[0], bom[1], bom[2], 'a', '\n', bom[0], bom[1], bom[2], 'b'};
        Utf8LineReader reader = reader(bytes, Utf8LineReader.MAX_LINE_BYTES);

        assertLine(reader.next(), 1, "a");
        assertLine(reader.next(), 2, "\uFEFFb");
    }

    @Test
    void truncatesAndReportsOverlongLinesThenCarriesOn() throws IOException {
        Utf8LineReader reader = reader("short\n0123456789abc\nafter\n".getBytes(UTF_8), 8);

        assertLine(reader.next(), 1, "short");
        Utf8LineReader.Line longLine = reader.next();
        assertEquals(BadRow.Kind.MALFORMED, longLine.problemKind());
        assertEquals("01234567", longLine.text());
        assertTrue(longLine.problem().contains("longer than 8 bytes"), longLine.problem());
        assertLine(reader.next(), 3, "after");
    }

    private static Utf8LineReader reader(byte[] bytes, int maxLineBytes) {
        return new Utf8LineReader(new ByteArrayInputStream(bytes), maxLineBytes);
    }

    private static void assertLine(Utf8LineReader.Line line, long number, String text) {
        assertTrue(line.ok(), () -> "line " + number + ": " + line.problem());
        assertEquals(number, line.number());
        assertEquals(text, line.text());
    }
}
