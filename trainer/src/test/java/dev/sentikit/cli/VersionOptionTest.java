package dev.sentikit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import dev.sentikit.SentikitVersion;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionOptionTest {

    @Test
    void everyCommandPrintsSentikitOnnxRuntimeAndDjlVersions() {
        List<String> commands = new CommandLine(new TrainerCli()).getSubcommands().keySet().stream()
                .filter(name -> !name.equals("help")).toList();
        assertEquals(List.of("train", "distill", "evaluate", "export", "split"), commands);
        // What DJL itself reports once PyTorch is loaded; --version reads it without loading PyTorch.
        String engine = "DJL " + Engine.getDjlVersion() + ", PyTorch " + Engine.getEngine("PyTorch").getVersion();
        for (String[] args : new String[][] {{"--version"}, {"train", "--version"}, {"distill", "--version"},
                {"evaluate", "--version"}, {"export", "--version"}, {"split", "--version"}}) {
            TrainerCliTest.Run r = TrainerCliTest.run(args);
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            String name = args.length == 1 ? "trainer" : "trainer " + args[0];
            assertEquals(name + ": Sentikit " + SentikitVersion.get(), lines.get(0), String.join(" ", args));
            assertTrue(lines.get(1).startsWith("ONNX Runtime 1."), r.out());
            assertTrue(lines.get(2).startsWith(engine + " (cpu natives for "), r.out());
        }
    }
}
