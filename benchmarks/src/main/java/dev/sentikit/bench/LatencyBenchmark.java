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

/** The latency of one {@code analyze(text)} call, sampled (p50, p99 in the table). */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class LatencyBenchmark {

    @Param({"short", "long"})
    public String dataset;

    private SentimentAnalyzer analyzer;
    private List<String> texts;

    @Setup(Level.Trial)
    public void setUp() {
        texts = BenchData.texts(BenchData.Dataset.of(dataset));
        analyzer = Sdk.open();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        analyzer.close();
    }

    @Benchmark
    public Object analyze(Cursor cursor) {
        return analyzer.analyze(texts.get(cursor.next(texts.size())));
    }
}
