package dev.sentikit.bench;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;

/** Opens the analyzer the SDK benchmarks measure: the exported file of {@link BenchModel}, on the CPU. */
final class Sdk {

    /** Overrides {@link #INTRA_OP_THREADS_DEFAULT}: {@code -Dsentikit.bench.intraOpThreads=N}. */
    static final String INTRA_OP_THREADS = "sentikit.bench.intraOpThreads";

    /**
     * The SDK's default (0), which is one intra-op thread per call: a call on this model is 10 µs to a few ms of work,
     * too little to share out, and with ONNX Runtime's own default (a pool of one spinning thread per core, what
     * {@code -Dsentikit.bench.intraOpThreads=2} gives on 2 cores) the SDK ran up to 1.8 times slower with two calling
     * threads on the 2-core benchmark machine (docs/benchmarks.md). DJL gets the same setting.
     */
    static final String INTRA_OP_THREADS_DEFAULT = "0";

    private Sdk() {}

    /** The default options except the device: the CPU, so that no CUDA probing happens. */
    static SentimentAnalyzer open() {
        AnalyzerOptions.Builder options = AnalyzerOptions.builder().optDevice(Device.CPU)
                .optIntraOpThreads(Integer.parseInt(System.getProperty(INTRA_OP_THREADS, INTRA_OP_THREADS_DEFAULT)));
        try {
            return SentimentAnalyzer.load(BenchModel.onnxFile(), options.build());
        } catch (ModelLoadException e) {
            throw new IllegalStateException("cannot load " + BenchModel.onnxFile() + ": " + e.getMessage(), e);
        }
    }
}
