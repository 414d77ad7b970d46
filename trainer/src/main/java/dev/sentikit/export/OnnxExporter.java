package dev.sentikit.export;

import ai.djl.Device;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.graph.GraphSupport;
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

    /**
     * The largest probability difference between an int8-weights file ({@code --quantize int8-weights}) and the
     * float32 export of the same checkpoint that export accepts, on every parity text. Rounding each weight to one of
     * 255 levels per block moves a probability by 0.03 at most on the zoo models (docs/benchmarks.md); ten times the
     * dequantization step of one weight would already be an error in the graph.
     */
    public static final double INT8_WEIGHTS_TOLERANCE = 0.05;

    /**
     * The largest probability difference between an int8 file ({@code --quantize int8}: int8 compute) and the
     * float32 export of the same checkpoint that export accepts on any one parity text. Quantizing each token's
     * activations as well moves probabilities by 0.01 on average and by up to 0.12 (en, 1,872 validation texts) or
     * 0.17 (zh, 5,255 test texts), mostly on texts near a decision boundary, so one text is held loosely and the mean
     * tightly ({@link #INT8_MEAN_TOLERANCE}); accuracy itself is measured on the recorded test data
     * (QuantizationCost).
     */
    public static final double INT8_TOLERANCE = 0.25;

    /**
     * The largest mean, over the parity texts, of each text's largest probability difference between an int8 file
     * and its float32 export: three times the 0.010 to 0.014 measured on the zoo models' validation texts. A graph
     * error is far above it: the bias of a fused int8 product scaled by the per-token scale (an ONNX Runtime 1.23
     * kernel's order, met while writing this graph) changed a quarter of the labels.
     */
    public static final double INT8_MEAN_TOLERANCE = 0.03;

    /** Inputs at the edges of the encoder, checked beside the validation texts. */
    static final List<String> EDGE_TEXTS = List.of("", "   ", "!!!", "not good", "不好", "\uD83D\uDE00");

    private OnnxExporter() {}

    /**
     * The result of an export.
     *
     * @param parity the float32 graph against DJL
     * @param quantized the int8 graph against the float32 one, or null when not quantized
     */
    public record Result(Path file, long bytes, ParityReport parity, ParityReport quantized,
            Map<String, Object> quantization) {}

    /**
     * Exports {@code checkpoint} to {@code output}.
     *
     * @param name the model name written in the card, or null to keep the checkpoint's
     * @throws ExportException when ONNX Runtime disagrees with DJL by more than {@link #PARITY_TOLERANCE}
     */
    public static Result export(Checkpoint checkpoint, Path output, String name) throws IOException, ExportException {
        return export(checkpoint, output, name, Architecture.ExportOptions.DEFAULT);
    }

    /**
     * Exports {@code checkpoint} to {@code output} as {@code options} say. With int8 weights, the float32 graph is
     * checked against DJL first, then the int8 one against the float32 one within {@link #INT8_TOLERANCE}; when the
     * card records a test evaluation whose data file is still there (and unchanged), both are evaluated on it and
     * the accuracy change goes into the card under {@code metrics.quantization}.
     *
     * @throws ExportException when ONNX Runtime disagrees with DJL by more than {@link #PARITY_TOLERANCE}, or the int8
     *     graph with the float32 one by more than {@link #INT8_TOLERANCE}
     */
    public static Result export(Checkpoint checkpoint, Path output, String name, Architecture.ExportOptions options)
            throws IOException, ExportException {
        ModelCard card = checkpoint.card();
        if (name != null) {
            card = card.withName(name, card.description());
        }
        if (card.scripts() == null) {
            card = withScriptsOfTrainingData(card);
        }
        byte[] bytes;
        ParityReport parity;
        ParityReport quantized = null;
        Map<String, Object> quantization = null;
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
            Map<String, String> props = metadata(card, checkpoint);
            OnnxMl.ModelProto model = ModelGraphs.build(trained.block(), props, Versions.sentikit());
            bytes = model.toByteArray();
            parity = compare(expected, card.labels(), bytes, texts, output.toString(), PARITY_TOLERANCE);
            if (!parity.passed()) {
                throw new ExportException(String.format("refusing to write %s: ONNX Runtime and DJL disagree by %.3g "
                        + "on a probability (tolerance %.0e), worst text: \"%s\"", output,
                        parity.maxProbabilityDifference(), parity.tolerance(), abbreviate(parity.worstText())));
            }
            if (options.quantization() != Architecture.Quantization.NONE) {
                byte[] fp32 = bytes;
                OnnxMl.ModelProto int8 = ModelGraphs.build(trained.block(), props, Versions.sentikit(), options);
                bytes = int8.toByteArray();
                float[][] reference = probabilities(fp32, texts, card.labels(), output + " (float32)");
                boolean compute = options.quantization() == Architecture.Quantization.INT8;
                quantized = compare(reference, card.labels(), bytes, texts, output.toString(),
                        compute ? INT8_TOLERANCE : INT8_WEIGHTS_TOLERANCE,
                        compute ? INT8_MEAN_TOLERANCE : Double.POSITIVE_INFINITY);
                if (!quantized.passed()) {
                    throw new ExportException(String.format("refusing to write %s: the int8 graph moves a probability "
                            + "by %.3g from the float32 one (tolerance %.2f), %.3g on average (tolerance %.2f); worst "
                            + "text: \"%s\"", output, quantized.maxProbabilityDifference(), quantized.tolerance(),
                            quantized.meanProbabilityDifference(), quantized.meanTolerance(),
                            abbreviate(quantized.worstText())));
                }
                quantization = QuantizationCost.measure(card, fp32, bytes, quantized, options.quantization(),
                        output.toString());
                Map<String, Object> metrics = new java.util.LinkedHashMap<>(card.metrics());
                metrics.put("quantization", quantization);
                card = card.withMetrics(metrics);
                // The same graph, with the card that records the measurement.
                bytes = GraphSupport.withMetadata(int8.toBuilder().clearMetadataProps(), metadata(card, checkpoint))
                        .toByteArray();
            }
        }
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(output.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Result(output, bytes.length, parity, quantized, quantization);
    }

    /**
     * A card from before the trainer recorded its training texts' scripts gets them from the run's training file,
     * when it is still there unchanged; otherwise it stays without (runtimes then flag no text).
     */
    static ModelCard withScriptsOfTrainingData(ModelCard card) {
        var provenance = card.provenance();
        if (provenance == null || provenance.trainData() == null || provenance.trainSha256() == null) {
            return card;
        }
        Path file = Path.of(provenance.trainData());
        try {
            if (!Files.isRegularFile(file) || !dev.sentikit.io.Sha256.of(file).equals(provenance.trainSha256())) {
                return card;
            }
            var rows = dev.sentikit.train.data.DataReader.builder().build().read(file).rows();
            List<String> texts = new ArrayList<>(rows.size());
            rows.forEach(r -> texts.add(r.text()));
            return card.withScripts(dev.sentikit.text.Scripts.profile(texts));
        } catch (IOException | dev.sentikit.train.data.DataFormatException | RuntimeException e) {
            return card;
        }
    }

    /** The card, the vocabulary and what the architecture keeps in the checkpoint (a base's tokenizer.json). */
    private static Map<String, String> metadata(ModelCard card, Checkpoint checkpoint) throws IOException {
        Map<String, String> props = new java.util.LinkedHashMap<>(ModelFormat.toMetadataProps(card,
                checkpoint.vocabulary()));
        props.putAll(Architectures.parse(card.architecture()).exportMetadata(checkpoint.dir(), card.encoder()));
        return props;
    }

    /** The probabilities ONNX Runtime gives for {@code texts} with the model in {@code onnx}. */
    static float[][] probabilities(byte[] onnx, List<String> texts, List<String> labels, String source)
            throws ExportException {
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(onnx, source, cpu)) {
            List<Sentiment> results = analyzer.analyzeAll(texts);
            float[][] out = new float[texts.size()][labels.size()];
            for (int i = 0; i < texts.size(); i++) {
                for (int l = 0; l < labels.size(); l++) {
                    out[i][l] = (float) results.get(i).score(labels.get(l));
                }
            }
            return out;
        } catch (ModelLoadException e) {
            throw new ExportException("the exported model does not load in ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** Runs {@code texts} through ONNX Runtime on the exported bytes and compares with DJL's {@code expected}. */
    static ParityReport compare(float[][] expected, List<String> labels, byte[] onnx, List<String> texts,
            String source) throws ExportException {
        return compare(expected, labels, onnx, texts, source, PARITY_TOLERANCE);
    }

    static ParityReport compare(float[][] expected, List<String> labels, byte[] onnx, List<String> texts,
            String source, double tolerance) throws ExportException {
        return compare(expected, labels, onnx, texts, source, tolerance, Double.POSITIVE_INFINITY);
    }

    static ParityReport compare(float[][] expected, List<String> labels, byte[] onnx, List<String> texts,
            String source, double tolerance, double meanTolerance) throws ExportException {
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        double worst = 0;
        double sum = 0;
        String worstText = "";
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(onnx, source, cpu)) {
            List<Sentiment> actual = analyzer.analyzeAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                double text = 0;
                for (int l = 0; l < labels.size(); l++) {
                    double d = Math.abs(actual.get(i).score(labels.get(l)) - expected[i][l]);
                    if (!(d <= worst)) { // NaN counts as the worst
                        worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                        worstText = texts.get(i);
                    }
                    text = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(text, d);
                }
                sum += text;
            }
        } catch (ModelLoadException e) {
            throw new ExportException("the exported model does not load in ONNX Runtime: " + e.getMessage(), e);
        }
        return new ParityReport(texts.size(), worst, tolerance, worstText, texts.isEmpty() ? 0 : sum / texts.size(),
                meanTolerance);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
