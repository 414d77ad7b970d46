package dev.sentikit.architecture.transformer;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The weights and shape of a pretrained BERT-layout encoder, read from its ONNX file as Hugging Face exports it
 * ({@code input_ids}, {@code attention_mask}, {@code token_type_ids} in, {@code last_hidden_state} out).
 *
 * <p>Embeddings, biases and LayerNorm parameters are named initializers ({@code embeddings.word_embeddings.weight},
 * {@code encoder.layer.0.attention.self.query.bias}, …). The weight matrices often are not: the exporter stores
 * them as anonymous {@code onnx::MatMul_…} initializers, {@code [in, out]}, multiplied by a {@code MatMul} whose
 * result the named bias is added to; each is found by following its {@code MatMul} to that {@code Add}. The
 * number of attention heads follows from the scale of the attention scores ({@code Div} by √head-size, or
 * {@code Mul} by its inverse), the LayerNorm epsilon from the constant added to the variance (or a
 * {@code LayerNormalization}'s attribute). Weights are kept as DJL's {@code Linear} wants them: {@code [out, in]}.
 */
public final class BertWeights {

    private final int vocabularySize;
    private final int hidden;
    private final int layers;
    private final int heads;
    private final int intermediate;
    private final int positions;
    private final float layerNormEpsilon;
    /** Hugging Face names to values, Linear weights transposed to [out, in]. */
    private final Map<String, float[]> tensors;
    private final Map<String, long[]> shapes;

    private BertWeights(int vocabularySize, int hidden, int layers, int heads, int intermediate, int positions,
            float eps, Map<String, float[]> tensors, Map<String, long[]> shapes) {
        this.vocabularySize = vocabularySize;
        this.hidden = hidden;
        this.layers = layers;
        this.heads = heads;
        this.intermediate = intermediate;
        this.positions = positions;
        this.layerNormEpsilon = eps;
        this.tensors = tensors;
        this.shapes = shapes;
    }

    /**
     * Reads the encoder in {@code onnx}, the bytes of an ONNX file.
     *
     * @param source the file, for messages
     * @throws IllegalArgumentException when the file is not an ONNX model of the BERT layout, saying what was
     *     expected and what was found
     */
    public static BertWeights read(byte[] onnx, String source) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(onnx);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(source + " is not an ONNX model: " + e.getMessage(), e);
        }
        OnnxMl.GraphProto graph = model.getGraph();
        Map<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        Map<String, Float> constants = new HashMap<>();
        Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("Constant") && node.getAttributeCount() == 1
                    && node.getAttribute(0).hasT() && node.getAttribute(0).getT().getDataType()
                            == OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                float[] v = floats(node.getAttribute(0).getT());
                if (v.length == 1) {
                    constants.put(node.getOutput(0), v[0]);
                }
            }
            for (String in : node.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
        }
        for (Map.Entry<String, OnnxMl.TensorProto> e : initializers.entrySet()) {
            if (e.getValue().getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber()
                    && e.getValue().getDimsCount() == 0) {
                constants.put(e.getKey(), floats(e.getValue())[0]);
            }
        }

        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxMl.TensorProto> e : initializers.entrySet()) {
            OnnxMl.TensorProto t = e.getValue();
            if (e.getKey().startsWith("embeddings.") || e.getKey().startsWith("encoder.layer.")) {
                if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                    tensors.put(e.getKey(), floats(t));
                    shapes.put(e.getKey(), dims(t));
                }
            }
        }
        // The weight of each named bias: the [in, out] initializer of the MatMul whose output the bias is added to.
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (!node.getOpType().equals("MatMul") || node.getInputCount() != 2) {
                continue;
            }
            OnnxMl.TensorProto w = initializers.get(node.getInput(1));
            if (w == null || w.getDimsCount() != 2) {
                continue;
            }
            for (OnnxMl.NodeProto add : consumers.getOrDefault(node.getOutput(0), List.of())) {
                if (!add.getOpType().equals("Add")) {
                    continue;
                }
                for (String in : add.getInputList()) {
                    if (in.endsWith(".bias") && initializers.containsKey(in)) {
                        String name = in.substring(0, in.length() - ".bias".length()) + ".weight";
                        long[] d = dims(w);
                        tensors.put(name, transpose(floats(w), (int) d[0], (int) d[1]));
                        shapes.put(name, new long[] {d[1], d[0]});
                    }
                }
            }
        }

        long[] word = require(shapes, "embeddings.word_embeddings.weight", "[vocabulary, hidden]", 2, source);
        int hidden = (int) word[1];
        long[] position = require(shapes, "embeddings.position_embeddings.weight", "[positions, hidden]", 2, source);
        require(shapes, "embeddings.token_type_embeddings.weight", "[types, hidden]", 2, source);
        require(shapes, "embeddings.LayerNorm.weight", "[hidden]", 1, source);
        require(shapes, "embeddings.LayerNorm.bias", "[hidden]", 1, source);
        int layers = 0;
        while (shapes.containsKey("encoder.layer." + layers + ".attention.self.query.bias")) {
            layers++;
        }
        if (layers == 0) {
            throw layoutError(source, "the initializer 'encoder.layer.0.attention.self.query.bias' (the first layer)",
                    shapes);
        }
        long[] inter = require(shapes, "encoder.layer.0.intermediate.dense.weight", "[intermediate, hidden]", 2,
                source);
        int intermediate = (int) inter[0];
        for (int l = 0; l < layers; l++) {
            String p = "encoder.layer." + l + ".";
            for (String n : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense")) {
                expect(shapes, p + n + ".weight", new long[] {hidden, hidden}, source);
                expect(shapes, p + n + ".bias", new long[] {hidden}, source);
            }
            expect(shapes, p + "intermediate.dense.weight", new long[] {intermediate, hidden}, source);
            expect(shapes, p + "intermediate.dense.bias", new long[] {intermediate}, source);
            expect(shapes, p + "output.dense.weight", new long[] {hidden, intermediate}, source);
            expect(shapes, p + "output.dense.bias", new long[] {hidden}, source);
            for (String n : List.of("attention.output.LayerNorm", "output.LayerNorm")) {
                expect(shapes, p + n + ".weight", new long[] {hidden}, source);
                expect(shapes, p + n + ".bias", new long[] {hidden}, source);
            }
        }
        int erf = 0;
        float eps = Float.NaN;
        float scale = Float.NaN;
        boolean scaleIsDivisor = true;
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            switch (node.getOpType()) {
                case "Erf":
                case "Gelu":
                    erf++;
                    break;
                case "LayerNormalization":
                    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
                        if (a.getName().equals("epsilon") && Float.isNaN(eps)) {
                            eps = a.getF();
                        }
                    }
                    break;
                case "Sqrt": {
                    // LayerNorm written out: Sqrt(ReduceMean(Pow(x - mean, 2)) + eps)
                    for (OnnxMl.NodeProto add : producers(graph, node.getInput(0))) {
                        if (add.getOpType().equals("Add") && Float.isNaN(eps)) {
                            for (String in : add.getInputList()) {
                                if (constants.containsKey(in)) {
                                    eps = constants.get(in);
                                }
                            }
                        }
                    }
                    break;
                }
                case "MatMul":
                    // The first product of two computed tensors is layer 0's attention scores, q · kᵀ.
                    if (Float.isNaN(scale) && node.getInputCount() == 2 && !initializers.containsKey(node.getInput(0))
                            && !initializers.containsKey(node.getInput(1))) {
                        for (OnnxMl.NodeProto next : consumers.getOrDefault(node.getOutput(0), List.of())) {
                            if ((next.getOpType().equals("Div") || next.getOpType().equals("Mul"))
                                    && constants.containsKey(next.getInput(1))) {
                                scale = constants.get(next.getInput(1));
                                scaleIsDivisor = next.getOpType().equals("Div");
                            }
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        if (erf < layers) {
            throw new IllegalArgumentException(source + " is not a BERT-layout encoder that Sentikit can fine-tune: "
                    + "expected GELU in its erf form in each of the " + layers + " layers (Erf or Gelu nodes), found "
                    + erf);
        }
        if (Float.isNaN(eps)) {
            throw new IllegalArgumentException(source + ": cannot find the LayerNorm epsilon (expected "
                    + "Sqrt(variance + eps) or LayerNormalization nodes)");
        }
        if (Float.isNaN(scale) || !(scale > 0)) {
            throw new IllegalArgumentException(source + ": cannot find the attention scale (expected the scores "
                    + "q · kᵀ divided by √head_size, or multiplied by its inverse)");
        }
        double headSize = scaleIsDivisor ? (double) scale * scale : 1.0 / ((double) scale * scale);
        int headDim = (int) Math.round(headSize);
        if (headDim < 1 || Math.abs(headSize - headDim) > 1e-3 || hidden % headDim != 0) {
            throw new IllegalArgumentException(source + ": the attention scale " + scale + " gives a head size of "
                    + headSize + ", which does not divide the hidden size " + hidden);
        }
        return new BertWeights((int) word[0], hidden, layers, hidden / headDim, intermediate, (int) position[0], eps,
                tensors, shapes);
    }

    private static List<OnnxMl.NodeProto> producers(OnnxMl.GraphProto graph, String output) {
        List<OnnxMl.NodeProto> out = new ArrayList<>();
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (n.getOutputList().contains(output)) {
                out.add(n);
            }
        }
        return out;
    }

    private static long[] require(Map<String, long[]> shapes, String name, String what, int rank, String source) {
        long[] d = shapes.get(name);
        if (d == null || d.length != rank) {
            throw layoutError(source, "the initializer '" + name + "' " + what
                    + (d == null ? "" : ", found shape " + java.util.Arrays.toString(d)), shapes);
        }
        return d;
    }

    private static void expect(Map<String, long[]> shapes, String name, long[] shape, String source) {
        long[] d = shapes.get(name);
        if (d == null || !java.util.Arrays.equals(d, shape)) {
            throw layoutError(source, "'" + name + "' of shape " + java.util.Arrays.toString(shape)
                    + (d == null ? "" : ", found " + java.util.Arrays.toString(d)), shapes);
        }
    }

    private static IllegalArgumentException layoutError(String source, String expected, Map<String, long[]> shapes) {
        TreeSet<String> names = new TreeSet<>(shapes.keySet());
        String found = names.isEmpty() ? "none of its initializers is named like a BERT parameter"
                : "found " + names.size() + " BERT-named tensors (" + String.join(", ", names.stream().limit(8).toList())
                        + (names.size() > 8 ? ", …" : "") + ")";
        return new IllegalArgumentException(source + " is not a BERT-layout encoder: expected " + expected + "; "
                + found + ". Sentikit fine-tunes encoders exported from Hugging Face BertModel (such as MiniLM and "
                + "bge-small) with inputs input_ids, attention_mask, token_type_ids and the output last_hidden_state.");
    }

    static float[] floats(OnnxMl.TensorProto t) {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' is not float32");
        }
        if (!t.getRawData().isEmpty()) {
            ByteString raw = t.getRawData();
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[raw.size() / Float.BYTES];
            b.asFloatBuffer().get(out);
            return out;
        }
        float[] out = new float[t.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    private static long[] dims(OnnxMl.TensorProto t) {
        long[] d = new long[t.getDimsCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.getDims(i);
        }
        return d;
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] out = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = a[r * cols + c];
            }
        }
        return out;
    }

    /** The values of {@code name} (a Hugging Face parameter name; Linear weights as [out, in]). */
    public float[] get(String name) {
        float[] v = tensors.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'");
        }
        return v;
    }

    public long[] shape(String name) {
        return shapes.get(name).clone();
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    public int hidden() {
        return hidden;
    }

    public int layers() {
        return layers;
    }

    public int heads() {
        return heads;
    }

    public int intermediate() {
        return intermediate;
    }

    public int positions() {
        return positions;
    }

    public float layerNormEpsilon() {
        return layerNormEpsilon;
    }

    /** Parameters in all, as a user would count them. */
    public long parameterCount() {
        long n = 0;
        for (float[] v : tensors.values()) {
            n += v.length;
        }
        return n;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d layers, hidden %d, %d heads, FFN %d, vocabulary %,d, %d positions, "
                + "LayerNorm eps %.0e", layers, hidden, heads, intermediate, vocabularySize, positions,
                layerNormEpsilon);
    }
}
