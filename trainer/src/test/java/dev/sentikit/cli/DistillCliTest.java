package dev.sentikit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.distill.TinyTeacher;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trainer distill: the command line, the label cache, held-out texts, resume and its refusals. */
class DistillCliTest {

    private static TrainerCliTest.Run run(String... args) {
        return TrainerCliTest.run(args);
    }

    /** A test split the fixture does not hold, and unlabelled texts among which two are test texts. */
    private static List<Path> files(Path dir) throws Exception {
        Path test = dir.resolve("test.tsv");
        Files.writeString(test, "positive\tThis charger is simply wonderful!\nnegative\tThe strap broke on day one.\n",
                StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        lines.add("this charger is SIMPLY wonderful");   // a test text
        lines.add("");
        lines.add("The strap broke on day one");           // a test text
        List<String> fixture = Files.readAllLines(Fixtures.vaderSample(), StandardCharsets.UTF_8);
        for (int i = 0; i < 400; i++) {
            lines.add("to be fair, " + fixture.get(i).split("\t", 2)[1]);
        }
        Path unlabelled = dir.resolve("unlabelled.txt");
        Files.write(unlabelled, lines, StandardCharsets.UTF_8);
        return List.of(test, unlabelled);
    }

    private static List<String> distill(Path dir, Path out, String... more) throws Exception {
        List<Path> f = files(dir);
        List<String> args = new ArrayList<>(List.of("distill", "--teacher", TinyTeacher.file().toString(), "--data",
                Fixtures.vaderSample().toString(), "--unlabelled", f.get(1).toString(), "--exclude",
                f.get(0).toString(), "--epochs", "2", "--batch-size", "32", "--embedding-dim", "16", "--min-count",
                "1", "--device", "cpu", "--cache-dir", dir.resolve("cache").toString(), "--progress", "lines",
                "--output", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void distillRecordsItsTeacherDropsTestTextsCachesLabelsAndExports(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("student");
        TrainerCliTest.Run first = run(distill(dir, out).toArray(String[]::new));
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("402 texts, 400 kept (2 the same as a held-out text"), first.out());
        assertTrue(first.out().contains("0 from the cache"), first.out());
        assertTrue(first.out().contains("distilling on 1,350 labelled rows and 400 unlabelled texts"), first.out());
        assertTrue(first.out().contains("epoch 2/2"), first.out());
        Map<?, ?> card = ModelFormat.json().readValue(out.resolve(Checkpoint.CARD).toFile(), Map.class);
        Map<?, ?> d = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) card.get("provenance")).get("hyperparameters"))
                .get("distillation");
        assertEquals(0.5, ((Number) d.get("alpha")).doubleValue());
        assertEquals(1, ((List<?>) d.get("unlabelled")).size());
        assertEquals(1, ((List<?>) d.get("excluded")).size());

        TrainerCliTest.Run again = run(distill(dir, out, "--overwrite").toArray(String[]::new));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("1,750 texts, 1,750 from the cache"), again.out());
        assertTrue(again.out().contains("0 labelled in"), again.out());
        assertEquals(Files.readAllLines(out.resolve("metrics.jsonl")).size(), 2);

        TrainerCliTest.Run export = run("export", "--model", out.toString(), "--output", dir.resolve("s.onnx")
                .toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("parity"), export.out());
    }

    @Test
    void resumeContinuesWithTheRunsSettingsAndRefusesOtherFilesOrValues(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("student");
        assertEquals(0, run(distill(dir, out, "--alpha", "0.7").toArray(String[]::new)).code());

        TrainerCliTest.Run resumed = run(distill(dir, dir.resolve("unused"), "--resume", out.toString())
                .stream().filter(a -> !a.equals("--output") && !a.endsWith("unused")).toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("the run had finished"), resumed.out());

        List<String> alpha = new ArrayList<>(List.of("distill", "--teacher", TinyTeacher.file().toString(), "--data",
                Fixtures.vaderSample().toString(), "--resume", out.toString(), "--alpha", "0.2"));
        TrainerCliTest.Run refused = run(alpha.toArray(String[]::new));
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("--alpha: the run has 0.7, the command line 0.2"), refused.err());

        List<String> noUnlabelled = List.of("distill", "--teacher", TinyTeacher.file().toString(), "--data",
                Fixtures.vaderSample().toString(), "--resume", out.toString());
        TrainerCliTest.Run missing = run(noUnlabelled.toArray(String[]::new));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("the --unlabelled files are not the run's"), missing.err());

        TrainerCliTest.Run asTrain = run("train", "--data", Fixtures.vaderSample().toString(), "--resume",
                out.toString());
        assertEquals(1, asTrain.code());
        assertTrue(asTrain.err().contains("continue it with trainer distill --resume"), asTrain.err());
    }

    @Test
    void aTeacherWithoutTheDatasLabelsIsRefused(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("good-bad.tsv");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add((i % 2 == 0 ? "good" : "bad") + "\ttext " + i);
        }
        Files.write(data, rows, StandardCharsets.UTF_8);
        TrainerCliTest.Run r = run("distill", "--teacher", TinyTeacher.file().toString(), "--data", data.toString(),
                "--output", dir.resolve("o").toString(), "--device", "cpu", "--no-cache");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("do not cover the data's [bad, good]"), r.err());
    }
}
