package dev.sentikit.onnx;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Vocabulary;
import dev.sentikit.text.WordPieceSpec;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds a tiny BERT-layout Sentikit model in code, with seeded random weights, and computes its outputs in plain
 * Java from the same weights. The graph mirrors the trainer's
 * {@code dev.sentikit.architecture.transformer.TransformerGraph} (float weights), which this module cannot depend
 * on: the same operators at opset 13, in the same arrangement. The encoder is {@code sentikit-wordpiece-v1} with
 * BERT's settings over a vocabulary of a few dozen entries.
 */
final class TransformerModels {

    /** The fixture vocabulary (ids 1..): BERT's special tokens, a few words, some continuation pieces. [PAD] is id 0. */
    static final List<String> ENTRIES = List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a", "movie", "film",
            "was", "is", "it", "i", "good", "great", "bad", "terrible", "not", "boring", "fun", "love", "hate", "act",
            "##ing", "##or", "##s", "##ly", "##ed", "un", "##believ", "##able", "wonder", "##ful", "plot", "very",
            ".", ",", "!", "?");

    static final Vocabulary VOCABULARY = Vocabulary.of(ENTRIES);

    /** Ids per text, [CLS] and [SEP] included: short, so that a sentence is easily cut. */
    static final int MAX_TOKENS = 12;

    static final EncoderSpec SPEC = EncoderSpec.wordPiece(true, MAX_TOKENS, WordPieceSpec.bert(true));

    static final int LAYERS = 2;
    static final int HIDDEN = 32;
    static final int HEADS = 4;
    static final int HEAD_SIZE = HIDDEN / HEADS;
    static final int INTERMEDIATE = 64;
    static final int POSITIONS = 64;
    static final int TOKEN_TYPES = 2;

    /** BERT's LayerNorm epsilon. */
    static final float LAYER_NORM_EPS = 1e-12f;

    /** The additive attention mask of padding: the lowest float, as the trainer's {@code TransformerBlock.MASKED}. */
    static final float MASKED = -3.4028235e38f;

    static final List<String> LABELS = List.of("negative", "neutral", "positive");

    /** The name of the input that {@link Inputs#POSITION_IDS} adds, which Sentikit does not fill. */
    static final String POSITION_IDS = "position_ids";

    private static final OnnxMl.TensorProto.DataType FLOAT = OnnxMl.TensorProto.DataType.FLOAT;

    private TransformerModels() {}

    /** How the hidden states of a text become one vector (the trainer's {@code TransformerShape.Pooling}). */
    enum Pooling {
        /** The mean over the text's tokens, padding excluded. */
        MEAN,
        /** The state of the first token, [CLS]. */
        CLS
    }

    /** How the weight products compute. */
    enum Arithmetic {
        /** float32, as the trainer writes by default. */
        FLOAT,
        /**
         * int8, as the trainer's {@code --quantize int8} writes it: each token's activations quantized to uint8 with
         * its own scale (zero point 128), int8 weights in [-64, 64] with a scale per column, MatMulInteger.
         */
        INT8_PER_TOKEN,
        /**
         * int8 with one scale for the whole activation tensor (DynamicQuantizeLinear): fast, but a text's result
         * depends on the other texts and the padding of its batch, which Sentikit must refuse.
         */
        INT8_PER_TENSOR
    }

    /** The inputs a graph declares. */
    enum Inputs {
        /** {@code input_ids} and {@code attention_mask}: what the trainer writes; token type 0 is a constant. */
        IDS_AND_MASK,
        /** Also {@code token_type_ids}, from which the token-type embedding is gathered (as Hugging Face exports). */
        WITH_TOKEN_TYPES,
        /** Also {@code position_ids}, from which the position embedding is gathered: an input Sentikit cannot fill. */
        WITH_POSITION_IDS
    }

    /** The fixture's encoder. */
    static TextEncoder encoder() {
        return TextEncoder.of(SPEC, VOCABULARY);
    }

    /** A card for {@code vocabulary} and the fixture's encoder. */
    static ModelCard card(Vocabulary vocabulary) {
        return new ModelCard(ModelFormat.FORMAT_VERSION, "tiny-transformer",
                "A tiny BERT-layout model built by TransformerModels.", "transformer", LABELS, SPEC,
                vocabulary.size(), 1L + vocabulary.size(), null, Map.of(), List.of("random weights"));
    }

    /** Real metadata for the fixture vocabulary, as the exporter writes it. */
    static Map<String, String> props() {
        return ModelFormat.toMetadataProps(card(VOCABULARY), VOCABULARY);
    }

    /** One encoder layer's parameters; matrices are [out, in], row-major, as DJL's Linear keeps them. */
    static final class Layer {
        final float[] qkvWeight = new float[3 * HIDDEN * HIDDEN];
        final float[] qkvBias = new float[3 * HIDDEN];
        final float[] attentionOutWeight = new float[HIDDEN * HIDDEN];
        final float[] attentionOutBias = new float[HIDDEN];
        final float[] attentionGamma = new float[HIDDEN];
        final float[] attentionBeta = new float[HIDDEN];
        final float[] intermediateWeight = new float[INTERMEDIATE * HIDDEN];
        final float[] intermediateBias = new float[INTERMEDIATE];
        final float[] outputWeight = new float[HIDDEN * INTERMEDIATE];
        final float[] outputBias = new float[HIDDEN];
        final float[] outputGamma = new float[HIDDEN];
        final float[] outputBeta = new float[HIDDEN];
    }

    /** The parameters of a model and the plain-Java reference computation of its outputs. */
    static final class Weights {
        final int rows;
        final Pooling pooling;
        final float[] word;
        final float[] position = new float[POSITIONS * HIDDEN];
        final float[] tokenType = new float[TOKEN_TYPES * HIDDEN];
        final float[] embeddingGamma = new float[HIDDEN];
        final float[] embeddingBeta = new float[HIDDEN];
        final Layer[] layers = new Layer[LAYERS];
        final float[] weight = new float[LABELS.size() * HIDDEN];
        final float[] bias = new float[LABELS.size()];

        private Weights(int rows, Pooling pooling) {
            this.rows = rows;
            this.pooling = pooling;
            this.word = new float[rows * HIDDEN];
        }

        /**
         * Weights drawn from a seeded normal distribution: large enough that texts get clearly different
         * probabilities, small enough that no softmax saturates. Token type 1 differs from token type 0 as much as
         * two words do, so that feeding anything but 0 would show.
         */
        static Weights random(long seed, int rows, Pooling pooling) {
            Random r = new Random(seed);
            Weights w = new Weights(rows, pooling);
            fill(r, w.word, 0, 1.0);
            fill(r, w.position, 0, 0.5);
            fill(r, w.tokenType, 0, 1.0);
            fill(r, w.embeddingGamma, 1, 0.1);
            fill(r, w.embeddingBeta, 0, 0.1);
            for (int l = 0; l < LAYERS; l++) {
                Layer layer = new Layer();
                fill(r, layer.qkvWeight, 0, 0.25);
                fill(r, layer.qkvBias, 0, 0.1);
                fill(r, layer.attentionOutWeight, 0, 0.2);
                fill(r, layer.attentionOutBias, 0, 0.1);
                fill(r, layer.attentionGamma, 1, 0.1);
                fill(r, layer.attentionBeta, 0, 0.1);
                fill(r, layer.intermediateWeight, 0, 0.2);
                fill(r, layer.intermediateBias, 0, 0.1);
                fill(r, layer.outputWeight, 0, 0.15);
                fill(r, layer.outputBias, 0, 0.1);
                fill(r, layer.outputGamma, 1, 0.1);
                fill(r, layer.outputBeta, 0, 0.1);
                w.layers[l] = layer;
            }
            fill(r, w.weight, 0, 0.5);
            fill(r, w.bias, 0, 0.3);
            return w;
        }

        private static void fill(Random r, float[] a, double mean, double std) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (mean + std * r.nextGaussian());
            }
        }

        /** The probabilities of one text's ids (no padding), with token type 0 everywhere. */
        double[] probabilities(int[] ids) {
            return probabilities(ids, 0);
        }

        /** The probabilities of one text's ids (no padding), every token of type {@code type}. */
        double[] probabilities(int[] ids, int type) {
            int t = ids.length;
            double[][] x = new double[t][HIDDEN];
            for (int i = 0; i < t; i++) {
                for (int c = 0; c < HIDDEN; c++) {
                    x[i][c] = (double) word[ids[i] * HIDDEN + c] + position[i * HIDDEN + c]
                            + tokenType[type * HIDDEN + c];
                }
            }
            x = layerNorm(x, embeddingGamma, embeddingBeta);
            double scale = 1.0 / Math.sqrt(HEAD_SIZE);
            for (Layer layer : layers) {
                double[][] qkv = linear(x, layer.qkvWeight, layer.qkvBias, 3 * HIDDEN, HIDDEN);
                double[][] context = new double[t][HIDDEN];
                for (int head = 0; head < HEADS; head++) {
                    int q = head * HEAD_SIZE;
                    int k = HIDDEN + head * HEAD_SIZE;
                    int v = 2 * HIDDEN + head * HEAD_SIZE;
                    for (int i = 0; i < t; i++) {
                        double[] scores = new double[t];
                        for (int j = 0; j < t; j++) {
                            for (int d = 0; d < HEAD_SIZE; d++) {
                                scores[j] += qkv[i][q + d] * scale * qkv[j][k + d];
                            }
                        }
                        double[] p = softmax(scores);
                        for (int j = 0; j < t; j++) {
                            for (int d = 0; d < HEAD_SIZE; d++) {
                                context[i][q + d] += p[j] * qkv[j][v + d];
                            }
                        }
                    }
                }
                double[][] attended = linear(context, layer.attentionOutWeight, layer.attentionOutBias, HIDDEN,
                        HIDDEN);
                x = layerNorm(add(x, attended), layer.attentionGamma, layer.attentionBeta);
                double[][] inner = linear(x, layer.intermediateWeight, layer.intermediateBias, INTERMEDIATE, HIDDEN);
                for (double[] row : inner) {
                    for (int c = 0; c < row.length; c++) {
                        row[c] = gelu(row[c]);
                    }
                }
                double[][] out = linear(inner, layer.outputWeight, layer.outputBias, HIDDEN, INTERMEDIATE);
                x = layerNorm(add(x, out), layer.outputGamma, layer.outputBeta);
            }
            double[] pooled = new double[HIDDEN];
            if (pooling == Pooling.CLS) {
                pooled = x[0].clone();
            } else {
                for (double[] row : x) {
                    for (int c = 0; c < HIDDEN; c++) {
                        pooled[c] += row[c] / t;
                    }
                }
            }
            double[] logits = new double[LABELS.size()];
            for (int l = 0; l < logits.length; l++) {
                logits[l] = bias[l];
                for (int c = 0; c < HIDDEN; c++) {
                    logits[l] += weight[l * HIDDEN + c] * pooled[c];
                }
            }
            return softmax(logits);
        }

        /** {@code x · Wᵀ + b} for W [out, in]. */
        private static double[][] linear(double[][] x, float[] w, float[] b, int out, int in) {
            double[][] y = new double[x.length][out];
            for (int i = 0; i < x.length; i++) {
                for (int o = 0; o < out; o++) {
                    double s = b[o];
                    for (int c = 0; c < in; c++) {
                        s += x[i][c] * w[o * in + c];
                    }
                    y[i][o] = s;
                }
            }
            return y;
        }

        private static double[][] add(double[][] a, double[][] b) {
            double[][] y = new double[a.length][];
            for (int i = 0; i < a.length; i++) {
                y[i] = new double[a[i].length];
                for (int c = 0; c < a[i].length; c++) {
                    y[i][c] = a[i][c] + b[i][c];
                }
            }
            return y;
        }

        /** Over the last axis: (x - mean) / sqrt(variance + eps) · γ + β, the variance with 1/n. */
        private static double[][] layerNorm(double[][] x, float[] gamma, float[] beta) {
            double[][] y = new double[x.length][HIDDEN];
            for (int i = 0; i < x.length; i++) {
                double mean = 0;
                for (double v : x[i]) {
                    mean += v / HIDDEN;
                }
                double variance = 0;
                for (double v : x[i]) {
                    variance += (v - mean) * (v - mean) / HIDDEN;
                }
                double std = Math.sqrt(variance + LAYER_NORM_EPS);
                for (int c = 0; c < HIDDEN; c++) {
                    y[i][c] = (x[i][c] - mean) / std * gamma[c] + beta[c];
                }
            }
            return y;
        }
    }

    /** GELU as the graph writes it: y · 0.5 · (1 + erf(y / √2)). */
    static double gelu(double y) {
        return y * 0.5 * (1 + erf(y / Math.sqrt(2)));
    }

    /**
     * The error function to double precision: erf(x) = 2/√π · exp(-x²) · Σ 2ⁿ x²ⁿ⁺¹ / (1·3·…·(2n+1)), a series of
     * positive terms (no cancellation) that converges for every x; beyond |x| = 6, erf is ±1 to within 3e-17.
     */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a > 6) {
            return Math.signum(x);
        }
        double term = a;
        double sum = a;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum, x);
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The fixture model with random weights, serialized. */
    static byte[] model(Weights w, Inputs inputs) {
        return model(w, inputs, props());
    }

    /**
     * The transformer graph over {@code w} with these inputs and metadata, serialized: the arrangement of the
     * trainer's {@code TransformerGraph.build} with float weights (see its javadoc for the formulas).
     */
    static byte[] model(Weights w, Inputs inputs, Map<String, String> props) {
        return model(w, inputs, props, Arithmetic.FLOAT);
    }

    /** The transformer graph over {@code w}, its weight products computed in {@code arithmetic}. */
    static byte[] model(Weights w, Inputs inputs, Map<String, String> props, Arithmetic arithmetic) {
        int h = HIDDEN;
        int labels = LABELS.size();
        GraphBuilder g = new GraphBuilder("sentikit-transformer");
        String ids = g.idsInput(ModelFormat.INPUT_IDS);
        String attention = g.idsInput(ModelFormat.INPUT_ATTENTION_MASK);
        String tokenTypeIds = inputs == Inputs.WITH_TOKEN_TYPES ? g.idsInput(ModelFormat.INPUT_TOKEN_TYPE_IDS) : null;
        String positionIds = inputs == Inputs.WITH_POSITION_IDS ? g.idsInput(POSITION_IDS) : null;
        g.floatOutput(ModelFormat.OUTPUT_LOGITS, labels);
        g.floatOutput(ModelFormat.OUTPUT_PROBABILITIES, labels);

        String one = g.scalar("one", 1f);
        String maskF = g.node("Cast", "mask_float", Map.of("to", FLOAT.getNumber()), attention); // [B, T]
        String inverted = g.node("Sub", "mask_inverted", one, maskF);
        String bias2 = g.node("Mul", "mask_bias_bt", inverted, g.scalar("masked", MASKED));
        String maskBias = g.node("Unsqueeze", "mask_bias", bias2, g.longs("axes_1_2", new long[] {1, 2}, 2));

        // embeddings
        String word = g.node("Gather", "word", Map.of("axis", 0), g.floats("word_embedding", w.word, w.rows, h), ids);
        String positionTable = g.floats("position_embedding", w.position, POSITIONS, h);
        String position;
        if (positionIds != null) {
            position = g.node("Gather", "position", Map.of("axis", 0), positionTable, positionIds);
        } else {
            String shape = g.node("Shape", "ids_shape", ids);
            String length = g.node("Slice", "sequence_length", shape, g.longs("one_index", new long[] {1}, 1),
                    g.longs("two_index", new long[] {2}, 1), g.longs("axis_0", new long[] {0}, 1));
            position = g.node("Slice", "position", positionTable, g.longs("zero_index", new long[] {0}, 1), length,
                    "axis_0");
        }
        String tokenType;
        if (tokenTypeIds != null) {
            tokenType = g.node("Gather", "token_type", Map.of("axis", 0),
                    g.floats("token_type_embedding", w.tokenType, TOKEN_TYPES, h), tokenTypeIds);
        } else {
            tokenType = g.floats("token_type_embedding", java.util.Arrays.copyOf(w.tokenType, h), h);
        }
        String x = g.node("Add", "embedded", g.node("Add", "word_position", word, position), tokenType);
        String eps = g.scalar("layer_norm_eps", LAYER_NORM_EPS);
        String two = g.scalar("two", 2f);
        x = layerNorm(g, "embedding_norm", x, w.embeddingGamma, w.embeddingBeta, eps, two);

        String qkvShape = g.longs("qkv_shape", new long[] {0, 0, 3, HEADS, HEAD_SIZE}, 5);
        String contextShape = g.longs("context_shape", new long[] {0, 0, h}, 3);
        String scale = g.scalar("attention_scale", (float) (1.0 / Math.sqrt(HEAD_SIZE)));
        String sqrt2 = g.scalar("sqrt_2", (float) Math.sqrt(2.0));
        String half = g.scalar("half", 0.5f);
        String[] index = {g.scalar("index_0", 0L), g.scalar("index_1", 1L), g.scalar("index_2", 2L)};
        for (int l = 0; l < LAYERS; l++) {
            Layer layer = w.layers[l];
            String p = "layer" + l + "_";
            String qkv = linear(g, arithmetic, p + "qkv", x, layer.qkvWeight, layer.qkvBias, 3 * h, h);
            String split = g.node("Transpose", p + "qkv_heads", Map.of("perm", new int[] {2, 0, 3, 1, 4}),
                    g.node("Reshape", p + "qkv_5d", qkv, qkvShape)); // [3, B, heads, T, d]
            String q = g.node("Mul", p + "q_scaled", g.node("Gather", p + "q", Map.of("axis", 0), split, index[0]),
                    scale);
            String k = g.node("Gather", p + "k", Map.of("axis", 0), split, index[1]);
            String v = g.node("Gather", p + "v", Map.of("axis", 0), split, index[2]);
            String scores = g.node("Add", p + "scores_masked", g.node("MatMul", p + "scores", q,
                    g.node("Transpose", p + "k_t", Map.of("perm", new int[] {0, 1, 3, 2}), k)), maskBias);
            String attentionProbabilities = g.node("Softmax", p + "attention", Map.of("axis", -1), scores);
            String context = g.node("Reshape", p + "context", g.node("Transpose", p + "context_bthd",
                    Map.of("perm", new int[] {0, 2, 1, 3}), g.node("MatMul", p + "context_heads",
                            attentionProbabilities, v)), contextShape);
            String attended = linear(g, arithmetic, p + "attention_output", context, layer.attentionOutWeight,
                    layer.attentionOutBias, h, h);
            x = layerNorm(g, p + "attention_norm", g.node("Add", p + "attention_residual", x, attended),
                    layer.attentionGamma, layer.attentionBeta, eps, two);
            String inner = linear(g, arithmetic, p + "intermediate", x, layer.intermediateWeight, layer.intermediateBias,
                    INTERMEDIATE, h);
            String gelu = g.node("Mul", p + "gelu", g.node("Mul", p + "gelu_x", inner, g.node("Add", p + "gelu_1p",
                    g.node("Erf", p + "gelu_erf", g.node("Div", p + "gelu_div", inner, sqrt2)), one)), half);
            String out = linear(g, arithmetic, p + "output", gelu, layer.outputWeight, layer.outputBias, h,
                    INTERMEDIATE);
            x = layerNorm(g, p + "output_norm", g.node("Add", p + "output_residual", x, out), layer.outputGamma,
                    layer.outputBeta, eps, two);
        }

        String pooled;
        if (w.pooling == Pooling.CLS) {
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
                g.floats("weight", w.weight, labels, h), g.floats("bias", w.bias, labels));
        g.node("Softmax", ModelFormat.OUTPUT_PROBABILITIES, Map.of("axis", -1), logits);
        return g.model(props);
    }

    /** {@code x · Wᵀ + b} for W [out, in]: a MatMul with Wᵀ [in, out] in {@code arithmetic}, as the trainer writes it. */
    private static String linear(GraphBuilder g, Arithmetic arithmetic, String name, String x, float[] weight,
            float[] bias, int out, int in) {
        float[] transposed = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                transposed[i * out + o] = weight[o * in + i];
            }
        }
        if (arithmetic == Arithmetic.FLOAT) {
            return g.node("Add", name, g.node("MatMul", name + "_product", x, g.floats(name + "_weight", transposed,
                    in, out)), g.floats(name + "_bias", bias, out));
        }
        // int8 weights in [-64, 64], a scale per column
        float[] scale = new float[out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                scale[o] = Math.max(scale[o], Math.abs(transposed[i * out + o]));
            }
        }
        for (int o = 0; o < out; o++) {
            scale[o] = scale[o] > 0 ? scale[o] / 64 : 1;
        }
        byte[] q = new byte[in * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                q[i * out + o] = (byte) Math.round(transposed[i * out + o] / scale[o]);
            }
        }
        String weights = g.int8(name + "_weight_int8", q, in, out);
        String columnScale = g.floats(name + "_weight_scale", scale, out);
        String negatedBias = g.floats(name + "_bias_negated", negate(bias), out);
        if (arithmetic == Arithmetic.INT8_PER_TENSOR) {
            String[] quantized = g.nodes("DynamicQuantizeLinear", new String[] {name + "_xq", name + "_xs",
                    name + "_xz"}, x);
            String product = g.node("MatMulInteger", name + "_int32", quantized[0], weights, quantized[2]);
            return g.node("Sub", name, g.node("Mul", name + "_scaled", g.node("Cast", name + "_float",
                    Map.of("to", FLOAT.getNumber()), product), g.node("Mul", name + "_scale", quantized[1],
                    columnScale)), negatedBias);
        }
        String levels = g.scalar(name + "_levels", 127f);
        String amax = g.node("Max", name + "_amax", g.node("ReduceMax", name + "_absmax",
                Map.of("axes", new int[] {-1}, "keepdims", 1), g.node("Abs", name + "_abs", x)),
                g.scalar(name + "_floor", 1e-12f));
        String zeroPoint = g.uint8(name + "_zero_point", new byte[] {(byte) 128});
        String xq = g.node("QuantizeLinear", name + "_xq", g.node("Mul", name + "_x_scaled", x,
                g.node("Div", name + "_inverse", levels, amax)), g.scalar(name + "_one", 1f), zeroPoint);
        String product = g.node("MatMulInteger", name + "_int32", xq, weights, zeroPoint);
        return g.node("Sub", name, g.node("Mul", name + "_scaled", g.node("Cast", name + "_float",
                Map.of("to", FLOAT.getNumber()), product), g.node("Mul", name + "_scale", g.node("Div",
                        name + "_token_scale", amax, levels), columnScale)), negatedBias);
    }

    private static float[] negate(float[] a) {
        float[] n = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            n[i] = -a[i];
        }
        return n;
    }

    /** LayerNorm written out: (y - mean) / Sqrt(mean((y - mean)²) + eps) · γ + β over the last axis. */
    private static String layerNorm(GraphBuilder g, String name, String x, float[] gamma, float[] beta, String eps,
            String two) {
        String mean = g.node("ReduceMean", name + "_mean", Map.of("axes", new int[] {-1}, "keepdims", 1), x);
        String centered = g.node("Sub", name + "_centered", x, mean);
        String variance = g.node("ReduceMean", name + "_variance", Map.of("axes", new int[] {-1}, "keepdims", 1),
                g.node("Pow", name + "_squared", centered, two));
        String std = g.node("Sqrt", name + "_std", g.node("Add", name + "_variance_eps", variance, eps));
        String normalized = g.node("Div", name + "_normalized", centered, std);
        return g.node("Add", name, g.node("Mul", name + "_scaled", normalized,
                g.floats(name + "_gamma", gamma, HIDDEN)), g.floats(name + "_beta", beta, HIDDEN));
    }
}
