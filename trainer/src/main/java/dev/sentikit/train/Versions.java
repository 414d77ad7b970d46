package dev.sentikit.train;

import ai.djl.engine.Engine;

/** Software versions recorded in every model's provenance. */
public final class Versions {

    private Versions() {}

    /** The Sentikit version ({@link dev.sentikit.SentikitVersion#get}), also when run from classes. */
    public static String sentikit() {
        return dev.sentikit.SentikitVersion.get();
    }

    /** The training engine, such as {@code DJL 0.33.0 / PyTorch 2.5.1}. */
    public static String engine() {
        return "DJL " + Engine.getDjlVersion() + " / PyTorch " + Engine.getEngine("PyTorch").getVersion();
    }
}
