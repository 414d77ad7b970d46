package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.SentikitVersion;
import dev.sentikit.sentiment.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOptionTest {

    @Test
    void everyCommandPrintsTheVersions() {
        check(new BatchCsv(), "BatchCsv", "--version");
        check(new TrainAndExport(), "TrainAndExport", "--version");
    }

    private static void check(Object command, String name, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(command, args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(name + ": Sentikit " + SentikitVersion.get(), lines.get(0), out.toString());
        assertTrue(lines.get(1).startsWith("ONNX Runtime 1."), out.toString());
        // The samples module has the trainer, and with it DJL, on its class path (TrainAndExport); the sentiment
        // command does not (cli's VersionOptionTest, release-tests/CliDistributionIT).
        assertTrue(lines.get(2).startsWith("DJL "), out.toString());
        assertTrue(lines.get(3).startsWith("Java "), out.toString());
    }
}
