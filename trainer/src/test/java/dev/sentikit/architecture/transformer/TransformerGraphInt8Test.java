package dev.sentikit.architecture.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.architecture.Architecture.Quantization;
import dev.sentikit.export.OnnxExporter;
import dev.sentikit.graph.OnnxChecker;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncodedBatch;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.TokenizerJson;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 graph of {@link TransformerGraph} ({@code --quantize int8}) on the tiny base with a random head: what it
 * stores, what ONNX Runtime makes of it, and that it computes what its standard operators say, per token, whatever
 * the batch.
 */
class TransformerGraphInt8Test {

    private static NDManager manager;
    private static TransformerBlock block;
    private static TextEncoder encoder;
    private static Map<String, String> props;
    private static List<String> texts;

    @BeforeAll
    static void build() throws Exception {
        TinyBert tiny = TinyBert.standard();
        BertWeights weights = BertWeights.read(tiny.onnx(), "tiny.onnx");
        TokenizerJson.Imported tokenizer = TokenizerJson.read(tiny.tokenizerJson(), 64);
        encoder = tokenizer.encoder();
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        block = EncoderParityTest.block(weights, manager);
        texts = EncoderParityTest.texts(40);
        // A head that spreads the texts over the labels: random directions, shifted and scaled so that the logits
        // of these texts have mean 0 and standard deviation 2 (the encoder's pooled states are much alike).
        Random random = new Random(7);
        int h = weights.hidden();
        float[] head = new float[3 * h];
        for (int i = 0; i < head.length; i++) {
            head[i] = (float) random.nextGaussian();
        }
        block.weight().getArray().set(FloatBuffer.wrap(head));
        block.bias().getArray().set(FloatBuffer.wrap(new float[3]));
        float[][] logits = logits(texts);
        double[] mean = new double[3];
        double square = 0;
        for (float[] row : logits) {
            for (int l = 0; l < 3; l++) {
                mean[l] += row[l] / logits.length;
            }
        }
        for (float[] row : logits) {
            for (int l = 0; l < 3; l++) {
                square += (row[l] - mean[l]) * (row[l] - mean[l]) / (3.0 * logits.length);
            }
        }
        double k = 2 / Math.sqrt(square);
        float[] bias = new float[3];
        for (int l = 0; l < 3; l++) {
            bias[l] = (float) (-k * mean[l]);
            for (int c = 0; c < h; c++) {
                head[l * h + c] *= (float) k;
            }
        }
        block.weight().getArray().set(FloatBuffer.wrap(head));
        block.bias().getArray().set(FloatBuffer.wrap(bias));
        ModelCard card = new ModelCard(ModelFormat.FORMAT_VERSION, "tiny-int8", null, TransformerArchitecture.ID,
                List.of("negative", "neutral", "positive"), tokenizer.spec(), tokenizer.vocabulary().size(),
                1L + tokenizer.vocabulary().size(), null, Map.of(), List.of());
        props = new HashMap<>(ModelFormat.toMetadataProps(card, tokenizer.vocabulary()));
    }

    private static float[][] logits(List<String> batch) {
        EncodedBatch encoded = encoder.encodeBatch(batch);
        try (NDManager sub = manager.newSubManager()) {
            float[] flat = block.forward(new ai.djl.training.ParameterStore(sub, false), new ai.djl.ndarray.NDList(
                    sub.create(encoded.ids(), new ai.djl.ndarray.types.Shape(encoded.batchSize(),
                            encoded.sequenceLength()))), false).singletonOrThrow().toFloatArray();
            float[][] out = new float[batch.size()][3];
            for (int i = 0; i < out.length; i++) {
                System.arraycopy(flat, 3 * i, out[i], 0, 3);
            }
            return out;
        }
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static OnnxMl.ModelProto graph(Quantization quantization) {
        return TransformerGraph.build(block, props, "test", quantization);
    }

    @Test
    void everyWeightProductIsAnIntegerProductOfPerTokenUint8AndInt8Weights() {
        OnnxMl.ModelProto model = graph(Quantization.INT8);
        Map<String, OnnxMl.TensorProto> init = new HashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            init.put(t.getName(), t);
        }
        int integerProducts = 0;
        for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
            if (node.getOpType().equals("MatMul")) {
                assertTrue(!init.containsKey(node.getInput(1)), "a float32 weight product: " + node.getName());
            }
            if (node.getOpType().equals("MatMulInteger")) {
                integerProducts++;
                OnnxMl.TensorProto w = init.get(node.getInput(1));
                assertEquals(OnnxMl.TensorProto.DataType.INT8.getNumber(), w.getDataType(), node.getName());
                for (byte b : w.getRawData().toByteArray()) {
                    // vpmaddubsw (x86 without VNNI) adds two uint8 × int8 products into a saturating int16.
                    assertTrue(2 * 255 * Math.abs(b) <= Short.MAX_VALUE, node.getName() + " holds the weight " + b
                            + ", whose products can overflow on CPUs without VNNI");
                }
                OnnxMl.TensorProto zeroPoint = init.get(node.getInput(2));
                assertEquals(OnnxMl.TensorProto.DataType.UINT8.getNumber(), zeroPoint.getDataType());
                assertEquals(128, zeroPoint.getRawData().byteAt(0) & 0xff);
            }
            if (node.getOpType().equals("DynamicQuantizeLinear")) {
                throw new AssertionError("per-tensor quantization makes a text's result depend on its batch");
            }
        }
        assertEquals(4 * block.shape().layers(), integerProducts, "4 weight products per layer");
        long int8Bytes = model.getSerializedSize();
        long fp32Bytes = graph(Quantization.NONE).getSerializedSize();
        assertTrue(int8Bytes < 0.6 * fp32Bytes, int8Bytes + " bytes against float32's " + fp32Bytes);
    }

    /**
     * ONNX Runtime fuses each integer product into MatMulIntegerToFloat, without the bias: its 1.23 kernel adds a fused
     * bias before it applies a per-row scale, so a fused bias would be scaled by each token's range.
     */
    @Test
    void onnxRuntimeFusesTheProductsWithoutTheirBiases(@TempDir Path dir) throws Exception {
        Path optimized = dir.resolve("optimized.onnx");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            options.setOptimizedModelFilePath(optimized.toString());
            env.createSession(graph(Quantization.INT8).toByteArray(), options).close();
        }
        Map<String, Integer> ops = new HashMap<>();
        for (OnnxMl.NodeProto node : OnnxMl.ModelProto.parseFrom(Files.readAllBytes(optimized)).getGraph()
                .getNodeList()) {
            ops.merge(node.getOpType(), 1, Integer::sum);
            if (node.getOpType().equals("MatMulIntegerToFloat")) {
                assertTrue(node.getInputCount() < 7 || node.getInput(6).isEmpty(), node.getName()
                        + " was fused with a bias: " + node.getInputList());
            }
        }
        int layers = block.shape().layers();
        assertEquals(4 * layers, ops.getOrDefault("MatMulIntegerToFloat", 0), ops.toString());
        assertEquals(0, ops.getOrDefault("MatMulInteger", 0), ops.toString());
        assertEquals(2 * layers, ops.getOrDefault("SkipLayerNormalization", 0), "the declared shapes let the "
                + "residuals fuse with their LayerNorms: " + ops);
    }

    /**
     * What ONNX Runtime runs after its fusions equals what the file's standard operators define (the graph run
     * without optimizations), on a padded batch: within float32 rounding, far below the int8 rounding itself.
     */
    @Test
    void theFusedGraphComputesWhatItsOperatorsDefine() throws Exception {
        byte[] model = graph(Quantization.INT8).toByteArray();
        EncodedBatch batch = encoder.encodeBatch(texts);
        float[][] plain = run(model, batch, OrtSession.SessionOptions.OptLevel.NO_OPT);
        float[][] fused = run(model, batch, OrtSession.SessionOptions.OptLevel.ALL_OPT);
        double worst = 0;
        for (int i = 0; i < plain.length; i++) {
            for (int l = 0; l < plain[i].length; l++) {
                worst = Math.max(worst, Math.abs(plain[i][l] - fused[i][l]));
            }
        }
        System.out.printf("int8 graph: fused against unfused, largest difference %.3g%n", worst);
        assertTrue(worst <= 1e-4, "ONNX Runtime's fused int8 graph differs from its operators by " + worst);
    }

    /** The int8 graph is close to the float32 one, within the exporter's tolerances. */
    @Test
    void int8StaysCloseToFloat32() throws Exception {
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        List<Sentiment> fp32;
        List<Sentiment> int8;
        try (SentimentAnalyzer a = SentimentAnalyzer.fromBytes(graph(Quantization.NONE).toByteArray(), "fp32", cpu);
                SentimentAnalyzer b = SentimentAnalyzer.fromBytes(graph(Quantization.INT8).toByteArray(), "int8",
                        cpu)) {
            fp32 = a.analyzeAll(texts);
            int8 = b.analyzeAll(texts);
        }
        double worst = 0;
        double sum = 0;
        double spread = 0;
        for (int i = 0; i < texts.size(); i++) {
            double text = 0;
            for (String label : List.of("negative", "neutral", "positive")) {
                text = Math.max(text, Math.abs(fp32.get(i).score(label) - int8.get(i).score(label)));
                spread = Math.max(spread, Math.abs(fp32.get(i).score(label) - fp32.get(0).score(label)));
            }
            worst = Math.max(worst, text);
            sum += text;
        }
        System.out.printf("int8 against float32: largest difference %.3g, mean %.3g (texts spread over %.3g)%n",
                worst, sum / texts.size(), spread);
        assertTrue(spread > 0.1, "the texts should get different probabilities: " + spread);
        assertTrue(worst <= OnnxExporter.INT8_TOLERANCE, "int8 moved a probability by " + worst);
        assertTrue(sum / texts.size() <= OnnxExporter.INT8_MEAN_TOLERANCE, "int8 moved probabilities by "
                + sum / texts.size() + " on average");
    }

    /** Each text alone, in a batch of 40, and with more padding gives the same probabilities (to float32 rounding). */
    @Test
    void aTextsResultDoesNotDependOnItsBatch() throws Exception {
        byte[] model = graph(Quantization.INT8).toByteArray();
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(model, "int8",
                AnalyzerOptions.builder().optDevice("cpu").build())) {
            List<Sentiment> batched = analyzer.analyzeAll(texts);
            // The texts of up to 50 ids, with 9 more columns of padding than their batch needs.
            List<String> fitting = new ArrayList<>();
            for (String text : texts) {
                if (encoder.encode(text).length <= 50) {
                    fitting.add(text);
                }
            }
            EncodedBatch padded = encoder.encodeBatch(fitting);
            assertTrue(padded.sequenceLength() + 9 <= 64, "room for padding: " + padded.sequenceLength());
            float[][] raw = run(model, pad(padded, 9), OrtSession.SessionOptions.OptLevel.ALL_OPT);
            double worst = 0;
            for (int i = 0; i < texts.size(); i++) {
                Sentiment alone = analyzer.analyze(texts.get(i));
                for (int l = 0; l < 3; l++) {
                    String label = analyzer.labels().get(l);
                    worst = Math.max(worst, Math.abs(alone.score(label) - batched.get(i).score(label)));
                    int row = fitting.indexOf(texts.get(i));
                    if (row >= 0) {
                        worst = Math.max(worst, Math.abs(alone.score(label) - raw[row][l]));
                    }
                }
            }
            System.out.printf("int8 graph: a text alone against in batches, largest difference %.3g%n", worst);
            // float32 rounding (sums ordered by the batch's shape), as in the float32 graph; a scale shared by the
            // batch (DynamicQuantizeLinear) moved probabilities by 5e-3 to 0.17.
            assertTrue(worst <= 1e-5, "a text's probabilities moved by " + worst + " with its batch");
        }
    }

    @Test
    void theFilesAreValidOnnx(@TempDir Path dir) throws Exception {
        for (Quantization q : Quantization.values()) {
            Path file = dir.resolve(q + ".onnx");
            Files.write(file, graph(q).toByteArray());
            OnnxChecker.assertValid(file); // skips where python3-onnx is missing
        }
    }

    /** The batch with {@code extra} more padding columns. */
    private static EncodedBatch pad(EncodedBatch b, int extra) {
        int t = b.sequenceLength() + extra;
        long[] ids = new long[b.batchSize() * t];
        for (int r = 0; r < b.batchSize(); r++) {
            System.arraycopy(b.ids(), r * b.sequenceLength(), ids, r * t, b.sequenceLength());
        }
        return new EncodedBatch(ids, b.batchSize(), t, b.lengths());
    }

    private static float[][] run(byte[] model, EncodedBatch batch, OrtSession.SessionOptions.OptLevel level)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] mask = new long[batch.ids().length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = batch.ids()[i] != 0 ? 1 : 0;
        }
        long[] shape = {batch.batchSize(), batch.sequenceLength()};
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level);
            try (OrtSession session = env.createSession(model, options);
                    OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape);
                    OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                    OrtSession.Result result = session.run(Map.of(ModelFormat.INPUT_IDS, ids,
                            ModelFormat.INPUT_ATTENTION_MASK, m))) {
                return (float[][]) result.get(ModelFormat.OUTPUT_PROBABILITIES).orElseThrow().getValue();
            }
        }
    }
}
