package dev.sentikit.bench;

import ai.djl.Device;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Row 3, what a DJL user would do instead: the same model run with DJL's PyTorch engine. It is the checkpoint that
 * the SDK's file was exported from ({@link BenchModel}), loaded with the trainer's own API
 * ({@link TrainedModel#load}), so it is literally the same model; set-up checks that DJL's probabilities equal the
 * SDK's within {@value #PARITY_TOLERANCE}. Each call does what the SDK call does: encode (the same encoder), forward,
 * softmax (with the card's calibration temperature, as the exported file applies it), and one {@link Sentiment}
 * per text. {@link TrainedModel#probabilities} calls the block directly, without a {@code Predictor}, so it is
 * DJL's best case. Texts per second = score × batch.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class DjlBenchmark {

    /** The exporter's own parity tolerance between DJL and ONNX Runtime. */
    static final double PARITY_TOLERANCE = 1e-4;

    /**
     * PyTorch's intra-op and inter-op threads per JVM ({@code ai.djl.pytorch.num_threads}), unless
     * {@value #DJL_THREADS_PROPERTY} says otherwise. One, as a DJL user tuning for throughput would set it: with
     * PyTorch's default (one thread per core) a batch of 32 short texts took 40-50 ms instead of about 1.5 ms on
     * the 2-core benchmark machine, as the OpenMP workers wait for cores that the caller threads hold.
     */
    static final String DJL_THREADS = "1";

    static final String DJL_THREADS_PROPERTY = "sentikit.bench.djlThreads";

    /** Texts compared in the parity check. */
    private static final int PARITY_TEXTS = 256;

    @Param({"short", "long"})
    public String dataset;

    @Param({"1", "32", "256"})
    public int batch;

    private TrainedModel model;
    private List<String> labels;
    private List<List<String>> batches;

    @Setup(Level.Trial)
    public void setUp() {
        String threads = System.getProperty(DJL_THREADS_PROPERTY, DJL_THREADS);
        System.setProperty("ai.djl.pytorch.num_threads", threads);
        System.setProperty("ai.djl.pytorch.num_interop_threads", threads);
        try {
            model = TrainedModel.load(Checkpoint.read(BenchModel.checkpoint()), Device.cpu());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the checkpoint " + BenchModel.checkpoint(), e);
        }
        labels = model.checkpoint().card().labels();
        BenchData.Dataset d = BenchData.Dataset.of(dataset);
        batches = BenchData.batches(d, batch);
        checkParity(BenchData.texts(d).subList(0, PARITY_TEXTS));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public List<Sentiment> djl(Cursor cursor) {
        return predict(batches.get(cursor.next(batches.size())));
    }

    List<Sentiment> predict(List<String> texts) {
        float[][] probabilities = model.probabilities(texts);
        List<Sentiment> out = new ArrayList<>(texts.size());
        for (float[] row : probabilities) {
            out.add(Sentiment.of(labels, row));
        }
        return out;
    }

    private void checkParity(List<String> texts) {
        List<Sentiment> djl = predict(texts);
        double worst = 0;
        try (SentimentAnalyzer analyzer = Sdk.open()) {
            List<Sentiment> ort = analyzer.analyzeAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                for (String label : labels) {
                    worst = Math.max(worst, Math.abs(djl.get(i).score(label) - ort.get(i).score(label)));
                }
            }
        }
        if (!(worst <= PARITY_TOLERANCE)) {
            throw new IllegalStateException("DJL and the SDK disagree by " + worst + " > " + PARITY_TOLERANCE
                    + " on the " + dataset + " texts: the DJL benchmark would not run the same model");
        }
    }
}
