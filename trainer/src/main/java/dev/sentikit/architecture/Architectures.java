package dev.sentikit.architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The architectures the trainer knows, found through {@link ServiceLoader}: each is listed by its class in
 * {@code META-INF/services/dev.sentikit.architecture.Architecture}, so that a new network is one new package and one
 * line there (an application may add its own the same way, in its own jar). Nothing else names a concrete
 * architecture.
 */
public final class Architectures {

    private static final List<Architecture> ALL = load();

    private Architectures() {}

    private static List<Architecture> load() {
        List<Architecture> found = new ArrayList<>();
        for (Architecture a : ServiceLoader.load(Architecture.class, Architectures.class.getClassLoader())) {
            if (found.stream().anyMatch(f -> f.id().equals(a.id()))) {
                throw new IllegalStateException("two architectures are called '" + a.id() + "': "
                        + a.getClass().getName() + " and another on the class path");
            }
            found.add(a);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no architecture found: the trainer's "
                    + "META-INF/services/dev.sentikit.architecture.Architecture is missing from the class path");
        }
        return List.copyOf(found);
    }

    /** Every architecture, in the order --help lists them; the first is the default. */
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
