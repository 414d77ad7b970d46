package dev.sentikit.train;

import java.util.List;

/**
 * Labelled texts ready for training: each text with the index of its label in {@code labels}.
 *
 * @param labels the label names, in the order of the model's outputs
 * @param texts the texts
 * @param targets for each text, the index of its label
 */
public record Examples(List<String> labels, List<String> texts, int[] targets) {

    public Examples {
        labels = List.copyOf(labels);
        texts = List.copyOf(texts);
        if (targets.length != texts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + targets.length + " targets");
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= labels.size()) {
                throw new IllegalArgumentException("target " + targets[i] + " of text " + i + " is not a label index (0.."
                        + (labels.size() - 1) + ")");
            }
        }
    }

    public int size() {
        return texts.size();
    }

    /** The examples at the given positions, in that order. */
    public Examples subset(int[] indices) {
        String[] t = new String[indices.length];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            t[i] = texts.get(indices[i]);
            y[i] = targets[indices[i]];
        }
        return new Examples(labels, List.of(t), y);
    }
}
