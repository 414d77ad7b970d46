package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** QuickStart runs as the README says and prints a label, its score and all scores. */
class QuickStartTest {

    static String runMain(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(args);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void analyzesItsOwnExample() throws Exception {
        String out = runMain();
        assertTrue(out.matches("positive \\(\\d\\.\\d\\d\\)  all: \\{negative=.*, neutral=.*, positive=.*}\\R"), out);
    }

    @Test
    void analyzesTheArgumentsAsOneText() throws Exception {
        String out = runMain("The", "battery", "died", "after", "two", "days,", "awful");
        assertTrue(out.startsWith("negative ("), out);
    }
}
