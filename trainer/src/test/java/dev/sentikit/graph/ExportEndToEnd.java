package dev.sentikit.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.export.OnnxExporter;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.WordEmbeddingSettings;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Fixtures;
import dev.sentikit.train.SentimentTrainer;
import dev.sentikit.train.Split;
import dev.sentikit.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Trains a small network of one architecture on the fixture, exports it, loads it in the SDK and checks it. */
public final class ExportEndToEnd {

    private ExportEndToEnd() {}

    /** Returns the largest probability difference the exporter measured. */
    public static double run(Architecture architecture, Path dir) throws Exception {
        Split split = Split.stratified(Fixtures.vaderExamples(), 0.2, 1);
        Checkpoint checkpoint = new SentimentTrainer(Fixtures.smallConfig().optArchitecture(architecture,
                new WordEmbeddingSettings(16, 16, null)).optEpochs(2).build(), new Device[] {Device.cpu()}, r -> {})
                .train(split.train(), split.heldOut(),
                        new SentimentTrainer.DataSources("fixture", "0".repeat(64), "split", null, "test"),
                        dir.resolve("run"));
        Path file = dir.resolve(architecture.id() + ".onnx");
        OnnxExporter.Result result = OnnxExporter.export(checkpoint, file, architecture.id() + "-fixture");
        assertTrue(result.parity().passed(), result.parity().toString());
        assertTrue(result.parity().maxProbabilityDifference() <= OnnxExporter.PARITY_TOLERANCE);
        assertTrue(result.parity().texts() > 100, "parity should run on the validation texts");
        assertEquals(Files.size(file), result.bytes());

        String longText = "not good at all but the ending was great ".repeat(60);
        List<String> texts = List.of("", "   ", "great", "not good", "I loved it!", "terrible, boring film", longText);
        float[][] djl;
        try (TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
            djl = trained.probabilities(texts);
        }
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.load(file, cpu)) {
            assertEquals(architecture.id(), analyzer.card().architecture());
            assertEquals(checkpoint.card().labels(), analyzer.labels());
            List<Sentiment> onnx = analyzer.analyzeAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                double sum = 0;
                for (int l = 0; l < analyzer.labels().size(); l++) {
                    double p = onnx.get(i).score(analyzer.labels().get(l));
                    sum += p;
                    assertEquals(djl[i][l], p, OnnxExporter.PARITY_TOLERANCE, "text " + i + ", label " + l);
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
        System.out.printf("%s end to end: %d texts, largest probability difference %.3g%n", architecture.id(),
                result.parity().texts(), result.parity().maxProbabilityDifference());
        // Last, as it skips the test where python3-onnx is missing: the comparison above runs everywhere.
        OnnxChecker.assertValid(file);
        return result.parity().maxProbabilityDifference();
    }
}
