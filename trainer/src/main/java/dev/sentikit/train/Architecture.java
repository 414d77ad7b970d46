package dev.sentikit.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The networks the trainer can build; each one exports to ONNX with the same interface and metadata. */
public enum Architecture {
    /** Embedding of word and bigram ids, masked mean pooling, one linear layer: the classic fast baseline. */
    BAG;

    /** The name used on the command line and in model cards. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a name such as {@code bag}.
     *
     * @throws IllegalArgumentException listing the supported names
     */
    public static Architecture parse(String name) {
        for (Architecture a : values()) {
            if (a.id().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "': supported models are "
                + Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", ")));
    }
}
