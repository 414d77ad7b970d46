package dev.sentikit.architecture.bag;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.WordEmbeddingArchitecture;
import dev.sentikit.architecture.WordEmbeddingSettings;
import dev.sentikit.architecture.SentimentBlock;
import java.util.Map;

/**
 * Embedding of word and bigram ids, masked mean pooling, one linear layer: the classic fast baseline.
 * {@link BagBlock} in training, {@link BagGraph} in the exported file.
 */
public final class BagArchitecture extends WordEmbeddingArchitecture {

    public static final String ID = "bag";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "embedding bag of words and bigrams, mean pooling, one linear layer (fastest)";
    }

    @Override
    public boolean usesBigrams() {
        return true;
    }

    @Override
    protected SentimentBlock newBlock(WordEmbeddingSettings settings, long rows, int labels) {
        return new BagBlock(rows, settings.embeddingDim(), labels);
    }

    @Override
    protected OnnxMl.ModelProto writeGraph(SentimentBlock block, Map<String, String> metadataProps,
            String producerVersion) {
        if (!(block instanceof BagBlock bag)) {
            throw notThisNetwork(block);
        }
        long[] shape = bag.embedding().getArray().getShape().getShape();
        BagWeights weights = new BagWeights(bag.embedding().getArray().toFloatArray(), (int) shape[0],
                (int) shape[1], bag.weight().getArray().toFloatArray(), bag.bias().getArray().toFloatArray(),
                bag.labels());
        return BagGraph.build(weights, metadataProps, producerVersion);
    }
}
