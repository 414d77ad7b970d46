package dev.sentikit.architecture.transformer;

import dev.sentikit.architecture.ArchitectureSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of a transformer classifier.
 *
 * @param base the pretrained encoder it is fine-tuned from: a name of {@link BaseEncoder#NAMED} or an ONNX file
 * @param baseTokenizer the tokenizer.json of a base given as a file, or null (beside the file)
 * @param shape the network's shape: its base's, with the pooling and dropout of the run
 * @param freezeEncoder whether the encoder stays as the base has it, so that only the classification head trains
 */
public record TransformerSettings(String base, Path baseTokenizer, TransformerShape shape, boolean freezeEncoder)
        implements ArchitectureSettings {

    public TransformerSettings {
        Objects.requireNonNull(base, "a transformer needs its base");
        Objects.requireNonNull(shape, "a transformer needs its shape");
    }
}
