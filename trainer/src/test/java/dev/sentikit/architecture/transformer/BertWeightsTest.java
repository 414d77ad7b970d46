package dev.sentikit.architecture.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.architecture.WordEmbeddingSettings;
import dev.sentikit.train.Fixtures;
import dev.sentikit.architecture.SentimentBlock;
import dev.sentikit.train.TrainingConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link BertWeights} reads the shape and weights of a Hugging Face BERT export, and refuses other files. */
class BertWeightsTest {

    @Test
    void readsTheShapeAndTheWeightsTransposedToOutIn() throws Exception {
        TinyBert tiny = TinyBert.standard();
        BertWeights w = BertWeights.read(tiny.onnx(), "tiny.onnx");
        assertEquals(2, w.layers());
        assertEquals(32, w.hidden());
        assertEquals(4, w.heads());
        assertEquals(64, w.intermediate());
        assertEquals(64, w.positions());
        assertEquals(1e-12f, w.layerNormEpsilon());
        assertEquals(tiny.tokens().size(), w.vocabularySize());
        // Every tensor, the anonymous MatMul weights included, as PyTorch holds it: Linear weights [out, in].
        for (String name : tiny.names()) {
            assertArrayEquals(tiny.weight(name), w.get(name), name);
        }
        assertArrayEquals(new long[] {64, 32}, w.shape("encoder.layer.1.intermediate.dense.weight"));
        assertArrayEquals(new long[] {32, 64}, w.shape("encoder.layer.1.output.dense.weight"));
        assertArrayEquals(new long[] {32, 32}, w.shape("encoder.layer.0.attention.self.key.weight"));
        long expectedCount = 0;
        for (String name : tiny.names()) {
            expectedCount += tiny.weight(name).length;
        }
        assertEquals(expectedCount, w.parameterCount());
        assertTrue(w.toString().contains("2 layers, hidden 32, 4 heads, FFN 64"), w.toString());
    }

    /** The heads and eps come from the graph (the Div by √head_size, the Add before Sqrt), not from defaults. */
    @Test
    void headsAndEpsilonFollowTheGraph() throws Exception {
        TinyBert.Spec s = TinyBert.Spec.standard();
        TinyBert eight = TinyBert.of(new TinyBert.Spec(1, 32, 8, 48, 40, 1e-6f, 5, TinyBert.Gelu.ERF, null));
        BertWeights w = BertWeights.read(eight.onnx(), "eight-heads.onnx");
        assertEquals(1, w.layers());
        assertEquals(8, w.heads());
        assertEquals(48, w.intermediate());
        assertEquals(40, w.positions());
        assertEquals(1e-6f, w.layerNormEpsilon());
        assertEquals(4, BertWeights.read(TinyBert.of(s.withEps(1e-5f)).onnx(), "x").heads());
        assertEquals(1e-5f, BertWeights.read(TinyBert.of(s.withEps(1e-5f)).onnx(), "x").layerNormEpsilon());
    }

    @Test
    void aModelOfAnotherArchitectureIsRefused() throws Exception {
        Architecture bag = Architectures.parse("bag");

        byte[] onnx;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SentimentBlock block = bag.newBlock(WordEmbeddingSettings.defaults().withEmbeddingDim(8), 50, 3);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            onnx = bag.toOnnx(block, Map.of(), "test", Architecture.ExportOptions.DEFAULT).toByteArray();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertWeights.read(onnx, "bag.onnx"));
        assertTrue(e.getMessage().startsWith("bag.onnx is not a BERT-layout encoder"), e.getMessage());
        assertTrue(e.getMessage().contains("expected the initializer 'embeddings.word_embeddings.weight'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("none of its initializers is named like a BERT parameter"),
                e.getMessage());
        assertTrue(e.getMessage().contains("input_ids, attention_mask, token_type_ids"), e.getMessage());
    }

    @Test
    void aMissingTensorIsNamed() throws Exception {
        String missing = "encoder.layer.1.attention.output.LayerNorm.bias";
        byte[] onnx = TinyBert.of(TinyBert.Spec.standard().withRenamed(missing)).onnx();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertWeights.read(onnx, "renamed.onnx"));
        assertTrue(e.getMessage().contains("expected '" + missing + "' of shape [32]"), e.getMessage());
        assertTrue(e.getMessage().contains("found "), e.getMessage());

        byte[] noWeight = TinyBert.of(TinyBert.Spec.standard().withRenamed("encoder.layer.0.intermediate.dense.bias"))
                .onnx();
        // Without its named bias the MatMul's anonymous weight cannot be named either.
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> BertWeights.read(noWeight, "no-bias.onnx"));
        assertTrue(w.getMessage().contains("'encoder.layer.0.intermediate.dense.weight' [intermediate, hidden]"),
                w.getMessage());
    }

    @Test
    void theTanhApproximationOfGeluIsRefused() throws Exception {
        byte[] onnx = TinyBert.of(TinyBert.Spec.standard().withGelu(TinyBert.Gelu.TANH)).onnx();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertWeights.read(onnx, "tanh.onnx"));
        assertTrue(e.getMessage().contains("expected GELU in its erf form in each of the 2 layers"), e.getMessage());
        assertTrue(e.getMessage().endsWith("found 0"), e.getMessage());
    }

    @Test
    void bytesThatAreNotOnnxAreRefused() throws Exception {
        byte[] json = TinyBert.standard().tokenizerJson().getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertWeights.read(json, "tokenizer.json"));
        assertTrue(e.getMessage().startsWith("tokenizer.json is not"), e.getMessage());
    }
}
