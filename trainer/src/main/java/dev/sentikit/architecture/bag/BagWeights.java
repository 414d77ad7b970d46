package dev.sentikit.architecture.bag;

import dev.sentikit.graph.GraphSupport;
import java.util.Objects;

/**
 * The parameters of the bag model, as {@link BagGraph} writes them. The arrays are used as given, not copied.
 *
 * @param embedding the embedding table, row-major {@code [rows][dim]}; row 0 is padding
 * @param rows rows of the embedding table: 1 + vocabulary entries + hash buckets
 * @param dim the embedding width
 * @param weight the output layer's weight, row-major {@code [labels][dim]}
 * @param bias the output layer's bias, {@code [labels]}
 * @param labels the number of labels
 */
public record BagWeights(float[] embedding, int rows, int dim, float[] weight, float[] bias, int labels) {

    /**
     * Checks the sizes and values.
     *
     * @throws IllegalArgumentException when a size is not positive, the weights exceed what an ONNX file can hold,
     *     an array's length does not match the sizes, or a value is not finite
     * @throws NullPointerException when an array is null
     */
    public BagWeights {
        Objects.requireNonNull(embedding, "embedding must not be null");
        Objects.requireNonNull(weight, "weight must not be null");
        Objects.requireNonNull(bias, "bias must not be null");
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        }
        if (labels < 1) {
            throw new IllegalArgumentException("labels must be >= 1, got " + labels);
        }
        long embeddingSize = (long) rows * dim;
        long weightSize = (long) labels * dim;
        GraphSupport.checkWeightBytes(embeddingSize + weightSize + labels, "embedding " + rows + " x " + dim);
        if (embedding.length != embeddingSize) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " values, expected rows x dim = "
                    + rows + " x " + dim + " = " + embeddingSize);
        }
        if (weight.length != weightSize) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected labels x dim = "
                    + labels + " x " + dim + " = " + weightSize);
        }
        if (bias.length != labels) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected one per label: "
                    + labels);
        }
        requireFinite("embedding", embedding, dim);
        requireFinite("weight", weight, dim);
        requireFinite("bias", bias, labels);
    }

    private static void requireFinite(String name, float[] values, int width) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + (i / width) + "][" + (i % width) + "] is " + values[i]
                        + ": the weights must be finite (did training diverge?)");
            }
        }
    }
}
