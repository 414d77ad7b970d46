package dev.sentikit.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * What the Sentikit graphs share: the file header (IR version, opset, producer), the interface of the model format,
 * node building, weights and the model proto. The architectures' graph writers that use Tribuo's
 * {@link ONNXContext} are written with these, the others with {@link OnnxGraphBuilder}, which writes the same
 * header. This package sits below the architectures and knows none of them.
 */
public final class GraphSupport {

    /** The model's producer name. */
    public static final String PRODUCER_NAME = "sentikit";

    /**
     * The ONNX IR version written: 8 (ONNX 1.10 to 1.12), which covers opset 13, is read by ONNX Runtime 1.23 and is
     * the newest that Debian 12's python3-onnx (1.12) checks.
     */
    public static final long IR_VERSION = 8;

    /**
     * The default-domain opset: the one Tribuo's {@link ONNXOperators} are defined for (13). From opset 13 on,
     * ReduceSum and Unsqueeze take their axes as an input.
     */
    public static final int OPSET_VERSION = ONNXOperators.getOpsetVersion();

    /** The opset the graphs need: from 13 on, ReduceSum and Unsqueeze take their axes as an input. */
    static final int MIN_OPSET = 13;

    /** ONNX files are protobuf messages, which cannot exceed 2 GiB; keep the weights well below. */
    public static final long MAX_WEIGHT_BYTES = 2_000_000_000L;

    private GraphSupport() {}

    /** The graph's input {@code input_ids} and its outputs {@code logits} and {@code probabilities}. */
    public record Interface(ONNXPlaceholder ids, ONNXPlaceholder logits, ONNXPlaceholder probabilities) {}

    /** The padding mask, float [B, T], and the embeddings with padded positions zeroed, [B, T, D]. */
    public record Masked(ONNXNode mask, ONNXNode embeddings) {}

    /**
     * Checks the arguments every graph writer takes, and that Tribuo's operators are at an opset the graphs can use.
     *
     * @throws NullPointerException when an argument is null
     */
    public static void requireArguments(Object block, Map<String, String> metadataProps, String producerVersion) {
        Objects.requireNonNull(block, "the network must not be null");
        Objects.requireNonNull(metadataProps, "metadataProps must not be null");
        Objects.requireNonNull(producerVersion, "producerVersion must not be null");
        if (OPSET_VERSION < MIN_OPSET) {
            throw new IllegalStateException("Tribuo's ONNX operators target opset " + OPSET_VERSION
                    + "; the Sentikit graphs need opset " + MIN_OPSET + " or later (axes as inputs)");
        }
    }

    /**
     * Declares {@code input_ids} and the two outputs. Tribuo only makes float inputs; {@link #model} sets the type of
     * {@code input_ids} to int64 [batch, sequence].
     */
    public static Interface declareInterface(ONNXContext ctx, int labels) {
        ONNXPlaceholder ids = ctx.floatInput(ModelFormat.INPUT_IDS, 1);
        ONNXPlaceholder logits = ctx.floatOutput(ModelFormat.OUTPUT_LOGITS, labels);
        ONNXPlaceholder probabilities = ctx.floatOutput(ModelFormat.OUTPUT_PROBABILITIES, labels);
        return new Interface(ids, logits, probabilities);
    }

    /**
     * {@code emb = Gather(embedding, ids)}, {@code mask = Cast(Not(Equal(ids, 0)), float)} and
     * {@code emb * Unsqueeze(mask, 2)}.
     */
    public static Masked maskedEmbeddings(ONNXContext ctx, ONNXRef<?> ids, ONNXInitializer embedding) {
        ONNXInitializer padId = ctx.constant("pad_id", (long) Vocabulary.PAD_ID);
        ONNXInitializer axis2 = ctx.array("axis_2", new long[] {2});
        ONNXNode emb = op(ctx, ONNXOperators.GATHER, "emb", Map.of("axis", 0), embedding, ids);
        ONNXNode isPad = op(ctx, GraphOperators.EQUAL, "is_pad", Map.of(), ids, padId);
        ONNXNode notPad = op(ctx, GraphOperators.NOT, "not_pad", Map.of(), isPad);
        ONNXNode mask = op(ctx, ONNXOperators.CAST, "mask",
                Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()), notPad);
        ONNXNode mask3 = op(ctx, ONNXOperators.UNSQUEEZE, "mask_3d", Map.of(), mask, axis2);
        ONNXNode masked = op(ctx, ONNXOperators.MUL, "masked_emb", Map.of(), emb, mask3);
        return new Masked(mask, masked);
    }

    /** {@code logits = Gemm(features, weight, bias, transB=1)}, {@code probabilities = Softmax(logits)}. */
    public static void classifier(ONNXContext ctx, Interface io, ONNXRef<?> features, ONNXInitializer weight,
            ONNXInitializer bias) {
        ONNXNode logits = op(ctx, ONNXOperators.GEMM, "logits_raw", Map.of("transB", 1), features, weight, bias);
        ONNXNode probabilities = op(ctx, ONNXOperators.SOFTMAX, "probabilities_raw", Map.of("axis", -1), logits);
        logits.assignTo(io.logits());
        probabilities.assignTo(io.probabilities());
    }

    /** A node of {@code op} with one output named {@code output}; the attributes are written in iteration order. */
    public static ONNXNode op(ONNXContext ctx, ONNXOperator op, String output, Map<String, ?> attributes,
            ONNXRef<?>... inputs) {
        return ctx.operation(op, List.of(inputs), output, new LinkedHashMap<String, Object>(attributes));
    }

    /** A node of {@code op} with several outputs, named {@code outputs}. */
    public static List<ONNXNode> op(ONNXContext ctx, ONNXOperator op, List<String> outputs,
            Map<String, ?> attributes, ONNXRef<?>... inputs) {
        return ctx.operation(op, List.of(inputs), outputs, new LinkedHashMap<String, Object>(attributes));
    }

    /** A float initializer of the given shape, row-major. */
    public static ONNXInitializer floatTensor(ONNXContext ctx, String name, float[] values, long... dims) {
        List<Integer> shape = new ArrayList<>();
        long size = 1;
        for (long d : dims) {
            shape.add(Math.toIntExact(d));
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected "
                    + Arrays.toString(dims) + " = " + size);
        }
        return ctx.floatTensor(name, shape, fb -> fb.put(values));
    }

    /**
     * The values of an initialized parameter, row-major, after checking its shape and that they are finite.
     *
     * @throws IllegalArgumentException when the parameter is not initialized, has another shape or holds a value that
     *     is not finite
     */
    public static float[] values(Parameter parameter, String what, long... shape) {
        if (!parameter.isInitialized()) {
            throw new IllegalArgumentException(what + " (" + parameter.getName() + ") is not initialized");
        }
        NDArray array = parameter.getArray();
        long[] actual = array.getShape().getShape();
        if (!Arrays.equals(actual, shape)) {
            throw new IllegalArgumentException(what + " (" + parameter.getName() + ") has shape "
                    + Arrays.toString(actual) + ", expected " + Arrays.toString(shape));
        }
        float[] values = array.toFloatArray();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " (" + parameter.getName() + ") holds " + values[i]
                        + " at flat index " + i + ": the weights must be finite (did training diverge?)");
            }
        }
        return values;
    }

    /** The shape of an initialized parameter. */
    public static long[] shape(Parameter parameter, String what) {
        if (!parameter.isInitialized()) {
            throw new IllegalArgumentException(what + " (" + parameter.getName() + ") is not initialized");
        }
        return parameter.getArray().getShape().getShape();
    }

    /** Refuses weights that an ONNX file (a protobuf message, at most 2 GiB) cannot hold. */
    public static void checkWeightBytes(long floats, String detail) {
        long bytes = 4L * floats;
        if (bytes > MAX_WEIGHT_BYTES) {
            throw new IllegalArgumentException("the weights take " + bytes + " bytes (" + detail + "), more than the "
                    + MAX_WEIGHT_BYTES + " an ONNX file can hold (protobuf's 2 GiB limit): use fewer hash "
                    + "buckets, a smaller vocabulary or a smaller dimension");
        }
    }

    /** The model: IR {@link #IR_VERSION}, Tribuo's opset, {@code input_ids} int64, the metadata in order. */
    public static OnnxMl.ModelProto model(OnnxMl.GraphProto.Builder graph, String docString,
            Map<String, String> metadataProps, String producerVersion) {
        setIdsType(graph);
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName(PRODUCER_NAME)
                .setProducerVersion(producerVersion)
                .setDocString(docString)
                .setGraph(graph);
        return withMetadata(model, metadataProps);
    }

    /** Adds the metadata to the model in their order (no null key or value) and builds it. */
    public static OnnxMl.ModelProto withMetadata(OnnxMl.ModelProto.Builder model, Map<String, String> metadataProps) {
        for (Map.Entry<String, String> e : metadataProps.entrySet()) {
            model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                    .setKey(Objects.requireNonNull(e.getKey(), "metadata key must not be null"))
                    .setValue(Objects.requireNonNull(e.getValue(), "metadata value of '" + e.getKey()
                            + "' must not be null")));
        }
        return model.build();
    }

    /** Replaces Tribuo's float placeholder type of {@code input_ids} with int64 [batch, sequence]. */
    private static void setIdsType(OnnxMl.GraphProto.Builder graph) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("sequence"))
                .build();
        OnnxMl.ValueInfoProto idsInfo = OnnxMl.ValueInfoProto.newBuilder()
                .setName(ModelFormat.INPUT_IDS)
                .setDocString("token ids, padded with " + Vocabulary.PAD_ID)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                        .setShape(shape)))
                .build();
        for (int i = 0; i < graph.getInputCount(); i++) {
            if (graph.getInput(i).getName().equals(ModelFormat.INPUT_IDS)) {
                graph.setInput(i, idsInfo);
                return;
            }
        }
        throw new IllegalStateException("the graph has no input " + ModelFormat.INPUT_IDS);
    }
}
