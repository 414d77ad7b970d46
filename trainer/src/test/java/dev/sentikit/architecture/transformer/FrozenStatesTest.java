package dev.sentikit.architecture.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.sentikit.text.EncodedBatch;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.TokenizerJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a frozen encoder the block computes the pooled states of a run's texts once ({@link TransformerBlock#precompute})
 * and answers from them: the logits must be those the encoder gives, in any batch, at any padding, and a text that
 * was not precomputed still goes through the encoder.
 */
class FrozenStatesTest {

    @Test
    void precomputedStatesGiveTheEncodersLogits(@TempDir Path dir) throws Exception {
        TinyBert.Written files = TinyBert.standard().write(dir);
        TextEncoder encoder = TokenizerJson.read(Files.readString(files.tokenizer()), 64).encoder();
        BertWeights weights = BertWeights.read(Files.readAllBytes(files.onnx()), files.onnx().toString());
        List<String> texts = EncoderParityTest.texts(40);
        int[][] ids = texts.stream().map(encoder::encode).toArray(int[][]::new);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            TransformerBlock reference = EncoderParityTest.block(weights, manager);
            TransformerBlock frozen = EncoderParityTest.block(weights, manager);
            frozen.freezeEncoder();
            // the same random head in both (the initializer left it zero: the logits would not see the states)
            java.util.Random random = new java.util.Random(5);
            float[] head = new float[(int) reference.weight().getArray().getShape().size()];
            for (int i = 0; i < head.length; i++) {
                head[i] = (float) random.nextGaussian();
            }
            for (TransformerBlock b : List.of(reference, frozen)) {
                b.weight().getArray().set(java.nio.FloatBuffer.wrap(head));
                b.bias().getArray().set(java.nio.FloatBuffer.wrap(new float[] {0.1f, -0.2f, 0.3f}));
            }

            assertNull(reference.precompute(() -> ids, manager, m -> {}), "an encoder that trains keeps nothing");
            String note = frozen.precompute(() -> ids, manager, m -> {});
            assertNotNull(note);
            assertTrue(note.contains("computed the states of " + (texts.size() - duplicates(ids)) + " texts"), note);

            // another order and other batches than precompute's (longest first): other padding
            List<String> shuffled = new ArrayList<>(texts);
            Collections.shuffle(shuffled, new java.util.Random(3));
            for (int from = 0; from < shuffled.size(); from += 7) {
                List<String> chunk = shuffled.subList(from, Math.min(shuffled.size(), from + 7));
                assertClose(logits(reference, encoder, chunk, manager), logits(frozen, encoder, chunk, manager), chunk);
            }
            // not precomputed: the encoder runs for the whole batch
            List<String> unseen = List.of("a sentence the run never saw, about a rather good film", texts.get(1));
            try (NDManager sub = manager.newSubManager()) {
                EncodedBatch batch = encoder.encodeBatch(unseen);
                NDArray x = sub.create(batch.ids(), new Shape(batch.batchSize(), batch.sequenceLength()));
                assertNull(frozen.frozenStates().find(x), "the unseen text has no precomputed states");
            }
            assertClose(logits(reference, encoder, unseen, manager), logits(frozen, encoder, unseen, manager), unseen);

            frozen.releasePrecomputed();
            assertNull(frozen.frozenStates());
            assertClose(logits(reference, encoder, texts, manager), logits(frozen, encoder, texts, manager), texts);
        }
    }

    private static int duplicates(int[][] ids) {
        java.util.Set<FrozenStates.Key> seen = new java.util.HashSet<>();
        int d = 0;
        for (int[] row : ids) {
            if (!seen.add(FrozenStates.Key.of(row))) {
                d++;
            }
        }
        return d;
    }

    private static float[] logits(TransformerBlock block, TextEncoder encoder, List<String> texts, NDManager manager) {
        try (NDManager sub = manager.newSubManager()) {
            EncodedBatch batch = encoder.encodeBatch(texts);
            NDArray x = sub.create(batch.ids(), new Shape(batch.batchSize(), batch.sequenceLength()));
            return block.forward(new ParameterStore(sub, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
        }
    }

    private static void assertClose(float[] expected, float[] actual, List<String> texts) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], EncoderParityTest.TOLERANCE, "logit " + i % 3 + " of '"
                    + texts.get(i / 3) + "'");
        }
    }
}
