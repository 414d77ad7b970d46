package dev.sentikit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Fixtures;
import dev.sentikit.train.LastCheckpoint;
import dev.sentikit.train.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/trainer train} as a user runs it, each command in its own JVM: killed with SIGKILL at several moments
 * and restarted with the same command line plus {@code --resume DIR}, a run ends with parameters byte-identical to
 * an uninterrupted run's; options that differ from the run's are refused by name; an {@code --output} that holds a
 * run is never silently replaced. A small bag model on the 1,500-row fixture keeps each run to seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillResumeProcessTest {

    @TempDir
    static Path tmp;

    /** The uninterrupted run every interrupted one must match. */
    private static Path straight;

    /** The command line of every run here, without its --output. */
    private static List<String> command() {
        return List.of("train", "--data", Fixtures.vaderSample().toString(), "--epochs", "2", "--batch-size", "32",
                "--embedding-dim", "16", "--min-count", "1", "--hash-buckets", "256", "--device", "cpu",
                "--checkpoint-every", "10", "--progress", "lines", "--no-cache");
    }

    private static String[] args(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @BeforeAll
    static void trainStraight() throws Exception {
        straight = tmp.resolve("straight");
        TrainerProcess.Result r = TrainerProcess.run(tmp.resolve("logs-straight"),
                args(command(), "--output", straight.toString()));
        assertEquals(0, r.code(), r.all());
        assertTrue(RunDirectory.finished(straight));
    }

    /** Runs the command into {@code dir} and kills it with SIGKILL as soon as {@code moment} holds for dir. */
    private static void killWhen(Path dir, Path logs, Predicate<Path> moment) throws Exception {
        Files.createDirectories(logs);
        Process p = TrainerProcess.start(logs, args(command(), "--output", dir.toString()));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TrainerProcess.TIMEOUT_SECONDS);
            while (!moment.test(dir)) {
                if (!p.isAlive()) {
                    throw new AssertionError("the run ended (status " + p.exitValue() + ") before the moment to "
                            + "kill it: " + Files.readString(logs.resolve("stderr.txt")));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the moment to kill the run never came");
                }
                Thread.sleep(5);
            }
        } finally {
            TrainerProcess.kill9(p);
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    private static TrainerProcess.Result resume(Path dir, Path logs) throws Exception {
        // The command a user types after a crash: the same line, plus --resume DIR.
        return TrainerProcess.run(logs, args(command(), "--output", dir.toString(), "--resume", dir.toString()));
    }

    private static void assertSameAsStraight(Path dir) throws Exception {
        for (String f : List.of(Checkpoint.PARAMETERS, Checkpoint.LAST + "/" + Checkpoint.PARAMETERS,
                Checkpoint.LAST + "/" + LastCheckpoint.OPTIMIZER)) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(dir.resolve(f)),
                    f + " differs from the uninterrupted run's");
        }
        assertEquals(epochs(straight), epochs(dir), "the epochs' losses and validation metrics");
        assertTrue(RunDirectory.finished(dir));
    }

    /** metrics.json's epochs without their speed, which differs from run to run. */
    private static List<Map<String, Object>> epochs(Path dir) throws Exception {
        Map<?, ?> metrics = ModelFormat.json().readValue(dir.resolve(Checkpoint.METRICS).toFile(), Map.class);
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (Object e : (List<?>) metrics.get("epochs")) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            ((Map<?, ?>) e).forEach((k, v) -> copy.put(k.toString(), v));
            copy.remove("examples_per_second");
            epochs.add(copy);
        }
        assertEquals(2, epochs.size());
        return epochs;
    }

    private static long metricsLines(Path dir) {
        try {
            return Files.readAllLines(dir.resolve("metrics.jsonl")).stream().filter(l -> !l.isBlank()).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    @Order(1)
    void killedBeforeItsFirstCheckpointItStartsAgainFromTheBeginning() throws Exception {
        Path dir = tmp.resolve("before-first");
        killWhen(dir, tmp.resolve("logs-before-first"), d -> Files.exists(d.resolve(RunDirectory.SETTINGS)));
        assertFalse(Files.exists(dir.resolve(Checkpoint.LAST)), "killed before the first checkpoint was complete");
        // What a kill while the first checkpoint was being written leaves: a cut-off file in last.tmp/.
        Files.createDirectories(dir.resolve(LastCheckpoint.TMP));
        Files.write(dir.resolve(LastCheckpoint.TMP).resolve(Checkpoint.PARAMETERS), new byte[] {1, 2, 3});

        TrainerProcess.Result r = resume(dir, tmp.resolve("logs-before-first-resume"));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains(dir + " holds no complete checkpoint (the run stopped before its first one): "
                + "starting the run again from the beginning, with the settings it started with"), r.all());
        assertSameAsStraight(dir);
    }

    @Test
    @Order(2)
    void killedMidEpochAndAfterAnEpochItResumesToTheSameParameters() throws Exception {
        // After the first checkpoint (step 10 of epoch 1), and once epoch 1 is logged (in epoch 2).
        List<Predicate<Path>> moments = List.of(
                d -> Files.exists(d.resolve(Checkpoint.LAST).resolve(LastCheckpoint.STATE)),
                d -> metricsLines(d) >= 1);
        for (int i = 0; i < moments.size(); i++) {
            Path dir = tmp.resolve("killed-" + i);
            killWhen(dir, tmp.resolve("logs-killed-" + i), moments.get(i));
            assertFalse(RunDirectory.finished(dir), "killed before the end");

            // Running the same command again is refused: it would replace the unfinished run.
            TrainerProcess.Result again = TrainerProcess.run(tmp.resolve("logs-again-" + i),
                    args(command(), "--output", dir.toString()));
            assertEquals(1, again.code(), again.all());
            assertTrue(again.err().contains("error: " + dir + " already holds a run that has not finished"),
                    again.all());
            assertTrue(again.err().contains("add --resume " + dir + " to this command; to replace it, add "
                    + "--overwrite; or choose another --output"), again.all());

            TrainerProcess.Result r = resume(dir, tmp.resolve("logs-resume-" + i));
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("resuming " + dir), r.all());
            assertSameAsStraight(dir);
        }
    }

    @Test
    @Order(3)
    void optionsThatDifferFromTheRunsAreRefusedByName() throws Exception {
        Path dir = tmp.resolve("killed-1"); // finished by the test before; the check comes first either way
        // The command with two settings changed and one added.
        List<String> changed = new ArrayList<>(command());
        changed.set(changed.indexOf("--epochs") + 1, "9");
        TrainerProcess.Result r = TrainerProcess.run(tmp.resolve("logs-differ"), args(changed, "--resume",
                dir.toString(), "--lr", "0.01", "--labels", "positive,negative,neutral"));
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("error: the command line differs from the run's settings: --epochs: the run has "
                + "2, the command line 9; --lr: the run has 0.005, the command line 0.01; --labels: the run has "
                + "negative,neutral,positive, the command line positive,negative,neutral. --resume continues the run "
                + "with its own settings"), r.all());

        TrainerProcess.Result elsewhere = TrainerProcess.run(tmp.resolve("logs-elsewhere"), "train", "--data",
                Fixtures.vaderSample().toString(), "--resume", dir.toString(), "--output", tmp.resolve("x").toString());
        assertEquals(1, elsewhere.code(), elsewhere.all());
        assertTrue(elsewhere.err().contains("is not --resume " + dir + ": a resumed run stays in its directory"),
                elsewhere.all());

        TrainerProcess.Result none = TrainerProcess.run(tmp.resolve("logs-none"), "train", "--data",
                Fixtures.vaderSample().toString(), "--resume", tmp.resolve("never").toString());
        assertEquals(1, none.code(), none.all());
        assertTrue(none.err().contains(tmp.resolve("never") + " does not exist: there is no run to resume. To start "
                + "one, give --output " + tmp.resolve("never") + " instead of --resume"), none.all());
    }

    @Test
    @Order(4)
    void aFinishedRunIsNeverReplacedWithoutOverwrite() throws Exception {
        byte[] params = Files.readAllBytes(straight.resolve(Checkpoint.PARAMETERS));
        long modified = Files.getLastModifiedTime(straight.resolve(Checkpoint.PARAMETERS)).toMillis();
        TrainerProcess.Result again = TrainerProcess.run(tmp.resolve("logs-finished-again"),
                args(command(), "--output", straight.toString()));
        assertEquals(1, again.code(), again.all());
        assertTrue(again.err().contains("error: " + straight + " already holds a finished run (card.json, "
                + "model.params, last, …); training again there would replace it. To keep it, choose "
                + "another --output; to replace it, add --overwrite (--resume " + straight + " continues a run that "
                + "has not finished)."), again.all());
        assertArrayEquals(params, Files.readAllBytes(straight.resolve(Checkpoint.PARAMETERS)));
        assertEquals(modified, Files.getLastModifiedTime(straight.resolve(Checkpoint.PARAMETERS)).toMillis());

        // --overwrite replaces it: a fresh run of the same command, so the same parameters; files of its own stay.
        Path mine = straight.resolve("notes.txt");
        Files.writeString(mine, "kept");
        Files.writeString(straight.resolve("evaluation.json"), "{}"); // the old model's, removed with it
        TrainerProcess.Result overwrite = TrainerProcess.run(tmp.resolve("logs-overwrite"),
                args(command(), "--output", straight.toString(), "--overwrite"));
        assertEquals(0, overwrite.code(), overwrite.all());
        assertArrayEquals(params, Files.readAllBytes(straight.resolve(Checkpoint.PARAMETERS)));
        assertEquals("kept", Files.readString(mine));
        assertFalse(Files.exists(straight.resolve("evaluation.json")));
    }
}
