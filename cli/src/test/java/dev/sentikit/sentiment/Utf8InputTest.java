package dev.sentikit.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class Utf8InputTest {

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else if (p instanceof int[] raw) {
                for (int b : raw) {
                    out.write(b);
                }
            }
        }
        return out.toByteArray();
    }

    private static String replacing(byte[] data) throws IOException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(data)).toString();
    }

    private static List<String> lines(Utf8Input in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l = in.readLine(); l != null; l = in.readLine()) {
            lines.add(l);
        }
        return lines;
    }

    /** Gives at most {@code chunk} bytes per read, so that sequences and CRLF pairs are cut between reads. */
    private static InputStream trickle(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void badBytesBecomeReplacementCharactersOnTheirOwnLine() throws IOException {
        byte[] data = bytes("good\n", "fine\n", "bad ", new int[] {0xFF, 0xFE}, " and ", new int[] {0xED, 0xA0, 0x80},
                "\n", "ok\n", "last\n");
        Utf8Input in = new Utf8Input(new ByteArrayInputStream(data), "in.txt");
        List<String> lines = lines(in);
        // Java's decoder takes an encoded surrogate for one bad sequence of three bytes.
        assertEquals(List.of("good", "fine", "bad \uFFFD\uFFFD and \uFFFD", "ok", "last"), lines);
        // The same replacement as a CharsetDecoder set to REPLACE.
        assertEquals(replacing(data), String.join("\n", lines) + "\n");
        assertEquals(1, in.badLines());
        assertNull(in.badLineThrough(2));
        Utf8Input.BadLine bad = in.badLineThrough(3);
        assertEquals(3, bad.line());
        assertEquals("3 bad sequences, the first FF at character 5", bad.describe());
        assertNull(in.badLineThrough(5), "consumed");
        assertEquals("in.txt line 3: not valid UTF-8 (3 bad sequences, the first FF at character 5). Re-save the "
                + "file as UTF-8, or leave out --strict to analyze such lines with each bad sequence replaced by "
                + "U+FFFD", in.strictError(bad));
        List<String> report = in.report();
        assertEquals(1, report.size(), report.toString());
        assertTrue(report.get(0).startsWith("warning: in.txt: 1 line was not valid UTF-8 and was analyzed with each "
                + "bad byte sequence replaced by U+FFFD (3 sequences): line 3 (3 bad sequences, the first FF at "
                + "character 5)."), report.get(0));
    }

    @Test
    void lineEndsAreLfCrlfOrCrAndTheLastLineNeedsNone() throws IOException {
        for (int chunk : new int[] {1, 2, 3, 1 << 16}) {
            byte[] data = bytes("a\r\nb\rc\nd\r\r\ne", new int[] {0xC3}, "\r\n", "f");
            Utf8Input in = new Utf8Input(trickle(data, chunk), "x");
            assertEquals(List.of("a", "b", "c", "d", "", "e\uFFFD", "f"), lines(in), "chunk " + chunk);
            assertEquals(6, in.badLineThrough(7).line(), "chunk " + chunk);
        }
        assertEquals(List.of("x", "y"), lines(new Utf8Input(new ByteArrayInputStream(bytes("x\ry\r")), "x")));
        assertEquals(List.of(), lines(new Utf8Input(new ByteArrayInputStream(new byte[0]), "x")));
        assertEquals(List.of(""), lines(new Utf8Input(new ByteArrayInputStream(bytes("\n")), "x")));
    }

    @Test
    void aByteOrderMarkAtTheStartOfAnyLineIsDroppedAndNulsAreReported() throws IOException {
        byte[] data = bytes("\uFEFFfirst\n", "second\n", "\uFEFFthird\n", "in\uFEFFside\n", "nul\0here\0\n", "end");
        Utf8Input in = new Utf8Input(new ByteArrayInputStream(data), "cat.txt");
        assertEquals(List.of("first", "second", "third", "in\uFEFFside", "nul\0here\0", "end"), lines(in));
        assertEquals(0, in.badLines());
        assertEquals(1, in.nulLines());
        List<String> report = in.report();
        assertEquals(List.of("warning: cat.txt: 1 line holds NUL characters, analyzed as separators: line 5. Text "
                + "files hold none; many of them usually mean a UTF-16 file: re-save it as UTF-8."), report);
    }

    @Test
    void aSequenceCutOffAtTheEndIsBad() throws IOException {
        Utf8Input in = new Utf8Input(new ByteArrayInputStream(bytes("ok\ncut ", new int[] {0xE2, 0x82})), "x");
        assertEquals(List.of("ok", "cut \uFFFD"), lines(in));
        assertEquals("the bytes E2 82 at character 5", in.badLineThrough(2).describe());
    }

    @Test
    void aCleanFileGivesNoReport() throws IOException {
        Utf8Input in = new Utf8Input(new ByteArrayInputStream(bytes("café\n不好\n😀\n")), "x");
        assertEquals(List.of("café", "不好", "😀"), lines(in));
        assertEquals(List.of(), in.report());
        assertFalse(in.ready());
    }

    /**
     * Random lines of valid text, bad bytes and every line end, read in random chunk sizes: the text equals a
     * replacing CharsetDecoder's split into lines, and the bad lines are exactly those that were given bad bytes.
     */
    @Test
    void randomInputsKeepTheirLinesAndTheirLineNumbers() throws IOException {
        Random random = new Random(5);
        String[] valid = {"a", "word ", "é", "不", "😀", "\t", ",", "\"", "\uFEFF", "\uFFFD"};
        int[][] invalid = {{0xFF}, {0xFE}, {0xC0, 0xAF}, {0xED, 0xA0, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80}, {0x41, 0x80},
            {0xE2, 0x28, 0xA1}, {0xF0, 0x9F, 0x98}};
        String[] ends = {"\n", "\r\n", "\r"};
        for (int round = 0; round < 200; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TreeSet<Long> expectedBad = new TreeSet<>();
            int lineCount = 1 + random.nextInt(300);
            String end = "";
            for (int l = 1; l <= lineCount; l++) {
                int pieces = random.nextInt(8);
                for (int p = 0; p < pieces; p++) {
                    if (random.nextInt(10) == 0) {
                        for (int b : invalid[random.nextInt(invalid.length)]) {
                            out.write(b);
                        }
                        expectedBad.add((long) l);
                    } else {
                        out.writeBytes(valid[random.nextInt(valid.length)].getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (l < lineCount || random.nextBoolean()) {
                    String previous = end;
                    do {
                        end = ends[random.nextInt(ends.length)];
                    } while (pieces == 0 && previous.equals("\r") && end.equals("\n")); // that would be one CRLF
                    out.writeBytes(end.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] data = out.toByteArray();
            Utf8Input in = new Utf8Input(trickle(data, 1 + random.nextInt(random.nextBoolean() ? 5 : 70_000)), "r");
            List<Long> bad = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            long number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                lines.add(line);
                Utf8Input.BadLine b = in.badLineThrough(number);
                if (b != null) {
                    assertEquals(number, b.line());
                    bad.add(b.line());
                }
            }
            String lenient = replacing(data);
            List<String> expected = new ArrayList<>(List.of(lenient.split("\r\n|\r|\n", -1)));
            if (expected.get(expected.size() - 1).isEmpty()) {
                expected.remove(expected.size() - 1);
            }
            expected.replaceAll(s -> s.startsWith("\uFEFF") ? s.substring(1) : s);
            assertEquals(expected, lines, "round " + round);
            assertEquals(List.copyOf(expectedBad), bad, "round " + round);
            assertEquals(expectedBad.size(), in.badLines(), "round " + round);
        }
    }
}
