package dev.sentikit.graph;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * ONNX operators the Sentikit graphs need that Tribuo's {@link ONNXOperators} lacks, at the same opset (13). Tribuo
 * refuses attributes an operator does not declare, so each one declares the attributes of its opset-13 definition
 * with their ONNX types (none is mandatory: the graphs always set what they rely on).
 */
public enum GraphOperators implements ONNXOperator {
    /** Element-wise equality with broadcasting; bool output. */
    EQUAL("Equal", 2, 0, 1),
    /** Element-wise logical not. */
    NOT("Not", 1, 0, 1),
    /** Element-wise maximum of its inputs, with broadcasting. */
    MAX("Max", ONNXAttribute.VARIADIC_INPUT, 0, 1),
    /** max(x, 0). */
    RELU("Relu", 1, 0, 1),
    /** Convolution: inputs X [N, C, spatial...], W [M, C/group, kernel...], optional B [M]. */
    CONV("Conv", 2, 1, 1,
            attribute("auto_pad", AttributeType.STRING),
            attribute("dilations", AttributeType.INTS),
            attribute("group", AttributeType.INT),
            attribute("kernel_shape", AttributeType.INTS),
            attribute("pads", AttributeType.INTS),
            attribute("strides", AttributeType.INTS)),
    /** Maximum over {@code axes} (an attribute up to opset 17). */
    REDUCE_MAX("ReduceMax", 1, 0, 1,
            attribute("axes", AttributeType.INTS),
            attribute("keepdims", AttributeType.INT)),
    /** Permutes the axes. */
    TRANSPOSE("Transpose", 1, 0, 1, attribute("perm", AttributeType.INTS)),
    /** Reshapes to the int64 shape given as the second input (0 copies the input's dimension). */
    RESHAPE("Reshape", 2, 0, 1),
    /**
     * The LSTM of opset 7 to 13 (no {@code layout} attribute: X is [seq, batch, input]). Inputs X, W, R and the
     * optional B, sequence_lens (int32), initial_h, initial_c, P; outputs Y and Y_h (the optional Y_c is left out).
     */
    LSTM("LSTM", 3, 5, 2,
            attribute("activation_alpha", AttributeType.FLOATS),
            attribute("activation_beta", AttributeType.FLOATS),
            attribute("activations", AttributeType.STRINGS),
            attribute("clip", AttributeType.FLOAT),
            attribute("direction", AttributeType.STRING),
            attribute("hidden_size", AttributeType.INT),
            attribute("input_forget", AttributeType.INT));

    private final String opName;
    private final int numInputs;
    private final int numOptionalInputs;
    private final int numOutputs;
    private final Map<String, ONNXAttribute> attributes;

    GraphOperators(String opName, int numInputs, int numOptionalInputs, int numOutputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOptionalInputs = numOptionalInputs;
        this.numOutputs = numOutputs;
        Map<String, ONNXAttribute> m = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) {
            m.put(a.getName(), a);
        }
        this.attributes = Collections.unmodifiableMap(m);
    }

    private static ONNXAttribute attribute(String name, AttributeType type) {
        return new ONNXAttribute(name, type, false);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return numInputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return numOptionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return numOutputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Collections.emptySet();
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    /** The default ONNX domain, like Tribuo's standard operators. */
    @Override
    public String getOpDomain() {
        return null;
    }

    @Override
    public OnnxMl.OperatorSetIdProto opsetProto() {
        return ONNXOperators.getOpsetProto();
    }
}
