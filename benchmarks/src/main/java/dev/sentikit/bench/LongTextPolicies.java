package dev.sentikit.bench;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Truncation;
import dev.sentikit.train.data.DataReader;
import dev.sentikit.train.data.LabeledData;
import dev.sentikit.train.data.LabeledText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a model reads long texts, measured (docs/benchmarks.md, Long texts): one model file read with each
 * truncation and length, and in windows, on labelled texts; accuracy (the argmax over the model's labels, as
 * {@code trainer evaluate} counts it), the accuracy between the data's labels only (for a three-label model on
 * two-label data: negative against positive), macro-F1 over the data's labels, texts per second, and how much of
 * the texts was read. A variant rewrites only the card's encoder settings in the file: the network is the same.
 *
 * <pre>
 * LongTextPolicies MODEL.onnx DATA.tsv VARIANT[,VARIANT...] [THREADS] [MIN_TOKENS]
 *   VARIANT: head:128, tail:256, head+tail:32:128 (32 head tokens of 128), windows:128:8 (the file's truncation,
 *   128 tokens, up to 8 windows), file (the file as it is), file:4 (as it is, in up to 4 windows)
 *   MIN_TOKENS: keep only the texts longer than this many of the model's tokens (as the file reads them)
 * </pre>
 */
public final class LongTextPolicies {

    private LongTextPolicies() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: LongTextPolicies MODEL.onnx DATA.tsv VARIANT[,VARIANT...] [THREADS] [MIN_TOKENS]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        byte[] original = Files.readAllBytes(model);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int minTokens = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        ModelCard card;
        try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(original, model.toString(),
                AnalyzerOptions.builder().optDevice("cpu").build())) {
            card = a.card();
        }
        LabeledData data = DataReader.builder().build().read(Path.of(args[1]));
        List<String> texts = new ArrayList<>();
        List<String> gold = new ArrayList<>();
        TextEncoder counter = TextEncoder.of(card.encoder().withMaxTokens(100_000),
                ModelFormat.fromMetadataProps(props(original), model.toString()).vocabulary());
        for (LabeledText row : data.rows()) {
            if (minTokens == 0 || counter.read(row.text(), 1).coverage().tokens() > minTokens) {
                texts.add(row.text());
                gold.add(row.label());
            }
        }
        List<String> dataLabels = data.labels();
        System.out.printf(Locale.ROOT, "%s on %s: %d texts%s, data labels %s, model labels %s, %d threads%n",
                model.getFileName(), args[1], texts.size(), minTokens > 0 ? " longer than " + minTokens + " tokens" : "",
                dataLabels, card.labels(), threads);
        System.out.println("| variant | accuracy | accuracy, data labels only | macro-F1, data labels | "
                + "macro-recall, data labels | texts/s | tokens read / text | texts cut | windows / text |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String variant : args[2].split(",")) {
            String[] v = variant.split(":");
            EncoderSpec spec = card.encoder();
            int windows = 1;
            switch (v[0]) {
                case "head" -> spec = spec.withMaxTokens(Integer.parseInt(v[1])).withTruncation(Truncation.HEAD);
                case "tail" -> spec = spec.withMaxTokens(Integer.parseInt(v[1])).withTruncation(Truncation.TAIL);
                case "head+tail" -> spec = spec.withMaxTokens(Integer.parseInt(v[2]))
                        .withTruncation(Truncation.headTail(Integer.parseInt(v[1])));
                case "windows" -> {
                    spec = spec.withMaxTokens(Integer.parseInt(v[1]));
                    windows = Integer.parseInt(v[2]);
                }
                case "file" -> windows = v.length > 1 ? Integer.parseInt(v[1]) : 1; // as the file reads, N windows
                default -> throw new IllegalArgumentException("unknown variant " + variant);
            }
            byte[] bytes = withEncoder(original, card, spec);
            try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(bytes, variant, AnalyzerOptions.builder()
                    .optDevice("cpu").optIntraOpThreads(threads).optMaxWindows(windows).build())) {
                a.analyzeAll(texts.subList(0, Math.min(64, texts.size()))); // warm-up
                long start = System.nanoTime();
                List<Sentiment> results = a.analyzeAll(texts);
                double seconds = (System.nanoTime() - start) / 1e9;
                int right = 0;
                int rightAmongData = 0;
                long read = 0;
                int cut = 0;
                long windowCount = 0;
                int[][] confusion = new int[dataLabels.size()][dataLabels.size()];
                for (int i = 0; i < texts.size(); i++) {
                    Sentiment s = results.get(i);
                    right += s.label().equals(gold.get(i)) ? 1 : 0;
                    String best = null;
                    for (String l : dataLabels) {
                        if (best == null || s.score(l) > s.score(best)) {
                            best = l;
                        }
                    }
                    rightAmongData += best.equals(gold.get(i)) ? 1 : 0;
                    confusion[dataLabels.indexOf(gold.get(i))][dataLabels.indexOf(best)]++;
                    read += s.coverage().tokensRead();
                    cut += s.coverage().cut() ? 1 : 0;
                    windowCount += s.coverage().windows();
                }
                System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.1f | %.0f | %.1f%% | %.2f |%n",
                        variant, right / (double) texts.size(), rightAmongData / (double) texts.size(),
                        macroF1(confusion), macroRecall(confusion),
                        texts.size() / seconds, read / (double) texts.size(), 100.0 * cut / texts.size(),
                        windowCount / (double) texts.size());
            }
        }
    }

    private static double macroRecall(int[][] confusion) {
        double sum = 0;
        for (int c = 0; c < confusion.length; c++) {
            int actual = 0;
            for (int k = 0; k < confusion.length; k++) {
                actual += confusion[c][k];
            }
            sum += actual == 0 ? 0 : confusion[c][c] / (double) actual;
        }
        return sum / confusion.length;
    }

    private static double macroF1(int[][] confusion) {
        double sum = 0;
        for (int c = 0; c < confusion.length; c++) {
            int tp = confusion[c][c];
            int predicted = 0;
            int actual = 0;
            for (int k = 0; k < confusion.length; k++) {
                predicted += confusion[k][c];
                actual += confusion[c][k];
            }
            double p = predicted == 0 ? 0 : tp / (double) predicted;
            double r = actual == 0 ? 0 : tp / (double) actual;
            sum += p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
        return sum / confusion.length;
    }

    private static Map<String, String> props(byte[] onnx) throws Exception {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(onnx);
        Map<String, String> props = new java.util.LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto e : m.getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        return props;
    }

    /** The same file with another encoder in its card (and the format version that card needs). */
    static byte[] withEncoder(byte[] onnx, ModelCard card, EncoderSpec spec) throws Exception {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(onnx);
        ModelCard changed = new ModelCard(card.formatVersion(), card.name(), card.description(), card.architecture(),
                card.labels(), spec, card.vocabularySize(), card.embeddingRows(), card.provenance(), card.metrics(),
                card.limitations(), card.calibration()).withFormatVersion(ModelFormat.formatVersionFor(spec));
        OnnxMl.ModelProto.Builder b = m.toBuilder().clearMetadataProps();
        for (OnnxMl.StringStringEntryProto e : m.getMetadataPropsList()) {
            String value = switch (e.getKey()) {
                case ModelFormat.KEY_CARD -> ModelFormat.json().writeValueAsString(changed);
                case ModelFormat.KEY_FORMAT_VERSION -> Integer.toString(changed.formatVersion());
                default -> e.getValue();
            };
            b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(value));
        }
        return b.build().toByteArray();
    }
}
