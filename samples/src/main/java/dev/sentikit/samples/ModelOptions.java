package dev.sentikit.samples;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --device}, shared by the samples that load a model (a picocli mixin). */
final class ModelOptions {

    @Option(names = "--model", defaultValue = "en", paramLabel = "NAME|FILE.onnx",
            description = "A zoo model name or a model file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N",
            description = "Where to run the model (default: ${DEFAULT-VALUE}).")
    String device;

    /** Loads the model these options name, on their device. */
    SentimentAnalyzer open() throws ModelLoadException {
        return open(model, AnalyzerOptions.builder().optDevice(device).build());
    }

    /** A zoo model by name, or a model file by path. */
    static SentimentAnalyzer open(String model, AnalyzerOptions options) throws ModelLoadException {
        Path path = Path.of(model);
        if (model.endsWith(".onnx") || model.contains("/") || Files.exists(path)) {
            return SentimentAnalyzer.load(path, options);
        }
        return SentimentAnalyzer.fromZoo(model, options);
    }
}
