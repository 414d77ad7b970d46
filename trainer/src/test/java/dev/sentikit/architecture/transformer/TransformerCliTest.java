package dev.sentikit.architecture.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.cli.TrainerCli;
import dev.sentikit.export.OnnxExporter;
import dev.sentikit.graph.OnnxChecker;
import dev.sentikit.model.BaseModel;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Fixtures;
import dev.sentikit.train.TrainedModel;
import dev.sentikit.train.data.DataReader;
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

/**
 * {@code trainer train --model transformer --base tiny.onnx --base-tokenizer tokenizer.json}, then {@code export}
 * (float32 and int8), through the CLI in-process, on a fifth of the fixture and the {@link TinyBert tiny base};
 * and the messages of the transformer options' errors.
 */
class TransformerCliTest {

    /** The result of one CLI run. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TrainerCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** Every fifth row of the fixture: 300 rows, 100 per label (the fixture's labels are shuffled). */
    static Path subset(Path dir) throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.vaderSample(), StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 5) {
            kept.add(lines.get(i));
        }
        Path file = dir.resolve("subset.tsv");
        Files.write(file, kept, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void freezeEncoderDefaultsToTheHeadsLearningRate(@TempDir Path dir) throws Exception {
        TinyBert.Written base = TinyBert.standard().write(dir.resolve("base"));
        Path data = subset(dir);
        for (String lr : new String[] {null, "2e-4"}) {
            Path runDir = dir.resolve("run-" + lr);
            List<String> args = new ArrayList<>(List.of("train", "--model", "transformer", "--base",
                    base.onnx().toString(), "--base-tokenizer", base.tokenizer().toString(), "--data", data.toString(),
                    "--output", runDir.toString(), "--epochs", "1", "--freeze-encoder", "--device", "cpu", "--no-cache",
                    "--no-calibration", "--progress", "lines"));
            if (lr != null) {
                args.addAll(List.of("--lr", lr));
            }
            Run train = run(args.toArray(String[]::new));
            assertEquals(0, train.code(), train.out() + train.err());
            assertTrue(train.out().contains("fine-tuning the head on the frozen base"), train.out());
            Map<String, Object> h = Checkpoint.read(runDir).card().provenance().hyperparameters();
            assertEquals(lr == null ? 1e-3 : 2e-4, ((Number) h.get("learning_rate")).doubleValue(), 1e-9,
                    "--lr " + lr + ": " + h);
            assertEquals(3, ((Number) h.get("patience")).intValue(), h.toString());
            assertTrue(train.out().contains("frozen encoder: computed the states of "), train.out());
            assertEquals(Boolean.TRUE, h.get("freeze_encoder"));
        }
    }

    @Test
    void trainExportQuantizeAndAnalyze(@TempDir Path dir) throws Exception {
        TinyBert.Written base = TinyBert.standard().write(dir.resolve("base"));
        Path data = subset(dir);
        Path runDir = dir.resolve("run");
        // No --max-tokens: the default (128) is longer than the tiny base's 64 positions, so the base's length is used.
        Run train = run("train", "--model", "transformer", "--base", base.onnx().toString(), "--base-tokenizer",
                base.tokenizer().toString(), "--data", data.toString(), "--output", runDir.toString(), "--epochs", "1",
                "--lr", "1e-3", "--device", "cpu", "--no-cache", "--progress", "lines");
        assertEquals(0, train.code(), train.out() + train.err());
        assertTrue(train.out().contains("base " + base.onnx() + ": 2 layers, hidden 32, 4 heads, FFN 64"),
                train.out());
        assertTrue(train.out().contains("fine-tuning base"), train.out());

        Checkpoint checkpoint = Checkpoint.read(runDir);
        ModelCard card = checkpoint.card();
        assertEquals(TransformerArchitecture.ID, card.architecture());
        assertEquals(64, card.encoder().maxTokens(), "the base's positions");
        assertNotNull(card.encoder().wordPiece());
        BaseModel provenance = card.provenance().base();
        assertNotNull(provenance, "provenance.base");
        assertEquals("tiny.onnx", provenance.name());
        assertEquals(DataReader.sha256(Files.readAllBytes(base.onnx())), provenance.sha256());
        assertEquals(base.onnx().toString(), provenance.file());
        Map<String, Object> hyper = card.provenance().hyperparameters();
        assertEquals(base.onnx().toString(), hyper.get("base"));
        assertEquals("adamw", hyper.get("optimizer"), "the transformer defaults: AdamW");
        assertEquals(1.0, ((Number) hyper.get("clip_norm")).doubleValue(), 1e-9);
        assertEquals(Files.readString(base.tokenizer()),
                Files.readString(runDir.resolve(TransformerArchitecture.TOKENIZER_FILE)));

        // Fine-tuned whole: the encoder moved away from the base.
        BertWeights weights = BertWeights.read(Files.readAllBytes(base.onnx()), "tiny");
        try (TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
            TransformerBlock block = (TransformerBlock) trained.block();
            float[] position = block.positionEmbedding().getArray().toFloatArray();
            assertFalse(java.util.Arrays.equals(weights.get("embeddings.position_embeddings.weight"), position),
                    "the position embedding did not train");
        }

        Path fp32 = dir.resolve("tiny-sentiment.onnx");
        Run export = run("export", "--format", "onnx", "--model", runDir.toString(), "--output", fp32.toString());
        assertEquals(0, export.code(), export.out() + export.err());
        assertTrue(export.out().contains("parity: ONNX Runtime vs DJL"), export.out());
        assertTrue(export.out().contains("(tolerance 1e-04)"), export.out());

        Path int8 = dir.resolve("tiny-sentiment-int8.onnx");
        Run quantized = run("export", "--format", "onnx", "--model", runDir.toString(), "--output", int8.toString(),
                "--quantize", "int8");
        assertEquals(0, quantized.code(), quantized.out() + quantized.err());
        assertTrue(quantized.out().contains("int8: against the float32 graph"), quantized.out());
        long fp32Bytes = Files.size(fp32);
        long int8Bytes = Files.size(int8);
        System.out.printf("tiny transformer: float32 %,d bytes, int8 %,d bytes%n", fp32Bytes, int8Bytes);
        // The weights take a quarter of their bytes; the vocabulary and tokenizer.json in the metadata do not shrink.
        assertTrue(int8Bytes < fp32Bytes * 0.6, "int8 " + int8Bytes + " bytes vs float32 " + fp32Bytes);

        List<String> texts = new ArrayList<>(checkpoint.parityTexts().subList(0, 20));
        texts.addAll(List.of("", "great", "not good at all", "terrible, boring film",
                "the ending was great ".repeat(40)));
        float[][] expected;
        try (TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
            expected = trained.probabilities(texts);
        }
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.load(fp32, cpu)) {
            assertEquals(TransformerArchitecture.ID, analyzer.card().architecture());
            assertEquals(card.labels(), analyzer.labels());
            assertEquals("tiny.onnx", analyzer.card().provenance().base().name());
            assertEquals(provenance.sha256(), analyzer.card().provenance().base().sha256());
            assertClose(expected, analyzer.analyzeAll(texts), analyzer.labels(), OnnxExporter.PARITY_TOLERANCE);
        }
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.load(int8, cpu)) {
            assertClose(expected, analyzer.analyzeAll(texts), analyzer.labels(), OnnxExporter.INT8_TOLERANCE);
            Map<?, ?> q = (Map<?, ?>) analyzer.card().metrics().get("quantization");
            assertNotNull(q, "metrics.quantization");
            double moved = ((Number) q.get("max_probability_difference_vs_float32")).doubleValue();
            assertTrue(moved <= OnnxExporter.INT8_TOLERANCE, "int8 moved a probability by " + moved);
            assertTrue(String.valueOf(q.get("test")).startsWith("not measured"), q.toString());
        }
        for (Path file : List.of(fp32, int8)) {
            // the same document, written in ASCII (ModelFormat.asciiJson)
            String stored = metadata(file).get(ModelFormat.KEY_TOKENIZER_JSON);
            assertEquals(ModelFormat.json().readTree(Files.readString(base.tokenizer())),
                    ModelFormat.json().readTree(stored), file + " carries the base's tokenizer.json");
            assertTrue(stored.chars().allMatch(c -> c < 0x80), file + ": the tokenizer.json is not in ASCII");
        }
        // Last, as it skips the test where python3-onnx is missing.
        OnnxChecker.assertValid(fp32);
        OnnxChecker.assertValid(int8);
    }

    private static void assertClose(float[][] expected, List<Sentiment> actual, List<String> labels,
            double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            for (int l = 0; l < labels.size(); l++) {
                assertEquals(expected[i][l], actual.get(i).score(labels.get(l)), tolerance, "text " + i + ", "
                        + labels.get(l));
            }
        }
    }

    private static Map<String, String> metadata(Path onnx) throws Exception {
        Map<String, String> m = new java.util.HashMap<>();
        for (OnnxMl.StringStringEntryProto e : OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx))
                .getMetadataPropsList()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    @Test
    void transformerOptionErrorsSayWhatToDo(@TempDir Path dir) throws Exception {
        TinyBert.Written base = TinyBert.standard().write(dir.resolve("base"));
        String data = Fixtures.vaderSample().toString();
        String out = dir.resolve("run").toString();

        Run noBase = run("train", "--model", "transformer", "--data", data, "--output", out);
        assertEquals(1, noBase.code());
        assertTrue(noBase.err().contains("--model transformer needs --base: one of minilm-l6, bge-small-en, "
                + "bge-small-zh, or FILE.onnx with --base-tokenizer"), noBase.err());

        Run unknown = run("train", "--model", "transformer", "--base", "bert-huge", "--data", data, "--output", out);
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown base 'bert-huge': use one of minilm-l6, bge-small-en, bge-small-zh"),
                unknown.err());

        Path alone = dir.resolve("alone").resolve("encoder.onnx");
        Files.createDirectories(alone.getParent());
        Files.copy(base.onnx(), alone);
        Run noTokenizer = run("train", "--model", "transformer", "--base", alone.toString(), "--data", data,
                "--output", out);
        assertEquals(1, noTokenizer.code());
        assertTrue(noTokenizer.err().contains("needs its tokenizer.json: give it with --base-tokenizer FILE"),
                noTokenizer.err());

        Run tooLong = run("train", "--model", "transformer", "--base", base.onnx().toString(), "--base-tokenizer",
                base.tokenizer().toString(), "--max-tokens", "100", "--data", data, "--output", out);
        assertEquals(1, tooLong.code());
        assertTrue(tooLong.err().contains("--max-tokens 100 is more than the 64 positions the base encoder knows"),
                tooLong.err());

        Run baseOnBag = run("train", "--base", base.onnx().toString(), "--data", data, "--output", out);
        assertEquals(1, baseOnBag.code());
        assertTrue(baseOnBag.err().contains("are for --model transformer, not bag"), baseOnBag.err());

        Run notBert = run("train", "--model", "transformer", "--base", base.tokenizer().toString(), "--base-tokenizer",
                base.tokenizer().toString(), "--data", data, "--output", out);
        assertEquals(1, notBert.code());
        assertTrue(notBert.err().contains("is not"), notBert.err());
        assertFalse(Files.exists(dir.resolve("run").resolve(Checkpoint.PARAMETERS)));
    }

    @Test
    void int8IsForTransformersOnly(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("bag");
        Run train = run("train", "--data", subset(dir).toString(), "--output", runDir.toString(), "--epochs", "1",
                "--embedding-dim", "8", "--min-count", "1", "--device", "cpu", "--no-cache");
        assertEquals(0, train.code(), train.err());
        Path file = dir.resolve("bag.onnx");
        Run export = run("export", "--model", runDir.toString(), "--output", file.toString(), "--quantize", "int8");
        assertEquals(1, export.code());
        assertTrue(export.err().contains("--quantize is for transformer models; a bag model is"), export.err());
        assertFalse(Files.exists(file), "nothing is written");

        Run badQuantize = run("export", "--model", runDir.toString(), "--output", file.toString(), "--quantize",
                "int4");
        assertEquals(1, badQuantize.code());
        assertTrue(badQuantize.err().contains("--quantize must be int8, int8-weights or none, got 'int4'"), badQuantize.err());
    }
}
