package dev.sentikit.architecture.bag;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.sentikit.architecture.SentimentBlock;

/**
 * The bag model: an embedding of word and bigram ids, the mean over the non-padding positions, and one
 * linear layer to the label logits. Input: int64 ids [batch, sequence] padded with 0. Output: logits
 * [batch, labels]. An all-padding row has mean 0 (the count is clamped to 1), so its logits are the bias.
 *
 * <p>{@link BagGraph} writes the same computation as an ONNX graph.
 */
public final class BagBlock extends SentimentBlock {

    private static final byte VERSION = 1;


    /**
     * @param rows embedding rows: 1 (padding) + vocabulary entries + hash buckets
     * @param dim embedding width
     * @param labels number of output labels
     */
    public BagBlock(long rows, int dim, int labels) {
        super(VERSION, BagArchitecture.ID, rows, dim, labels);
        addHead(dim, Initializer.ZEROS);
    }




    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        NDArray table = store.getValue(embedding, ids.getDevice(), training);
        NDArray w = store.getValue(weight(), ids.getDevice(), training);
        NDArray b = store.getValue(bias(), ids.getDevice(), training);
        NDArray emb = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow(); // [B, T, D]
        NDArray mask = mask(ids); // [B, T]
        NDArray sum = emb.mul(mask.expandDims(2)).sum(new int[] {1}); // [B, D]
        NDArray count = mask.sum(new int[] {1}, true).maximum(1f); // [B, 1]
        NDArray mean = sum.div(count);
        return Linear.linear(mean, w, b);
    }
}
