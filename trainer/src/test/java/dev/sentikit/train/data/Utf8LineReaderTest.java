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
    void splitsOnLfCrlfAndLoneCrAndReadsALastLineWithoutNewline() throws IOException {
        Utf8LineReader reader = reader("a\r\nb\rc\n\nlast".getBytes(UTF_8), Utf8LineReader.MAX_LINE_BYTES);

        assertLine(reader.next(), 1, "a");
        assertLine(reader.next(), 2, "b");
        assertLine(reader.next(), 3, "c");
        assertLine(reader.next(), 4, "");
        assertLine(reader.next(), 5, "last");
        assertNull(reader.next());
        assertEquals(5, reader.linesRead());
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
    void stripsAByteOrderMarkAtTheStartOfEveryLineOnly() throws IOException {
        // Two files joined with cat: the second one's mark would otherwise begin a label.
        byte[] bytes = "\uFEFFa\n\uFEFFpositive\tb\nc\uFEFFd".getBytes(UTF_8);
        Utf8LineReader reader = reader(bytes, Utf8LineReader.MAX_LINE_BYTES);

        assertLine(reader.next(), 1, "a");
        assertLine(reader.next(), 2, "positive\tb");
        assertLine(reader.next(), 3, "c\uFEFFd");
        assertNull(reader.next());
    }

    @Test
    void crLfAndCrlfEachEndALineWhereverTheBufferEnds() throws IOException {
        byte[] bytes = "positive\tgreat\rnegative\tawful\r\rneutral\tok\r\nlast\tx\ny\r".getBytes(UTF_8);
        for (int chunk : new int[] {1, 2, 3, 5, 1 << 16}) {
            Utf8LineReader reader = new Utf8LineReader(trickle(bytes, chunk), Utf8LineReader.MAX_LINE_BYTES);
            assertLine(reader.next(), 1, "positive\tgreat");
            assertLine(reader.next(), 2, "negative\tawful");
            assertLine(reader.next(), 3, "");
            assertLine(reader.next(), 4, "neutral\tok");
            assertLine(reader.next(), 5, "last\tx");
            assertLine(reader.next(), 6, "y");
            assertNull(reader.next(), "chunk " + chunk);
        }
        // The same rule in a file whose first line end is a CRLF (a lone CR in it was once part of the text), also
        // when the LF of a CRLF comes in the buffer after its CR: the lines that sentiment --input reads (Utf8Input).
        for (int chunk : new int[] {1, 2, 1 << 16}) {
            Utf8LineReader reader = new Utf8LineReader(trickle("a\r\nb\rc\nd\r".getBytes(UTF_8), chunk),
                    Utf8LineReader.MAX_LINE_BYTES);
            assertLine(reader.next(), 1, "a");
            assertLine(reader.next(), 2, "b");
            assertLine(reader.next(), 3, "c");
            assertLine(reader.next(), 4, "d");
            assertNull(reader.next(), "chunk " + chunk);
        }
    }

    private static java.io.InputStream trickle(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
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
