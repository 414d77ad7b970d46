package dev.sentikit.architecture.cnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.sentikit.architecture.SentimentBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A convolutional text classifier (after Kim, 2014): word embeddings with padded positions zeroed, 1-D
 * convolutions of widths {@link #WIDTHS} ({@code filters} each, zero-padded to keep the length), ReLU, the
 * maximum over the text's own positions, then one linear layer. Input: int64 ids [batch, sequence];
 * output: logits [batch, labels].
 *
 * <p>Padded positions are zeroed before the convolutions and their outputs are zeroed before the maximum;
 * since ReLU outputs are at least 0, an all-padding row pools to 0 and its logits are the bias.
 * {@link CnnGraph} writes the same computation as ONNX. The convolutions run in {@link ConvKernel}: the engine's
 * kernel where it gives the convolution's values, a matrix product where it does not.
 */
public final class CnnBlock extends SentimentBlock {

    /** Convolution widths: odd, so that symmetric padding keeps the sequence length. */
    public static final int[] WIDTHS = {3, 5};

    private static final byte VERSION = 1;

    private final List<Parameter> convWeights = new ArrayList<>();
    private final List<Parameter> convBiases = new ArrayList<>();
    private final int filters;

    public CnnBlock(long rows, int dim, int labels, int filters) {
        super(VERSION, CnnArchitecture.ID, rows, dim, labels);
        this.filters = filters;
        for (int w : WIDTHS) {
            convWeights.add(addParameter(Parameter.builder().setName("conv" + w + "_weight")
                    .setType(Parameter.Type.WEIGHT).optShape(new Shape(filters, dim, w)).build()));
            convBiases.add(addParameter(Parameter.builder().setName("conv" + w + "_bias")
                    .setType(Parameter.Type.BIAS).optShape(new Shape(filters)).optInitializer(Initializer.ZEROS)
                    .build()));
        }
        addHead((long) filters * WIDTHS.length, null);
    }

    /** The weights [filters, dim, width] of the convolution of width {@code WIDTHS[i]}. */
    public Parameter convWeight(int i) {
        return convWeights.get(i);
    }

    /** The biases [filters] of the convolution of width {@code WIDTHS[i]}. */
    public Parameter convBias(int i) {
        return convBiases.get(i);
    }




    public int filters() {
        return filters;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        var device = ids.getDevice();
        NDArray mask = mask(ids); // [B, T]
        NDArray emb = Embedding.embedding(ids, store.getValue(embedding, device, training), SparseFormat.DENSE)
                .singletonOrThrow(); // [B, T, D]
        NDArray x = emb.mul(mask.expandDims(2)).transpose(0, 2, 1); // [B, D, T], padding zeroed
        NDArray outMask = mask.expandDims(1); // [B, 1, T]
        NDList pooled = new NDList();
        for (int i = 0; i < WIDTHS.length; i++) {
            int pad = WIDTHS[i] / 2;
            NDArray conv = ConvKernel.conv1d(x, store.getValue(convWeights.get(i), device, training),
                    store.getValue(convBiases.get(i), device, training), pad); // [B, F, T]
            pooled.add(conv.maximum(0f).mul(outMask).max(new int[] {2})); // [B, F]
        }
        NDArray features = NDArrays.concat(pooled, 1); // [B, F * widths]
        return Linear.linear(features, store.getValue(weight(), device, training), store.getValue(bias(), device, training));
    }
}
