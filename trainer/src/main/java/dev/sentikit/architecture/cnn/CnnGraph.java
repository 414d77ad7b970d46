package dev.sentikit.architecture.cnn;

import static dev.sentikit.graph.GraphSupport.op;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.graph.GraphOperators;
import dev.sentikit.graph.GraphSupport;
import dev.sentikit.model.ModelFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes the convolutional model as an ONNX graph, computing exactly what {@link CnnBlock} computes:
 *
 * <pre>
 * input_ids     int64 [batch, sequence], padded with 0
 * mask          = Cast(Not(Equal(input_ids, 0)), float)                     [B, T]
 * x             = Transpose(Gather(embedding, input_ids) * Unsqueeze(mask, 2), perm=[0, 2, 1])   [B, D, T]
 * for each width w of CnnBlock.WIDTHS (filters F each):
 *   pooled_w    = ReduceMax(Relu(Conv(x, conv_w [F, D, w], bias_w [F], kernel_shape=[w], pads=[w/2, w/2]))
 *                           * Unsqueeze(mask, 1), axes=[2], keepdims=0)     [B, F]
 * features      = Concat(pooled_w..., axis=1)                               [B, F * widths]
 * logits        = Gemm(features, weight, bias, transB=1)                    [B, L]   (output "logits")
 * probabilities = Softmax(logits, axis=-1)                                  [B, L]   (output "probabilities")
 * </pre>
 *
 * Padded positions are zero before the convolutions and after them; an all-padding row pools to 0, so its logits are
 * the bias. The convolution weights are DJL's (PyTorch's) conv1d layout [out, in, width], which is ONNX's. IR version
 * {@link GraphSupport#IR_VERSION}, opset {@link GraphSupport#OPSET_VERSION}.
 */
public final class CnnGraph {

    /** The graph's name. */
    public static final String GRAPH_NAME = "sentikit-cnn";

    private CnnGraph() {}

    /**
     * Builds the model of {@code block}, whose parameters must be initialized.
     *
     * @param metadataProps the file's {@code metadata_props}, written in iteration order (see
     *     {@link ModelFormat#toMetadataProps})
     * @param producerVersion the Sentikit version that wrote the file
     * @return the model, ready for {@link OnnxMl.ModelProto#toByteArray()}
     * @throws IllegalArgumentException when a parameter is not initialized, has an unexpected shape or holds a value
     *     that is not finite, or when the weights exceed what an ONNX file can hold
     * @throws NullPointerException when an argument, a key or a value is null
     */
    public static OnnxMl.ModelProto build(CnnBlock block, Map<String, String> metadataProps, String producerVersion) {
        GraphSupport.requireArguments(block, metadataProps, producerVersion);
        long[] embeddingShape = GraphSupport.shape(block.embedding(), "the embedding");
        long rows = embeddingShape[0];
        long dim = embeddingShape[1];
        long filters = block.filters();
        long labels = block.labels();
        int[] widths = CnnBlock.WIDTHS;
        long featureCount = filters * widths.length;
        GraphSupport.checkWeightBytes(rows * dim + sum(widths) * filters * dim + featureCount
                + labels * featureCount + labels, "embedding " + rows + " x " + dim);

        ONNXContext ctx = new ONNXContext();
        ctx.setName(GRAPH_NAME);
        GraphSupport.Interface io = GraphSupport.declareInterface(ctx, block.labels());

        ONNXInitializer embedding = GraphSupport.floatTensor(ctx, "embedding",
                GraphSupport.values(block.embedding(), "the embedding", rows, dim), rows, dim);
        ONNXInitializer axis1 = ctx.array("axis_1", new long[] {1});

        GraphSupport.Masked masked = GraphSupport.maskedEmbeddings(ctx, io.ids(), embedding);
        ONNXNode x = op(ctx, GraphOperators.TRANSPOSE, "emb_bdt", Map.of("perm", new int[] {0, 2, 1}),
                masked.embeddings()); // [B, D, T]
        ONNXNode outMask = op(ctx, ONNXOperators.UNSQUEEZE, "mask_b1t", Map.of(), masked.mask(), axis1); // [B, 1, T]

        List<ONNXRef<?>> pooled = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            int w = widths[i];
            String what = "the convolution of width " + w;
            ONNXInitializer convWeight = GraphSupport.floatTensor(ctx, "conv" + w + "_weight",
                    GraphSupport.values(block.convWeight(i), what + " (weights)", filters, dim, w), filters, dim, w);
            ONNXInitializer convBias = GraphSupport.floatTensor(ctx, "conv" + w + "_bias",
                    GraphSupport.values(block.convBias(i), what + " (biases)", filters), filters);
            Map<String, Object> attributes = Map.of(
                    "kernel_shape", new int[] {w},
                    "pads", new int[] {w / 2, w / 2},
                    "strides", new int[] {1},
                    "dilations", new int[] {1},
                    "group", 1);
            ONNXNode conv = op(ctx, GraphOperators.CONV, "conv" + w, attributes, x, convWeight, convBias); // [B, F, T]
            ONNXNode relu = op(ctx, GraphOperators.RELU, "relu" + w, Map.of(), conv);
            ONNXNode kept = op(ctx, ONNXOperators.MUL, "relu" + w + "_masked", Map.of(), relu, outMask);
            pooled.add(op(ctx, GraphOperators.REDUCE_MAX, "pooled" + w,
                    Map.of("axes", new int[] {2}, "keepdims", 0), kept)); // [B, F]
        }
        ONNXNode features = ctx.operation(ONNXOperators.CONCAT, pooled, "features",
                Map.<String, Object>of("axis", 1)); // [B, F * widths]

        ONNXInitializer weight = GraphSupport.floatTensor(ctx, "weight",
                GraphSupport.values(block.weight(), "the output layer (weights)", labels, featureCount),
                labels, featureCount);
        ONNXInitializer bias = GraphSupport.floatTensor(ctx, "bias",
                GraphSupport.values(block.bias(), "the output layer (biases)", labels), labels);
        GraphSupport.classifier(ctx, io, features, weight, bias);

        return GraphSupport.model(ctx.buildGraph().toBuilder(), "Sentikit cnn model: word embeddings, 1-D "
                + "convolutions of widths " + Arrays.toString(widths) + ", ReLU, max pooling over the text, "
                + "then a linear layer and a softmax", metadataProps, producerVersion);
    }

    private static long sum(int[] values) {
        long s = 0;
        for (int v : values) {
            s += v;
        }
        return s;
    }
}
