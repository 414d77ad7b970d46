package dev.sentikit.architecture;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The architectures that read the {@code sentikit-words-v1} encoder with a vocabulary learned from the training
 * data and train their embedding from scratch (seeded random, or pretrained GloVe vectors), such as {@code bag},
 * {@code cnn} and {@code bilstm}. What they share is here: their defaults, the options they take from the command
 * line, the embedding's initial values, and float32 export. A subclass names its network ({@link #id},
 * {@link #summary}), says whether it reads bigrams ({@link #usesBigrams}), builds its block ({@link #newBlock}) and
 * writes its graph ({@link #writeGraph}).
 */
public abstract class WordEmbeddingArchitecture implements Architecture {

    /**
     * The settings these networks train with when the user gives none: 5 epochs, batches of 64, Adam at 5e-3
     * (which suits embedding rows that receive sparse gradients), and no weight decay, clipping, warm-up, decay or
     * early stopping.
     */
    public static final Defaults DEFAULTS = new Defaults(5, 64, 5e-3f, 0f, 0f, 0, LrDecay.NONE, 0);

    /** Scale of the uniform initial embedding values: small, so that early means are near 0. */
    private static final float EMBEDDING_INIT = 0.05f;

    protected WordEmbeddingArchitecture() {}

    @Override
    public Defaults defaults(ArchitectureSettings settings) {
        return DEFAULTS;
    }

    /**
     * Whether the network reads word bigrams (then {@code --bigrams} applies); the sequence networks read words in
     * order and see pairs by themselves.
     */
    public abstract boolean usesBigrams();

    /**
     * Whether the network's shape depends on {@link WordEmbeddingSettings#hiddenSize()} (a cnn's filters, a
     * bilstm's state size); only then is it recorded, as {@code hidden_size}.
     */
    public boolean usesHiddenSize() {
        return false;
    }

    @Override
    public Configured configure(Options options, Consumer<String> log) throws IOException {
        if (options.base() != null || options.baseTokenizer() != null || options.pooling() != null
                || options.dropout() != null || options.freezeEncoder()) {
            throw new IllegalArgumentException("--base, --base-tokenizer, --pooling, --dropout and --freeze-encoder "
                    + "are for --model transformer, not " + id());
        }
        int dim = options.embeddingDim() != null ? options.embeddingDim()
                : options.embeddings() != null ? PretrainedEmbeddings.dimension(options.embeddings())
                : WordEmbeddingSettings.DEFAULT_EMBEDDING_DIM;
        EncoderSpec encoder = EncoderSpec.defaults()
                .withMaxTokens(options.maxTokens() != null ? options.maxTokens() : EncoderSpec.DEFAULT_MAX_TOKENS)
                .withHashBuckets(options.hashBuckets()).withBigrams(options.bigrams() && usesBigrams())
                .withTruncation(options.truncationOrHead());
        return new Configured(encoder, new WordEmbeddingSettings(dim, options.hiddenSize(), options.embeddings()));
    }

    @Override
    public WordEmbeddingSettings defaultSettings() {
        return WordEmbeddingSettings.defaults();
    }

    @Override
    public void check(ArchitectureSettings settings, EncoderSpec encoder) {
        settings(settings);
        if (encoder.usesWordPiece()) {
            throw new IllegalArgumentException("a " + id() + " network reads the words encoder, not WordPiece");
        }
    }

    /** {@code settings} as this family's, or an exception naming what they are. */
    protected final WordEmbeddingSettings settings(ArchitectureSettings settings) {
        if (settings instanceof WordEmbeddingSettings w) {
            return w;
        }
        throw new IllegalArgumentException("not the settings of a " + id() + " network: "
                + (settings == null ? "none" : settings.getClass().getSimpleName()));
    }

    @Override
    public Map<String, Object> writeSettings(ArchitectureSettings settings) {
        WordEmbeddingSettings w = settings(settings);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("embedding_dim", w.embeddingDim());
        if (usesHiddenSize()) {
            m.put("hidden_size", w.hiddenSize());
        }
        if (w.embeddings() != null) {
            m.put("embeddings", w.embeddings().toString()); // as given: a run started again reads it from there
        }
        return m;
    }

    /**
     * The settings {@link #writeSettings} wrote. A checkpoint read back takes its embedding from its parameters;
     * only a run started again reads the word vectors' file.
     */
    @Override
    public WordEmbeddingSettings readSettings(Map<String, Object> h) {
        Object dim = h.get("embedding_dim");
        if (!(dim instanceof Number d)) {
            throw new IllegalArgumentException("the model card has no provenance.hyperparameters.embedding_dim");
        }
        Object hidden = h.get("hidden_size");
        Object vectors = h.get("embeddings");
        return new WordEmbeddingSettings(d.intValue(), hidden instanceof Number n ? n.intValue()
                : WordEmbeddingSettings.DEFAULT_HIDDEN_SIZE, vectors == null ? null : Path.of(vectors.toString()));
    }

    @Override
    public Map<String, String> optionValues(ArchitectureSettings settings) {
        WordEmbeddingSettings w = settings(settings);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--embedding-dim", Integer.toString(w.embeddingDim()));
        if (usesHiddenSize()) {
            m.put("--hidden-size", Integer.toString(w.hiddenSize()));
        }
        m.put("--embeddings", w.embeddings() == null ? "none" : w.embeddings().getFileName().toString());
        return m;
    }

    /** {@code --hidden-size} where the network has no hidden size. */
    @Override
    public java.util.Set<String> ignoredOptions() {
        return usesHiddenSize() ? java.util.Set.of() : java.util.Set.of("--hidden-size");
    }

    @Override
    public final SentimentBlock newBlock(ArchitectureSettings settings, long rows, int labels) {
        return newBlock(settings(settings), rows, labels);
    }

    /** This architecture's network with {@code settings}' sizes. */
    protected abstract SentimentBlock newBlock(WordEmbeddingSettings settings, long rows, int labels);

    /**
     * Seeded initial embeddings: uniform in [-{@value #EMBEDDING_INIT}, {@value #EMBEDDING_INIT}], with row 0
     * (padding) zero, and pretrained vectors where the settings name them. The other weights come from DJL's
     * initializers, seeded through the engine.
     */
    @Override
    public String initialize(SentimentBlock block, ArchitectureSettings settings, Vocabulary vocabulary,
            Random random, Prepared prepared) throws IOException {
        WordEmbeddingSettings w = settings(settings);
        NDArray embedding = block.embedding().getArray();
        Shape es = embedding.getShape();
        float[] e = new float[Math.toIntExact(es.size())];
        int dim = (int) es.get(1);
        for (int i = dim; i < e.length; i++) {
            e[i] = (random.nextFloat() * 2 - 1) * EMBEDDING_INIT;
        }
        String note = null;
        if (w.embeddings() != null) {
            note = "embeddings: " + PretrainedEmbeddings.apply(w.embeddings(), vocabulary, e, dim);
        }
        embedding.set(java.nio.FloatBuffer.wrap(e));
        return note;
    }

    /** Writes the graph in float32 ({@link #writeGraph}); {@code --quantize} does not apply. */
    @Override
    public final OnnxMl.ModelProto toOnnx(SentimentBlock block, Map<String, String> metadataProps,
            String producerVersion, ExportOptions options) {
        if (options.quantization() != Quantization.NONE) {
            throw new IllegalArgumentException("--quantize is for transformer models; a " + id() + " model is "
                    + "written in float32");
        }
        return writeGraph(block, metadataProps, producerVersion);
    }

    /**
     * The float32 ONNX model of a trained {@code block} of this architecture.
     *
     * @param metadataProps the file's {@code metadata_props}, written in iteration order
     * @param producerVersion the Sentikit version writing the file
     * @throws IllegalArgumentException when {@code block} is not this architecture's network
     *     ({@link #notThisNetwork}) or its parameters cannot be written
     */
    protected abstract OnnxMl.ModelProto writeGraph(SentimentBlock block, Map<String, String> metadataProps,
            String producerVersion);

    /** The exception for a block of another architecture given to {@link #writeGraph}. */
    protected final IllegalArgumentException notThisNetwork(SentimentBlock block) {
        return new IllegalArgumentException("not a " + id() + " network: " + block.getClass().getSimpleName());
    }
}
