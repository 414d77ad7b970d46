package dev.sentikit.spi;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;

/**
 * An inference engine that can run Sentikit model files. Engines register an implementation in
 * {@code META-INF/services/dev.sentikit.spi.AnalyzerProvider}; {@link SentimentAnalyzer}'s factories find
 * them with {@link java.util.ServiceLoader}, so the API depends on no engine.
 */
public interface AnalyzerProvider {

    /** A short name for logs and error messages, such as {@code onnxruntime}. */
    String name();

    /**
     * Loads a model.
     *
     * @param model the whole model file
     * @param source where the bytes came from, for error messages (a path, a resource name)
     * @param options how to run it
     * @return an analyzer that owns the loaded model
     * @throws ModelLoadException if the bytes are not a valid Sentikit model for this engine
     */
    SentimentAnalyzer load(byte[] model, String source, AnalyzerOptions options) throws ModelLoadException;
}
