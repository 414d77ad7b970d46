package dev.sentikit.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncodedBatch;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.train.BagBlock;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Row 3, what a DJL user would do instead: the same model run with DJL's PyTorch engine. The weights are the
 * initializers of {@code en.onnx} loaded into the trainer's {@link BagBlock}, so it is literally the same model;
 * set-up checks that DJL's probabilities equal the SDK's within {@value #PARITY_TOLERANCE}. Each call does what
 * the SDK call does: encode (the same encoder), forward, softmax, and one {@link Sentiment} per text. It calls
 * the block directly, without a {@code Predictor}, so it is DJL's best case. Texts per second = score × batch.
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

    private NDManager manager;
    private BagBlock block;
    private TextEncoder encoder;
    private List<String> labels;
    private List<List<String>> batches;

    @Setup(Level.Trial)
    public void setUp() {
        OnnxMl.ModelProto model = EnModel.proto();
        ModelFormat.Metadata metadata = EnModel.metadata(model);
        encoder = metadata.encoder();
        labels = metadata.card().labels();
        if (!"bag".equals(metadata.card().architecture())) {
            throw new IllegalStateException("the zoo model en has the architecture '" + metadata.card().architecture()
                    + "'; the DJL benchmark loads the ONNX initializers into a BagBlock and supports 'bag' only");
        }
        String threads = System.getProperty(DJL_THREADS_PROPERTY, DJL_THREADS);
        System.setProperty("ai.djl.pytorch.num_threads", threads);
        System.setProperty("ai.djl.pytorch.num_interop_threads", threads);
        manager = Engine.getEngine("PyTorch").newBaseManager();
        block = load(model, manager);
        BenchData.Dataset d = BenchData.Dataset.of(dataset);
        batches = BenchData.batches(d, batch);
        checkParity(BenchData.texts(d).subList(0, PARITY_TEXTS));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public List<Sentiment> djl(Cursor cursor) {
        return predict(batches.get(cursor.next(batches.size())));
    }

    List<Sentiment> predict(List<String> texts) {
        EncodedBatch batch = encoder.encodeBatch(texts);
        try (NDManager sub = manager.newSubManager()) {
            NDArray ids = sub.create(batch.ids(), new Shape(batch.batchSize(), batch.sequenceLength()));
            NDArray probabilities = block.forward(new ParameterStore(sub, false), new NDList(ids), false)
                    .singletonOrThrow().softmax(1);
            float[] flat = probabilities.toFloatArray();
            int n = labels.size();
            List<Sentiment> out = new ArrayList<>(texts.size());
            for (int r = 0; r < texts.size(); r++) {
                out.add(Sentiment.of(labels, Arrays.copyOfRange(flat, r * n, (r + 1) * n)));
            }
            return out;
        }
    }

    /** A {@link BagBlock} holding the initializers of the ONNX graph. */
    static BagBlock load(OnnxMl.ModelProto model, NDManager manager) {
        EnModel.Tensor embedding = EnModel.initializer(model, EnModel.Role.EMBEDDING);
        EnModel.Tensor weight = EnModel.initializer(model, EnModel.Role.WEIGHT);
        EnModel.Tensor bias = EnModel.initializer(model, EnModel.Role.BIAS);
        BagBlock block = new BagBlock(embedding.dims()[0], Math.toIntExact(embedding.dims()[1]),
                Math.toIntExact(bias.dims()[0]));
        set(block.embedding(), embedding, manager);
        set(block.weight(), weight, manager);
        set(block.bias(), bias, manager);
        return block;
    }

    private static void set(Parameter parameter, EnModel.Tensor tensor, NDManager manager) {
        parameter.initialize(manager, DataType.FLOAT32);
        if (!Arrays.equals(parameter.getArray().getShape().getShape(), tensor.dims())) {
            throw new IllegalStateException("parameter " + parameter.getName() + " has shape "
                    + parameter.getArray().getShape() + " but the ONNX initializer has " + Arrays.toString(tensor.dims()));
        }
        parameter.getArray().set(tensor.values());
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
