package dev.sentikit.onnx;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.spi.AnalyzerProvider;
import java.util.Objects;

/**
 * Runs Sentikit model files with ONNX Runtime. Registered in
 * {@code META-INF/services/dev.sentikit.spi.AnalyzerProvider}, so {@link SentimentAnalyzer#load} finds it when
 * {@code dev.sentikit:runtime-onnx} is on the class path.
 *
 * <p>The device comes from {@link AnalyzerOptions#device()}: {@code cpu} runs on the CPU; {@code cuda:N} runs on
 * GPU N and fails with a {@link ModelLoadException} when CUDA cannot be used; {@code auto} uses GPU 0 when the
 * ONNX Runtime on the class path has the CUDA provider and it loads, and the CPU otherwise, saying why at the end
 * of the INFO line "Loaded …". CUDA needs the artifact {@code com.microsoft.onnxruntime:onnxruntime_gpu} instead
 * of {@code onnxruntime} (the Maven profile {@code gpu} of this project).
 */
public final class OnnxAnalyzerProvider implements AnalyzerProvider {

    /** This engine's name. */
    public static final String NAME = "onnxruntime";

    /** Called by {@link java.util.ServiceLoader}. */
    public OnnxAnalyzerProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SentimentAnalyzer load(byte[] model, String source, AnalyzerOptions options) throws ModelLoadException {
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(options, "options must not be null");
        return OnnxSentimentAnalyzer.load(model, source == null ? "model bytes" : source, options);
    }

    @Override
    public String toString() {
        return "OnnxAnalyzerProvider[" + NAME + "]";
    }
}
