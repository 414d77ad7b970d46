package dev.sentikit.export;

import dev.sentikit.architecture.Architecture;
import dev.sentikit.eval.SentimentEvaluation;
import dev.sentikit.eval.SentimentEvaluator;
import dev.sentikit.model.ModelCard;
import dev.sentikit.train.data.DataReader;
import dev.sentikit.train.data.LabeledData;
import dev.sentikit.train.data.LabeledText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What int8 weights cost, written into the exported card under {@code metrics.quantization}: the largest
 * probability change on the parity texts and, when the checkpoint recorded a test evaluation ({@code trainer
 * evaluate --record test}) whose data file is still there unchanged, the accuracy and macro-F1 of the float32 and
 * the int8 graphs on it, both run with ONNX Runtime.
 */
final class QuantizationCost {

    /** The entry of {@code metrics} this writes. */
    static final String METRICS_KEY = "quantization";

    private QuantizationCost() {}

    static Map<String, Object> measure(ModelCard card, byte[] fp32, byte[] int8, ParityReport parity,
            Architecture.Quantization quantization, String source) throws ExportException {
        Map<String, Object> m = new LinkedHashMap<>();
        if (quantization == Architecture.Quantization.INT8) {
            m.put("compute", "int8: every weight product in integer arithmetic, activations quantized per token to "
                    + "uint8 (zero point 128), weights int8 in [-64, 64] with a float32 scale per output column; "
                    + "word embedding int8 with a scale per row; attention, norms and the classifier in float32");
        } else {
            m.put("weights", "int8 weight matrices and word embedding, a float32 scale per block of 32 rows of each "
                    + "output column (per row for the embedding), computed in float32");
        }
        m.put("parity_texts", parity.texts());
        m.put("max_probability_difference_vs_float32", parity.maxProbabilityDifference());
        m.put("mean_probability_difference_vs_float32", parity.meanProbabilityDifference());
        Object test = card.metrics().get("test");
        if (!(test instanceof Map<?, ?> t) || !(t.get("data") instanceof String data)) {
            m.put("test", "not measured: the checkpoint records no test evaluation (trainer evaluate --record test)");
            return m;
        }
        Path file = Path.of(data);
        try {
            if (!Files.isRegularFile(file) || !DataReader.sha256(file).equals(t.get("data_sha256"))) {
                m.put("test", "not measured: " + data + " is missing or changed since it was evaluated");
                return m;
            }
            LabeledData rows = DataReader.builder().labels(card.labels()).build().read(file);
            List<String> texts = new ArrayList<>();
            for (LabeledText row : rows.rows()) {
                texts.add(row.text());
            }
            int[] targets = rows.labelIndices();
            SentimentEvaluator evaluator = new SentimentEvaluator(source);
            SentimentEvaluation before = evaluator.evaluate(card.labels(), targets,
                    OnnxExporter.probabilities(fp32, texts, card.labels(), source + " (float32)"));
            SentimentEvaluation after = evaluator.evaluate(card.labels(), targets,
                    OnnxExporter.probabilities(int8, texts, card.labels(), source + " (int8)"));
            m.put("data", data);
            m.put("examples", texts.size());
            m.put("accuracy_float32", before.accuracy());
            m.put("accuracy_int8", after.accuracy());
            m.put("macro_f1_float32", before.macroF1());
            m.put("macro_f1_int8", after.macroF1());
        } catch (java.io.IOException | dev.sentikit.train.data.DataFormatException e) {
            m.put("test", "not measured: " + data + " cannot be read: " + e.getMessage());
        }
        return m;
    }
}
