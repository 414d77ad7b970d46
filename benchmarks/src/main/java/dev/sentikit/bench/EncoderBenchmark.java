package dev.sentikit.bench;

import dev.sentikit.text.TextEncoder;
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

/**
 * Row 4: the encoder alone, as the SDK calls it: {@code encodeBatch} of {@value #BATCH} texts into one padded id
 * matrix. Texts per second = score × {@value #BATCH}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class EncoderBenchmark {

    /** Texts per call. */
    public static final int BATCH = 32;

    @Param({"short", "long"})
    public String dataset;

    private TextEncoder encoder;
    private List<List<String>> batches;

    @Setup(Level.Trial)
    public void setUp() {
        batches = BenchData.batches(BenchData.Dataset.of(dataset), BATCH);
        encoder = BenchModel.metadata().encoder();
    }

    @Benchmark
    public Object encode(Cursor cursor) {
        return encoder.encodeBatch(batches.get(cursor.next(batches.size())));
    }
}
