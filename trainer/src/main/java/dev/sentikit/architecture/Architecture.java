package dev.sentikit.architecture;

import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.model.BaseModel;
import dev.sentikit.text.Vocabulary;
import dev.sentikit.text.EncoderSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A network the trainer can build, train and export. Each architecture is one package under
 * {@code dev.sentikit.architecture} (its block, its ONNX graph writer, its settings and its defaults) and one line in
 * {@link Architectures}; the trainer, the exporter and the CLI know architectures only through this interface.
 *
 * <p>An architecture owns its settings ({@link ArchitectureSettings}): it makes them from the command line's options
 * ({@link #configure}), writes them into a model card's hyperparameters and reads them back ({@link #writeSettings},
 * {@link #readSettings}), names the options that set them for {@code --resume} ({@link #optionValues}), and keeps
 * the files a run needs beside its parameters ({@link #checkpointFiles}, {@link #exportMetadata}). What every
 * architecture shares (epochs, batches, the optimizer, the encoder) is the trainer's {@code TrainingConfig}.
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

    /** The settings a run of this architecture trains with when the user gives none. */
    Defaults defaults(ArchitectureSettings settings);

    /**
     * The settings of this architecture, and the encoder they imply, from the user's options.
     *
     * @throws IOException when a file the options name cannot be read (a base encoder, word vectors)
     * @throws IllegalArgumentException when an option does not apply or is invalid, saying which
     */
    Configured configure(Options options, Consumer<String> log) throws IOException;

    /**
     * The settings a Java program gets when it names only the architecture.
     *
     * @throws IllegalArgumentException when the architecture has no such settings (a transformer needs its base)
     */
    ArchitectureSettings defaultSettings();

    /**
     * Checks that {@code settings} are this architecture's and fit {@code encoder}.
     *
     * @throws IllegalArgumentException saying what does not fit
     */
    void check(ArchitectureSettings settings, EncoderSpec encoder);

    /** The settings as written under a card's {@code provenance.hyperparameters}, beside the shared ones. */
    Map<String, Object> writeSettings(ArchitectureSettings settings);

    /**
     * What {@link #writeSettings} wrote, from a card's hyperparameters (which also hold the shared settings).
     *
     * @throws IllegalArgumentException when a setting is missing or invalid
     */
    ArchitectureSettings readSettings(Map<String, Object> hyperparameters);

    /**
     * The command-line options that set {@code settings}, each with its value as the option would give it (a
     * flag: {@code true} or {@code false}): what {@code train --resume} compares with the options given.
     */
    Map<String, String> optionValues(ArchitectureSettings settings);

    /**
     * Command-line options this architecture accepts and does not use (a bag's {@code --hidden-size}): given with
     * {@code train --resume}, they are not compared with the run's settings.
     */
    default Set<String> ignoredOptions() {
        return Set.of();
    }

    /**
     * What a run needs before training starts: a fixed vocabulary (a pretrained encoder's) or none (the vocabulary
     * is learned from the data), a base's weights, files for the checkpoint.
     */
    default Prepared prepare(ArchitectureSettings settings, EncoderSpec encoder, Consumer<String> log)
            throws IOException {
        return Prepared.NONE;
    }

    /**
     * The files, besides its parameters, that a run of this architecture keeps in its directory (those
     * {@link Prepared#checkpointFiles} name).
     */
    default List<String> checkpointFiles() {
        return List.of();
    }

    /**
     * Entries for the exported file's {@code metadata_props} that come from the checkpoint's own files (such as
     * a base's {@code tokenizer.json}).
     */
    default Map<String, String> exportMetadata(Path checkpointDir, EncoderSpec encoder) throws IOException {
        return Map.of();
    }

    /** A new network; its parameters get values from DJL's initializers, then from {@link #initialize}. */
    SentimentBlock newBlock(ArchitectureSettings settings, long rows, int labels);

    /**
     * Sets the parameters' starting values after DJL initialized them: seeded random or pretrained word vectors,
     * or a base encoder's weights.
     *
     * @return a line for the user about what was loaded (such as the pretrained vectors' coverage), or null
     */
    String initialize(SentimentBlock block, ArchitectureSettings settings, Vocabulary vocabulary, Random random,
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

    /** An architecture's settings made from the command line, and the encoder they imply. */
    record Configured(EncoderSpec encoder, ArchitectureSettings settings) {}

    /** What the user asked for, as the CLI reads it; each architecture takes what applies to it. */
    /**
     * What the user asked for, as the CLI reads it; each architecture takes what applies to it.
     *
     * @param maxTokens {@code --max-tokens}, or null for the architecture's default
     * @param embeddingDim {@code --embedding-dim}, or null for the default (or the width of {@code embeddings})
     * @param embeddings {@code --embeddings}: GloVe-format word vectors, or null
     * @param truncation {@code --truncation}: which tokens of a longer text are kept, or null for the first
     */
    record Options(Integer maxTokens, int hashBuckets, boolean bigrams, Integer embeddingDim, int hiddenSize,
            Path embeddings, String base, Path baseTokenizer, String pooling, Float dropout, boolean freezeEncoder,
            dev.sentikit.text.Truncation truncation) {

        /** {@link #truncation()}, or {@code head} when none was given. */
        public dev.sentikit.text.Truncation truncationOrHead() {
            return truncation != null ? truncation : dev.sentikit.text.Truncation.HEAD;
        }
    }

    /** Settings a user leaves out. */
    record Defaults(int epochs, int batchSize, float learningRate, float weightDecay, float clipNorm,
            double warmupFraction, LrDecay lrDecay, int patience) {}

    /** See {@link #prepare}. */
    record Prepared(Vocabulary vocabulary, BaseModel base, Map<String, String> checkpointFiles, Object state) {
        public static final Prepared NONE = new Prepared(null, null, Map.of(), null);
    }

    /** How a model is written. */
    record ExportOptions(Quantization quantization) {
        public static final ExportOptions DEFAULT = new ExportOptions(Quantization.NONE);
    }

    /** How weights are stored in the file, and how the graph computes with them. */
    enum Quantization {
        /** float32, as trained. */
        NONE,
        /**
         * int8 compute: the weight matrices are int8 with a float scale per output column, the activations that
         * enter them are quantized per token (one scale per row, so that a text's result does not depend on its
         * batch), and the products run in integer arithmetic; the word embedding is int8 with a scale per row.
         */
        INT8,
        /**
         * int8 storage only: the weight matrices and the word embedding are stored as int8 with float scales and
         * turned back into float32 when the file loads, so inference computes in float32 (a quarter of the bytes,
         * float32 speed; for execution providers without a fast int8 path).
         */
        INT8_WEIGHTS;

        /** The value of {@code --quantize}: {@code int8}, {@code int8-weights} or {@code none}. */
        public static Quantization parse(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "none", "fp32", "float32" -> NONE;
                case "int8" -> INT8;
                case "int8-weights" -> INT8_WEIGHTS;
                default -> throw new IllegalArgumentException("--quantize must be int8, int8-weights or none, got '"
                        + s + "'");
            };
        }
    }
}
