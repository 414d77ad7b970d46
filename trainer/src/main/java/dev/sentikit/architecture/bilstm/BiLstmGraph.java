package dev.sentikit.architecture.bilstm;

import static dev.sentikit.graph.GraphSupport.op;

import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.graph.GraphOperators;
import dev.sentikit.graph.GraphSupport;
import dev.sentikit.model.ModelFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * Writes the bidirectional LSTM model as an ONNX graph, computing exactly what {@link BiLstmBlock} computes:
 *
 * <pre>
 * input_ids     int64 [batch, sequence], padded with 0
 * mask          = Cast(Not(Equal(input_ids, 0)), float)                         [B, T]
 * x             = Gather(embedding, input_ids) * Unsqueeze(mask, 2)             [B, T, D]
 * lengths       = Cast(Max(ReduceSum(mask, axes=[1], keepdims=0), 1), int32)    [B]
 * _, Y_h        = LSTM(Transpose(x, perm=[1, 0, 2]), W, R, B, lengths,
 *                      direction="bidirectional", hidden_size=H)               Y_h: [2, B, H]
 * features      = Reshape(Transpose(Y_h, perm=[1, 0, 2]), [0, 2H])              [B, 2H] (forward, backward)
 * logits        = Gemm(features, weight, bias, transB=1)                        [B, L]   (output "logits")
 * probabilities = Softmax(logits, axis=-1)                                      [B, L]   (output "probabilities")
 * </pre>
 *
 * ONNX's LSTM stops each direction at the row's {@code sequence_lens}: {@code Y_h} holds the forward state after
 * position n-1 and the backward state after reading positions n-1 down to 0, which is what the block's two
 * unidirectional LSTMs give. Lengths are clamped to 1 like the block's, so an empty text reads one zero position.
 * The LSTM's output {@code Y} is not used and is left unnamed, so ONNX Runtime does not materialize it.
 *
 * <p>Weights (see {@link #onnxWeights}): DJL on PyTorch stores each direction as {@code l_0_i2h_WEIGHT} [4H, D],
 * {@code l_0_h2h_WEIGHT} [4H, H], {@code l_0_i2h_BIAS} [4H] and {@code l_0_h2h_BIAS} [4H], gates in PyTorch's order
 * (i, f, g, o); ONNX wants W [2, 4H, D], R [2, 4H, H] and B [2, 8H] = [Wb; Rb] with gates in the order (i, o, f, c).
 * IR version {@link GraphSupport#IR_VERSION}, opset {@link GraphSupport#OPSET_VERSION}.
 */
public final class BiLstmGraph {

    /** The graph's name. */
    public static final String GRAPH_NAME = "sentikit-bilstm";

    /** For ONNX gate k (i, o, f, c), the index of the same gate in PyTorch's order (i, f, g, o). */
    static final int[] PYTORCH_GATE_OF_ONNX_GATE = {0, 3, 1, 2};

    private static final Pattern DJL_NAME = Pattern.compile("(?:.*_)?l_0_(i2h|h2h)_(WEIGHT|BIAS)");

    private BiLstmGraph() {}

    /**
     * The LSTM weights in ONNX's layout.
     *
     * @param w W [2, 4H, D], row-major
     * @param r R [2, 4H, H], row-major
     * @param b B [2, 8H], row-major
     */
    record OnnxLstmWeights(float[] w, float[] r, float[] b) {}

    /**
     * Builds the model of {@code block}, whose parameters must be initialized.
     *
     * @param metadataProps the file's {@code metadata_props}, written in iteration order (see
     *     {@link ModelFormat#toMetadataProps})
     * @param producerVersion the Sentikit version that wrote the file
     * @return the model, ready for {@link OnnxMl.ModelProto#toByteArray()}
     * @throws IllegalArgumentException when a parameter is not initialized, has an unexpected name or shape or holds
     *     a value that is not finite, or when the weights exceed what an ONNX file can hold
     * @throws NullPointerException when an argument, a key or a value is null
     */
    public static OnnxMl.ModelProto build(BiLstmBlock block, Map<String, String> metadataProps,
            String producerVersion) {
        GraphSupport.requireArguments(block, metadataProps, producerVersion);
        long[] embeddingShape = GraphSupport.shape(block.embedding(), "the embedding");
        long rows = embeddingShape[0];
        int dim = Math.toIntExact(embeddingShape[1]);
        int hidden = block.hidden();
        long labels = block.labels();
        GraphSupport.checkWeightBytes(rows * dim + 2L * 4 * hidden * (dim + hidden + 2) + labels * 2L * hidden
                + labels, "embedding " + rows + " x " + dim);

        ONNXContext ctx = new ONNXContext();
        ctx.setName(GRAPH_NAME);
        GraphSupport.Interface io = GraphSupport.declareInterface(ctx, block.labels());

        ONNXInitializer embedding = GraphSupport.floatTensor(ctx, "embedding",
                GraphSupport.values(block.embedding(), "the embedding", rows, dim), rows, dim);
        OnnxLstmWeights lstmWeights = onnxWeights(block.forwardLstm(), block.backwardLstm(), dim, hidden);
        ONNXInitializer w = GraphSupport.floatTensor(ctx, "lstm_W", lstmWeights.w(), 2, 4L * hidden, dim);
        ONNXInitializer r = GraphSupport.floatTensor(ctx, "lstm_R", lstmWeights.r(), 2, 4L * hidden, hidden);
        ONNXInitializer b = GraphSupport.floatTensor(ctx, "lstm_B", lstmWeights.b(), 2, 8L * hidden);
        ONNXInitializer one = ctx.constant("one", 1.0f);
        ONNXInitializer axis1 = ctx.array("axis_1", new long[] {1});
        ONNXInitializer featureShape = ctx.array("feature_shape", new long[] {0, 2L * hidden});

        GraphSupport.Masked masked = GraphSupport.maskedEmbeddings(ctx, io.ids(), embedding);
        ONNXNode count = op(ctx, ONNXOperators.REDUCE_SUM, "count", Map.of("keepdims", 0), masked.mask(), axis1);
        ONNXNode clamped = op(ctx, GraphOperators.MAX, "count_at_least_1", Map.of(), count, one);
        ONNXNode lengths = op(ctx, ONNXOperators.CAST, "lengths",
                Map.of("to", OnnxMl.TensorProto.DataType.INT32.getNumber()), clamped); // [B]
        ONNXNode x = op(ctx, GraphOperators.TRANSPOSE, "emb_tbd", Map.of("perm", new int[] {1, 0, 2}),
                masked.embeddings()); // [T, B, D]
        List<ONNXNode> lstm = op(ctx, GraphOperators.LSTM, List.of("lstm_y", "lstm_y_h"),
                Map.of("direction", "bidirectional", "hidden_size", hidden), x, w, r, b, lengths);
        ONNXNode states = op(ctx, GraphOperators.TRANSPOSE, "states_b2h", Map.of("perm", new int[] {1, 0, 2}),
                lstm.get(1)); // [B, 2, H]
        ONNXNode features = op(ctx, GraphOperators.RESHAPE, "features", Map.of(), states, featureShape); // [B, 2H]

        ONNXInitializer weight = GraphSupport.floatTensor(ctx, "weight",
                GraphSupport.values(block.weight(), "the output layer (weights)", labels, 2L * hidden),
                labels, 2L * hidden);
        ONNXInitializer bias = GraphSupport.floatTensor(ctx, "bias",
                GraphSupport.values(block.bias(), "the output layer (biases)", labels), labels);
        GraphSupport.classifier(ctx, io, features, weight, bias);

        OnnxMl.GraphProto.Builder graph = ctx.buildGraph().toBuilder();
        dropOutput(graph, lstm.get(0).getReference());
        return GraphSupport.model(graph, "Sentikit bilstm model: word embeddings, a bidirectional LSTM over each "
                + "text's own length, its final states, then a linear layer and a softmax", metadataProps,
                producerVersion);
    }

    /**
     * Converts the block's two DJL LSTMs (one layer each, PyTorch layout) to ONNX's bidirectional layout, direction 0
     * forward and direction 1 backward.
     *
     * @throws IllegalArgumentException when an LSTM is not a one-layer unidirectional LSTM with biases of these sizes
     */
    static OnnxLstmWeights onnxWeights(LSTM forward, LSTM backward, int dim, int hidden) {
        int gate = hidden;
        float[] w = new float[2 * 4 * gate * dim];
        float[] r = new float[2 * 4 * gate * hidden];
        float[] b = new float[2 * 8 * gate];
        LSTM[] directions = {forward, backward};
        for (int d = 0; d < 2; d++) {
            float[][] p = djlWeights(directions[d], d == 0 ? "the forward LSTM" : "the backward LSTM", dim, hidden);
            float[] wIh = p[0];
            float[] wHh = p[1];
            float[] bIh = p[2];
            float[] bHh = p[3];
            for (int g = 0; g < 4; g++) {
                int from = PYTORCH_GATE_OF_ONNX_GATE[g];
                System.arraycopy(wIh, from * gate * dim, w, (d * 4 + g) * gate * dim, gate * dim);
                System.arraycopy(wHh, from * gate * hidden, r, (d * 4 + g) * gate * hidden, gate * hidden);
                System.arraycopy(bIh, from * gate, b, d * 8 * gate + g * gate, gate);
                System.arraycopy(bHh, from * gate, b, d * 8 * gate + 4 * gate + g * gate, gate);
            }
        }
        return new OnnxLstmWeights(w, r, b);
    }

    /** {W_ih [4H, D], W_hh [4H, H], b_ih [4H], b_hh [4H]} of a one-layer unidirectional DJL LSTM. */
    private static float[][] djlWeights(LSTM lstm, String what, int dim, int hidden) {
        float[][] out = new float[4][];
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> pair : lstm.getParameters()) {
            Parameter parameter = pair.getValue();
            names.add(pair.getKey());
            Matcher m = DJL_NAME.matcher(pair.getKey());
            if (!m.matches()) {
                throw new IllegalArgumentException(what + " has the parameter '" + pair.getKey() + "': expected a "
                        + "one-layer unidirectional LSTM (l_0_i2h_WEIGHT, l_0_h2h_WEIGHT, l_0_i2h_BIAS, l_0_h2h_BIAS)");
            }
            boolean input = m.group(1).equals("i2h");
            boolean weight = m.group(2).equals("WEIGHT");
            int slot = weight ? (input ? 0 : 1) : (input ? 2 : 3);
            if (out[slot] != null) {
                throw new IllegalArgumentException(what + " has two parameters like '" + pair.getKey() + "'");
            }
            long[] shape = weight ? new long[] {4L * hidden, input ? dim : hidden} : new long[] {4L * hidden};
            out[slot] = GraphSupport.values(parameter, what + " (" + pair.getKey() + ")", shape);
        }
        for (float[] values : out) {
            if (values == null) {
                throw new IllegalArgumentException(what + " has the parameters " + names + ": expected "
                        + "l_0_i2h_WEIGHT, l_0_h2h_WEIGHT, l_0_i2h_BIAS and l_0_h2h_BIAS");
            }
        }
        return out;
    }

    /** Leaves the optional output {@code name} of its node unnamed; no node may read it. */
    private static void dropOutput(OnnxMl.GraphProto.Builder graph, String name) {
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (node.getInputList().contains(name)) {
                throw new IllegalStateException(node.getName() + " reads " + name);
            }
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            OnnxMl.NodeProto node = graph.getNode(i);
            int index = node.getOutputList().indexOf(name);
            if (index >= 0) {
                graph.setNode(i, node.toBuilder().setOutput(index, "").build());
                return;
            }
        }
        throw new IllegalStateException("no node writes " + name);
    }
}
