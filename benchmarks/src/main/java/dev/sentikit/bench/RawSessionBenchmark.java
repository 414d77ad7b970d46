package dev.sentikit.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncodedBatch;
import dev.sentikit.text.TextEncoder;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Row 2, the limit: the SDK's own {@link OrtSession} (taken from the analyzer, so the same model, options and
 * thread pool) run directly on inputs encoded and turned into tensors before the measurement. Each call is one
 * {@code session.run} and a read of the probabilities; nothing else. Texts per second = score × batch.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class RawSessionBenchmark {

    private static final Set<String> OUTPUTS = Set.of(ModelFormat.OUTPUT_PROBABILITIES);

    @Param({"short", "long"})
    public String dataset;

    @Param({"1", "32", "256"})
    public int batch;

    private SentimentAnalyzer analyzer;
    private OrtSession session;
    private List<EncodedBatch> encoded;

    @Setup(Level.Trial)
    public void setUp() {
        analyzer = Sdk.open();
        session = sessionOf(analyzer);
        TextEncoder encoder = BenchModel.metadata().encoder();
        encoded = new ArrayList<>();
        for (List<String> texts : BenchData.batches(BenchData.Dataset.of(dataset), batch)) {
            encoded.add(encoder.encodeBatch(texts));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        analyzer.close();
    }

    /** Each thread's tensors, made before the measurement from direct buffers. */
    @State(Scope.Thread)
    public static class Inputs {
        final List<Map<String, OnnxTensor>> feeds = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp(RawSessionBenchmark b) throws OrtException {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            for (EncodedBatch e : b.encoded) {
                LongBuffer ids = ByteBuffer.allocateDirect(e.ids().length * Long.BYTES).order(ByteOrder.nativeOrder())
                        .asLongBuffer();
                ids.put(e.ids()).flip();
                OnnxTensor t = OnnxTensor.createTensor(env, ids, new long[] {e.batchSize(), e.sequenceLength()});
                feeds.add(Map.of(ModelFormat.INPUT_IDS, t));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (Map<String, OnnxTensor> f : feeds) {
                f.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Benchmark
    public float raw(Inputs inputs, Cursor cursor) throws OrtException {
        Map<String, OnnxTensor> feed = inputs.feeds.get(cursor.next(inputs.feeds.size()));
        try (OrtSession.Result result = session.run(feed, OUTPUTS)) {
            FloatBuffer probabilities = ((OnnxTensor) result.get(0)).getFloatBuffer();
            return probabilities.get(probabilities.limit() - 1);
        }
    }

    /**
     * The analyzer's own session, found by type among its fields: the runtime class is package-private and keeps
     * its session to itself, and a second session with copied options could drift from what the SDK does.
     */
    static OrtSession sessionOf(SentimentAnalyzer analyzer) {
        for (Class<?> c = analyzer.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == OrtSession.class) {
                    try {
                        f.setAccessible(true);
                        return (OrtSession) f.get(analyzer);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        throw new IllegalStateException("cannot read the OrtSession of " + analyzer, e);
                    }
                }
            }
        }
        throw new IllegalStateException(analyzer.getClass().getName() + " has no OrtSession field: update "
                + "RawSessionBenchmark.sessionOf to find the session the SDK runs");
    }
}
