package dev.sentikit.export;

import ai.djl.Device;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.export.graph.ModelGraphs;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.TrainedModel;
import dev.sentikit.train.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exports a checkpoint to one self-contained ONNX file, after checking that ONNX Runtime gives DJL's
 * probabilities on real texts. A file that fails the check is never written.
 */
public final class OnnxExporter {

    /** The largest probability difference between DJL and ONNX Runtime that export accepts. */
    public static final double PARITY_TOLERANCE = 1e-4;

    /** Inputs at the edges of the encoder, checked beside the validation texts. */
    static final List<String> EDGE_TEXTS = List.of("", "   ", "!!!", "not good", "不好", "\uD83D\uDE00");

    private OnnxExporter() {}

    /** The result of an export. */
    public record Result(Path file, long bytes, ParityReport parity) {}

    /**
     * Exports {@code checkpoint} to {@code output}.
     *
     * @param name the model name written in the card, or null to keep the checkpoint's
     * @throws ExportException when ONNX Runtime disagrees with DJL by more than {@link #PARITY_TOLERANCE}
     */
    public static Result export(Checkpoint checkpoint, Path output, String name) throws IOException, ExportException {
        ModelCard card = checkpoint.card();
        if (name != null) {
            card = card.withName(name, card.description());
        }
        byte[] bytes;
        ParityReport parity;
        try (TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
            List<String> texts = new ArrayList<>(checkpoint.parityTexts());
            texts.addAll(EDGE_TEXTS);
            float[][] expected = trained.probabilities(texts);
            // Calibration is folded into the last linear layer: softmax((Wx + b) / T) = softmax((W/T)x + b/T).
            double t = card.temperature();
            if (t != 1.0) {
                trained.block().weight().getArray().divi((float) t);
                trained.block().bias().getArray().divi((float) t);
            }
            Map<String, String> props = ModelFormat.toMetadataProps(card, checkpoint.vocabulary());
            OnnxMl.ModelProto model = ModelGraphs.build(trained.block(), props, Versions.sentikit());
            bytes = model.toByteArray();
            parity = compare(expected, card.labels(), bytes, texts, output.toString());
        }
        if (!parity.passed()) {
            throw new ExportException(String.format("refusing to write %s: ONNX Runtime and DJL disagree by %.3g on "
                    + "a probability (tolerance %.0e), worst text: \"%s\"", output, parity.maxProbabilityDifference(),
                    parity.tolerance(), abbreviate(parity.worstText())));
        }
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(output.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Result(output, bytes.length, parity);
    }

    /** Runs {@code texts} through ONNX Runtime on the exported bytes and compares with DJL's {@code expected}. */
    static ParityReport compare(float[][] expected, List<String> labels, byte[] onnx, List<String> texts,
            String source) throws ExportException {
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        double worst = 0;
        String worstText = "";
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(onnx, source, cpu)) {
            List<Sentiment> actual = analyzer.analyzeAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                for (int l = 0; l < labels.size(); l++) {
                    double d = Math.abs(actual.get(i).score(labels.get(l)) - expected[i][l]);
                    if (!(d <= worst)) { // NaN counts as the worst
                        worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                        worstText = texts.get(i);
                    }
                }
            }
        } catch (ModelLoadException e) {
            throw new ExportException("the exported model does not load in ONNX Runtime: " + e.getMessage(), e);
        }
        return new ParityReport(texts.size(), worst, PARITY_TOLERANCE, worstText);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
