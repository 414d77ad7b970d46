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
import dev.sentikit.architecture.SentimentBlock;

/**
 * A bidirectional LSTM classifier: word embeddings, one LSTM reading each text forward and one reading it
 * backward, their final states concatenated, then one linear layer. Input: int64 ids [batch, sequence];
 * output: logits [batch, labels].
 *
 * <p>DJL's own bidirectional LSTM orders its weights wrongly on the PyTorch engine, so the two directions are
 * two unidirectional LSTMs. DJL's {@link LSTM} blocks hold their parameters and run the engine's fused kernel
 * where it computes the LSTM equations; where it does not (PyTorch's oneDNN kernel on CPUs with AVX-512, for some
 * state sizes), the block computes the equations itself ({@link LstmRecurrence}). The backward one reads each sequence reversed over its own length (padding stays
 * at the end), so padding never enters either state. A text of length n (at least 1: an empty text reads one
 * padding position) gives the forward state after position n-1 and the backward state after position 0 —
 * exactly ONNX {@code LSTM(direction="bidirectional", sequence_lens=n)}'s {@code Y_h}, which
 * {@link BiLstmGraph} writes.
 */
public final class BiLstmBlock extends SentimentBlock {

    private static final byte VERSION = 1;

    /** The parameters of DJL's one-layer {@link LSTM}, in its order ({@link LstmRecurrence} takes them so). */
    static final java.util.List<String> LSTM_PARAMETERS =
            java.util.List.of("l_0_i2h_WEIGHT", "l_0_h2h_WEIGHT", "l_0_i2h_BIAS", "l_0_h2h_BIAS");

    private final LSTM forward;
    private final LSTM backward;
    private final int hidden;
    private final int dim;
    /** Whether the engine's fused LSTM kernel computes the LSTM equations here; set at initialization. */
    private boolean fused;

    public BiLstmBlock(long rows, int dim, int labels, int hidden) {
        super(VERSION, BiLstmArchitecture.ID, rows, dim, labels);
        this.hidden = hidden;
        this.dim = dim;
        forward = addChildBlock("forward", LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true)
                .optReturnState(false).build());
        backward = addChildBlock("backward", LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true)
                .optReturnState(false).build());
        addHead(2L * hidden, null);
    }

    public LSTM forwardLstm() {
        return forward;
    }

    public LSTM backwardLstm() {
        return backward;
    }




    public int hidden() {
        return hidden;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape embedded = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), dim);
        forward.initialize(manager, dataType, embedded);
        backward.initialize(manager, dataType, embedded);
        fused = LstmRecurrence.fusedKernelAgrees(manager, dim, hidden);
    }

    /**
     * Whether this block runs the engine's fused LSTM kernel (where it agrees with the LSTM equations for this
     * block's sizes) rather than {@link LstmRecurrence}'s steps; known once the block is initialized.
     */
    public boolean usesFusedKernel() {
        return fused;
    }

    /** Makes this initialized block compute the LSTM equations itself, wherever the fused kernel would agree. */
    void useEquations() {
        fused = false;
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

        // Position p of the reversed row is position len-1-p of the row for p < len, itself after.
        NDArray positions = ids.getManager().arange(t).toType(DataType.INT64, false).reshape(1, -1); // [1, T]
        NDArray len = lengths.reshape(-1, 1); // [B, 1]
        NDArray reversedIndex = len.sub(1).sub(positions);
        NDArray index = positions.lt(len).toType(DataType.INT64, false).mul(reversedIndex)
                .add(positions.gte(len).toType(DataType.INT64, false).mul(positions)); // [B, T]
        NDArray reversed = emb.gather(index.expandDims(2).repeat(2, dim), 1); // [B, T, D]

        NDArray features;
        if (fused) {
            NDArray last = lengths.sub(1).reshape(-1, 1, 1).repeat(2, hidden); // [B, 1, H]
            NDArray outF = forward.forward(store, new NDList(emb), training).singletonOrThrow(); // [B, T, H]
            NDArray outB = backward.forward(store, new NDList(reversed), training).singletonOrThrow();
            features = outF.gather(last, 1).squeeze(1).concat(outB.gather(last, 1).squeeze(1), 1); // [B, 2H]
        } else {
            NDArray states = LstmRecurrence.lastStates(parameters(forward, store, device, training),
                    parameters(backward, store, device, training), emb, reversed, lengths); // [2, B, H]
            features = states.get(0).concat(states.get(1), 1); // [B, 2H]
        }
        return Linear.linear(features, store.getValue(weight(), device, training), store.getValue(bias(), device, training));
    }

    /** {@code W_ih}, {@code W_hh}, {@code b_ih}, {@code b_hh} of one of the LSTMs, on {@code device}. */
    private static NDList parameters(LSTM lstm, ParameterStore store, ai.djl.Device device, boolean training) {
        NDList out = new NDList(4);
        for (String name : LSTM_PARAMETERS) {
            out.add(store.getValue(lstm.getParameters().get(name), device, training));
        }
        return out;
    }
}
