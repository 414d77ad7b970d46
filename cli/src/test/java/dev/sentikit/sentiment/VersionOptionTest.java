package dev.sentikit.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.SentikitVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOptionTest {

    @Test
    void everyCommandPrintsTheVersions() {
        check(new SentimentCli(), "sentiment", "--version");
        check(new SentimentCli(), "sentiment serve", "serve", "--version");
    }

    private static void check(Object command, String name, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(command, args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(name + ": Sentikit " + SentikitVersion.get(), lines.get(0), out.toString());
        assertTrue(lines.get(1).startsWith("ONNX Runtime 1."), out.toString());
        // This module runs without the trainer, as the CLI archive's bin/sentiment does (lib/ holds no DJL).
        assertEquals("DJL: not on the class path", lines.get(2), out.toString());
        assertTrue(lines.get(3).startsWith("Java "), out.toString());
    }
}
