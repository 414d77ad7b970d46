package dev.sentikit.architecture;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.Vocabulary;
import dev.sentikit.train.PretrainedEmbeddings;
import dev.sentikit.train.SentimentBlock;
import dev.sentikit.train.TrainingConfig;
import java.io.IOException;
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
     * The settings these networks train with when the user gives none: {@link TrainingConfig}'s epochs, batch size and
     * Adam step size (5e-3, which suits embedding rows that receive sparse gradients), the encoder's default token
     * limit, and no weight decay, clipping, warm-up, decay or early stopping.
     */
    public static final Defaults DEFAULTS = new Defaults(TrainingConfig.DEFAULT_EPOCHS,
            TrainingConfig.DEFAULT_BATCH_SIZE, TrainingConfig.DEFAULT_LEARNING_RATE, EncoderSpec.DEFAULT_MAX_TOKENS,
            0f, 0f, 0, TrainingConfig.LrDecay.NONE, 0);

    /** Scale of the uniform initial embedding values: small, so that early means are near 0. */
    private static final float EMBEDDING_INIT = 0.05f;

    protected WordEmbeddingArchitecture() {}

    @Override
    public Defaults defaults() {
        return DEFAULTS;
    }

    /**
     * Whether the network reads word bigrams (then {@code --bigrams} applies); the sequence networks read words in
     * order and see pairs by themselves.
     */
    public abstract boolean usesBigrams();

    @Override
    public void configure(TrainingConfig.Builder config, Options options, Consumer<String> log) {
        if (options.base() != null || options.baseTokenizer() != null || options.pooling() != null
                || options.dropout() != null || options.freezeEncoder()) {
            throw new IllegalArgumentException("--base, --base-tokenizer, --pooling, --dropout and --freeze-encoder "
                    + "are for --model transformer, not " + id());
        }
        config.optEncoder(EncoderSpec.defaults().withMaxTokens(options.maxTokens())
                .withHashBuckets(options.hashBuckets()).withBigrams(options.bigrams() && usesBigrams()))
                .optEmbeddingDim(options.embeddingDim())
                .optHiddenSize(options.hiddenSize());
    }

    /**
     * Seeded initial embeddings: uniform in [-{@value #EMBEDDING_INIT}, {@value #EMBEDDING_INIT}], with row 0
     * (padding) zero, and pretrained vectors where the configuration names them. The other weights come from DJL's
     * initializers, seeded through the engine.
     */
    @Override
    public String initialize(SentimentBlock block, TrainingConfig config, Vocabulary vocabulary, Random random,
            Prepared prepared) throws IOException {
        NDArray embedding = block.embedding().getArray();
        Shape es = embedding.getShape();
        float[] e = new float[Math.toIntExact(es.size())];
        int dim = (int) es.get(1);
        for (int i = dim; i < e.length; i++) {
            e[i] = (random.nextFloat() * 2 - 1) * EMBEDDING_INIT;
        }
        String note = null;
        if (config.embeddings() != null) {
            note = "embeddings: " + PretrainedEmbeddings.apply(config.embeddings(), vocabulary, e, dim);
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
