package dev.sentikit.distill;

import ai.djl.Device;
import dev.sentikit.export.OnnxExporter;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Fixtures;
import dev.sentikit.train.SentimentTrainer;
import dev.sentikit.train.Split;
import dev.sentikit.train.TrainingConfig;
import dev.sentikit.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A teacher made in the test: a small bag model trained for two epochs on the committed fixture and exported to
 * ONNX with the trainer's own exporter (a few seconds). Made once per JVM, in a temporary directory.
 */
public final class TinyTeacher {

    private static Path file;

    private TinyTeacher() {}

    /** The teacher's model file (labels negative, neutral, positive). */
    public static synchronized Path file() throws Exception {
        if (file == null) {
            Path dir = Files.createTempDirectory("sentikit-teacher");
            dir.toFile().deleteOnExit();
            Split split = Split.stratified(Fixtures.vaderExamples(), 0.2, 3);
            TrainingConfig config = Fixtures.smallConfig().optEpochs(2).optSeed(11).build();
            Checkpoint checkpoint = new SentimentTrainer(config, new Device[] {Device.cpu()}, new TrainingListener() {})
                    .train(split.train(), split.heldOut(), new SentimentTrainer.DataSources("fixture", "0".repeat(64),
                            "split", null, "test"), dir.resolve("run"));
            Path onnx = dir.resolve("teacher.onnx");
            OnnxExporter.export(checkpoint, onnx, "tiny-teacher");
            file = onnx;
        }
        return file;
    }
}
