package dev.sentikit.bench;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.export.OnnxExporter;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.train.Checkpoint;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes int8 files of the zoo transformers and what Java computes with them, for the JavaScript package's and the
 * browser page's int8 tests: for {@code en} and {@code zh}, a float32 checkpoint rebuilt from the zoo file
 * ({@link ZooCheckpoint}) is exported with {@code trainer export}'s code twice, as float32 and with
 * {@code --quantize int8}, into {@code DIR/NAME-fp32.onnx} and {@code DIR/NAME-int8.onnx}; then {@code DIR/NAME.jsonl}
 * gets a header (the int8 file, its SHA-256, the labels) and, per text, its ids and the probabilities Java's SDK
 * gives with the int8 file ({@code probabilities}) and with the float32 one ({@code float32}).
 *
 * <pre>
 * java -cp … dev.sentikit.bench.Int8ParityVectors DIR [SHARED_DATASETS_DIR]     (default ../shared/datasets)
 * </pre>
 *
 * Texts: a few written here (the empty text, negations, emoji, a long review), then evenly spread lines of the
 * model's corpora when the shared datasets are there ({@value #PER_CORPUS} of each).
 */
public final class Int8ParityVectors {

    static final List<String> MODELS = List.of("en", "zh");
    static final int PER_CORPUS = 60;
    static final List<String> FIXED = List.of("", "   ", "not good", "not bad at all!", "I love this phone",
            "The battery died after two days.", "不好", "质量很好，物流也快", "\uD83D\uDE00\uD83D\uDE00 great",
            "the ending was great but the rest was terribly boring ".repeat(30));

    private Int8ParityVectors() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Int8ParityVectors DIR [SHARED_DATASETS_DIR]   (default ../shared/datasets)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path shared = Path.of(args.length > 1 ? args[1] : "../shared/datasets");
        Files.createDirectories(dir);
        for (String name : MODELS) {
            write(name, dir, shared);
        }
    }

    static void write(String name, Path dir, Path shared) throws Exception {
        Path zoo = Path.of("model-zoo", name, "src", "main", "resources", "META-INF", "sentikit", "zoo", name + ".onnx");
        Path checkpoint = dir.resolve(name + "-checkpoint");
        ZooCheckpoint.write(zoo, checkpoint, null);
        Checkpoint c = Checkpoint.read(checkpoint);
        Path fp32 = dir.resolve(name + "-fp32.onnx");
        Path int8 = dir.resolve(name + "-int8.onnx");
        OnnxExporter.export(c, fp32, null);
        OnnxExporter.Result result = OnnxExporter.export(c, int8, null,
                new Architecture.ExportOptions(Architecture.Quantization.INT8));
        List<String> texts = new ArrayList<>(FIXED);
        List<String> corpora = name.equals("en") ? List.of("en/vader-3class-train.tsv", "en/imdb.tsv")
                : List.of("zh/online_shopping_9_cats.tsv", "zh/waimai_10k.tsv");
        List<String> used = new ArrayList<>();
        for (String corpus : corpora) {
            Path file = shared.resolve(corpus);
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < PER_CORPUS; i++) {
                    String line = lines.get((int) ((long) i * lines.size() / PER_CORPUS));
                    texts.add(line.substring(line.indexOf('\t') + 1));
                }
                used.add(corpus);
            }
        }
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        List<Sentiment> quantized;
        List<Sentiment> reference;
        List<String> labels;
        TextEncoder encoder;
        try (SentimentAnalyzer a = SentimentAnalyzer.load(int8, cpu); SentimentAnalyzer b = SentimentAnalyzer.load(fp32,
                cpu)) {
            quantized = a.analyzeAll(texts);
            reference = b.analyzeAll(texts);
            labels = a.labels();
            encoder = TextEncoder.of(c.card().encoder(), c.vocabulary());
        }
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(name + ".jsonl"), StandardCharsets.UTF_8)) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("model", int8.toString());
            header.put("model_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(int8))));
            header.put("float32_model", fp32.toString());
            header.put("labels", labels);
            header.put("corpora", used);
            header.put("texts", texts.size());
            header.put("export_max_difference", result.quantized().maxProbabilityDifference());
            header.put("export_mean_difference", result.quantized().meanProbabilityDifference());
            line(out, header);
            for (int i = 0; i < texts.size(); i++) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("text", texts.get(i));
                line.put("ids", encoder.encode(texts.get(i)));
                line.put("probabilities", row(quantized.get(i), labels));
                line.put("float32", row(reference.get(i), labels));
                line(out, line);
            }
        }
        deleteTree(checkpoint);
        System.out.println("wrote " + int8 + " and " + dir.resolve(name + ".jsonl") + ": " + texts.size() + " texts"
                + (used.isEmpty() ? " (no shared corpora at " + shared + ")" : ", corpora " + used));
    }

    private static float[] row(Sentiment s, List<String> labels) {
        float[] p = new float[labels.size()];
        for (int l = 0; l < p.length; l++) {
            p[l] = (float) s.score(labels.get(l));
        }
        return p;
    }

    private static void line(BufferedWriter out, Object value) throws IOException {
        out.write(ModelFormat.toMetadataJson(value));
        out.write('\n');
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
