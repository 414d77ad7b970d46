package dev.sentikit.architecture.bag;

import static dev.sentikit.graph.GraphSupport.op;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.graph.GraphOperators;
import dev.sentikit.graph.GraphSupport;
import dev.sentikit.model.ModelFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * Writes the bag model as an ONNX graph, computing exactly what {@link BagBlock} computes:
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
 * target ({@link GraphSupport#OPSET_VERSION}), IR version {@link GraphSupport#IR_VERSION}.
 */
public final class BagGraph {

    /** The graph's name. */
    public static final String GRAPH_NAME = "sentikit-bag";

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
        GraphSupport.requireArguments(w, metadataProps, producerVersion);

        ONNXContext ctx = new ONNXContext();
        ctx.setName(GRAPH_NAME);
        GraphSupport.Interface io = GraphSupport.declareInterface(ctx, w.labels());

        ONNXInitializer embedding = ctx.floatTensor("embedding", List.of(w.rows(), w.dim()),
                fb -> fb.put(w.embedding()));
        ONNXInitializer weight = ctx.floatTensor("weight", List.of(w.labels(), w.dim()), fb -> fb.put(w.weight()));
        ONNXInitializer bias = ctx.array("bias", w.bias());
        ONNXInitializer one = ctx.constant("one", 1.0f);
        ONNXInitializer axis1 = ctx.array("axis_1", new long[] {1});

        GraphSupport.Masked masked = GraphSupport.maskedEmbeddings(ctx, io.ids(), embedding);
        ONNXNode sum = op(ctx, ONNXOperators.REDUCE_SUM, "sum", Map.of("keepdims", 0), masked.embeddings(), axis1);
        ONNXNode count = op(ctx, ONNXOperators.REDUCE_SUM, "count", Map.of("keepdims", 1), masked.mask(), axis1);
        ONNXNode clamped = op(ctx, GraphOperators.MAX, "count_at_least_1", Map.of(), count, one);
        ONNXNode mean = op(ctx, ONNXOperators.DIV, "mean", Map.of(), sum, clamped);
        GraphSupport.classifier(ctx, io, mean, weight, bias);

        return GraphSupport.model(ctx.buildGraph().toBuilder(), "Sentikit bag model: mean of word and bigram "
                + "embeddings, then a linear layer and a softmax", metadataProps, producerVersion);
    }
}
