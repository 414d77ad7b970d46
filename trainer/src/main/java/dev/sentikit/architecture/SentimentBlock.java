package dev.sentikit.architecture;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/**
 * The networks the trainer builds share this contract: input int64 ids [batch, sequence] padded with
 * {@link dev.sentikit.text.Vocabulary#PAD_ID}, output logits [batch, labels], padded positions without effect,
 * and an all-padding row giving a finite result. Each has an ONNX twin, written by its architecture
 * ({@link dev.sentikit.architecture.Architecture#toOnnx}), in the same package as the block.
 */
public abstract class SentimentBlock extends AbstractBlock {

    protected final Parameter embedding;
    protected final int labels;
    private final String architectureId;
    private Parameter weight;
    private Parameter bias;

    /**
     * @param architectureId the id of the block's architecture ({@link Architectures}), such as {@code bag}
     * @param rows embedding rows
     * @param dim embedding width
     * @param labels number of output labels
     */
    protected SentimentBlock(byte version, String architectureId, long rows, int dim, int labels) {
        super(version);
        this.architectureId = architectureId;
        this.labels = labels;
        this.embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, dim)).optInitializer(Initializer.ZEROS).build());
    }

    /**
     * Adds the last linear layer, which gives the logits: {@code weight} [labels, features] and {@code bias}
     * [labels] (zeros). A block calls it once in its constructor, where its parameters' order (which its saved
     * parameters follow) puts them.
     *
     * @param weightInitializer the weight's initial values, or null for the trainer's (Xavier)
     */
    protected final void addHead(long features, Initializer weightInitializer) {
        if (weight != null) {
            throw new IllegalStateException("the head is already added");
        }
        Parameter.Builder w = Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(labels, features));
        if (weightInitializer != null) {
            w.optInitializer(weightInitializer);
        }
        weight = addParameter(w.build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(labels)).optInitializer(Initializer.ZEROS).build());
    }

    /** The embedding table [rows, dim]; row 0 is padding. */
    public Parameter embedding() {
        return embedding;
    }

    public int labels() {
        return labels;
    }

    /** The id of this block's architecture ({@link Architectures}), such as {@code bag}. */
    public final String architectureId() {
        return architectureId;
    }

    /**
     * Texts per forward pass when predicting: the embedding networks take 256 at once; a transformer, whose
     * attention grows with the square of the length, fewer.
     */
    public int predictBatchSize() {
        return 256;
    }

    /** The weights [labels, features] of the last linear layer, which gives the logits. */
    public final Parameter weight() {
        return weight;
    }

    /** The bias [labels] of the last linear layer. */
    public final Parameter bias() {
        return bias;
    }

    /**
     * Called by the trainer once the run's parameters are in place, before its first step (and again when a run
     * resumes), with every text the run will feed the block: its training texts, then its validation texts, each
     * encoded without padding, made only when the block asks for them. A block whose lower layers do not train may compute their output for these texts
     * once, in a fixed order, instead of in every epoch; it must then give what it gives without them, so that the
     * run and its resumed twin stay bit-identical. The default keeps nothing.
     *
     * @param manager the manager of the run, on its first device; what is kept belongs to it
     * @param progress where a long computation tells how far it is, a line at a time
     * @return a line for the user about what was computed, or null
     */
    public String precompute(java.util.function.Supplier<int[][]> texts, NDManager manager,
            java.util.function.Consumer<String> progress) {
        return null;
    }

    /** Drops what {@link #precompute} kept; the trainer calls it when the run ends. */
    public void releasePrecomputed() {}

    /** 1 where the id is not padding, 0 where it is, as float [batch, sequence]. */
    protected static NDArray mask(NDArray ids) {
        return ids.neq(0).toType(DataType.FLOAT32, false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), labels)};
    }
}
