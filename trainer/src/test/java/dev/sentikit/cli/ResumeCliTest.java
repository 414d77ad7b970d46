package dev.sentikit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Fixtures;
import dev.sentikit.train.LastCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainer train --resume}, and the options that came with it. */
class ResumeCliTest {

    private static TrainerCliTest.Run run(String... args) {
        return TrainerCliTest.run(args);
    }

    @Test
    void resumeContinuesFromTheCheckpointAndChecksTheData(@TempDir Path dir) throws Exception {
        String data = Fixtures.vaderSample().toString();
        Path a = dir.resolve("a").resolve("run");
        TrainerCliTest.Run train = run("train", "--data", data, "--output", a.toString(), "--epochs", "2",
                "--batch-size", "32", "--embedding-dim", "16", "--min-count", "1", "--device", "cpu",
                "--no-calibration", "--accumulate", "2", "--warmup-steps", "3", "--lr-decay", "cosine",
                "--checkpoint-every", "5", "--progress", "lines");
        assertEquals(0, train.code(), train.err());

        // A run killed after its first epoch: its last/ is the uninterrupted run's last.prev/.
        Path b = dir.resolve("b").resolve("run");
        copy(a, b);
        LastCheckpoint.find(b, m -> {}); // readable
        deleteTree(b.resolve(Checkpoint.LAST));
        Files.move(b.resolve(LastCheckpoint.PREVIOUS), b.resolve(Checkpoint.LAST));

        TrainerCliTest.Run resumed = run("train", "--resume", b.toString(), "--data", data, "--device", "cpu",
                "--progress", "lines");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("epoch 2/2"), resumed.out());
        for (String f : List.of(Checkpoint.PARAMETERS, Checkpoint.LAST + "/" + Checkpoint.PARAMETERS)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }

        Path other = dir.resolve("other.tsv");
        List<String> lines = Files.readAllLines(Fixtures.vaderSample());
        Files.write(other, lines.subList(0, lines.size() - 1));
        TrainerCliTest.Run wrongData = run("train", "--resume", b.toString(), "--data", other.toString());
        assertNotEquals(0, wrongData.code());
        assertTrue(wrongData.err().contains("SHA-256"), wrongData.err());

        TrainerCliTest.Run extra = run("train", "--resume", b.toString(), "--data", data, "--epochs", "9");
        assertEquals(1, extra.code());
        assertTrue(extra.err().contains("--epochs: the run has 2, the command line 9"), extra.err());

        TrainerCliTest.Run nothing = run("train", "--resume", dir.resolve("none").toString(), "--data", data);
        assertNotEquals(0, nothing.code());

        TrainerCliTest.Run noOutput = run("train", "--data", data);
        assertNotEquals(0, noOutput.code());
        assertTrue(noOutput.err().contains("--output"), noOutput.err());
    }

    @Test
    void helpSaysMixedPrecisionIsNotOffered() {
        TrainerCliTest.Run help = run("train", "--help");
        assertEquals(0, help.code());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("Mixed precision is not offered"), text);
        for (String option : List.of("--resume", "--checkpoint-every", "--accumulate", "--warmup-steps", "--lr-decay")) {
            assertTrue(text.contains(option), option);
        }
    }

    static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
