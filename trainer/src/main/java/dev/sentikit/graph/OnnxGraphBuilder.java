package dev.sentikit.graph;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;

/**
 * Writes an ONNX graph node by node with the protobuf classes themselves, for graphs that need what Tribuo's
 * {@code ONNXContext} cannot express (int8 initializers, int64 inputs besides {@code input_ids}, any attribute). Names
 * are given by the caller and must be unique; {@link #model} wraps the graph with the Sentikit model-file header.
 */
public final class OnnxGraphBuilder {

    /** Opset of the graphs written here: the default domain at 13, as the Tribuo-written graphs. */
    public static final int OPSET = 13;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private int counter;

    public OnnxGraphBuilder(String name) {
        graph.setName(Objects.requireNonNull(name, "name"));
    }

    /** A fresh value name with this prefix. */
    public String fresh(String prefix) {
        return prefix + "_" + counter++;
    }

    /** Declares an input tensor of this element type and shape (a String is a named dimension, a Number a fixed one). */
    public String input(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return name;
    }

    /** Declares an output tensor, produced by a node under the same name. */
    public void output(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    /**
     * Declares the type and shape of an intermediate value (a {@code value_info} entry), for runtimes whose fusions
     * need shapes that their own inference loses.
     */
    public void shape(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        graph.addValueInfo(valueInfo(name, type, dims));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else {
                dim.setDimParam(d.toString());
            }
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    /** A float32 initializer, row-major. */
    public String floats(String name, float[] values, long... dims) {
        checkSize(name, values.length, dims);
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return initializer(name, OnnxMl.TensorProto.DataType.FLOAT, ByteString.copyFrom(b.array()), dims);
    }

    /** An int8 initializer, row-major. */
    public String int8(String name, byte[] values, long... dims) {
        checkSize(name, values.length, dims);
        return initializer(name, OnnxMl.TensorProto.DataType.INT8, ByteString.copyFrom(values), dims);
    }

    /** A uint8 initializer, row-major (the bytes are the values, 0 to 255). */
    public String uint8(String name, byte[] values, long... dims) {
        checkSize(name, values.length, dims);
        return initializer(name, OnnxMl.TensorProto.DataType.UINT8, ByteString.copyFrom(values), dims);
    }

    /** An int64 initializer, row-major. */
    public String longs(String name, long[] values, long... dims) {
        checkSize(name, values.length, dims);
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return initializer(name, OnnxMl.TensorProto.DataType.INT64, ByteString.copyFrom(b.array()), dims);
    }

    /** A float32 scalar. */
    public String scalar(String name, float value) {
        return floats(name, new float[] {value});
    }

    /** An int64 scalar. */
    public String scalar(String name, long value) {
        return longs(name, new long[] {value});
    }

    private String initializer(String name, OnnxMl.TensorProto.DataType type, ByteString raw, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(raw);
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
            throw new IllegalArgumentException(name + " has " + length + " values, expected "
                    + java.util.Arrays.toString(dims) + " = " + size);
        }
    }

    /** A node of the default domain with one output, named {@code output}; returns that name. */
    public String node(String op, String output, Map<String, ?> attributes, String... inputs) {
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

    /** {@link #node} without attributes. */
    public String node(String op, String output, String... inputs) {
        return node(op, output, Map.of(), inputs);
    }

    private static OnnxMl.AttributeProto attribute(String name, Object value) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (value instanceof Integer || value instanceof Long) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
        } else if (value instanceof Float || value instanceof Double) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
        } else if (value instanceof int[] ints) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (int i : ints) {
                a.addInts(i);
            }
        } else if (value instanceof long[] longs) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long i : longs) {
                a.addInts(i);
            }
        } else if (value instanceof String s) {
            a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value);
        }
        return a.build();
    }

    /** The model: the graph, IR {@link GraphSupport#IR_VERSION}, opset {@link #OPSET}, the metadata in order. */
    public OnnxMl.ModelProto model(String docString, Map<String, String> metadataProps, String producerVersion) {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(GraphSupport.IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(GraphSupport.PRODUCER_NAME)
                .setProducerVersion(producerVersion)
                .setDocString(docString)
                .setGraph(graph);
        return GraphSupport.withMetadata(model, metadataProps);
    }
}
