package dev.sentikit.export;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.architecture.SentimentBlock;
import java.util.Map;

/** Writes a trained network as the ONNX graph of its architecture. */
public final class ModelGraphs {

    private ModelGraphs() {}

    /**
     * The ONNX model of {@code block}, whose parameters must be initialized, in float32.
     *
     * @param metadataProps the file's {@code metadata_props}
     * @param producerVersion the Sentikit version writing the file
     */
    public static OnnxMl.ModelProto build(SentimentBlock block, Map<String, String> metadataProps,
            String producerVersion) {
        return build(block, metadataProps, producerVersion, Architecture.ExportOptions.DEFAULT);
    }

    /** The ONNX model of {@code block}, written as {@code options} say (see {@link Architecture#toOnnx}). */
    public static OnnxMl.ModelProto build(SentimentBlock block, Map<String, String> metadataProps,
            String producerVersion, Architecture.ExportOptions options) {
        return Architectures.of(block).toOnnx(block, metadataProps, producerVersion, options);
    }
}
