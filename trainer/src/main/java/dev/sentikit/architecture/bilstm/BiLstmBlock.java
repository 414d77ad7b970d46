package dev.sentikit.architecture.bilstm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.sentikit.train.SentimentBlock;

/**
 * A bidirectional LSTM classifier: word embeddings, one LSTM reading each text forward and one reading it
 * backward, their final states concatenated, then one linear layer. Input: int64 ids [batch, sequence];
 * output: logits [batch, labels].
 *
 * <p>DJL's own bidirectional LSTM orders its weights wrongly on the PyTorch engine, so the two directions are
 * two unidirectional LSTMs; the backward one reads each sequence reversed over its own length (padding stays
 * at the end), so padding never enters either state. A text of length n (at least 1: an empty text reads one
 * padding position) gives the forward state after position n-1 and the backward state after position 0 —
 * exactly ONNX {@code LSTM(direction="bidirectional", sequence_lens=n)}'s {@code Y_h}, which
 * {@link BiLstmGraph} writes.
 */
public final class BiLstmBlock extends SentimentBlock {

    private static final byte VERSION = 1;

    private final LSTM forward;
    private final LSTM backward;
    private final Parameter weight;
    private final Parameter bias;
    private final int hidden;
    private final int dim;

    public BiLstmBlock(long rows, int dim, int labels, int hidden) {
        super(VERSION, rows, dim, labels);
        this.hidden = hidden;
        this.dim = dim;
        forward = addChildBlock("forward", LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true)
                .optReturnState(false).build());
        backward = addChildBlock("backward", LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true)
                .optReturnState(false).build());
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(labels, 2L * hidden)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(labels)).optInitializer(Initializer.ZEROS).build());
    }

    public LSTM forwardLstm() {
        return forward;
    }

    public LSTM backwardLstm() {
        return backward;
    }

    @Override
    public String architectureId() {
        return BiLstmArchitecture.ID;
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    @Override
    public Parameter bias() {
        return bias;
    }

    public int hidden() {
        return hidden;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape embedded = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), dim);
        forward.initialize(manager, dataType, embedded);
        backward.initialize(manager, dataType, embedded);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        var device = ids.getDevice();
        NDArray mask = mask(ids); // [B, T]
        long t = ids.getShape().get(1);
        NDArray emb = Embedding.embedding(ids, store.getValue(embedding, device, training), SparseFormat.DENSE)
                .singletonOrThrow().mul(mask.expandDims(2)); // [B, T, D], padding zeroed
        // Lengths clamped to 1, so that an empty text reads one (zero) position in both engines.
        NDArray lengths = mask.sum(new int[] {1}).maximum(1f).toType(DataType.INT64, false); // [B]
        NDArray last = lengths.sub(1).reshape(-1, 1, 1).repeat(2, hidden); // [B, 1, H]

        NDArray outF = forward.forward(store, new NDList(emb), training).singletonOrThrow(); // [B, T, H]
        NDArray hForward = outF.gather(last, 1).squeeze(1); // [B, H]

        // Position p of the reversed row is position len-1-p of the row for p < len, itself after.
        NDArray positions = ids.getManager().arange(t).toType(DataType.INT64, false).reshape(1, -1); // [1, T]
        NDArray len = lengths.reshape(-1, 1); // [B, 1]
        NDArray reversedIndex = len.sub(1).sub(positions);
        NDArray index = positions.lt(len).toType(DataType.INT64, false).mul(reversedIndex)
                .add(positions.gte(len).toType(DataType.INT64, false).mul(positions)); // [B, T]
        NDArray reversed = emb.gather(index.expandDims(2).repeat(2, dim), 1); // [B, T, D]
        NDArray outB = backward.forward(store, new NDList(reversed), training).singletonOrThrow();
        NDArray hBackward = outB.gather(last, 1).squeeze(1); // [B, H]

        NDArray features = hForward.concat(hBackward, 1); // [B, 2H]
        return Linear.linear(features, store.getValue(weight, device, training), store.getValue(bias, device, training));
    }
}
