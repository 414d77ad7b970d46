package dev.sentikit.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.architecture.SentimentBlock;
import dev.sentikit.graph.OnnxChecker;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Fixtures;
import dev.sentikit.train.SentimentTrainer;
import dev.sentikit.train.Split;
import dev.sentikit.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExporterTest {

    @TempDir
    static Path shared;

    private static Checkpoint checkpoint;
    private static Split split;

    @BeforeAll
    static void trainOnce() throws Exception {
        split = Split.stratified(Fixtures.vaderExamples(), 0.2, 1);
        checkpoint = new SentimentTrainer(Fixtures.smallConfig().optEpochs(3).build(), new Device[] {Device.cpu()},
                r -> {}).train(split.train(), split.heldOut(),
                        new SentimentTrainer.DataSources("fixture", "0".repeat(64), "split", null, "test"),
                        shared.resolve("run"));
    }

    @Test
    void exportedFileMatchesDjlAndIsValidOnnx(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.onnx");
        OnnxExporter.Result result = OnnxExporter.export(checkpoint, file, "fixture-model");
        assertTrue(result.parity().passed());
        assertTrue(result.parity().texts() > 100, "parity should run on the validation texts");
        assertEquals(Files.size(file), result.bytes());

        List<String> texts = split.heldOut().texts();
        float[][] djl;
        try (TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
            djl = trained.probabilities(texts);
        }
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.load(file, cpu)) {
            ModelCard card = analyzer.card();
            assertEquals("fixture-model", card.name());
            assertEquals(checkpoint.card().labels(), analyzer.labels());
            assertEquals(checkpoint.card().provenance().seed(), card.provenance().seed());
            assertFalse(card.metrics().isEmpty(), "validation metrics travel in the file");
            assertTrue(card.calibration() != null && card.temperature() > 0, "the temperature travels in the file");
            List<Sentiment> onnx = analyzer.analyzeAll(texts);
            double worst = 0;
            for (int i = 0; i < texts.size(); i++) {
                for (int l = 0; l < analyzer.labels().size(); l++) {
                    worst = Math.max(worst, Math.abs(onnx.get(i).score(analyzer.labels().get(l)) - djl[i][l]));
                }
            }
            assertTrue(worst <= OnnxExporter.PARITY_TOLERANCE, "ONNX Runtime differs from DJL by " + worst);
        }
        // Last, as it skips the test where python3-onnx is missing: the comparison above runs everywhere.
        OnnxChecker.assertValid(file);
    }

    @Test
    void parityCheckCatchesAWrongGraph() throws Exception {
        try (TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
            SentimentBlock block = trained.block();
            byte[] bytes;
            java.util.List<String> texts = split.heldOut().texts();
            float[][] djl = trained.probabilities(texts);
            float[] bias = block.bias().getArray().toFloatArray();
            float[] wrong = bias.clone();
            wrong[0] += 0.05f; // what a wrong graph would do: the graph gets another bias for the first label
            block.bias().getArray().set(wrong);
            try {
                bytes = ModelGraphs.build(block, ModelFormat.toMetadataProps(checkpoint.card(),
                        checkpoint.vocabulary()), "test").toByteArray();
            } finally {
                block.bias().getArray().set(bias);
            }
            ParityReport report = OnnxExporter.compare(djl, checkpoint.card().labels(), bytes, texts, "wrong.onnx");
            assertFalse(report.passed());
            assertTrue(report.maxProbabilityDifference() > 1e-3);
        }
    }

    @Test
    void damagedCheckpointWritesNothing(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("damaged");
        Files.createDirectories(copy);
        for (String f : List.of(Checkpoint.CARD, Checkpoint.VOCABULARY, Checkpoint.PARITY_TEXTS)) {
            Files.copy(checkpoint.dir().resolve(f), copy.resolve(f));
        }
        byte[] params = Files.readAllBytes(checkpoint.parameters());
        Files.write(copy.resolve(Checkpoint.PARAMETERS), java.util.Arrays.copyOf(params, params.length / 2));
        Path out = dir.resolve("out.onnx");
        Exception e = assertThrows(Exception.class, () -> OnnxExporter.export(Checkpoint.read(copy), out, null));
        assertTrue(e instanceof IOException || e instanceof ExportException || e instanceof RuntimeException, e.toString());
        assertFalse(Files.exists(out), "a failed export must not leave a file");
    }

    @Test
    void unknownFormatListsTheSupportedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExportFormat.parse("tflite"));
        assertTrue(e.getMessage().contains("onnx"), e.getMessage());
        assertEquals(ExportFormat.ONNX, ExportFormat.parse("ONNX"));
        assertTrue(new ArrayList<>(List.of(ExportFormat.values())).size() >= 1);
    }
}
