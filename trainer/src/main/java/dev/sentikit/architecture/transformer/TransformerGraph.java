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
 * <p>With {@link Quantization#INT8} the graph computes in int8: each weight matrix is stored as int8 with one float
 * scale per output column, and each product quantizes its input per token (per row, so that a text's result does not
 * depend on its batch) and multiplies in integer arithmetic ({@link Linear#int8Product}); the products of
 * {@link Int8Layout#float32()} stay float32. The bias of the query/key/value product moves where it costs nothing
 * (the key's cancels in the softmax, the value's joins the output projection's bias), and the other biases are added
 * outside the integer product. The word embedding is int8 with one scale per row; its rows are gathered as int8 and
 * multiplied by their gathered scales. Norms, the position embedding, attention and the classifier stay float32.
 *
 * <p>With {@link Quantization#INT8_WEIGHTS} only the storage is int8: every weight matrix has a float scale per block
 * of {@link #BLOCK} rows of each column, {@code w ≈ scale · q}, {@code q = round(w / scale)} in [-127, 127],
 * {@code scale = max|w| / 127}, and is restored by constant nodes that ONNX Runtime folds into a float matrix when it
 * loads the file, so inference runs at float32 speed. Either way the file holds about a quarter of the bytes.
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

    /**
     * The smallest per-token range {@code amax} of an int8 product's input: a row of zeros (which LayerNorm outputs
     * never are) then quantizes to zeros instead of dividing by zero. Far below any real activation range.
     */
    static final float AMAX_FLOOR = 1e-12f;

    private TransformerGraph() {}

    /**
     * The model of {@code block}, whose parameters must be initialized and finite.
     *
     * @throws IllegalArgumentException when a parameter is not initialized, has another shape or is not finite
     */
    public static OnnxMl.ModelProto build(TransformerBlock block, Map<String, String> metadataProps,
            String producerVersion, Quantization quantization) {
        return build(block, metadataProps, producerVersion, quantization, Int8Layout.DEFAULT);
    }

    /**
     * The model of {@code block}, with the products of {@code layout} kept in float32 when {@code quantization} is
     * {@link Quantization#INT8} (the benchmarks compare layouts; export uses {@link Int8Layout#DEFAULT}).
     *
     * @throws IllegalArgumentException when a parameter is not initialized, has another shape or is not finite
     */
    public static OnnxMl.ModelProto build(TransformerBlock block, Map<String, String> metadataProps,
            String producerVersion, Quantization quantization, Int8Layout layout) {
        TransformerShape s = block.shape();
        int h = s.hidden();
        int f = s.intermediate();
        long rows = block.embedding().getArray().getShape().get(0);
        int labels = block.labels();
        boolean int8 = quantization != Quantization.NONE; // the word embedding is int8 in both int8 modes
        OnnxGraphBuilder g = new OnnxGraphBuilder(GRAPH_NAME);
        Linear linear = new Linear(g, quantization, layout);
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
        // ONNX Runtime's shape inference loses the sequence axis at the position embedding's Slice; declared here, it
        // reaches every layer, and the residual Adds with their LayerNorms fuse into SkipLayerNormalization.
        g.shape(x, FLOAT, "batch", "sequence", h);
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
            float[] qkvWeight = values(layer.qkvWeight(), p + "qkv (weights)", 3L * h, h);
            float[] qkvBias = values(layer.qkvBias(), p + "qkv (biases)", 3L * h);
            float[] outWeight = values(layer.attentionOutWeight(), p + "attention_output (weights)", h, h);
            float[] outBias = values(layer.attentionOutBias(), p + "attention_output (biases)", h);
            String qBias = null;
            String qkv;
            if (linear.int8(Product.QKV)) {
                // An int8 product's bias is one more pass over its output (see Linear), so the QKV bias goes where it
                // costs nothing or less. Key: q · (k + b_k) adds q · b_k to all the scores of a query, which the
                // softmax cancels. Value: each row of attention weights sums to 1 (every text has unmasked tokens),
                // so Σ p (v + b_v) = Σ p v + b_v, which the output projection turns into W_o b_v added to its bias.
                // Query: added to q alone, a third of the product.
                float[] bv = Arrays.copyOfRange(qkvBias, 2 * h, 3 * h);
                outBias = outBias.clone();
                for (int o = 0; o < h; o++) {
                    double sum = outBias[o];
                    for (int i = 0; i < h; i++) {
                        sum += (double) outWeight[o * h + i] * bv[i];
                    }
                    outBias[o] = (float) sum;
                }
                qBias = g.floats(p + "q_bias", Arrays.copyOf(qkvBias, h), s.heads(), 1, s.headSize());
                qkv = linear.apply(Product.QKV, p + "qkv", x, qkvWeight, null, 3 * h, h, null);
            } else {
                qkv = linear.apply(Product.QKV, p + "qkv", x, qkvWeight, qkvBias, 3 * h, h, null);
            }
            String split = g.node("Transpose", p + "qkv_heads", Map.of("perm", new int[] {2, 0, 3, 1, 4}),
                    g.node("Reshape", p + "qkv_5d", qkv, qkvShape)); // [3, B, heads, T, d]
            String q = g.node("Gather", p + "q", Map.of("axis", 0), split, index[0]);
            if (qBias != null) {
                q = g.node("Add", p + "q_biased", q, qBias);
            }
            q = g.node("Mul", p + "q_scaled", q, scaleName);
            String k = g.node("Gather", p + "k", Map.of("axis", 0), split, index[1]);
            String v = g.node("Gather", p + "v", Map.of("axis", 0), split, index[2]);
            String scores = g.node("Add", p + "scores_masked", g.node("MatMul", p + "scores", q,
                    g.node("Transpose", p + "k_t", Map.of("perm", new int[] {0, 1, 3, 2}), k)), maskBias);
            String probabilities = g.node("Softmax", p + "attention", Map.of("axis", -1), scores);
            String context = g.node("Reshape", p + "context", g.node("Transpose", p + "context_bthd",
                    Map.of("perm", new int[] {0, 2, 1, 3}), g.node("MatMul", p + "context_heads", probabilities, v)),
                    contextShape);
            String residual = linear.apply(Product.ATTENTION_OUTPUT, p + "attention_output", context, outWeight,
                    outBias, h, h, x);
            x = layerNorm(g, p + "attention_norm", residual, layer.attentionGamma(), layer.attentionBeta(), h, eps,
                    two);
            String inner = linear.apply(Product.INTERMEDIATE, p + "intermediate", x,
                    values(layer.intermediateWeight(), p + "intermediate (weights)", f, h),
                    values(layer.intermediateBias(), p + "intermediate (biases)", f), f, h, null);
            String gelu = g.node("Mul", p + "gelu", g.node("Mul", p + "gelu_x", inner, g.node("Add", p + "gelu_1p",
                    g.node("Erf", p + "gelu_erf", g.node("Div", p + "gelu_div", inner, sqrt2)), one)), half);
            residual = linear.apply(Product.OUTPUT, p + "output", gelu,
                    values(layer.outputWeight(), p + "output (weights)", h, f),
                    values(layer.outputBias(), p + "output (biases)", h), h, f, x);
            x = layerNorm(g, p + "output_norm", residual, layer.outputGamma(), layer.outputBeta(), h, eps, two);
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
                + linear.describe(), metadataProps,
                producerVersion);
    }

    /** The weight products of a layer, which {@link Int8Layout} names. */
    public enum Product {
        /** Query, key and value: one [hidden, 3·hidden] product of the layer's input. */
        QKV,
        /** The attention's output projection, [hidden, hidden]. */
        ATTENTION_OUTPUT,
        /** The feed-forward's first product, [hidden, intermediate], before the GELU. */
        INTERMEDIATE,
        /** The feed-forward's second product, [intermediate, hidden], of the GELU's output. */
        OUTPUT
    }

    /**
     * Which weight products of an int8 graph stay float32 (stored as float32, so that nothing is restored when the
     * file loads), and the range of the int8 weights.
     *
     * @param float32 the products of every layer computed in float32
     * @param weightLevels the int8 weights are the integers in [-weightLevels, weightLevels], 1 to 127
     */
    public record Int8Layout(java.util.Set<Product> float32, int weightLevels) {

        /**
         * Every product in int8, weights in [-64, 64] ({@link #SAFE_WEIGHT_LEVELS}): chosen by measurement on the
         * zoo models' validation texts (docs/benchmarks.md, int8 against float32).
         */
        public static final Int8Layout DEFAULT = new Int8Layout(java.util.Set.of(), Int8Layout.SAFE_WEIGHT_LEVELS);

        /**
         * The widest weight range whose products cannot overflow on x86 CPUs without VNNI: there MLAS multiplies
         * uint8 activations by int8 weights with {@code vpmaddubsw}, which adds two products into a saturating int16,
         * and 2 · 255 · 64 = 32,640 fits where 2 · 255 · 127 does not. ONNX Runtime's own guard
         * (Avx2WeightS8ToU8Transformer) leaves weights in this range alone for the same reason. With VNNI
         * ({@code vpdpbusd}, int32 sums) and in WebAssembly any range is exact; this one costs a bit of precision
         * everywhere so that the file gives the same results on every CPU.
         */
        public static final int SAFE_WEIGHT_LEVELS = 64;

        public Int8Layout {
            float32 = float32.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(java.util.EnumSet.copyOf(float32));
            if (weightLevels < 1 || weightLevels > 127) {
                throw new IllegalArgumentException("weightLevels must be 1 to 127, got " + weightLevels);
            }
        }

        /**
         * A layout written as the products kept in float32, comma-separated, then optionally {@code /w} and the
         * weight levels: {@code ""}, {@code "output"}, {@code "qkv,output/w127"}.
         */
        public static Int8Layout parse(String spec) {
            int levels = SAFE_WEIGHT_LEVELS;
            int slash = spec.indexOf("/w");
            if (slash >= 0) {
                levels = Integer.parseInt(spec.substring(slash + 2));
                spec = spec.substring(0, slash);
            }
            java.util.Set<Product> kept = java.util.EnumSet.noneOf(Product.class);
            for (String part : spec.split(",")) {
                String p = part.trim();
                if (!p.isEmpty() && !p.equals("none")) {
                    kept.add(Product.valueOf(p.toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
                }
            }
            return new Int8Layout(kept, levels);
        }
    }

    /** Writes {@code x · Wᵀ + b} for a DJL Linear weight [out, in], in the graph's arithmetic. */
    private static final class Linear {
        private final OnnxGraphBuilder g;
        private final Quantization quantization;
        private final Int8Layout layout;
        /** Constants of the int8 products, made on first use. */
        private String levels;
        private String epsilon;
        private String zeroPoint;
        private String one;

        Linear(OnnxGraphBuilder g, Quantization quantization, Int8Layout layout) {
            this.g = g;
            this.quantization = quantization;
            this.layout = layout;
        }

        /** Whether {@code product} is computed in int8. */
        boolean int8(Product product) {
            return quantization == Quantization.INT8 && !layout.float32().contains(product);
        }

        /**
         * {@code x · Wᵀ + b} for a DJL Linear weight {@code w} [out, in], plus {@code residual} when it is not null
         * (the layer's skip connection, added here so that an int8 product's bias costs one pass, not two).
         *
         * @param bias the bias [out], or null for none
         */
        String apply(Product product, String name, String x, float[] w, float[] bias, int out, int in,
                String residual) {
            float[] wt = BertWeights.transpose(w, out, in); // [in, out]
            if (int8(product)) {
                String y = int8Product(name, x, wt, in, out);
                if (residual != null) {
                    // Add(y, Add(x, b)): the bias joins the skip connection, never the product (see below), in the
                    // form ONNX Runtime fuses with the LayerNorm that follows into one SkipLayerNormalization when
                    // the shapes are known.
                    return g.node("Add", name + "_residual", y, bias == null ? residual
                            : g.node("Add", name + "_skip", residual, g.floats(name + "_bias", bias, out)));
                }
                // y - (-b): not Add(y, b), which ONNX Runtime 1.23 would fuse into MatMulIntegerToFloat's bias, where
                // its kernel adds the bias before it applies the per-token scale, scaling the bias too.
                return bias == null ? y : g.node("Sub", name, y, g.floats(name + "_bias_negated", negate(bias), out));
            }
            String matrix = quantization == Quantization.INT8_WEIGHTS ? dequantized(g, name + "_weight", wt, in, out)
                    : g.floats(name + "_weight", wt, in, out);
            String y = g.node("MatMul", name + "_product", x, matrix);
            if (bias != null) {
                y = g.node("Add", name, y, g.floats(name + "_bias", bias, out));
            }
            return residual == null ? y : g.node("Add", name + "_residual", residual, y);
        }

        /**
         * The product in integer arithmetic, each token (row) of {@code x} quantized on its own:
         *
         * <pre>
         * amax  = Max(ReduceMax(Abs(x), axis -1), ε)                            [.., 1]: one per token
         * xq    = QuantizeLinear(x · (127 / amax), 1, 128)                      uint8: round(127 x / amax) + 128
         * y     = Cast(MatMulInteger(xq, Wq, 128), float) · ((amax / 127) · scale_W)
         * </pre>
         *
         * {@code Wq} is int8 [in, out] in [-{@link Int8Layout#weightLevels}, +levels] with one float scale per output
         * column. ONNX Runtime's CPU provider fuses the last line into its {@code MatMulIntegerToFloat} kernel
         * (MatMulIntegerToFloatFusion): MLAS multiplies uint8 by int8 (VNNI's {@code vpdpbusd} where the CPU has it),
         * applies the column scales as it writes the int32 sums out as floats, and the per-token scale in one pass
         * after. The bias stays outside (see {@link #apply}). uint8 activations with zero point 128 are what MLAS's
         * fast kernels take; signed int8 activations (s8s8) ran about ten times slower. Every scale belongs to one
         * token of one text, so padding and the other texts of a batch change nothing: a text's result is the same
         * alone and in any batch.
         */
        private String int8Product(String name, String x, float[] wt, int in, int out) {
            constants();
            Quantized q = quantizeBlocks(wt, in, out, in, layout.weightLevels()); // one block: a scale per column
            String amax = g.node("Max", name + "_amax", g.node("ReduceMax", name + "_absmax",
                    Map.of("axes", new int[] {-1}, "keepdims", 1), g.node("Abs", name + "_abs", x)), epsilon);
            String xq = g.node("QuantizeLinear", name + "_input_uint8", g.node("Mul", name + "_input_scaled", x,
                    g.node("Div", name + "_input_scale_inverse", levels, amax)), one, zeroPoint);
            String product = g.node("MatMulInteger", name + "_int32", xq, g.int8(name + "_weight_int8", q.values, in,
                    out), zeroPoint);
            String scale = g.node("Mul", name + "_scale", g.node("Div", name + "_input_scale", amax, levels),
                    g.floats(name + "_weight_scale", q.scales, out));
            return g.node("Mul", name + "_product", g.node("Cast", name + "_int32_as_float",
                    Map.of("to", FLOAT.getNumber()), product), scale);
        }

        private void constants() {
            if (levels == null) {
                levels = g.scalar("int8_levels", 127f);
                epsilon = g.scalar("int8_amax_floor", AMAX_FLOOR);
                zeroPoint = g.uint8("uint8_zero_point", new byte[] {(byte) 128});
                one = g.scalar("int8_unit_scale", 1f);
            }
        }

        String describe() {
            return switch (quantization) {
                case NONE -> "";
                case INT8_WEIGHTS -> "; int8 weights with a float scale per block of " + BLOCK + " rows of each "
                        + "column, restored to float32 when the file loads";
                case INT8 -> "; int8 compute: int8 weights with a float scale per column, activations quantized per "
                        + "token to uint8" + (layout.float32().isEmpty() ? "" : " (float32: " + layout.float32()
                                + ")");
            };
        }
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

    private static float[] negate(float[] a) {
        float[] n = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            n[i] = -a[i];
        }
        return n;
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
        return quantizeBlocks(a, rows, cols, block, 127);
    }

    /** As {@link #quantizeBlocks(float[], int, int, int)}, to the integers in [-levels, levels]. */
    static Quantized quantizeBlocks(float[] a, int rows, int cols, int block, int levels) {
        int blocks = rows / block;
        float[] scales = new float[blocks * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int s = (r / block) * cols + c;
                scales[s] = Math.max(scales[s], Math.abs(a[r * cols + c]));
            }
        }
        for (int i = 0; i < scales.length; i++) {
            scales[i] = scales[i] > 0 ? scales[i] / levels : 1f;
        }
        byte[] q = new byte[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float scale = scales[(r / block) * cols + c];
                q[r * cols + c] = (byte) Math.max(-levels, Math.min(levels, Math.round(a[r * cols + c] / scale)));
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
