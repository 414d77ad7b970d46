package dev.sentikit.architecture.transformer;

import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.Architecture.Quantization;
import dev.sentikit.graph.OnnxGraphBuilder;
import dev.sentikit.model.ModelFormat;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a {@link TransformerBlock} as an ONNX graph of standard operators only (opset
 * {@value OnnxGraphBuilder#OPSET}), so that ONNX Runtime runs it in Java, Node and the browser alike, computing what
 * the block computes:
 *
 * <pre>
 * input_ids       int64 [batch, sequence]; attention_mask int64 [batch, sequence], 1 on tokens, 0 on padding
 * mask_bias       = Unsqueeze((1 - Cast(attention_mask, float)) * -3.4028235e38, [1, 2])      [B, 1, 1, T]
 * x               = LN(Gather(word, input_ids) + Slice(position, 0, T) + token_type)          [B, T, H]
 * per layer:
 *   q, k, v       = Transpose(Reshape(x · Wqkvᵀ + bqkv, [0, 0, 3, heads, d]), [2, 0, 3, 1, 4])  [B, heads, T, d] each
 *   context       = Softmax((q / √d) · kᵀ + mask_bias) · v, back to [B, T, H]
 *   x             = LN(x + context · Woᵀ + bo)
 *   x             = LN(x + GELU(x · W1ᵀ + b1) · W2ᵀ + b2)          GELU(y) = y · 0.5 · (1 + Erf(y / √2))
 * pooled          = x[:, 0] (cls) or Σ x · mask / max(Σ mask, 1) (mean)                         [B, H]
 * logits          = Gemm(pooled, weight, bias, transB=1)                                        [B, L]
 * probabilities   = Softmax(logits)
 * LN(y)           = (y - mean(y)) / Sqrt(mean((y - mean(y))²) + eps) · γ + β, over the last axis
 * </pre>
 *
 * <p>With {@link Quantization#INT8} every weight matrix and the word embedding are stored as int8 with float
 * scales per output channel: {@code w ≈ scale · q}, {@code q = round(w / scale)} in [-127, 127],
 * {@code scale = max|w| / 127} over the values that share it. A matrix [in, out] (as the graph multiplies it) has one
 * scale per block of {@link #BLOCK} rows of each column, and is restored by constant nodes that ONNX Runtime folds
 * into a float matrix when it loads the file, so inference runs at float32 speed. The embedding has one scale per
 * row; its rows are gathered as int8 and multiplied by their gathered scales, so only the rows a text uses are
 * restored. Biases, norms and the position embedding stay float32. The file holds about a quarter of the bytes.
 */
public final class TransformerGraph {

    public static final String GRAPH_NAME = "sentikit-transformer";

    private static final OnnxMl.TensorProto.DataType INT64 = OnnxMl.TensorProto.DataType.INT64;
    private static final OnnxMl.TensorProto.DataType FLOAT = OnnxMl.TensorProto.DataType.FLOAT;

    /**
     * Rows of a weight matrix that share one int8 scale per column: 32, as in the block quantization of GGML's Q8_0
     * and ONNX's own blocked DequantizeLinear (opset 21). On the MiniLM zoo model a scale per whole column moved a
     * probability by up to 0.060 on the validation texts; blocks of 32 by up to 0.028 (blocks of 16: 0.019, for a
     * file 5% larger and the same test accuracy), for 1/32 more bytes of scales.
     */
    static final int BLOCK = 32;

    private TransformerGraph() {}

    /**
     * The model of {@code block}, whose parameters must be initialized and finite.
     *
     * @throws IllegalArgumentException when a parameter is not initialized, has another shape or is not finite
     */
    public static OnnxMl.ModelProto build(TransformerBlock block, Map<String, String> metadataProps,
            String producerVersion, Quantization quantization) {
        TransformerShape s = block.shape();
        int h = s.hidden();
        int f = s.intermediate();
        long rows = block.embedding().getArray().getShape().get(0);
        int labels = block.labels();
        boolean int8 = quantization == Quantization.INT8;
        OnnxGraphBuilder g = new OnnxGraphBuilder(GRAPH_NAME);
        String ids = g.input(ModelFormat.INPUT_IDS, INT64, "batch", "sequence");
        String attention = g.input(ModelFormat.INPUT_ATTENTION_MASK, INT64, "batch", "sequence");
        g.output(ModelFormat.OUTPUT_LOGITS, FLOAT, "batch", labels);
        g.output(ModelFormat.OUTPUT_PROBABILITIES, FLOAT, "batch", labels);

        String one = g.scalar("one", 1f);
        String maskF = g.node("Cast", "mask_float", Map.of("to", FLOAT.getNumber()), attention); // [B, T]
        String inverted = g.node("Sub", "mask_inverted", one, maskF);
        String bias2 = g.node("Mul", "mask_bias_bt", inverted, g.scalar("masked", TransformerBlock.MASKED));
        String maskBias = g.node("Unsqueeze", "mask_bias", bias2, g.longs("axes_1_2", new long[] {1, 2}, 2));

        // embeddings
        String word;
        float[] wordValues = values(block.embedding(), "the word embedding", rows, h);
        if (int8) {
            Quantized q = quantizeRows(wordValues, (int) rows, h);
            String table = g.int8("word_embedding_int8", q.values, rows, h);
            String scales = g.floats("word_embedding_scale", q.scales, rows);
            String gathered = g.node("Cast", "word_int8_as_float", Map.of("to", FLOAT.getNumber()),
                    g.node("Gather", "word_int8", Map.of("axis", 0), table, ids));
            String rowScale = g.node("Unsqueeze", "word_row_scale", g.node("Gather", "word_scale", Map.of("axis", 0),
                    scales, ids), g.longs("axes_last", new long[] {2}, 1));
            word = g.node("Mul", "word", gathered, rowScale);
        } else {
            word = g.node("Gather", "word", Map.of("axis", 0),
                    g.floats("word_embedding", wordValues, rows, h), ids);
        }
        String shape = g.node("Shape", "ids_shape", ids);
        String length = g.node("Slice", "sequence_length", shape, g.longs("one_index", new long[] {1}, 1),
                g.longs("two_index", new long[] {2}, 1), g.longs("axis_0", new long[] {0}, 1));
        String position = g.node("Slice", "position", g.floats("position_embedding",
                values(block.positionEmbedding(), "the position embedding", s.positions(), h), s.positions(), h),
                g.longs("zero_index", new long[] {0}, 1), length, "axis_0");
        String x = g.node("Add", "embedded", g.node("Add", "word_position", word, position),
                g.floats("token_type_embedding", values(block.tokenTypeEmbedding(), "the token-type embedding", h), h));
        String eps = g.scalar("layer_norm_eps", s.layerNormEpsilon());
        String two = g.scalar("two", 2f);
        x = layerNorm(g, "embedding_norm", x, block.embeddingGamma(), block.embeddingBeta(), h, eps, two);

        float scale = (float) (1.0 / Math.sqrt(s.headSize()));
        String qkvShape = g.longs("qkv_shape", new long[] {0, 0, 3, s.heads(), s.headSize()}, 5);
        String contextShape = g.longs("context_shape", new long[] {0, 0, h}, 3);
        String scaleName = g.scalar("attention_scale", scale);
        String sqrt2 = g.scalar("sqrt_2", (float) Math.sqrt(2.0));
        String half = g.scalar("half", 0.5f);
        String[] index = {g.scalar("index_0", 0L), g.scalar("index_1", 1L), g.scalar("index_2", 2L)};
        for (int l = 0; l < s.layers(); l++) {
            TransformerBlock.Layer layer = block.layers().get(l);
            String p = "layer" + l + "_";
            String qkv = linear(g, p + "qkv", x, layer.qkvWeight(), layer.qkvBias(), 3 * h, h, int8);
            String split = g.node("Transpose", p + "qkv_heads", Map.of("perm", new int[] {2, 0, 3, 1, 4}),
                    g.node("Reshape", p + "qkv_5d", qkv, qkvShape)); // [3, B, heads, T, d]
            String q = g.node("Mul", p + "q_scaled", g.node("Gather", p + "q", Map.of("axis", 0), split, index[0]),
                    scaleName);
            String k = g.node("Gather", p + "k", Map.of("axis", 0), split, index[1]);
            String v = g.node("Gather", p + "v", Map.of("axis", 0), split, index[2]);
            String scores = g.node("Add", p + "scores_masked", g.node("MatMul", p + "scores", q,
                    g.node("Transpose", p + "k_t", Map.of("perm", new int[] {0, 1, 3, 2}), k)), maskBias);
            String probabilities = g.node("Softmax", p + "attention", Map.of("axis", -1), scores);
            String context = g.node("Reshape", p + "context", g.node("Transpose", p + "context_bthd",
                    Map.of("perm", new int[] {0, 2, 1, 3}), g.node("MatMul", p + "context_heads", probabilities, v)),
                    contextShape);
            String attended = linear(g, p + "attention_output", context, layer.attentionOutWeight(),
                    layer.attentionOutBias(), h, h, int8);
            x = layerNorm(g, p + "attention_norm", g.node("Add", p + "attention_residual", x, attended),
                    layer.attentionGamma(), layer.attentionBeta(), h, eps, two);
            String inner = linear(g, p + "intermediate", x, layer.intermediateWeight(), layer.intermediateBias(), f,
                    h, int8);
            String gelu = g.node("Mul", p + "gelu", g.node("Mul", p + "gelu_x", inner, g.node("Add", p + "gelu_1p",
                    g.node("Erf", p + "gelu_erf", g.node("Div", p + "gelu_div", inner, sqrt2)), one)), half);
            String out = linear(g, p + "output", gelu, layer.outputWeight(), layer.outputBias(), h, f, int8);
            x = layerNorm(g, p + "output_norm", g.node("Add", p + "output_residual", x, out), layer.outputGamma(),
                    layer.outputBeta(), h, eps, two);
        }

        String pooled;
        if (s.pooling() == TransformerShape.Pooling.CLS) {
            pooled = g.node("Gather", "pooled", Map.of("axis", 1), x, index[0]);
        } else {
            String mask3 = g.node("Unsqueeze", "mask_3d", maskF, g.longs("axes_2", new long[] {2}, 1));
            String axis1 = g.longs("axes_1", new long[] {1}, 1);
            String sum = g.node("ReduceSum", "pooled_sum", Map.of("keepdims", 0),
                    g.node("Mul", "masked_states", x, mask3), axis1);
            String count = g.node("Max", "token_count", g.node("ReduceSum", "token_count_raw", Map.of("keepdims", 1),
                    maskF, axis1), one);
            pooled = g.node("Div", "pooled", sum, count);
        }
        String logits = g.node("Gemm", ModelFormat.OUTPUT_LOGITS, Map.of("transB", 1), pooled,
                g.floats("weight", values(block.weight(), "the output layer (weights)", labels, h), labels, h),
                g.floats("bias", values(block.bias(), "the output layer (biases)", labels), labels));
        g.node("Softmax", ModelFormat.OUTPUT_PROBABILITIES, Map.of("axis", -1), logits);
        return g.model("Sentikit transformer model: a BERT-layout encoder (" + s.layers() + " layers, hidden " + h
                + ", " + s.heads() + " heads), " + s.pooling().id() + " pooling, a linear layer and a softmax"
                + (int8 ? "; int8 weights with a float scale per output channel" : ""), metadataProps,
                producerVersion);
    }

    /** {@code x · Wᵀ + b} for a DJL Linear weight [out, in]: a MatMul with Wᵀ [in, out], int8 when asked. */
    private static String linear(OnnxGraphBuilder g, String name, String x, Parameter weight, Parameter bias, int out,
            int in, boolean int8) {
        float[] w = values(weight, name + " (weights)", out, in);
        float[] wt = BertWeights.transpose(w, out, in); // [in, out]
        String matrix;
        if (int8) {
            matrix = dequantized(g, name + "_weight", wt, in, out);
        } else {
            matrix = g.floats(name + "_weight", wt, in, out);
        }
        return g.node("Add", name, g.node("MatMul", name + "_product", x, matrix),
                g.floats(name + "_bias", values(bias, name + " (biases)", out), out));
    }

    /**
     * An int8 matrix [in, out] with a float scale per block of {@link #BLOCK} rows of each column, and the nodes that
     * restore it: {@code Reshape(Cast(q, float), [in / BLOCK, BLOCK, out]) * scale[in / BLOCK, 1, out]}, reshaped
     * back to [in, out]. Every input is a constant, so ONNX Runtime folds them into one float matrix when the
     * session is created: the file is small, and inference runs at float32 speed.
     */
    private static String dequantized(OnnxGraphBuilder g, String name, float[] wt, int in, int out) {
        int block = in % BLOCK == 0 ? BLOCK : in;
        int blocks = in / block;
        Quantized q = quantizeBlocks(wt, in, out, block);
        String values = g.node("Cast", name + "_int8_as_float", Map.of("to", FLOAT.getNumber()),
                g.int8(name + "_int8", q.values, in, out));
        String grouped = g.node("Reshape", name + "_blocks", values,
                g.longs(name + "_block_shape", new long[] {blocks, block, out}, 3));
        String scaled = g.node("Mul", name + "_blocks_scaled", grouped,
                g.floats(name + "_scale", q.scales, blocks, 1, out));
        return g.node("Reshape", name, scaled, g.longs(name + "_shape", new long[] {in, out}, 2));
    }

    private static String layerNorm(OnnxGraphBuilder g, String name, String x, Parameter gamma, Parameter beta, int h,
            String eps, String two) {
        String mean = g.node("ReduceMean", name + "_mean", Map.of("axes", new int[] {-1}, "keepdims", 1), x);
        String centered = g.node("Sub", name + "_centered", x, mean);
        String variance = g.node("ReduceMean", name + "_variance", Map.of("axes", new int[] {-1}, "keepdims", 1),
                g.node("Pow", name + "_squared", centered, two));
        String std = g.node("Sqrt", name + "_std", g.node("Add", name + "_variance_eps", variance, eps));
        String normalized = g.node("Div", name + "_normalized", centered, std);
        return g.node("Add", name, g.node("Mul", name + "_scaled", normalized,
                g.floats(name + "_gamma", values(gamma, name + " (gamma)", h), h)),
                g.floats(name + "_beta", values(beta, name + " (beta)", h), h));
    }

    /** Int8 values and one scale per slice. */
    record Quantized(byte[] values, float[] scales) {}

    /** Per row of a [rows, cols] matrix: the embedding's rows. */
    static Quantized quantizeRows(float[] a, int rows, int cols) {
        byte[] q = new byte[a.length];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Math.abs(a[r * cols + c]));
            }
            float scale = max > 0 ? max / 127f : 1f;
            scales[r] = scale;
            for (int c = 0; c < cols; c++) {
                q[r * cols + c] = (byte) Math.max(-127, Math.min(127, Math.round(a[r * cols + c] / scale)));
            }
        }
        return new Quantized(q, scales);
    }

    /**
     * Per block of {@code block} rows of each column of a [rows, cols] matrix (a MatMul's right-hand side, whose
     * columns are the output channels): scales [rows / block, cols], row-major.
     */
    static Quantized quantizeBlocks(float[] a, int rows, int cols, int block) {
        int blocks = rows / block;
        float[] scales = new float[blocks * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int s = (r / block) * cols + c;
                scales[s] = Math.max(scales[s], Math.abs(a[r * cols + c]));
            }
        }
        for (int i = 0; i < scales.length; i++) {
            scales[i] = scales[i] > 0 ? scales[i] / 127f : 1f;
        }
        byte[] q = new byte[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float scale = scales[(r / block) * cols + c];
                q[r * cols + c] = (byte) Math.max(-127, Math.min(127, Math.round(a[r * cols + c] / scale)));
            }
        }
        return new Quantized(q, scales);
    }

    /** An initialized parameter's values, row-major, after checking its shape and that they are finite. */
    private static float[] values(Parameter parameter, String what, long... shape) {
        if (!parameter.isInitialized()) {
            throw new IllegalArgumentException(what + " (" + parameter.getName() + ") is not initialized");
        }
        long[] actual = parameter.getArray().getShape().getShape();
        if (!Arrays.equals(actual, shape)) {
            throw new IllegalArgumentException(what + " (" + parameter.getName() + ") has shape "
                    + Arrays.toString(actual) + ", expected " + Arrays.toString(shape));
        }
        float[] values = parameter.getArray().toFloatArray();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " (" + parameter.getName() + ") holds " + values[i]
                        + " at flat index " + i + ": the weights must be finite (did training diverge?)");
            }
        }
        return values;
    }
}
