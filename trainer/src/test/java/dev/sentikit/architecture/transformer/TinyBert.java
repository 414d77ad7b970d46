package dev.sentikit.architecture.transformer;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.WordPieceSpec;
import dev.sentikit.train.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny BERT-layout encoder with seeded random weights, written the way Hugging Face's exporter
 * ({@code torch.onnx.export} of {@code BertModel}, opset 11) lays one out, and a {@code tokenizer.json} for it: the
 * test stand-in for MiniLM and bge-small, whose jars are 83 to 133 MB.
 *
 * <p>The graph: inputs {@code input_ids}, {@code attention_mask}, {@code token_type_ids} (int64 [batch, sequence]),
 * output {@code last_hidden_state}; embeddings, biases and LayerNorm parameters as named initializers
 * ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.bias}, …); every weight
 * matrix as an anonymous {@code onnx::MatMul_NNN} initializer [in, out] multiplied by a {@code MatMul} whose output
 * goes into {@code Add(named bias, product)}; LayerNorm written out (ReduceMean, Sub, Pow, ReduceMean, Add eps, Sqrt,
 * Div, Mul, Add); GELU as {@code x · 0.5 · (1 + Erf(x / √2))}; the additive attention mask
 * {@code (1 − Cast(Unsqueeze(mask))) · −3.4e38}; scores {@code q · kᵀ} divided by √head_size; scalars as
 * {@code Constant} nodes; position ids sliced from an int64 {@code embeddings.position_ids} initializer.
 *
 * <p>{@link Spec} can also make it wrong on purpose (a tanh GELU, a tensor under another name), to test that such
 * files are refused.
 */
public final class TinyBert {

    /** The tokenizer's special tokens, at ids 0 to 4 as in BERT's vocab.txt (pad first). */
    public static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    /** Words of the fixture in the vocabulary: the most frequent ones. */
    static final int FIXTURE_WORDS = 300;

    /** Token types of BERT: two. */
    static final int TYPES = 2;

    /** The GELU the feed-forward layers apply. */
    public enum Gelu {
        /** BERT's exact GELU, {@code x · Φ(x)} through Erf: what Sentikit fine-tunes. */
        ERF,
        /** The tanh approximation ({@code gelu_new}), which Sentikit refuses. */
        TANH
    }

    /**
     * The encoder to write.
     *
     * @param renamed a Hugging Face name whose initializer is written under another name (so that it is missing), or
     *     null
     */
    public record Spec(int layers, int hidden, int heads, int intermediate, int positions, float eps, long seed,
            Gelu gelu, String renamed) {

        /** 2 layers, hidden 32, 4 heads, FFN 64, 64 positions, BERT's eps 1e-12, seed 11. */
        public static Spec standard() {
            return new Spec(2, 32, 4, 64, 64, 1e-12f, 11, Gelu.ERF, null);
        }

        public Spec withGelu(Gelu g) {
            return new Spec(layers, hidden, heads, intermediate, positions, eps, seed, g, renamed);
        }

        public Spec withRenamed(String name) {
            return new Spec(layers, hidden, heads, intermediate, positions, eps, seed, gelu, name);
        }

        public Spec withEps(float e) {
            return new Spec(layers, hidden, heads, intermediate, positions, e, seed, gelu, renamed);
        }

        public Spec withSeed(long s) {
            return new Spec(layers, hidden, heads, intermediate, positions, eps, s, gelu, renamed);
        }

        public int headSize() {
            return hidden / heads;
        }
    }

    /** The files {@link #write} wrote. */
    public record Written(Path onnx, Path tokenizer) {}

    private final Spec spec;
    private final List<String> vocabulary;
    /** Hugging Face names to values; Linear weights as PyTorch keeps them, [out, in]. */
    private final Map<String, float[]> weights = new LinkedHashMap<>();

    private TinyBert(Spec spec, List<String> vocabulary) {
        this.spec = spec;
        this.vocabulary = List.copyOf(vocabulary);
        Random random = new Random(spec.seed());
        int h = spec.hidden();
        int f = spec.intermediate();
        weights.put("embeddings.word_embeddings.weight", gaussian(random, vocabulary.size() * h, 0.5));
        weights.put("embeddings.position_embeddings.weight", gaussian(random, spec.positions() * h, 0.5));
        weights.put("embeddings.token_type_embeddings.weight", gaussian(random, TYPES * h, 0.5));
        putNorm(random, "embeddings.LayerNorm");
        for (int l = 0; l < spec.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            putLinear(random, p + "attention.self.query", h, h);
            putLinear(random, p + "attention.self.key", h, h);
            putLinear(random, p + "attention.self.value", h, h);
            putLinear(random, p + "attention.output.dense", h, h);
            putNorm(random, p + "attention.output.LayerNorm");
            putLinear(random, p + "intermediate.dense", f, h);
            putLinear(random, p + "output.dense", h, f);
            putNorm(random, p + "output.LayerNorm");
        }
    }

    /** The standard tiny encoder over {@link #vocabulary()}. */
    public static TinyBert standard() throws Exception {
        return of(Spec.standard());
    }

    public static TinyBert of(Spec spec) throws Exception {
        return new TinyBert(spec, vocabulary());
    }

    public Spec spec() {
        return spec;
    }

    /** The vocabulary entries by id, [PAD] at 0. */
    public List<String> tokens() {
        return vocabulary;
    }

    /** A weight as Hugging Face names it, Linear weights [out, in]. */
    public float[] weight(String name) {
        float[] w = weights.get(name);
        if (w == null) {
            throw new IllegalArgumentException("no weight " + name);
        }
        return w.clone();
    }

    /** Every Hugging Face name, in the order the weights were drawn. */
    public List<String> names() {
        return new ArrayList<>(weights.keySet());
    }

    /** Writes {@code tiny.onnx} and {@code tokenizer.json} into {@code dir}. */
    public Written write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path onnx = dir.resolve("tiny.onnx");
        Path tokenizer = dir.resolve("tokenizer.json");
        Files.write(onnx, onnx());
        Files.writeString(tokenizer, tokenizerJson(), StandardCharsets.UTF_8);
        return new Written(onnx, tokenizer);
    }

    private void putLinear(Random random, String name, int out, int in) {
        weights.put(name + ".weight", gaussian(random, out * in, 1.0 / Math.sqrt(in)));
        weights.put(name + ".bias", gaussian(random, out, 0.1));
    }

    private void putNorm(Random random, String name) {
        float[] gamma = gaussian(random, spec.hidden(), 0.1);
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] += 1f;
        }
        weights.put(name + ".weight", gamma);
        weights.put(name + ".bias", gaussian(random, spec.hidden(), 0.1));
    }

    private static float[] gaussian(Random random, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The vocabulary and tokenizer.json

    /**
     * The vocabulary: the special tokens, single characters (letters, digits, common punctuation) with their
     * {@code ##} continuations, then the {@value #FIXTURE_WORDS} most frequent words of the 1,500-row fixture (as
     * BERT's basic tokenization splits them, lower-cased), so that most words are whole tokens and the rest split
     * into pieces instead of becoming [UNK].
     */
    public static synchronized List<String> vocabulary() throws Exception {
        if (fixtureVocabulary == null) {
            fixtureVocabulary = List.copyOf(buildVocabulary());
        }
        return fixtureVocabulary;
    }

    private static List<String> fixtureVocabulary;

    private static List<String> buildVocabulary() throws Exception {
        LinkedHashSet<String> entries = new LinkedHashSet<>(SPECIALS);
        String singles = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (char c : singles.toCharArray()) {
            entries.add(String.valueOf(c));
        }
        for (char c : singles.toCharArray()) {
            entries.add("##" + c);
        }
        for (char c : ".,!?'\"-:;()&/*#@$%".toCharArray()) {
            entries.add(String.valueOf(c));
        }
        EncoderSpec basic = EncoderSpec.wordPiece(true, 512, WordPieceSpec.bert(true));
        Map<String, Integer> counts = new HashMap<>();
        for (String text : Fixtures.vaderExamples().texts()) {
            for (String word : TextEncoder.tokenize(text, basic)) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> frequent = new ArrayList<>(counts.entrySet());
        frequent.sort(Comparator.comparing((Map.Entry<String, Integer> e) -> -e.getValue())
                .thenComparing(Map.Entry::getKey));
        int added = 0;
        for (Map.Entry<String, Integer> e : frequent) {
            if (added == FIXTURE_WORDS) {
                break;
            }
            if (entries.add(e.getKey())) {
                added++;
            }
        }
        return new ArrayList<>(entries);
    }

    /** A Hugging Face tokenizer.json of BERT's layout over {@link #tokens()}, as {@code tokenizers} saves one. */
    public String tokenizerJson() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        List<Map<String, Object>> added = new ArrayList<>();
        for (String s : SPECIALS) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", vocabulary.indexOf(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        root.put("added_tokens", added);
        Map<String, Object> normalizer = new LinkedHashMap<>();
        normalizer.put("type", "BertNormalizer");
        normalizer.put("clean_text", true);
        normalizer.put("handle_chinese_chars", true);
        normalizer.put("strip_accents", null);
        normalizer.put("lowercase", true);
        root.put("normalizer", normalizer);
        root.put("pre_tokenizer", Map.of("type", "BertPreTokenizer"));
        Map<String, Object> post = new LinkedHashMap<>();
        post.put("type", "TemplateProcessing");
        post.put("single", List.of(Map.of("SpecialToken", Map.of("id", "[CLS]", "type_id", 0)),
                Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                Map.of("SpecialToken", Map.of("id", "[SEP]", "type_id", 0))));
        post.put("pair", List.of(Map.of("SpecialToken", Map.of("id", "[CLS]", "type_id", 0)),
                Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                Map.of("SpecialToken", Map.of("id", "[SEP]", "type_id", 0)),
                Map.of("Sequence", Map.of("id", "B", "type_id", 1)),
                Map.of("SpecialToken", Map.of("id", "[SEP]", "type_id", 1))));
        Map<String, Object> specialTokens = new LinkedHashMap<>();
        for (String s : List.of("[CLS]", "[SEP]")) {
            specialTokens.put(s, Map.of("id", s, "ids", List.of(vocabulary.indexOf(s)), "tokens", List.of(s)));
        }
        post.put("special_tokens", specialTokens);
        root.put("post_processor", post);
        root.put("decoder", Map.of("type", "WordPiece", "prefix", "##", "cleanup", true));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "WordPiece");
        model.put("unk_token", "[UNK]");
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int id = 0; id < vocabulary.size(); id++) {
            vocab.put(vocabulary.get(id), id);
        }
        model.put("vocab", vocab);
        root.put("model", model);
        return ModelFormat.json().writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The ONNX graph

    /** The encoder as an ONNX model, laid out as Hugging Face's exporter writes it. */
    public byte[] onnx() {
        return new GraphWriter().model().toByteArray();
    }

    /** Writes the nodes of one graph, naming them as the exporter does ({@code /encoder/layer.0/…}). */
    private final class GraphWriter {
        private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("main_graph");
        private final Map<String, Integer> uses = new HashMap<>();
        private int matmuls = 1000;
        private int anonymous = 2000;

        OnnxMl.ModelProto model() {
            int h = spec.hidden();
            int d = spec.headSize();
            for (String name : List.of("input_ids", "attention_mask", "token_type_ids")) {
                graph.addInput(valueInfo(name, OnnxMl.TensorProto.DataType.INT64, "batch_size", "sequence_length"));
            }
            // the additive attention mask, [B, 1, 1, T]
            String mask = node("Unsqueeze", "", List.of("attention_mask"), ints("axes", 1));
            mask = node("Unsqueeze", "", List.of(mask), ints("axes", 2));
            mask = node("Cast", "", List.of(mask), integer("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()));
            mask = node("Sub", "", List.of(constant("", 1f), mask));
            mask = node("Mul", "", List.of(mask, constant("", -3.4028234663852886e38f)));

            // embeddings
            String word = node("Gather", "/embeddings/word_embeddings", List.of(
                    initializer("embeddings.word_embeddings.weight", vocabulary.size(), h), "input_ids"));
            String type = node("Gather", "/embeddings/token_type_embeddings", List.of(
                    initializer("embeddings.token_type_embeddings.weight", TYPES, h), "token_type_ids"));
            String x = node("Add", "/embeddings", List.of(word, type));
            long[] positionIds = new long[spec.positions()];
            for (int i = 0; i < positionIds.length; i++) {
                positionIds[i] = i;
            }
            graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName("embeddings.position_ids")
                    .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(1).addDims(positionIds.length)
                    .setRawData(raw(positionIds)));
            String length = node("Unsqueeze", "/embeddings", List.of(node("Gather", "/embeddings", List.of(
                    node("Shape", "/embeddings", List.of("input_ids")), constant("/embeddings", 1L)),
                    integer("axis", 0))), ints("axes", 0));
            String ids = node("Slice", "/embeddings", List.of("embeddings.position_ids",
                    constant("/embeddings", new long[] {0}), length, constant("/embeddings", new long[] {1}),
                    constant("/embeddings", new long[] {1})));
            String position = node("Gather", "/embeddings/position_embeddings", List.of(
                    initializer("embeddings.position_embeddings.weight", spec.positions(), h), ids));
            x = node("Add", "/embeddings", List.of(x, position));
            x = layerNorm("/embeddings/LayerNorm", "embeddings.LayerNorm", x, null);

            for (int l = 0; l < spec.layers(); l++) {
                String scope = "/encoder/layer." + l;
                String p = "encoder.layer." + l + ".";
                String att = scope + "/attention/self";
                String q = linear(att + "/query", p + "attention.self.query", x, h, h);
                String k = linear(att + "/key", p + "attention.self.key", x, h, h);
                String v = linear(att + "/value", p + "attention.self.value", x, h, h);
                String heads = shape(att, x, spec.heads(), d);
                String kt = node("Transpose", att, List.of(node("Reshape", att, List.of(k, heads))),
                        ints("perm", 0, 2, 3, 1));
                String vh = node("Transpose", att, List.of(node("Reshape", att, List.of(v, heads))),
                        ints("perm", 0, 2, 1, 3));
                String qh = node("Transpose", att, List.of(node("Reshape", att, List.of(q, heads))),
                        ints("perm", 0, 2, 1, 3));
                String scores = node("MatMul", att, List.of(qh, kt));
                scores = node("Div", att, List.of(scores, constant(att, (float) Math.sqrt(d))));
                scores = node("Add", att, List.of(scores, mask));
                String probabilities = node("Softmax", att, List.of(scores), integer("axis", -1));
                String context = node("Transpose", att, List.of(node("MatMul", att, List.of(probabilities, vh))),
                        ints("perm", 0, 2, 1, 3));
                context = node("Reshape", att, List.of(context, shape(att, x, h)));
                String attended = linear(scope + "/attention/output/dense", p + "attention.output.dense", context,
                        h, h);
                x = layerNorm(scope + "/attention/output/LayerNorm", p + "attention.output.LayerNorm",
                        node("Add", scope + "/attention/output", List.of(attended, x)), null);
                String inner = linear(scope + "/intermediate/dense", p + "intermediate.dense", x,
                        spec.intermediate(), h);
                inner = gelu(scope + "/intermediate/intermediate_act_fn", inner);
                String out = linear(scope + "/output/dense", p + "output.dense", inner, h, spec.intermediate());
                x = layerNorm(scope + "/output/LayerNorm", p + "output.LayerNorm",
                        node("Add", scope + "/output", List.of(out, x)),
                        l == spec.layers() - 1 ? "last_hidden_state" : null);
            }
            graph.addOutput(valueInfo("last_hidden_state", OnnxMl.TensorProto.DataType.FLOAT, "batch_size",
                    "sequence_length", h));
            return OnnxMl.ModelProto.newBuilder().setIrVersion(6).setProducerName("pytorch")
                    .setProducerVersion("2.1.0")
                    .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(11))
                    .setGraph(graph).build();
        }

        /** {@code Add(bias, MatMul(x, W))} with W [in, out] under an anonymous name, as the exporter writes nn.Linear. */
        private String linear(String scope, String name, String x, int out, int in) {
            float[] w = weight(name + ".weight"); // [out, in]
            float[] wt = new float[w.length];
            for (int r = 0; r < out; r++) {
                for (int c = 0; c < in; c++) {
                    wt[c * out + r] = w[r * in + c];
                }
            }
            String matrix = "onnx::MatMul_" + matmuls++;
            graph.addInitializer(floats(matrix, wt, in, out));
            String product = node("MatMul", scope, List.of(x, matrix));
            return node("Add", scope, List.of(initializer(name + ".bias", out), product));
        }

        private String layerNorm(String scope, String name, String x, String output) {
            String mean = node("ReduceMean", scope, List.of(x), ints("axes", -1));
            String centered = node("Sub", scope, List.of(x, mean));
            String squared = node("Pow", scope, List.of(centered, constant(scope, 2f)));
            String variance = node("ReduceMean", scope, List.of(squared), ints("axes", -1));
            String std = node("Sqrt", scope, List.of(node("Add", scope, List.of(variance,
                    constant(scope, spec.eps())))));
            String normalized = node("Div", scope, List.of(centered, std));
            String scaled = node("Mul", scope, List.of(normalized, initializer(name + ".weight", spec.hidden())));
            return node("Add", scope, List.of(scaled, initializer(name + ".bias", spec.hidden())), output);
        }

        private String gelu(String scope, String x) {
            if (spec.gelu() == Gelu.ERF) {
                // x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))
                String erf = node("Erf", scope, List.of(node("Div", scope, List.of(x,
                        constant(scope, (float) Math.sqrt(2.0))))));
                String sum = node("Add", scope, List.of(erf, constant(scope, 1f)));
                return node("Mul", scope, List.of(node("Mul", scope, List.of(x, sum)), constant(scope, 0.5f)));
            }
            // 0.5 * x * (1.0 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))
            String cube = node("Pow", scope, List.of(x, constant(scope, 3f)));
            String inner = node("Add", scope, List.of(x, node("Mul", scope, List.of(constant(scope, 0.044715f),
                    cube))));
            String tanh = node("Tanh", scope, List.of(node("Mul", scope, List.of(
                    constant(scope, (float) Math.sqrt(2.0 / Math.PI)), inner))));
            String half = node("Mul", scope, List.of(constant(scope, 0.5f), x));
            return node("Mul", scope, List.of(half, node("Add", scope, List.of(constant(scope, 1f), tanh))));
        }

        /** Concat(batch, sequence, dims...) of x's shape, for a Reshape, as transpose_for_scores exports it. */
        private String shape(String scope, String x, long... dims) {
            String s = node("Shape", scope, List.of(x));
            String batch = node("Unsqueeze", scope, List.of(node("Gather", scope, List.of(s, constant(scope, 0L)),
                    integer("axis", 0))), ints("axes", 0));
            String sequence = node("Unsqueeze", scope, List.of(node("Gather", scope, List.of(s,
                    constant(scope, 1L)), integer("axis", 0))), ints("axes", 0));
            List<String> parts = new ArrayList<>(List.of(batch, sequence));
            for (long dim : dims) {
                parts.add(constant(scope, new long[] {dim}));
            }
            return node("Concat", scope, parts, integer("axis", 0));
        }

        private String node(String op, String scope, List<String> inputs, OnnxMl.AttributeProto... attributes) {
            return node(op, scope, inputs, null, attributes);
        }

        private String node(String op, String scope, List<String> inputs, String output,
                OnnxMl.AttributeProto... attributes) {
            String base = scope + "/" + op;
            int n = uses.merge(base, 1, Integer::sum) - 1;
            String name = n == 0 ? base : base + "_" + n;
            String out = output != null ? output : name + "_output_0";
            OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name)
                    .addAllInput(inputs).addOutput(out);
            for (OnnxMl.AttributeProto a : attributes) {
                node.addAttribute(a);
            }
            graph.addNode(node);
            return out;
        }

        private String constant(String scope, float value) {
            return constant(scope, OnnxMl.TensorProto.newBuilder()
                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addFloatData(value).build());
        }

        private String constant(String scope, long value) {
            return constant(scope, OnnxMl.TensorProto.newBuilder()
                    .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addInt64Data(value).build());
        }

        private String constant(String scope, long[] values) {
            OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
                    .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(values.length);
            for (long v : values) {
                t.addInt64Data(v);
            }
            return constant(scope, t.build());
        }

        private String constant(String scope, OnnxMl.TensorProto value) {
            return node("Constant", scope, List.of(), OnnxMl.AttributeProto.newBuilder().setName("value")
                    .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(value).build());
        }

        /** A named weight as an initializer: under its Hugging Face name, or an anonymous one when it is renamed. */
        private String initializer(String name, long... dims) {
            String stored = name.equals(spec.renamed()) ? "onnx::Add_" + anonymous++ : name;
            graph.addInitializer(floats(stored, weight(name), dims));
            return stored;
        }
    }

    private static OnnxMl.TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(b));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static ByteString raw(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return ByteString.copyFrom(b);
    }

    private static OnnxMl.AttributeProto ints(String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static OnnxMl.AttributeProto integer(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }
}
