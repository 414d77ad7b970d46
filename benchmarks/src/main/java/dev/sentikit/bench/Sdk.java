package dev.sentikit.bench;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;

/** Opens the analyzer the SDK benchmarks measure: the default English model, as a user gets it, on the CPU. */
final class Sdk {

    private Sdk() {}

    /**
     * For experiments: {@code -Dsentikit.bench.intraOpThreads=N} sets {@link AnalyzerOptions#intraOpThreads()}.
     * The published table leaves it unset, so that it measures what a user gets.
     */
    static final String INTRA_OP_THREADS = "sentikit.bench.intraOpThreads";

    /** Default options except the device, fixed to the CPU so that no CUDA probing happens. */
    static SentimentAnalyzer open() {
        AnalyzerOptions.Builder options = AnalyzerOptions.builder().optDevice(Device.CPU);
        String threads = System.getProperty(INTRA_OP_THREADS);
        if (threads != null) {
            options.optIntraOpThreads(Integer.parseInt(threads));
        }
        try {
            return SentimentAnalyzer.fromZoo(EnModel.NAME, options.build());
        } catch (ModelLoadException e) {
            throw new IllegalStateException("cannot load the zoo model " + EnModel.NAME + ": " + e.getMessage(), e);
        }
    }
}
