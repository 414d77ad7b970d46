package dev.sentikit.architecture;

/**
 * How the learning rate falls after the warm-up: not at all, or linearly or along a cosine to 0 at the last step.
 * An architecture names the one it trains with by default ({@link Architecture.Defaults}).
 */
public enum LrDecay {
    NONE, LINEAR, COSINE;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses none, linear or cosine. */
    public static LrDecay parse(String s) {
        for (LrDecay d : values()) {
            if (d.id().equalsIgnoreCase(s.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("learning-rate decay must be none, linear or cosine, got '" + s + "'");
    }
}
