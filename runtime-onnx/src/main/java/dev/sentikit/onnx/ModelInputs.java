package dev.sentikit.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.sentikit.ModelLoadException;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.Vocabulary;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The inputs a model file declares, and the tensors fed to them for a batch of ids. Every Sentikit graph reads
 * {@code input_ids}; a transformer graph may also declare {@code attention_mask} (1 where {@code input_ids} is not
 * padding, 0 where it is) and {@code token_type_ids} (all 0: one segment), int64 [batch, sequence] like the ids.
 * Any other input is refused when the model loads.
 */
final class ModelInputs {

    /** The inputs Sentikit knows how to fill. */
    static final List<String> SUPPORTED = List.of(ModelFormat.INPUT_IDS, ModelFormat.INPUT_ATTENTION_MASK,
            ModelFormat.INPUT_TOKEN_TYPE_IDS);

    private final boolean attentionMask;
    private final boolean tokenTypes;

    private ModelInputs(boolean attentionMask, boolean tokenTypes) {
        this.attentionMask = attentionMask;
        this.tokenTypes = tokenTypes;
    }

    /**
     * Checks the declared inputs: {@code input_ids} and any of the optional ones, each int64 of rank 2.
     *
     * @param found the graph's inputs and outputs, for messages
     */
    static ModelInputs of(Map<String, NodeInfo> inputs, String source, String found) throws ModelLoadException {
        if (!inputs.containsKey(ModelFormat.INPUT_IDS)) {
            throw new ModelLoadException(source + " has no input '" + ModelFormat.INPUT_IDS
                    + "': expected int64 [batch, sequence]" + found);
        }
        for (Map.Entry<String, NodeInfo> e : inputs.entrySet()) {
            if (!SUPPORTED.contains(e.getKey())) {
                throw new ModelLoadException(source + " has the input '" + e.getKey() + "', which Sentikit cannot "
                        + "fill: it feeds " + String.join(", ", SUPPORTED) + " (the last two optional)" + found);
            }
            ValueInfo info = e.getValue().getInfo();
            if (!(info instanceof TensorInfo t) || t.type != OnnxJavaType.INT64 || t.getShape().length != 2) {
                throw new ModelLoadException(source + ": input '" + e.getKey() + "' should be int64 [batch, "
                        + "sequence], found " + (info instanceof TensorInfo t ? OnnxSentimentAnalyzer.typeAndShape(t)
                                : String.valueOf(info)) + found);
            }
        }
        return new ModelInputs(inputs.containsKey(ModelFormat.INPUT_ATTENTION_MASK),
                inputs.containsKey(ModelFormat.INPUT_TOKEN_TYPE_IDS));
    }

    /** Whether the graph takes more than {@code input_ids}. */
    boolean hasExtras() {
        return attentionMask || tokenTypes;
    }

    /**
     * The tensors for one run: {@code ids} (rows × width, row-major, which the caller keeps until the run is over)
     * and the extra inputs, made in buffers of {@code rows × width} longs from {@code buffers}. The caller closes
     * every tensor of the map.
     */
    Map<String, OnnxTensor> tensors(OrtEnvironment env, LongBuffer ids, int rows, int width,
            IntFunction<LongBuffer> buffers) throws OrtException {
        long[] shape = {rows, width};
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            feeds.put(ModelFormat.INPUT_IDS, OnnxTensor.createTensor(env, ids, shape));
            int n = rows * width;
            if (attentionMask) {
                LongBuffer mask = buffers.apply(n);
                for (int i = 0; i < n; i++) {
                    mask.put(i, ids.get(ids.position() + i) != Vocabulary.PAD_ID ? 1L : 0L);
                }
                feeds.put(ModelFormat.INPUT_ATTENTION_MASK, OnnxTensor.createTensor(env, mask, shape));
            }
            if (tokenTypes) {
                LongBuffer types = buffers.apply(n);
                for (int i = 0; i < n; i++) {
                    types.put(i, 0L);
                }
                feeds.put(ModelFormat.INPUT_TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, types, shape));
            }
            return feeds;
        } catch (OrtException | RuntimeException e) {
            feeds.values().forEach(OnnxTensor::close);
            throw e;
        }
    }
}
