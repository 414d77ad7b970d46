package dev.sentikit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.distill.TinyTeacher;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Fixtures;
import dev.sentikit.train.LastCheckpoint;
import dev.sentikit.train.data.DataReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainer train --partial-data}: rows that know only some labels, recorded in the card, checked on resume. */
class PartialDataCliTest {

    private static TrainerCliTest.Run run(String... args) {
        return TrainerCliTest.run(args);
    }

    /** The fixture's negative and positive rows, reworded: a source without neutral. */
    private static Path twoLabels(Path dir, String name, int rows) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.vaderSample(), StandardCharsets.UTF_8)) {
            if (!line.startsWith("neutral\t") && lines.size() < rows) {
                String[] parts = line.split("\t", 2);
                lines.add(parts[0] + "\tin short, " + parts[1]);
            }
        }
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> train(Path out, Path partial, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", Fixtures.vaderSample().toString(),
                "--partial-data", partial.toString(), "--epochs", "2", "--batch-size", "32", "--embedding-dim", "16",
                "--min-count", "1", "--device", "cpu", "--checkpoint-every", "5", "--no-calibration", "--progress",
                "lines", "--output", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void partialDataIsTrainedRecordedAndCheckedOnResume(@TempDir Path dir) throws Exception {
        Path partial = twoLabels(dir, "binary.tsv", 600);
        Path a = dir.resolve("a").resolve("run");
        TrainerCliTest.Run first = run(train(a, partial).toArray(String[]::new));
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("600 rows that know only the labels [negative, positive], trained among "
                + "those"), first.out());
        // 90% of the fixture's 1,500 rows and of the 600: the validation split takes its share of both
        assertTrue(first.out().contains("on 1890 examples, validating on 210"), first.out());
        Map<?, ?> card = ModelFormat.json().readValue(a.resolve(Checkpoint.CARD).toFile(), Map.class);
        Map<?, ?> h = (Map<?, ?>) ((Map<?, ?>) card.get("provenance")).get("hyperparameters");
        List<?> recorded = (List<?>) h.get("partial_data");
        assertEquals(1, recorded.size(), String.valueOf(h));
        Map<?, ?> entry = (Map<?, ?>) recorded.get(0);
        assertEquals(partial.toString(), entry.get("file"));
        assertEquals(DataReader.sha256(partial), entry.get("sha256"));
        assertEquals(List.of("negative", "positive"), entry.get("labels"));

        // Killed after its first epoch, resumed: the same parameters as the run that was never stopped.
        Path b = dir.resolve("b").resolve("run");
        ResumeCliTest.copy(a, b);
        ResumeCliTest.deleteTree(b.resolve(Checkpoint.LAST));
        Files.move(b.resolve(LastCheckpoint.PREVIOUS), b.resolve(Checkpoint.LAST));
        TrainerCliTest.Run without = run("train", "--resume", b.toString(), "--data", Fixtures.vaderSample().toString());
        assertNotEquals(0, without.code());
        assertTrue(without.err().contains("--partial-data file(s) [" + partial + "]"), without.err());
        Path changed = twoLabels(dir, "changed.tsv", 599);
        TrainerCliTest.Run wrong = run("train", "--resume", b.toString(), "--data", Fixtures.vaderSample().toString(),
                "--partial-data", changed.toString());
        assertNotEquals(0, wrong.code());
        assertTrue(wrong.err().contains("is not the --partial-data file of the run"), wrong.err());
        TrainerCliTest.Run resumed = run("train", "--resume", b.toString(), "--data",
                Fixtures.vaderSample().toString(), "--partial-data", partial.toString(), "--progress", "lines");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("epoch 2/2"), resumed.out());
        for (String f : List.of(Checkpoint.PARAMETERS, Checkpoint.LAST + "/" + Checkpoint.PARAMETERS)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    @Test
    void filesThatCannotBePartialDataAreRefused(@TempDir Path dir) throws Exception {
        TrainerCliTest.Run every = run(train(dir.resolve("x"), Fixtures.vaderSample()).toArray(String[]::new));
        assertNotEquals(0, every.code());
        assertTrue(every.err().contains("has every label [negative, neutral, positive]"), every.err());

        Path positive = dir.resolve("positive.tsv");
        Files.writeString(positive, "positive\tlovely\npositive\tsplendid\n", StandardCharsets.UTF_8);
        TrainerCliTest.Run one = run(train(dir.resolve("y"), positive).toArray(String[]::new));
        assertNotEquals(0, one.code());
        assertTrue(one.err().contains("has only the label(s) [positive]"), one.err());

        Path partial = twoLabels(dir, "binary.tsv", 100);
        TrainerCliTest.Run distill = run("distill", "--teacher", TinyTeacher.file().toString(), "--data",
                Fixtures.vaderSample().toString(), "--partial-data", partial.toString(), "--epochs", "1",
                "--embedding-dim", "16", "--device", "cpu", "--output", dir.resolve("z").toString());
        assertNotEquals(0, distill.code());
        assertTrue(distill.err().contains("--partial-data cannot be distilled"), distill.err());
    }
}
