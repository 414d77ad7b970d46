package dev.sentikit.bench;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.ModelLoadException;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.spi.ZooModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The default English model ({@code dev.sentikit.zoo:sentikit-model-en}) as the benchmarks see it: the bytes of
 * its ONNX file, its metadata (card and vocabulary, hence its encoder), and the float initializers of its graph,
 * which {@link DjlBenchmark} loads into DJL so that both engines run literally the same weights.
 */
final class EnModel {

    /** The zoo name of the model every benchmark runs. */
    static final String NAME = "en";

    /** The bag model's parameters, found by their place in the graph that {@code BagGraph} writes. */
    enum Role {
        /** The table of the Gather that reads {@code input_ids}. */
        EMBEDDING("Gather", 0),
        /** The second input of the output layer's Gemm. */
        WEIGHT("Gemm", 1),
        /** The third input of the output layer's Gemm. */
        BIAS("Gemm", 2);

        final String op;
        final int input;

        Role(String op, int input) {
            this.op = op;
            this.input = input;
        }
    }

    private static volatile byte[] bytes;

    private EnModel() {}

    /** The bytes of {@code en.onnx}, read once from the class path. */
    static byte[] bytes() {
        byte[] b = bytes;
        if (b == null) {
            String resource = ZooModels.resourceOf(NAME);
            try (InputStream in = EnModel.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("class-path resource " + resource + " not found: the benchmarks "
                            + "need dev.sentikit.zoo:sentikit-model-en on the class path");
                }
                b = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes = b;
        }
        return b;
    }

    static OnnxMl.ModelProto proto() {
        try {
            return OnnxMl.ModelProto.parseFrom(bytes());
        } catch (IOException e) {
            throw new UncheckedIOException("en.onnx is not an ONNX ModelProto", e);
        }
    }

    /** The card and vocabulary stored in the file's metadata. */
    static ModelFormat.Metadata metadata(OnnxMl.ModelProto model) {
        Map<String, String> props = new HashMap<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        try {
            return ModelFormat.fromMetadataProps(props, "en.onnx");
        } catch (ModelLoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A float initializer of the graph. */
    record Tensor(String name, long[] dims, float[] values) {}

    /**
     * The float initializer that plays {@code role} in the graph (Tribuo suffixes the names BagGraph gives, so
     * {@code embedding} is stored as {@code embedding_0}), from {@code raw_data} (little-endian) or
     * {@code float_data}.
     */
    static Tensor initializer(OnnxMl.ModelProto model, Role role) {
        String name = null;
        for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
            if (node.getOpType().equals(role.op) && node.getInputCount() > role.input) {
                name = node.getInput(role.input);
                break;
            }
        }
        if (name == null) {
            throw new IllegalStateException("en.onnx has no " + role.op + " node: the DJL benchmark reads the bag "
                    + "model's parameters (embedding, weight, bias) from the graph BagGraph writes");
        }
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            if (!t.getName().equals(name)) {
                continue;
            }
            if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                throw new IllegalStateException("initializer '" + name + "' is not float32");
            }
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            float[] values;
            if (!t.getRawData().isEmpty()) {
                FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                values = new float[fb.remaining()];
                fb.get(values);
            } else {
                values = new float[t.getFloatDataCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = t.getFloatData(i);
                }
            }
            long expected = 1;
            for (long d : dims) {
                expected *= d;
            }
            if (values.length != expected) {
                throw new IllegalStateException("initializer '" + name + "' has " + values.length + " values for dims "
                        + java.util.Arrays.toString(dims));
            }
            return new Tensor(name, dims, values);
        }
        throw new IllegalStateException("en.onnx has no initializer '" + name + "', the " + role
                + " input of its " + role.op + " node");
    }
}
