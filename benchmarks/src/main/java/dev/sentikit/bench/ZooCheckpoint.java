package dev.sentikit.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.SentimentBlock;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.TrainingConfig;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Rebuilds a float32 training checkpoint from a zoo transformer file, for measurements on real weights while the
 * zoo's own checkpoints are not at hand: every initializer is read back to float32 (int8 weights times their
 * scales, as the file's int8-storage graph restores them when it loads), the calibration temperature that the
 * export folded into the last layer is taken out again, and the card, vocabulary and {@code tokenizer.json} come
 * from the file's metadata. The result is a checkpoint directory of {@code trainer train}'s layout, so that
 * {@code trainer export} (float32 or {@code --quantize int8}) and DJL ({@code TrainedModel.load}) run it as they run
 * any checkpoint. Its float32 network is the shipped file's network exactly (the same weights after
 * dequantization), not the float32 checkpoint the file was exported from.
 *
 * <pre>
 * java -cp … dev.sentikit.bench.ZooCheckpoint ZOO.onnx OUTPUT_DIR [PARITY_TEXTS.tsv]
 * </pre>
 *
 * The parity texts (the exporter's check) are the first {@value #PARITY_TEXTS} texts of the given label&lt;TAB&gt;text
 * file, such as the model's validation split. The card's {@code metrics.quantization} (measured by the export that
 * wrote the zoo file) is dropped; its recorded test evaluation stays, so that an export measures on it again when
 * its file is there.
 */
public final class ZooCheckpoint {

    /** Texts written for the exporter's parity check: as many as {@code trainer train} keeps. */
    static final int PARITY_TEXTS = 512;

    private ZooCheckpoint() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: ZooCheckpoint ZOO.onnx OUTPUT_DIR [PARITY_TEXTS.tsv]");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        write(Path.of(args[0]), out, args.length > 2 ? Path.of(args[2]) : null);
        System.out.println("wrote " + out);
    }

    /** Writes the checkpoint of {@code zoo} into {@code out} (created; files in it are replaced). */
    public static void write(Path zoo, Path out, Path parityFile) throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(zoo));
        Map<String, String> props = new LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto p : model.getMetadataPropsList()) {
            props.put(p.getKey(), p.getValue());
        }
        ModelFormat.Metadata metadata;
        try {
            metadata = ModelFormat.fromMetadataProps(props, zoo.toString());
        } catch (dev.sentikit.ModelLoadException e) {
            throw new IOException(e.getMessage(), e);
        }
        ModelCard card = metadata.card();
        Map<String, Object> metrics = new LinkedHashMap<>(card.metrics());
        metrics.remove("quantization");
        card = card.withMetrics(metrics);
        Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            initializers.put(t.getName(), t);
        }

        Files.createDirectories(out);
        TrainingConfig config = TrainingConfig.fromCard(card);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            SentimentBlock block = config.architecture().newBlock(config.settings(), card.embeddingRows(),
                    card.labels().size());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            float temperature = (float) card.temperature();
            for (Pair<String, Parameter> p : block.getParameters()) {
                float[] values = read(initializers, p.getKey(), p.getValue().getArray().getShape().getShape());
                if (p.getKey().equals("weight") || p.getKey().equals("bias")) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] *= temperature; // the export divides them by T again
                    }
                }
                p.getValue().getArray().set(FloatBuffer.wrap(values));
            }
            try (OutputStream o = Files.newOutputStream(out.resolve(Checkpoint.PARAMETERS));
                    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(o))) {
                block.saveParameters(data);
            }
        }
        Checkpoint.writeCard(out, card);
        Files.writeString(out.resolve(Checkpoint.VOCABULARY), ModelFormat.toJson(metadata.vocabulary().entries()),
                StandardCharsets.UTF_8);
        String tokenizer = props.get(ModelFormat.KEY_TOKENIZER_JSON);
        if (tokenizer != null) {
            Files.writeString(out.resolve("tokenizer.json"), tokenizer, StandardCharsets.UTF_8);
        }
        Files.writeString(out.resolve(Checkpoint.PARITY_TEXTS), ModelFormat.toJson(parityTexts(parityFile)),
                StandardCharsets.UTF_8);
    }

    private static List<String> parityTexts(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        if (file != null) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab >= 0 && texts.size() < PARITY_TEXTS) {
                    texts.add(line.substring(tab + 1));
                }
            }
        }
        if (texts.isEmpty()) {
            Random random = new Random(42);
            for (int i = 0; i < 64; i++) {
                texts.add("text " + random.nextInt(1000) + (i % 2 == 0 ? " is good" : " is not good at all"));
            }
        }
        return texts;
    }

    /**
     * The float32 values of the DJL parameter {@code name} (such as {@code layer0.qkv.weight}, [out, in]) from the
     * file's initializers ({@code layer0_qkv_weight}, [in, out], or its {@code _int8} values and {@code _scale}, a
     * scale per block of rows of each column in an int8-storage file, per column in an int8-compute one).
     */
    static float[] read(Map<String, OnnxMl.TensorProto> init, String name, long[] shape) {
        if (name.equals("embedding")) {
            return embedding(init, shape);
        }
        String base = name.replace('.', '_');
        boolean matrix = shape.length == 2 && name.endsWith(".weight");
        if (init.containsKey(base)) {
            float[] v = floats(init.get(base));
            return matrix ? transpose(v, (int) shape[1], (int) shape[0]) : v;
        }
        // An int8-compute file (--quantize int8) keeps what its integer products need: the bias a product adds
        // negated, and of the query/key/value bias the query's alone (the key bias cancels in the softmax, the value
        // bias was folded into the attention output's bias, which is read as it is): zero key and value biases with
        // that output bias give the file's function.
        if (init.containsKey(base + "_negated")) {
            float[] v = floats(init.get(base + "_negated"));
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
            return v;
        }
        if (name.endsWith(".qkv.bias") && init.containsKey(base.replace("qkv_bias", "q_bias"))) {
            float[] query = floats(init.get(base.replace("qkv_bias", "q_bias"))); // [heads, 1, head size]
            float[] v = new float[(int) shape[0]];
            System.arraycopy(query, 0, v, 0, query.length);
            return v;
        }
        OnnxMl.TensorProto q = init.get(base + "_int8");
        OnnxMl.TensorProto s = init.get(base + "_scale");
        if (q == null || s == null || !matrix) {
            throw new IllegalArgumentException("the file has no initializer for the parameter " + name + " (looked "
                    + "for " + base + " and " + base + "_int8 with " + base + "_scale)");
        }
        int in = (int) shape[1];
        int out = (int) shape[0];
        byte[] values = q.getRawData().toByteArray();
        float[] scales = floats(s);
        int blocks = scales.length / out; // [blocks, 1, out]: a scale per block of rows of each column
        int block = in / blocks;
        float[] wt = new float[in * out];
        for (int r = 0; r < in; r++) {
            for (int c = 0; c < out; c++) {
                wt[r * out + c] = values[r * out + c] * scales[(r / block) * out + c];
            }
        }
        return transpose(wt, in, out);
    }

    private static float[] embedding(Map<String, OnnxMl.TensorProto> init, long[] shape) {
        if (init.containsKey("word_embedding")) {
            return floats(init.get("word_embedding"));
        }
        byte[] values = init.get("word_embedding_int8").getRawData().toByteArray();
        float[] scales = floats(init.get("word_embedding_scale"));
        int cols = (int) shape[1];
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * scales[i / cols];
        }
        return out;
    }

    /** A [rows, cols] matrix, transposed. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    private static float[] floats(OnnxMl.TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            FloatBuffer b = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            return v;
        }
        float[] v = new float[t.getFloatDataCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getFloatData(i);
        }
        return v;
    }
}
