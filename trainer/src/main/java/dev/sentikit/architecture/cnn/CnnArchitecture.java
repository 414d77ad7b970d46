package dev.sentikit.architecture.cnn;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.WordEmbeddingArchitecture;
import dev.sentikit.train.SentimentBlock;
import dev.sentikit.train.TrainingConfig;
import java.util.Map;

/**
 * Word embeddings, 1-D convolutions of widths 3 and 5 ({@link TrainingConfig#hiddenSize()} filters each), max pooling
 * over the text, one linear layer. {@link CnnBlock} in training, {@link CnnGraph} in the exported file.
 */
public final class CnnArchitecture extends WordEmbeddingArchitecture {

    public static final String ID = "cnn";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "word embeddings, convolutions of widths 3 and 5, max pooling, one linear layer";
    }

    @Override
    public boolean usesBigrams() {
        return false;
    }

    /** Yes: the hidden size is the number of filters per convolution width. */
    @Override
    public boolean usesHiddenSize() {
        return true;
    }

    @Override
    public SentimentBlock newBlock(TrainingConfig config, long rows, int labels) {
        return new CnnBlock(rows, config.embeddingDim(), labels, config.hiddenSize());
    }

    @Override
    protected OnnxMl.ModelProto writeGraph(SentimentBlock block, Map<String, String> metadataProps,
            String producerVersion) {
        if (!(block instanceof CnnBlock cnn)) {
            throw notThisNetwork(block);
        }
        return CnnGraph.build(cnn, metadataProps, producerVersion);
    }
}
