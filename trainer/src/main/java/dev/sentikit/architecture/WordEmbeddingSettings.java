package dev.sentikit.architecture;

import java.nio.file.Path;

/**
 * The settings of the networks that train their word embedding from scratch ({@link WordEmbeddingArchitecture}:
 * bag, cnn, bilstm).
 *
 * @param embeddingDim the embedding's width
 * @param hiddenSize convolution filters per width (cnn) or LSTM state size (bilstm); a bag has none and ignores it
 * @param embeddings GloVe-format word vectors that initialize the embedding (their width must be
 *     {@code embeddingDim}), or null for seeded random values
 */
public record WordEmbeddingSettings(int embeddingDim, int hiddenSize, Path embeddings)
        implements ArchitectureSettings {

    public static final int DEFAULT_EMBEDDING_DIM = 64;
    /** Convolution filters per width (cnn) or LSTM state size (bilstm). */
    public static final int DEFAULT_HIDDEN_SIZE = 128;

    public WordEmbeddingSettings {
        if (embeddingDim < 1) {
            throw new IllegalArgumentException("embedding dim must be >= 1, got " + embeddingDim);
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hidden size must be >= 1, got " + hiddenSize);
        }
    }

    /** Width {@value #DEFAULT_EMBEDDING_DIM}, hidden size {@value #DEFAULT_HIDDEN_SIZE}, random initial vectors. */
    public static WordEmbeddingSettings defaults() {
        return new WordEmbeddingSettings(DEFAULT_EMBEDDING_DIM, DEFAULT_HIDDEN_SIZE, null);
    }

    public WordEmbeddingSettings withEmbeddingDim(int dim) {
        return new WordEmbeddingSettings(dim, hiddenSize, embeddings);
    }

    public WordEmbeddingSettings withHiddenSize(int size) {
        return new WordEmbeddingSettings(embeddingDim, size, embeddings);
    }

    public WordEmbeddingSettings withEmbeddings(Path file) {
        return new WordEmbeddingSettings(embeddingDim, hiddenSize, file);
    }
}
