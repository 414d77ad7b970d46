package dev.sentikit;

import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.spi.Providers;
import dev.sentikit.spi.ZooModels;
import dev.sentikit.text.TextEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;

/**
 * Analyzes the sentiment of texts with one model.
 *
 * <pre>{@code
 * try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromZoo("en")) {
 *     Sentiment s = analyzer.analyze("The battery died after two days.");
 *     System.out.println(s.label() + " " + s.score());
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe: one analyzer serves every thread. An analyzer holds native memory until
 * {@link #close()}, which throws nothing and may be called more than once; using a closed analyzer throws
 * {@link IllegalStateException}. The engine that runs the model is found with {@link java.util.ServiceLoader}
 * (add {@code dev.sentikit:runtime-onnx}).
 */
public interface SentimentAnalyzer extends AutoCloseable {

    /**
     * Analyzes one text.
     *
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalStateException if the analyzer is closed
     */
    Sentiment analyze(String text);

    /**
     * Analyzes texts in batches; the results are in the order of {@code texts}.
     *
     * @throws NullPointerException if the list or one of its texts is null
     * @throws IllegalStateException if the analyzer is closed
     */
    List<Sentiment> analyzeAll(List<String> texts);

    /** The model's labels, in output order. */
    List<String> labels();

    /** What the model says about itself: labels, encoder, provenance, metrics. */
    ModelCard card();

    /**
     * Explains the label the model gives {@code text}: see {@link #explain(String, String)}.
     *
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalStateException if the analyzer is closed
     */
    default Explanation explain(String text) {
        return Explainer.explain(this, text, null);
    }

    /**
     * Explains how much each token of {@code text} adds to the probability of {@code label}, by leaving one
     * token out at a time: the contribution of token {@code i} is {@code p(label | text) − p(label | variant i)}.
     *
     * <p>The tokens are the ones the model's encoder reads ({@link TextEncoder#tokenize(String)}), normalized as
     * it normalizes them (and usually lower-cased). Variant {@code i} is the encoder's ids of the same tokens
     * without token {@code i} ({@link TextEncoder#encodeTokens}), an approximation of the text without it: for
     * models with bigrams, leaving a token out also drops its two bigrams and adds the one that joins its
     * neighbours. The text and its {@code n} variants run as one batch of {@code n + 1} rows of ids, each of at most
     * {@code n} tokens ({@code n} is at most the encoder's {@code max_tokens}); a text longer than the model reads
     * is explained as the model reads it once. A text without tokens gets an empty list. The engine must run ids
     * ({@link dev.sentikit.spi.EncodedAnalyzer}, as runtime-onnx does); the algorithm is {@code Explainer}'s.
     *
     * @param label the label to explain, one of {@link #labels()}
     * @throws NullPointerException if {@code text} or {@code label} is null
     * @throws IllegalArgumentException if {@code label} is not one of the model's labels
     * @throws IllegalStateException if the analyzer is closed
     */
    default Explanation explain(String text, String label) {
        Objects.requireNonNull(label, "label");
        if (!labels().contains(label)) {
            throw new IllegalArgumentException("unknown label '" + label + "'; the model's labels are " + labels());
        }
        return Explainer.explain(this, text, label);
    }

    /** Frees the model's native memory. Throws nothing; later calls do nothing. */
    @Override
    void close();

    /** Loads a model file with the default options. */
    static SentimentAnalyzer load(Path modelFile) throws ModelLoadException {
        return load(modelFile, AnalyzerOptions.defaults());
    }

    /** Loads a model file. */
    static SentimentAnalyzer load(Path modelFile, AnalyzerOptions options) throws ModelLoadException {
        Objects.requireNonNull(modelFile, "modelFile");
        byte[] bytes;
        try {
            if (Files.isRegularFile(modelFile)) {
                long size = Files.size(modelFile);
                if (size > ModelFormat.MAX_MODEL_BYTES) {
                    throw tooLarge(modelFile.toString(), size);
                }
                bytes = Files.readAllBytes(modelFile);
            } else {
                try (InputStream in = Files.newInputStream(modelFile)) {
                    bytes = readBounded(in, modelFile.toString());
                }
            }
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("model file not found: " + modelFile.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model file " + modelFile + ": " + e.getMessage(), e);
        }
        return fromBytes(bytes, modelFile.toString(), options);
    }

    /** Loads a model from the bytes of a model file. */
    static SentimentAnalyzer fromBytes(byte[] model) throws ModelLoadException {
        return fromBytes(model, "model bytes", AnalyzerOptions.defaults());
    }

    /**
     * Loads a model from the bytes of a model file.
     *
     * @param source where the bytes came from, used in error messages
     */
    static SentimentAnalyzer fromBytes(byte[] model, String source, AnalyzerOptions options)
            throws ModelLoadException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        if (model.length == 0) {
            throw new ModelLoadException(source + " is empty (0 bytes), not a model file");
        }
        return Providers.find().load(model, source, options);
    }

    /** Loads a model from a stream, which is read to its end but not closed. */
    static SentimentAnalyzer fromStream(InputStream in) throws ModelLoadException {
        return fromStream(in, AnalyzerOptions.defaults());
    }

    /** Loads a model from a stream, which is read to its end but not closed. */
    static SentimentAnalyzer fromStream(InputStream in, AnalyzerOptions options) throws ModelLoadException {
        Objects.requireNonNull(in, "in");
        try {
            return fromBytes(readBounded(in, "stream"), "stream", options);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read the model stream: " + e.getMessage(), e);
        }
    }

    /** Loads a model file that is a class-path resource, such as {@code models/reviews.onnx}. */
    static SentimentAnalyzer fromClasspath(String resource) throws ModelLoadException {
        return fromClasspath(resource, Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : SentimentAnalyzer.class.getClassLoader(),
                AnalyzerOptions.defaults());
    }

    /** Loads a model file that is a resource of {@code loader}. */
    static SentimentAnalyzer fromClasspath(String resource, ClassLoader loader, AnalyzerOptions options)
            throws ModelLoadException {
        Objects.requireNonNull(resource, "resource");
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new ModelLoadException("class-path resource not found: " + name);
            }
            return fromBytes(readBounded(in, "classpath:" + name), "classpath:" + name, options);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read class-path resource " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model-zoo model whose artifact is on the class path, such as {@code en}
     * ({@code dev.sentikit.zoo:sentikit-model-en}).
     *
     * @throws ModelLoadException naming the zoo models that are present when {@code name} is not
     */
    static SentimentAnalyzer fromZoo(String name) throws ModelLoadException {
        return fromZoo(name, AnalyzerOptions.defaults());
    }

    /** Loads a model-zoo model with the given options. */
    static SentimentAnalyzer fromZoo(String name, AnalyzerOptions options) throws ModelLoadException {
        Objects.requireNonNull(name, "name");
        ClassLoader loader = SentimentAnalyzer.class.getClassLoader();
        String resource;
        try {
            resource = ZooModels.resourceOf(name);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        if (loader.getResource(resource) == null) {
            SortedSet<String> present = ZooModels.available(loader);
            throw new ModelLoadException("no zoo model '" + name + "' on the class path; present: "
                    + (present.isEmpty() ? "none" : present.toString()) + ". Add the artifact dev.sentikit.zoo:sentikit-model-" + name
                    + " to your dependencies.");
        }
        return fromClasspath(resource, loader, options);
    }

    /** Loads the default model, the English zoo model {@code en}. */
    static SentimentAnalyzer defaultModel() throws ModelLoadException {
        return fromZoo("en");
    }

    /** Reads a model to its end, refusing more than {@link ModelFormat#MAX_MODEL_BYTES} bytes. */
    private static byte[] readBounded(InputStream in, String source) throws IOException, ModelLoadException {
        byte[] bytes = in.readNBytes(ModelFormat.MAX_MODEL_BYTES);
        if (bytes.length == ModelFormat.MAX_MODEL_BYTES && in.read() != -1) {
            throw tooLarge(source, -1);
        }
        return bytes;
    }

    private static ModelLoadException tooLarge(String source, long size) {
        return new ModelLoadException(source + " is " + (size < 0 ? "larger than " + ModelFormat.MAX_MODEL_BYTES
                : size) + " bytes, more than the " + ModelFormat.MAX_MODEL_BYTES + " bytes a model file may have "
                + "(an ONNX protobuf file is at most 2 GiB)");
    }
}
