package dev.sentikit.export.graph;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.train.BagBlock;
import dev.sentikit.train.BiLstmBlock;
import dev.sentikit.train.CnnBlock;
import dev.sentikit.train.SentimentBlock;
import java.util.Map;

/** Writes a trained network as the ONNX graph of its architecture. */
public final class ModelGraphs {

    private ModelGraphs() {}

    /**
     * The ONNX model of {@code block}, whose parameters must be initialized: {@link BagGraph}, {@link CnnGraph} or
     * {@link BiLstmGraph}.
     *
     * @param metadataProps the file's {@code metadata_props}
     * @param producerVersion the Sentikit version writing the file
     * @throws UnsupportedOperationException for a network with no ONNX graph
     */
    public static OnnxMl.ModelProto build(SentimentBlock block, Map<String, String> metadataProps,
            String producerVersion) {
        if (block instanceof BagBlock) {
            BagBlock bag = (BagBlock) block;
            long[] shape = bag.embedding().getArray().getShape().getShape();
            BagWeights weights = new BagWeights(bag.embedding().getArray().toFloatArray(), (int) shape[0],
                    (int) shape[1], bag.weight().getArray().toFloatArray(), bag.bias().getArray().toFloatArray(),
                    bag.labels());
            return BagGraph.build(weights, metadataProps, producerVersion);
        }
        if (block instanceof CnnBlock) {
            return CnnGraph.build((CnnBlock) block, metadataProps, producerVersion);
        }
        if (block instanceof BiLstmBlock) {
            return BiLstmGraph.build((BiLstmBlock) block, metadataProps, producerVersion);
        }
        throw new UnsupportedOperationException("no ONNX graph for " + block.getClass().getSimpleName() + " yet");
    }
}
