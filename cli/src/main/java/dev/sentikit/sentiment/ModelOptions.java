package dev.sentikit.sentiment;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --device} and {@code --windows}, shared by the commands that load a model ({@code sentiment},
 * {@code sentiment serve}, the BatchCsv sample): a picocli mixin.
 */
public final class ModelOptions {

    @Option(names = "--model", defaultValue = "en", paramLabel = "NAME|FILE.onnx",
            description = "A zoo model name or a model file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N",
            description = "Where to run the model (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--windows", defaultValue = "1", paramLabel = "N", description = "Read a text longer than the "
            + "model reads in up to N overlapping windows and average them (default: ${DEFAULT-VALUE}: read it once, "
            + "cut as the model says). Each result's \"read\" says how its text was read.")
    int windows;

    /** Loads the model these options name, on their device. */
    public SentimentAnalyzer open() throws ModelLoadException {
        return open(model, AnalyzerOptions.builder().optDevice(device).optMaxWindows(windows).build());
    }

    /** A zoo model by name, or a model file by path. */
    public static SentimentAnalyzer open(String model, AnalyzerOptions options) throws ModelLoadException {
        Path path = Path.of(model);
        if (model.endsWith(".onnx") || model.contains("/") || Files.exists(path)) {
            return SentimentAnalyzer.load(path, options);
        }
        return SentimentAnalyzer.fromZoo(model, options);
    }
}
