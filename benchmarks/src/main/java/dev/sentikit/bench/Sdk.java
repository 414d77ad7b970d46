package dev.sentikit.bench;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;

/** Opens the analyzer the SDK benchmarks measure: the benchmark model's exported file ({@link BenchModel}) on the CPU. */
final class Sdk {

    /** Overrides {@link #INTRA_OP_THREADS_DEFAULT}: {@code -Dsentikit.bench.intraOpThreads=N}, 0 for ORT's choice. */
    static final String INTRA_OP_THREADS = "sentikit.bench.intraOpThreads";

    /**
     * One intra-op thread per call, set deliberately: a call on this model is 15 µs to a few ms of work, too little
     * to share out, and with ONNX Runtime's default (a pool of one spinning thread per core) the SDK ran 1.3 to 2
     * times slower at batch 32 on the 2-core benchmark machine (docs/benchmarks.md). DJL gets the same setting.
     */
    static final String INTRA_OP_THREADS_DEFAULT = "1";

    private Sdk() {}

    /** The default options except the device (the CPU, so that no CUDA probing happens) and the threads above. */
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
