package dev.sentikit.architecture;

import ai.onnx.proto.OnnxMl;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.sentikit.export.graph.BagGraph;
import dev.sentikit.export.graph.BagWeights;
import dev.sentikit.export.graph.BiLstmGraph;
import dev.sentikit.export.graph.CnnGraph;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.Vocabulary;
import dev.sentikit.train.BagBlock;
import dev.sentikit.train.BiLstmBlock;
import dev.sentikit.train.CnnBlock;
import dev.sentikit.train.PretrainedEmbeddings;
import dev.sentikit.train.SentimentBlock;
import dev.sentikit.train.TrainingConfig;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The architectures that read the {@code sentikit-words-v1} encoder with a vocabulary learned from the training
 * data and train their embedding from scratch (seeded random, or pretrained GloVe vectors): bag, cnn and bilstm.
 */
public final class WordsArchitecture implements Architecture {

    /** Embedding of word and bigram ids, masked mean pooling, one linear layer: the classic fast baseline. */
    public static final WordsArchitecture BAG = new WordsArchitecture("bag",
            "embedding bag of words and bigrams, mean pooling, one linear layer (fastest)", true);
    /** Word embeddings, 1-D convolutions of widths 3 and 5, max pooling over the text, one linear layer. */
    public static final WordsArchitecture CNN = new WordsArchitecture("cnn",
            "word embeddings, convolutions of widths 3 and 5, max pooling, one linear layer", false);
    /** Word embeddings, a forward and a backward LSTM, their final states, one linear layer. */
    public static final WordsArchitecture BILSTM = new WordsArchitecture("bilstm",
            "word embeddings, a forward and a backward LSTM, one linear layer", false);

    /** Adam's step size; 5e-3 suits embedding bags, whose rows receive sparse gradients. */
    public static final Defaults DEFAULTS = new Defaults(TrainingConfig.DEFAULT_EPOCHS,
            TrainingConfig.DEFAULT_BATCH_SIZE, TrainingConfig.DEFAULT_LEARNING_RATE, EncoderSpec.DEFAULT_MAX_TOKENS,
            0f, 0f, 0, TrainingConfig.LrDecay.NONE, 0);

    /** Scale of the uniform initial embedding values: small, so that early means are near 0. */
    private static final float EMBEDDING_INIT = 0.05f;

    private final String id;
    private final String summary;
    private final boolean bigrams;

    private WordsArchitecture(String id, String summary, boolean bigrams) {
        this.id = id;
        this.summary = summary;
        this.bigrams = bigrams;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public Defaults defaults() {
        return DEFAULTS;
    }

    /** Whether the network reads word bigrams; the sequence networks read words in order and see pairs by themselves. */
    public boolean usesBigrams() {
        return bigrams;
    }

    @Override
    public void configure(TrainingConfig.Builder config, Options options, Consumer<String> log) {
        if (options.base() != null || options.baseTokenizer() != null || options.pooling() != null
                || options.dropout() != null || options.freezeEncoder()) {
            throw new IllegalArgumentException("--base, --base-tokenizer, --pooling, --dropout and --freeze-encoder "
                    + "are for --model transformer, not " + id);
        }
        config.optEncoder(EncoderSpec.defaults().withMaxTokens(options.maxTokens())
                .withHashBuckets(options.hashBuckets()).withBigrams(options.bigrams() && bigrams))
                .optEmbeddingDim(options.embeddingDim())
                .optHiddenSize(options.hiddenSize());
    }

    @Override
    public SentimentBlock newBlock(TrainingConfig config, long rows, int labels) {
        if (this == BAG) {
            return new BagBlock(rows, config.embeddingDim(), labels);
        }
        if (this == CNN) {
            return new CnnBlock(rows, config.embeddingDim(), labels, config.hiddenSize());
        }
        return new BiLstmBlock(rows, config.embeddingDim(), labels, config.hiddenSize());
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

    @Override
    public OnnxMl.ModelProto toOnnx(SentimentBlock block, Map<String, String> metadataProps, String producerVersion,
            ExportOptions options) {
        if (options.quantization() != Quantization.NONE) {
            throw new IllegalArgumentException("--quantize is for transformer models; a " + id + " model is "
                    + "written in float32");
        }
        if (block instanceof BagBlock bag) {
            long[] shape = bag.embedding().getArray().getShape().getShape();
            BagWeights weights = new BagWeights(bag.embedding().getArray().toFloatArray(), (int) shape[0],
                    (int) shape[1], bag.weight().getArray().toFloatArray(), bag.bias().getArray().toFloatArray(),
                    bag.labels());
            return BagGraph.build(weights, metadataProps, producerVersion);
        }
        if (block instanceof CnnBlock cnn) {
            return CnnGraph.build(cnn, metadataProps, producerVersion);
        }
        if (block instanceof BiLstmBlock bilstm) {
            return BiLstmGraph.build(bilstm, metadataProps, producerVersion);
        }
        throw new IllegalArgumentException("not a " + id + " network: " + block.getClass().getSimpleName());
    }
}
