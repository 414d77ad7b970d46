package dev.sentikit.architecture;

import dev.sentikit.architecture.bag.BagArchitecture;
import dev.sentikit.architecture.bilstm.BiLstmArchitecture;
import dev.sentikit.architecture.cnn.CnnArchitecture;
import dev.sentikit.architecture.transformer.TransformerArchitecture;
import dev.sentikit.train.SentimentBlock;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The registry of architectures: a new one is a new package and one line here. */
public final class Architectures {

    private static final List<Architecture> ALL = List.of(
            new BagArchitecture(),
            new CnnArchitecture(),
            new BiLstmArchitecture(),
            new TransformerArchitecture());

    private Architectures() {}

    /** Every architecture, in the order --help lists them. */
    public static List<Architecture> all() {
        return ALL;
    }

    /**
     * The architecture named {@code name}, such as {@code bag}.
     *
     * @throws IllegalArgumentException listing the supported names
     */
    public static Architecture parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Architecture a : ALL) {
            if (a.id().equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "': supported models are " + names());
    }

    /** The supported names, comma-separated. */
    public static String names() {
        return ALL.stream().map(Architecture::id).collect(Collectors.joining(", "));
    }

    /** The architecture of a block. */
    public static Architecture of(SentimentBlock block) {
        return parse(block.architectureId());
    }
}
