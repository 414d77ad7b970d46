package dev.sentikit.architecture.cnn;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.WordEmbeddingArchitecture;
import dev.sentikit.architecture.WordEmbeddingSettings;
import dev.sentikit.architecture.SentimentBlock;
import java.util.Map;

/**
 * Word embeddings, 1-D convolutions of widths 3 and 5 ({@link WordEmbeddingSettings#hiddenSize()} filters each), max pooling
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
    protected SentimentBlock newBlock(WordEmbeddingSettings settings, long rows, int labels) {
        return new CnnBlock(rows, settings.embeddingDim(), labels, settings.hiddenSize());
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
