package dev.sentikit.export.graph;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.Vocabulary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes the bag model as an ONNX graph, computing exactly what {@code dev.sentikit.train.BagBlock} computes:
 *
 * <pre>
 * input_ids     int64 [batch, sequence], padded with 0
 * emb           = Gather(embedding, input_ids)                       [B, T, D]
 * mask          = Cast(Not(Equal(input_ids, 0)), float)              [B, T]
 * sum           = ReduceSum(emb * Unsqueeze(mask, 2), axes=[1])      [B, D]
 * count         = Max(ReduceSum(mask, axes=[1], keepdims=1), 1.0)    [B, 1]
 * logits        = Gemm(sum / count, weight, bias, transB=1)          [B, L]   (output "logits")
 * probabilities = Softmax(logits, axis=-1)                           [B, L]   (output "probabilities")
 * </pre>
 *
 * An all-padding row has mean 0, so its logits are the bias. Built with Tribuo's ONNX utilities at the opset they
 * target ({@link #OPSET_VERSION}), IR version {@link #IR_VERSION}.
 */
public final class BagGraph {

    /** The graph's name. */
    public static final String GRAPH_NAME = "sentikit-bag";

    /** The model's producer name. */
    public static final String PRODUCER_NAME = "sentikit";

    /**
     * The ONNX IR version written: 8 (ONNX 1.10 to 1.12), which covers opset 13, is read by ONNX Runtime 1.23 and is
     * the newest that Debian 12's python3-onnx (1.12) checks.
     */
    public static final long IR_VERSION = 8;

    /**
     * The default-domain opset: the one Tribuo's {@link ONNXOperators} are defined for (13). From opset 13 on,
     * ReduceSum and Unsqueeze take their axes as an input.
     */
    public static final int OPSET_VERSION = ONNXOperators.getOpsetVersion();

    private static final int MIN_OPSET = 13;

    private BagGraph() {}

    /**
     * Builds the model.
     *
     * @param w the weights
     * @param metadataProps the file's {@code metadata_props}, written in iteration order (see
     *     {@link ModelFormat#toMetadataProps})
     * @param producerVersion the Sentikit version that wrote the file
     * @return the model, ready for {@link OnnxMl.ModelProto#toByteArray()}
     * @throws NullPointerException when an argument, a key or a value is null
     */
    public static OnnxMl.ModelProto build(BagWeights w, Map<String, String> metadataProps, String producerVersion) {
        Objects.requireNonNull(w, "weights must not be null");
        Objects.requireNonNull(metadataProps, "metadataProps must not be null");
        Objects.requireNonNull(producerVersion, "producerVersion must not be null");
        if (OPSET_VERSION < MIN_OPSET) {
            throw new IllegalStateException("Tribuo's ONNX operators target opset " + OPSET_VERSION
                    + "; the bag graph needs opset " + MIN_OPSET + " or later (axes as inputs)");
        }

        ONNXContext ctx = new ONNXContext();
        ctx.setName(GRAPH_NAME);

        // Tribuo only makes float inputs; the type of input_ids is set to int64 [batch, sequence] below.
        ONNXPlaceholder ids = ctx.floatInput(ModelFormat.INPUT_IDS, 1);
        ONNXPlaceholder logitsOut = ctx.floatOutput(ModelFormat.OUTPUT_LOGITS, w.labels());
        ONNXPlaceholder probabilitiesOut = ctx.floatOutput(ModelFormat.OUTPUT_PROBABILITIES, w.labels());

        ONNXInitializer embedding = ctx.floatTensor("embedding", List.of(w.rows(), w.dim()),
                fb -> fb.put(w.embedding()));
        ONNXInitializer weight = ctx.floatTensor("weight", List.of(w.labels(), w.dim()), fb -> fb.put(w.weight()));
        ONNXInitializer bias = ctx.array("bias", w.bias());
        ONNXInitializer padId = ctx.constant("pad_id", (long) Vocabulary.PAD_ID);
        ONNXInitializer one = ctx.constant("one", 1.0f);
        ONNXInitializer axis1 = ctx.array("axis_1", new long[] {1});
        ONNXInitializer axis2 = ctx.array("axis_2", new long[] {2});

        ONNXNode emb = op(ctx, ONNXOperators.GATHER, "emb", Map.of("axis", 0), embedding, ids);
        ONNXNode isPad = op(ctx, BagOperators.EQUAL, "is_pad", Map.of(), ids, padId);
        ONNXNode notPad = op(ctx, BagOperators.NOT, "not_pad", Map.of(), isPad);
        ONNXNode mask = op(ctx, ONNXOperators.CAST, "mask",
                Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()), notPad);
        ONNXNode mask3 = op(ctx, ONNXOperators.UNSQUEEZE, "mask_3d", Map.of(), mask, axis2);
        ONNXNode masked = op(ctx, ONNXOperators.MUL, "masked_emb", Map.of(), emb, mask3);
        ONNXNode sum = op(ctx, ONNXOperators.REDUCE_SUM, "sum", Map.of("keepdims", 0), masked, axis1);
        ONNXNode count = op(ctx, ONNXOperators.REDUCE_SUM, "count", Map.of("keepdims", 1), mask, axis1);
        ONNXNode clamped = op(ctx, BagOperators.MAX, "count_at_least_1", Map.of(), count, one);
        ONNXNode mean = op(ctx, ONNXOperators.DIV, "mean", Map.of(), sum, clamped);
        ONNXNode logits = op(ctx, ONNXOperators.GEMM, "logits_raw", Map.of("transB", 1), mean, weight, bias);
        ONNXNode probabilities = op(ctx, ONNXOperators.SOFTMAX, "probabilities_raw", Map.of("axis", -1), logits);
        logits.assignTo(logitsOut);
        probabilities.assignTo(probabilitiesOut);

        OnnxMl.GraphProto.Builder graph = ctx.buildGraph().toBuilder();
        setIdsType(graph);

        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName(PRODUCER_NAME)
                .setProducerVersion(producerVersion)
                .setDocString("Sentikit bag model: mean of word and bigram embeddings, then a linear layer "
                        + "and a softmax")
                .setGraph(graph);
        for (Map.Entry<String, String> e : metadataProps.entrySet()) {
            model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                    .setKey(Objects.requireNonNull(e.getKey(), "metadata key must not be null"))
                    .setValue(Objects.requireNonNull(e.getValue(), "metadata value of '" + e.getKey()
                            + "' must not be null")));
        }
        return model.build();
    }

    private static ONNXNode op(ONNXContext ctx, ONNXOperator op, String output, Map<String, ?> attributes,
            ONNXRef<?>... inputs) {
        return ctx.operation(op, List.of(inputs), output, new LinkedHashMap<String, Object>(attributes));
    }

    /** Replaces Tribuo's float placeholder type of {@code input_ids} with int64 [batch, sequence]. */
    private static void setIdsType(OnnxMl.GraphProto.Builder graph) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("sequence"))
                .build();
        OnnxMl.ValueInfoProto idsInfo = OnnxMl.ValueInfoProto.newBuilder()
                .setName(ModelFormat.INPUT_IDS)
                .setDocString("token ids, padded with " + Vocabulary.PAD_ID)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                        .setShape(shape)))
                .build();
        for (int i = 0; i < graph.getInputCount(); i++) {
            if (graph.getInput(i).getName().equals(ModelFormat.INPUT_IDS)) {
                graph.setInput(i, idsInfo);
                return;
            }
        }
        throw new IllegalStateException("the graph has no input " + ModelFormat.INPUT_IDS);
    }
}
