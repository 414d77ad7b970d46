package dev.sentikit.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Writes an ONNX graph node by node with the protobuf classes, for test graphs that Tribuo's {@code ONNXContext}
 * cannot express (several int64 inputs). A small mirror of the trainer's
 * {@code dev.sentikit.graph.OnnxGraphBuilder}, which this module cannot depend on: the default domain at
 * opset {@value #OPSET}, IR version {@value #IR_VERSION}, names given by the caller and unique.
 */
final class GraphBuilder {

    /** The trainer's opset (its Tribuo-written graphs and its transformer graphs). */
    static final int OPSET = 13;

    /** The trainer's IR version ({@code BagGraph.IR_VERSION}). */
    static final long IR_VERSION = 8;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();

    GraphBuilder(String name) {
        graph.setName(name);
    }

    /** Declares an int64 [batch, sequence] input. */
    String idsInput(String name) {
        graph.addInput(valueInfo(name, OnnxMl.TensorProto.DataType.INT64, "batch", "sequence"));
        return name;
    }

    /** Declares a float [batch, columns] output, which a node of the same name must produce. */
    void floatOutput(String name, int columns) {
        graph.addOutput(valueInfo(name, OnnxMl.TensorProto.DataType.FLOAT, "batch", columns));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof Number n ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(n.longValue())
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(d.toString()));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    /** A float32 initializer, row-major. */
    String floats(String name, float[] values, long... dims) {
        checkSize(name, values.length, dims);
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return initializer(name, OnnxMl.TensorProto.DataType.FLOAT, b.array(), dims);
    }

    /** An int8 initializer, row-major. */
    String int8(String name, byte[] values, long... dims) {
        checkSize(name, values.length, dims);
        return initializer(name, OnnxMl.TensorProto.DataType.INT8, values, dims);
    }

    /** A uint8 initializer, row-major (the bytes are the values, 0 to 255). */
    String uint8(String name, byte[] values, long... dims) {
        checkSize(name, values.length, dims);
        return initializer(name, OnnxMl.TensorProto.DataType.UINT8, values, dims);
    }

    /** An int64 initializer, row-major. */
    String longs(String name, long[] values, long... dims) {
        checkSize(name, values.length, dims);
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return initializer(name, OnnxMl.TensorProto.DataType.INT64, b.array(), dims);
    }

    /** A float32 scalar. */
    String scalar(String name, float value) {
        return floats(name, new float[] {value});
    }

    /** An int64 scalar. */
    String scalar(String name, long value) {
        return longs(name, new long[] {value});
    }

    private String initializer(String name, OnnxMl.TensorProto.DataType type, byte[] raw, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private static void checkSize(String name, int length, long... dims) {
        long size = 1;
        for (long d : dims) {
            size *= d;
        }
        if (size != length) {
            throw new IllegalArgumentException(name + " has " + length + " values, its shape "
                    + java.util.Arrays.toString(dims) + " holds " + size);
        }
    }

    /** A node with one output named {@code output}; returns that name. */
    String node(String op, String output, Map<String, ?> attributes, String... inputs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (Map.Entry<String, ?> a : attributes.entrySet()) {
            n.addAttribute(attribute(a.getKey(), a.getValue()));
        }
        graph.addNode(n);
        return output;
    }

    /** A node without attributes and with several outputs, named {@code outputs}; returns them. */
    String[] nodes(String op, String[] outputs, String... inputs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(outputs[0]);
        for (String out : outputs) {
            n.addOutput(out);
        }
        for (String in : inputs) {
            n.addInput(in);
        }
        graph.addNode(n);
        return outputs;
    }

    /** {@link #node} without attributes. */
    String node(String op, String output, String... inputs) {
        return node(op, output, Map.of(), inputs);
    }

    private static OnnxMl.AttributeProto attribute(String name, Object value) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (value instanceof Integer || value instanceof Long) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
        } else if (value instanceof int[] ints) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (int i : ints) {
                a.addInts(i);
            }
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value);
        }
        return a.build();
    }

    /** The serialized model: this graph and {@code metadataProps}, in their order. */
    byte[] model(Map<String, String> metadataProps) {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("sentikit-tests")
                .setProducerVersion("0")
                .setGraph(graph);
        for (Map.Entry<String, String> e : metadataProps.entrySet()) {
            model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey())
                    .setValue(e.getValue()));
        }
        return model.build().toByteArray();
    }
}
