package dev.sentikit.architecture.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sentikit.graph.OnnxChecker;
import dev.sentikit.text.EncodedBatch;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.TokenizerJson;
import dev.sentikit.train.Fixtures;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DJL's {@link TransformerBlock#encode} computes what the base's own ONNX graph computes: its
 * {@code last_hidden_state}, run by ONNX Runtime, on padded batches of ids from the base's tokenizer, compared at the
 * positions that hold tokens (padding positions differ by design: Hugging Face computes them, masked out of
 * attention; nobody reads them).
 */
class EncoderParityTest {

    /**
     * The largest difference accepted between the two encoders' hidden states. Both run float32 on the CPU; their
     * sums are ordered differently, so they differ by a few float32 roundings of values of magnitude 1 through a
     * few layers (MiniLM's 6 layers were measured within 5e-6 by hand).
     */
    static final double TOLERANCE = 1e-5;

    /** Texts of very different lengths, so that every batch has padding; an empty text is [CLS] [SEP] alone. */
    static List<String> texts(int count) throws Exception {
        List<String> all = Fixtures.vaderExamples().texts();
        List<String> out = new ArrayList<>(List.of("", "good", "not good at all!", "这个手机不错，就是电池不太行。"));
        for (int i = 0; out.size() < count; i += 97) {
            out.add(all.get(i % all.size()));
        }
        out.add("the ending was great but the rest was terribly boring ".repeat(20)); // truncated at max tokens
        return out;
    }

    @Test
    void tinyBaseMatchesOnnxRuntime(@TempDir Path dir) throws Exception {
        TinyBert tiny = TinyBert.standard();
        TinyBert.Written files = tiny.write(dir);
        TokenizerJson.Imported tokenizer = TokenizerJson.read(Files.readString(files.tokenizer()), 64);
        BertWeights weights = BertWeights.read(Files.readAllBytes(files.onnx()), files.onnx().toString());
        Comparison c = compare(weights, Files.readAllBytes(files.onnx()), tokenizer.encoder(), texts(24));
        System.out.printf("tiny base: DJL vs ONNX Runtime on %d tokens, largest difference %.3g%n", c.tokens(),
                c.maxDifference());
        assertTrue(c.padded() > 0, "the batch should hold padding");
        assertTrue(c.maxDifference() <= TOLERANCE, "DJL differs from ONNX Runtime by " + c.maxDifference()
                + " at batch row " + c.worstRow() + ", position " + c.worstPosition());
        // Not all [UNK]: the vocabulary covers the fixture's words.
        int[] ids = tokenizer.encoder().encode("This movie was not good, but the acting was great.");
        int unknown = tokenizer.vocabulary().id("[UNK]");
        for (int id : ids) {
            assertTrue(id != unknown, "an [UNK] in " + java.util.Arrays.toString(ids));
        }
        // The fixture itself is a valid ONNX model.
        OnnxChecker.assertValid(files.onnx());
    }

    /** A text gives the same states alone as in a batch padded for a longer one. */
    @Test
    void paddingDoesNotChangeTheStatesOfATextsTokens() throws Exception {
        TinyBert tiny = TinyBert.standard();
        BertWeights weights = BertWeights.read(tiny.onnx(), "tiny.onnx");
        TextEncoder encoder = TokenizerJson.read(tiny.tokenizerJson(), 64).encoder();
        String shortText = "not good";
        String longText = "I loved the first half, but the ending was a terrible disappointment.";
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            TransformerBlock block = block(weights, manager);
            float[] alone = encode(block, manager, encoder.encodeBatch(List.of(shortText)));
            EncodedBatch both = encoder.encodeBatch(List.of(shortText, longText));
            float[] padded = encode(block, manager, both);
            int h = weights.hidden();
            int n = both.lengths()[0];
            assertTrue(n < both.sequenceLength(), "the short text should be padded");
            double worst = 0;
            for (int t = 0; t < n; t++) {
                for (int k = 0; k < h; k++) {
                    worst = Math.max(worst, Math.abs(alone[t * h + k] - padded[t * h + k]));
                }
            }
            assertTrue(worst <= TOLERANCE, "padding moved a state by " + worst);
        }
    }

    /** A named base's shape, as its description in {@link BaseEncoder#NAMED} gives it. */
    record BaseShape(String base, int layers, int hidden, int heads, int intermediate) {}

    static Stream<BaseShape> namedBases() {
        return Stream.of(new BaseShape("minilm-l6", 6, 384, 12, 1536),
                new BaseShape("bge-small-en", 12, 384, 12, 1536), new BaseShape("bge-small-zh", 4, 512, 8, 2048));
    }

    @Test
    void everyNamedBaseIsCompared() {
        assertEquals(BaseEncoder.NAMED.keySet(), namedBases().map(BaseShape::base).collect(Collectors.toSet()));
    }

    /**
     * Each named base, from its jar in the local Maven repository: skipped, saying how to fetch it, when the jar is
     * missing; a failure instead where {@value #REQUIRED_ENV} is set (as in .ci/run, which fetches the jars).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("namedBases")
    void namedBaseMatchesOnnxRuntime(BaseShape shape) throws Exception {
        BaseEncoder base = BaseEncoder.NAMED.get(shape.base());
        assumePresent(base);
        BaseEncoder.Loaded files = base.load(null, m -> {});
        BertWeights weights = BertWeights.read(files.onnx(), files.source());
        assertEquals(shape.layers(), weights.layers());
        assertEquals(shape.hidden(), weights.hidden());
        assertEquals(shape.heads(), weights.heads());
        assertEquals(shape.intermediate(), weights.intermediate());
        assertEquals(512, weights.positions());
        TextEncoder encoder = TokenizerJson.read(files.tokenizerJson(), 128).encoder();
        Comparison c = compare(weights, files.onnx(), encoder, texts(12));
        System.out.printf("%s: DJL vs ONNX Runtime on %d tokens, largest difference %.3g%n", shape.base(), c.tokens(),
                c.maxDifference());
        assertTrue(c.padded() > 0, "the batch should hold padding");
        assertTrue(c.maxDifference() <= TOLERANCE, "DJL differs from ONNX Runtime on " + shape.base() + " by "
                + c.maxDifference() + " at batch row " + c.worstRow() + ", position " + c.worstPosition());
    }

    /** Set to 1 (as in .ci/run), a missing base jar fails the tests that need it instead of skipping them. */
    static final String REQUIRED_ENV = "SENTIKIT_REQUIRE_BASE_ENCODERS";

    /** Skips the calling test when the base's jar is not in the local Maven repository; fails it under REQUIRED_ENV. */
    static void assumePresent(BaseEncoder base) {
        if (Files.isRegularFile(base.jar())) {
            return;
        }
        String why = "the base " + base.name() + " is not in the local Maven repository (" + base.jar() + "); fetch it "
                + "with `" + base.fetchCommand() + "`";
        if ("1".equals(System.getenv(REQUIRED_ENV))) {
            fail(REQUIRED_ENV + " is set, but " + why);
        }
        Assumptions.assumeTrue(false, why + " to compare DJL's encoder with ONNX Runtime on it too");
    }

    /** The largest difference over the token positions of one padded batch. */
    record Comparison(double maxDifference, int worstRow, int worstPosition, int tokens, int padded) {}

    static Comparison compare(BertWeights weights, byte[] onnx, TextEncoder encoder, List<String> texts)
            throws Exception {
        EncodedBatch batch = encoder.encodeBatch(texts);
        int b = batch.batchSize();
        int t = batch.sequenceLength();
        int h = weights.hidden();
        float[] djl;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            djl = encode(block(weights, manager), manager, batch);
        }
        long[] mask = new long[batch.ids().length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = batch.ids()[i] != 0 ? 1 : 0;
        }
        float[][][] ort;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {b, t};
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape);
                OnnxTensor attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[mask.length]), shape)) {
            Map<String, OnnxTensor> all = Map.of("input_ids", ids, "attention_mask", attention, "token_type_ids",
                    types);
            Map<String, OnnxTensor> inputs = new HashMap<>();
            for (String name : session.getInputNames()) {
                inputs.put(name, all.get(name));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                ort = (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
            }
        }
        double worst = 0;
        int worstRow = -1;
        int worstPosition = -1;
        int tokens = 0;
        for (int r = 0; r < b; r++) {
            for (int p = 0; p < batch.lengths()[r]; p++) {
                tokens++;
                for (int k = 0; k < h; k++) {
                    double d = Math.abs(djl[(r * t + p) * h + k] - ort[r][p][k]);
                    if (!(d <= worst)) {
                        worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                        worstRow = r;
                        worstPosition = p;
                    }
                }
            }
        }
        return new Comparison(worst, worstRow, worstPosition, tokens, b * t - tokens);
    }

    /** A block with the base's weights; its head is zeros and plays no part in {@code encode}. */
    static TransformerBlock block(BertWeights weights, NDManager manager) {
        TransformerBlock block = new TransformerBlock(weights.vocabularySize(),
                TransformerShape.of(weights, TransformerShape.Pooling.MEAN, TransformerShape.DEFAULT_DROPOUT), 3);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        block.loadBase(weights);
        return block;
    }

    /** The states [batch, sequence, hidden], flattened, in inference mode. */
    static float[] encode(TransformerBlock block, NDManager manager, EncodedBatch batch) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray ids = sub.create(batch.ids(), new Shape(batch.batchSize(), batch.sequenceLength()));
            return block.encode(new ParameterStore(sub, false), ids, false).toFloatArray();
        }
    }
}
