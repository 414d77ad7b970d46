package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    static List<List<String>> parse(String csv) throws IOException {
        List<List<String>> records = new ArrayList<>();
        try (Csv.Reader reader = new Csv.Reader(new StringReader(csv), "in.csv")) {
            for (List<String> r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        return records;
    }

    @Test
    void readsRfc4180() throws IOException {
        String csv = "id,text\r\n1,plain\r\n2,\"with, comma\"\r\n3,\"with \"\"quotes\"\"\"\r\n"
                + "4,\"two\r\nlines\"\r\n5,\r\n6,\"\"\r\n";
        assertEquals(List.of(List.of("id", "text"), List.of("1", "plain"), List.of("2", "with, comma"),
                List.of("3", "with \"quotes\""), List.of("4", "two\r\nlines"), List.of("5", ""), List.of("6", "")),
                parse(csv));
    }

    @Test
    void acceptsLfCrAByteOrderMarkAndNoFinalLineEnd() throws IOException {
        assertEquals(List.of(List.of("a", "b"), List.of("1", "2"), List.of("3", "4")), parse("\uFEFFa,b\n1,2\r3,4"));
        try (Csv.Reader reader = new Csv.Reader(new StringReader("\uFEFFa\n1\n"), "in.csv")) {
            reader.next();
            assertTrue(reader.byteOrderMark());
            assertEquals("\n", reader.lineEnding());
        }
    }

    @Test
    void skipsEmptyLinesAndKeepsStrayQuotes() throws IOException {
        assertEquals(List.of(List.of("a"), List.of("say \"hi\""), List.of("")), parse("a\n\n\nsay \"hi\"\n\"\"\n\n"));
    }

    @Test
    void countsLinesForErrors() throws IOException {
        try (Csv.Reader reader = new Csv.Reader(new StringReader("h\n\"x\ny\"\nz\n"), "in.csv")) {
            reader.next();
            reader.next();
            assertEquals(2, reader.recordLine());
            reader.next();
            assertEquals(4, reader.recordLine());
            assertNull(reader.next());
        }
    }

    @Test
    void malformedInputIsAnErrorWithItsLine() {
        Csv.CsvException unclosed = assertThrows(Csv.CsvException.class, () -> parse("a\n\"open\n"));
        assertTrue(unclosed.getMessage().contains("line 2") && unclosed.getMessage().contains("closing quote"),
                unclosed.getMessage());
        Csv.CsvException after = assertThrows(Csv.CsvException.class, () -> parse("a,b\n\"x\"y,2\n"));
        assertTrue(after.getMessage().contains("line 2") && after.getMessage().contains("'y'"), after.getMessage());
    }

    @Test
    void writesQuotesOnlyWhereNeededAndReadsBackTheSame() throws IOException {
        List<String> fields = List.of("plain", "a,b", "say \"x\"", "two\nlines", "cr\r", "", " spaced ");
        StringWriter out = new StringWriter();
        Csv.write(out, fields, "\r\n");
        assertEquals("plain,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\",\"cr\r\",, spaced \r\n", out.toString());
        assertEquals(List.of(fields), parse(out.toString()));
    }

    /**
     * A record is returned once its line end is read, without reading further: from a pipe whose writer pauses,
     * the rows before the pause are scored at once (Jackson ends a record only when it has seen what follows).
     */
    @Test
    void aRecordEndsAtItsLineEndWithoutWaitingForMoreInput() throws IOException {
        java.io.Reader paused = new java.io.Reader() {
            private final StringReader first = new StringReader("id,text\n1,\"a, b\"\n2,c\n");
            private boolean drained;

            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                int n = first.read(buffer, offset, length);
                if (n > 0) {
                    return n;
                }
                if (drained) {
                    return -1;
                }
                throw new IllegalStateException("read past the pause: the writer has not sent more yet");
            }

            @Override
            public void close() {
                drained = true;
            }
        };
        try (Csv.Reader reader = new Csv.Reader(paused, "in.csv")) {
            assertEquals(List.of("id", "text"), reader.next());
            assertEquals(List.of("1", "a, b"), reader.next());
            assertEquals(List.of("2", "c"), reader.next());
            assertEquals(3, reader.recordLine());
            assertEquals(3, reader.endLine());
            assertEquals(false, reader.ready(), "nothing more is there to read");
        }
    }

    @Test
    void aRecordLongerThanTheLimitIsAnErrorWithItsLine() {
        String huge = "x".repeat(Csv.MAX_RECORD_CHARS + 1);
        Csv.CsvException e = assertThrows(Csv.CsvException.class, () -> parse("a,b\n1,2\n3,\"" + huge + "\"\n"));
        assertEquals("in.csv line 3: the record is longer than " + Csv.MAX_RECORD_CHARS + " characters; is a quote "
                + "left open on that line?", e.getMessage());
    }
}
