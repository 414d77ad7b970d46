package dev.sentikit.architecture.bilstm;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.WordEmbeddingArchitecture;
import dev.sentikit.architecture.WordEmbeddingSettings;
import dev.sentikit.architecture.SentimentBlock;
import java.util.Map;

/**
 * Word embeddings, a forward and a backward LSTM ({@link WordEmbeddingSettings#hiddenSize()} state each), their final
 * states, one linear layer. {@link BiLstmBlock} in training, {@link BiLstmGraph} in the exported file.
 */
public final class BiLstmArchitecture extends WordEmbeddingArchitecture {

    public static final String ID = "bilstm";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "word embeddings, a forward and a backward LSTM, one linear layer";
    }

    @Override
    public boolean usesBigrams() {
        return false;
    }

    /** Yes: the hidden size is the state size of each LSTM. */
    @Override
    public boolean usesHiddenSize() {
        return true;
    }

    @Override
    protected SentimentBlock newBlock(WordEmbeddingSettings settings, long rows, int labels) {
        return new BiLstmBlock(rows, settings.embeddingDim(), labels, settings.hiddenSize());
    }

    @Override
    protected OnnxMl.ModelProto writeGraph(SentimentBlock block, Map<String, String> metadataProps,
            String producerVersion) {
        if (!(block instanceof BiLstmBlock bilstm)) {
            throw notThisNetwork(block);
        }
        return BiLstmGraph.build(bilstm, metadataProps, producerVersion);
    }
}
