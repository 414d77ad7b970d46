package dev.sentikit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerCliTest {

    /** The result of one CLI run. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TrainerCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainEvaluateExportAnalyze(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Run train = run("train", "--data", Fixtures.vaderSample().toString(), "--output", run.toString(), "--epochs",
                "2", "--batch-size", "32", "--embedding-dim", "16", "--min-count", "1", "--device", "cpu");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("epoch 1/2"), train.out());
        assertTrue(train.out().contains("epoch 2/2"), train.out());
        assertTrue(train.err().contains("1,500 used"), train.err());

        Path onnx = dir.resolve("m.onnx");
        Run export = run("export", "--format", "onnx", "--model", run.toString(), "--output", onnx.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("parity"), export.out());
        assertTrue(Files.size(onnx) > 0);

        for (Path model : List.of(run, onnx)) {
            Path json = dir.resolve(model.getFileName() + "-eval.json");
            Run eval = run("evaluate", "--model", model.toString(), "--data", Fixtures.vaderSample().toString(),
                    "--output", json.toString());
            assertEquals(0, eval.code(), eval.err());
            assertTrue(eval.out().contains("negative") && eval.out().contains("macro"), eval.out());
            Map<?, ?> m = ModelFormat.json().readValue(json.toFile(), Map.class);
            assertEquals(1500, ((Number) m.get("examples")).intValue());
            // Each figure comes with its bootstrap interval, which holds it.
            assertTrue(eval.out().contains("95% intervals (1000 bootstrap resamples of the 1500 rows, seed 42)"),
                    eval.out());
            Map<?, ?> intervals = (Map<?, ?>) m.get("bootstrap");
            for (String metric : List.of("accuracy", "macro_f1", "macro_recall")) {
                Map<?, ?> interval = (Map<?, ?>) intervals.get(metric);
                double value = ((Number) m.get(metric)).doubleValue();
                double low = ((Number) interval.get("low")).doubleValue();
                double high = ((Number) interval.get("high")).doubleValue();
                assertTrue(low < value && value < high, metric + " " + value + " outside " + interval);
            }
        }
        // DJL and ONNX Runtime evaluate to the same accuracy on the same rows.
        Map<?, ?> a = ModelFormat.json().readValue(dir.resolve("run-eval.json").toFile(), Map.class);
        Map<?, ?> b = ModelFormat.json().readValue(dir.resolve("m.onnx-eval.json").toFile(), Map.class);
        assertEquals(a.get("accuracy"), b.get("accuracy"));
        assertNull(a.get("among_data_labels"), "the data has all three labels");

        // Data with two of the model's three labels: also the accuracy among those two.
        List<String> twoLabels = Files.readAllLines(Fixtures.vaderSample(), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.startsWith("neutral\t")).toList();
        Path binary = dir.resolve("binary.tsv");
        Files.write(binary, twoLabels, StandardCharsets.UTF_8);
        Path json = dir.resolve("binary-eval.json");
        Run eval = run("evaluate", "--model", onnx.toString(), "--data", binary.toString(), "--output", json.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("accuracy among the data's labels [negative, positive]"), eval.out());
        Map<?, ?> m = ModelFormat.json().readValue(json.toFile(), Map.class);
        Map<?, ?> among = (Map<?, ?>) m.get("among_data_labels");
        assertEquals(List.of("negative", "positive"), among.get("labels"));
        double amongAccuracy = ((Number) among.get("accuracy")).doubleValue();
        double accuracy = ((Number) m.get("accuracy")).doubleValue();
        // a right answer stays right with fewer labels competing; a wrong "neutral" may become right
        assertTrue(amongAccuracy >= accuracy, amongAccuracy + " < " + accuracy);
        Map<?, ?> amongInterval = (Map<?, ?>) among.get("interval");
        assertTrue(((Number) amongInterval.get("low")).doubleValue() < amongAccuracy
                && amongAccuracy < ((Number) amongInterval.get("high")).doubleValue(), amongInterval.toString());

        // --bootstrap 0: no intervals; a negative count is refused before the model runs.
        Run plain = run("evaluate", "--model", onnx.toString(), "--data", binary.toString(), "--output",
                json.toString(), "--bootstrap", "0");
        assertEquals(0, plain.code(), plain.err());
        Map<?, ?> noIntervals = ModelFormat.json().readValue(json.toFile(), Map.class);
        assertNull(noIntervals.get("bootstrap"));
        assertNull(((Map<?, ?>) noIntervals.get("among_data_labels")).get("interval"));
        Run negative = run("evaluate", "--model", onnx.toString(), "--data", binary.toString(), "--bootstrap", "-1");
        assertEquals(2, negative.code(), negative.out());
        assertTrue(negative.err().contains("--bootstrap must be 0"), negative.err());
    }

    @Test
    void badRowsAreReportedWithLineNumbersAndStrictFails(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(Fixtures.vaderSample(), StandardCharsets.UTF_8));
        lines.set(2, "\tno label here");
        lines.set(4, "positive\t   ");
        lines.set(6, "delighted\tan unknown label");
        Path data = dir.resolve("bad.tsv");
        Files.write(data, lines, StandardCharsets.UTF_8);

        Run lenient = run("train", "--data", data.toString(), "--output", dir.resolve("r").toString(), "--epochs", "1",
                "--labels", "negative,neutral,positive", "--embedding-dim", "8", "--device", "cpu");
        assertEquals(0, lenient.code(), lenient.err());
        assertTrue(lenient.err().contains("1,497 used, 3 skipped"), lenient.err());
        assertTrue(lenient.err().contains("line 3"), lenient.err());
        assertTrue(lenient.err().contains("line 5"), lenient.err());
        assertTrue(lenient.err().contains("line 7"), lenient.err());

        Run strict = run("train", "--data", data.toString(), "--output", dir.resolve("s").toString(), "--strict",
                "--labels", "negative,neutral,positive", "--device", "cpu");
        assertEquals(1, strict.code());
        assertTrue(strict.err().contains("line 3"), strict.err());
        assertFalse(Files.exists(dir.resolve("s").resolve("model.params")));
    }

    @Test
    void splitWritesStratifiedFilesThatAddUp(@TempDir Path dir) throws Exception {
        Run r = run("split", "--data", Fixtures.vaderSample().toString(), "--output", dir.toString(), "--seed", "3");
        assertEquals(0, r.code(), r.err());
        List<String> all = new ArrayList<>();
        for (String part : List.of("train.tsv", "valid.tsv", "test.tsv")) {
            all.addAll(Files.readAllLines(dir.resolve(part), StandardCharsets.UTF_8));
        }
        List<String> original = Files.readAllLines(Fixtures.vaderSample(), StandardCharsets.UTF_8);
        assertEquals(new java.util.HashSet<>(original), new java.util.HashSet<>(all));
        assertEquals(original.size(), all.size());
        List<String> test = Files.readAllLines(dir.resolve("test.tsv"), StandardCharsets.UTF_8);
        assertEquals(150, test.size());
        assertEquals(50, test.stream().filter(l -> l.startsWith("neutral\t")).count());
    }

    @Test
    void errorPathsSayWhatIsWrong(@TempDir Path dir) {
        Run none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("train"), none.err());

        Run missingData = run("train", "--data", dir.resolve("nope.tsv").toString(), "--output", dir.toString());
        assertEquals(1, missingData.code());
        assertTrue(missingData.err().contains("nope.tsv"), missingData.err());

        Run badModel = run("train", "--data", Fixtures.vaderSample().toString(), "--output", dir.toString(),
                "--model", "xgboost");
        assertEquals(1, badModel.code());
        assertTrue(badModel.err().contains("supported models are bag, cnn, bilstm, transformer"), badModel.err());

        Run badDevice = run("train", "--data", Fixtures.vaderSample().toString(), "--output", dir.toString(),
                "--device", "tpu");
        assertEquals(1, badDevice.code());
        assertTrue(badDevice.err().contains("auto, cpu, gpu or gpu:N"), badDevice.err());

        Run badFormat = run("export", "--format", "tflite", "--model", dir.toString(), "--output",
                dir.resolve("x").toString());
        assertEquals(1, badFormat.code());
        assertTrue(badFormat.err().contains("supported formats are onnx"), badFormat.err());

        Run notCheckpoint = run("export", "--model", dir.toString(), "--output", dir.resolve("x.onnx").toString());
        assertEquals(1, notCheckpoint.code());
        assertTrue(notCheckpoint.err().contains("card.json"), notCheckpoint.err());

        Run missingOption = run("evaluate", "--data", Fixtures.vaderSample().toString());
        assertEquals(2, missingOption.code());
        assertTrue(missingOption.err().contains("--model"), missingOption.err());

        Run badLr = run("train", "--data", Fixtures.vaderSample().toString(), "--output", dir.toString(), "--lr", "-1");
        assertEquals(1, badLr.code());
        assertTrue(badLr.err().contains("learning rate"), badLr.err());

        Run badBatching = run("train", "--data", Fixtures.vaderSample().toString(), "--output", dir.toString(),
                "--batching", "sorted");
        assertEquals(1, badBatching.code());
        assertTrue(badBatching.err().contains("random or bucketed"), badBatching.err());

        Run gpusAndDevice = run("train", "--data", Fixtures.vaderSample().toString(), "--output", dir.toString(),
                "--gpus", "0,1", "--device", "cpu");
        assertEquals(2, gpusAndDevice.code());
        assertTrue(gpusAndDevice.err().contains("--gpus and --device cannot both be given"), gpusAndDevice.err());

        Run cacheTwice = run("train", "--data", Fixtures.vaderSample().toString(), "--output", dir.toString(),
                "--no-cache", "--cache-dir", dir.toString(), "--epochs", "1");
        assertEquals(2, cacheTwice.code());
        assertTrue(cacheTwice.err().contains("--no-cache and --cache-dir"), cacheTwice.err());
    }

    @Test
    void gpusOnAMachineWithoutThemSaysWhatToDo(@TempDir Path dir) {
        org.junit.jupiter.api.Assumptions.assumeTrue(ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0,
                "this machine has a GPU");
        Run gpus = run("train", "--data", Fixtures.vaderSample().toString(), "--output", dir.toString(),
                "--gpus", "0,1");
        assertEquals(1, gpus.code());
        assertTrue(gpus.err().contains("PyTorch sees none") && gpus.err().contains("mvn -Pcuda"), gpus.err());
    }

    @Test
    void aSecondRunReadsTheEncodedDataFromTheCache(@TempDir Path dir) {
        String[] args = {"train", "--data", Fixtures.vaderSample().toString(), "--epochs", "1", "--embedding-dim", "8",
                "--device", "cpu", "--progress", "lines", "--cache-dir", dir.resolve("cache").toString(), "--output"};
        Run first = run(concat(args, dir.resolve("a").toString()));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("encoded 1350 texts"), first.out());
        Run second = run(concat(args, dir.resolve("b").toString()));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("read the encoded 1350 texts"), second.out());
        Run uncached = run("train", "--data", Fixtures.vaderSample().toString(), "--epochs", "1", "--embedding-dim",
                "8", "--device", "cpu", "--progress", "lines", "--no-cache", "--output", dir.resolve("c").toString());
        assertEquals(0, uncached.code(), uncached.err());
        assertTrue(uncached.out().contains("encoded 1350 texts") && !uncached.out().contains("cache:"),
                uncached.out());
    }

    private static String[] concat(String[] a, String last) {
        String[] all = java.util.Arrays.copyOf(a, a.length + 1);
        all[a.length] = last;
        return all;
    }
}
