package dev.sentikit.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.export.OnnxExporter;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Examples;
import dev.sentikit.train.Fixtures;
import dev.sentikit.train.SentimentTrainer;
import dev.sentikit.train.Split;
import dev.sentikit.train.TrainingConfig;
import dev.sentikit.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distillation from the Java API: teacher, transfer set, trainer, export with parity. */
class DistillApiTest {

    @Test
    void aStudentDistilledFromATeacherModelFileTrainsCalibratesAndExports(@TempDir Path tmp) throws Exception {
        Split split = Split.stratified(Fixtures.vaderExamples(), 0.2, 5);
        List<String> unlabelled = new ArrayList<>();
        for (String t : split.train().texts()) {
            unlabelled.add("honestly, " + t); // texts the labelled rows do not have
        }
        Path out = tmp.resolve("student");
        try (Teacher teacher = Teacher.load(TinyTeacher.file())) {
            TransferSet set = TransferSet.builder(split.train())
                    .addHeldOut(null, null, split.heldOut().texts())
                    .addUnlabelled("honestly.txt", null, unlabelled, 600)
                    .build();
            Examples train = set.label(teacher, tmp.resolve("cache"), new TrainingListener() {});
            assertEquals(split.train().size() + 600, train.size());
            assertEquals(split.train().size(), train.labelledCount());
            try (SentimentAnalyzer sdk = SentimentAnalyzer.load(TinyTeacher.file())) {
                int last = train.size() - 1;
                Sentiment s = sdk.analyze(train.texts().get(last));
                assertEquals(s.score("positive"), train.soft()[last][2], 1e-6, "the teacher's calibrated probability");
            }
            TrainingConfig config = Fixtures.smallConfig().optEpochs(2)
                    .optDistillation(set.distillation(teacher, 0.5, 2.0)).build();
            Checkpoint checkpoint = new SentimentTrainer(config, new Device[] {Device.cpu()}, new TrainingListener() {})
                    .train(train, split.heldOut(), new SentimentTrainer.DataSources("fixture", "0".repeat(64), "split",
                            null, "test"), out);
            Map<?, ?> recorded = (Map<?, ?>) checkpoint.card().provenance().hyperparameters().get("distillation");
            assertEquals(teacher.sha256(), recorded.get("teacher_sha256"));
            assertEquals(0.5, ((Number) recorded.get("alpha")).doubleValue());
            assertEquals(2.0, ((Number) recorded.get("temperature")).doubleValue());
            assertNotNull(checkpoint.card().calibration(), "calibrated on the validation split");
            assertTrue(Files.isRegularFile(out.resolve("report.html")));

            Path onnx = tmp.resolve("student.onnx");
            OnnxExporter.Result exported = OnnxExporter.export(checkpoint, onnx, "student");
            assertTrue(exported.parity().maxProbabilityDifference() <= OnnxExporter.PARITY_TOLERANCE);
            try (SentimentAnalyzer student = SentimentAnalyzer.load(onnx);
                    SentimentAnalyzer teacherSdk = SentimentAnalyzer.load(TinyTeacher.file())) {
                List<String> texts = split.heldOut().texts();
                List<Sentiment> a = student.analyzeAll(texts);
                List<Sentiment> b = teacherSdk.analyzeAll(texts);
                int agree = 0;
                for (int i = 0; i < texts.size(); i++) {
                    agree += a.get(i).label().equals(b.get(i).label()) ? 1 : 0;
                }
                assertTrue(agree > texts.size() / 2, "the student agrees with its teacher on " + agree + " of "
                        + texts.size() + " held-out texts");
            }
        }
    }
}
