package dev.sentikit.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The networks the trainer can build; each one exports to ONNX with the same interface and metadata. */
public enum Architecture {
    /** Embedding of word and bigram ids, masked mean pooling, one linear layer: the classic fast baseline. */
    BAG(true),
    /** Word embeddings, 1-D convolutions of widths 3 and 5, max pooling over the text, one linear layer. */
    CNN(false),
    /** Word embeddings, a forward and a backward LSTM, their final states, one linear layer. */
    BILSTM(false);

    private final boolean bigrams;

    Architecture(boolean bigrams) {
        this.bigrams = bigrams;
    }

    /**
     * Whether the network reads word bigrams; the sequence networks read words in order and see pairs by
     * themselves.
     */
    public boolean usesBigrams() {
        return bigrams;
    }

    /**
     * A new network of this architecture.
     *
     * @param rows embedding rows (the encoder's id space)
     * @param dim embedding width
     * @param labels output labels
     * @param hidden convolution filters per width (cnn) or LSTM state size (bilstm); unused by bag
     */
    public SentimentBlock newBlock(long rows, int dim, int labels, int hidden) {
        switch (this) {
            case BAG:
                return new BagBlock(rows, dim, labels);
            case CNN:
                return new CnnBlock(rows, dim, labels, hidden);
            case BILSTM:
                return new BiLstmBlock(rows, dim, labels, hidden);
            default:
                throw new AssertionError(this);
        }
    }

    /** The name used on the command line and in model cards. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a name such as {@code bag}.
     *
     * @throws IllegalArgumentException listing the supported names
     */
    public static Architecture parse(String name) {
        for (Architecture a : values()) {
            if (a.id().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "': supported models are "
                + Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", ")));
    }
}
