package dev.sentikit.bench;

import dev.sentikit.SentimentAnalyzer;
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
 * Row 1: the SDK as a user calls it, encoding included. Batch 1 is {@code analyze(text)}; larger batches are
 * {@code analyzeAll(texts)}. One operation is one call, so texts per second = score × batch.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SdkBenchmark {

    @Param({"short", "long"})
    public String dataset;

    @Param({"1", "32", "256"})
    public int batch;

    private SentimentAnalyzer analyzer;
    private List<String> texts;
    private List<List<String>> batches;

    @Setup(Level.Trial)
    public void setUp() {
        BenchData.Dataset d = BenchData.Dataset.of(dataset);
        texts = BenchData.texts(d);
        batches = BenchData.batches(d, batch);
        analyzer = Sdk.open();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        analyzer.close();
    }

    @Benchmark
    public Object sdk(Cursor cursor) {
        if (batch == 1) {
            return analyzer.analyze(texts.get(cursor.next(texts.size())));
        }
        return analyzer.analyzeAll(batches.get(cursor.next(batches.size())));
    }
}
