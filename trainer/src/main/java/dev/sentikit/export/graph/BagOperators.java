package dev.sentikit.export.graph;

import ai.onnx.proto.OnnxMl;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/** ONNX operators the bag graph needs that Tribuo's {@link ONNXOperators} lacks, at the same opset. */
enum BagOperators implements ONNXOperator {
    /** Element-wise equality with broadcasting; bool output. */
    EQUAL("Equal", 2),
    /** Element-wise logical not. */
    NOT("Not", 1),
    /** Element-wise maximum of its inputs, with broadcasting. */
    MAX("Max", ONNXAttribute.VARIADIC_INPUT);

    private final String opName;
    private final int numInputs;

    BagOperators(String opName, int numInputs) {
        this.opName = opName;
        this.numInputs = numInputs;
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
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Collections.emptyMap();
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
