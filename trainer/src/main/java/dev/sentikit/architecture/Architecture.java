package dev.sentikit.architecture;

import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.model.BaseModel;
import dev.sentikit.text.Vocabulary;
import dev.sentikit.train.SentimentBlock;
import dev.sentikit.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A network the trainer can build, train and export. Each architecture is one package under
 * {@code dev.sentikit.architecture} (its block, its ONNX graph writer, its encoder and its defaults) and one line in
 * {@link Architectures}; the trainer, the exporter and the CLI know architectures only through this interface.
 *
 * <p>The contract every block keeps is {@link SentimentBlock}'s; every graph {@link #toOnnx} writes has the model
 * format's input {@code input_ids} (and optionally {@code attention_mask}) and outputs {@code logits} and
 * {@code probabilities}, and must give the block's probabilities within the exporter's parity tolerance.
 */
public interface Architecture {

    /** The name used on the command line and in model cards, such as {@code bag}. */
    String id();

    /** One line for {@code --help}. */
    String summary();

    /** The settings this architecture trains with when the user gives none. */
    Defaults defaults();

    /**
     * The settings a run trains with when the user gives none, {@code frozen} when only the head trains
     * ({@code --freeze-encoder}); the same as {@link #defaults()} unless the architecture has a frozen part.
     */
    default Defaults defaults(boolean frozen) {
        return defaults();
    }

    /**
     * Whether the network's shape depends on {@link TrainingConfig#hiddenSize()} (a cnn's filters, a bilstm's state
     * size); only then does the model card record it, as {@code hidden_size}.
     */
    default boolean usesHiddenSize() {
        return false;
    }

    /**
     * Sets the encoder and the architecture's own settings on {@code config} from the user's options.
     *
     * @throws IOException when a file the settings name cannot be read (a base encoder)
     * @throws IllegalArgumentException when an option does not apply or is invalid, saying which
     */
    void configure(TrainingConfig.Builder config, Options options, Consumer<String> log) throws IOException;

    /**
     * What a run needs before training starts: a fixed vocabulary (a pretrained encoder's) or none (the vocabulary
     * is learned from the data), a base's weights, files for the checkpoint.
     */
    default Prepared prepare(TrainingConfig config, Consumer<String> log) throws IOException {
        return Prepared.NONE;
    }

    /** A new network; its parameters get values from DJL's initializers, then from {@link #initialize}. */
    SentimentBlock newBlock(TrainingConfig config, long rows, int labels);

    /**
     * Sets the parameters' starting values after DJL initialized them: seeded random or pretrained word vectors,
     * or a base encoder's weights.
     *
     * @return a line for the user about what was loaded (such as the pretrained vectors' coverage), or null
     */
    String initialize(SentimentBlock block, TrainingConfig config, Vocabulary vocabulary, Random random,
            Prepared prepared) throws IOException;

    /** Whether AdamW's decoupled weight decay applies to {@code parameter}: weights, not biases or norms. */
    default boolean decays(Parameter parameter) {
        return parameter.getType() == Parameter.Type.WEIGHT;
    }

    /**
     * The ONNX model of a trained {@code block} of this architecture.
     *
     * @param metadataProps the file's {@code metadata_props}, written in iteration order
     * @param producerVersion the Sentikit version writing the file
     * @param options how to write it ({@code --quantize})
     * @throws IllegalArgumentException when the block's parameters cannot be written, or an option does not apply
     */
    OnnxMl.ModelProto toOnnx(SentimentBlock block, Map<String, String> metadataProps, String producerVersion,
            ExportOptions options);

    /** What the user asked for, as the CLI reads it; each architecture takes what applies to it. */
    record Options(int maxTokens, boolean maxTokensGiven, int hashBuckets, boolean bigrams, int embeddingDim,
            int hiddenSize, String base, Path baseTokenizer, String pooling, Float dropout, boolean freezeEncoder) {}

    /** Settings a user leaves out. */
    record Defaults(int epochs, int batchSize, float learningRate, int maxTokens, float weightDecay, float clipNorm,
            double warmupFraction, TrainingConfig.LrDecay lrDecay, int patience) {}

    /** See {@link #prepare}. */
    record Prepared(Vocabulary vocabulary, BaseModel base, Map<String, String> checkpointFiles, Object state) {
        public static final Prepared NONE = new Prepared(null, null, Map.of(), null);
    }

    /** How a model is written. */
    record ExportOptions(Quantization quantization) {
        public static final ExportOptions DEFAULT = new ExportOptions(Quantization.NONE);
    }

    /** How weights are stored in the file. */
    enum Quantization {
        /** float32, as trained. */
        NONE,
        /** 8-bit weight matrices and embeddings with a float scale per output channel (per row). */
        INT8;

        public static Quantization parse(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "none", "fp32", "float32" -> NONE;
                case "int8" -> INT8;
                default -> throw new IllegalArgumentException("--quantize must be int8 (or none), got '" + s + "'");
            };
        }
    }
}
