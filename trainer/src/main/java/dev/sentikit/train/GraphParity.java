package dev.sentikit.train;

import dev.sentikit.architecture.SentimentBlock;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.Vocabulary;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The check a run makes before its first step: the block, as DJL computes it on this machine, gives the logits its
 * exported graph gives in ONNX Runtime, on a few of the run's own texts. Export makes the same comparison on the
 * trained model ({@code OnnxExporter}); made at the start, it turns hours of training that could never be exported
 * into an error at once. It catches an engine kernel that computes something other than the function the graph
 * writes down (as PyTorch's oneDNN LSTM did on CPUs with AVX-512).
 */
public final class GraphParity {

    /**
     * The largest logit difference accepted. Float32 rounding between the engines is about 1e-6 here, up to about
     * 1e-4 where a GPU rounds convolutions to TF32; a kernel that computes another function moves the logits of a
     * fresh network by 0.05 and more.
     */
    public static final double TOLERANCE = 1e-3;

    /** Texts checked: spread over the run's lengths, shortest to longest. */
    static final int TEXTS = 8;

    /** Tokens kept of each checked text, to bound the check's cost on long texts. */
    static final int MAX_TOKENS = 64;

    private GraphParity() {}

    /** What the check found. */
    public record Result(int texts, double maxLogitDifference, double tolerance) {
        public boolean passed() {
            return maxLogitDifference <= tolerance;
        }
    }

    /**
     * Compares DJL's logits for a few of {@code ids} with those of the graph {@code architecture} writes for
     * {@code block}, as it stands.
     *
     * @param ids the run's encoded texts, without padding
     * @param manager where the DJL arrays live (the block's device)
     */
    public static Result measure(Architecture architecture, SentimentBlock block, int[][] ids, NDManager manager) {
        long[][] batch = sample(ids);
        float[] djl;
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(flatten(batch), new Shape(batch.length, batch[0].length));
            djl = block.forward(new ParameterStore(sub, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sentikit.check", "graph parity before training");
        OnnxMl.ModelProto model = architecture.toOnnx(block, props, Versions.sentikit(),
                Architecture.ExportOptions.DEFAULT);
        float[][] onnx = onnxLogits(model, batch);
        double worst = 0;
        for (int i = 0; i < batch.length; i++) {
            for (int l = 0; l < onnx[i].length; l++) {
                double d = Math.abs(onnx[i][l] - djl[i * onnx[i].length + l]);
                if (!(d <= worst)) { // NaN is the worst
                    worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                }
            }
        }
        return new Result(batch.length, worst, TOLERANCE);
    }

    /**
     * {@link #measure}, then an exception when the two differ: training on would give a model that export refuses.
     *
     * @throws GraphParityException when DJL and ONNX Runtime differ by more than {@link #TOLERANCE}
     */
    public static Result check(Architecture architecture, SentimentBlock block, int[][] ids, NDManager manager) {
        Result result = measure(architecture, block, ids, manager);
        if (!result.passed()) {
            String device = manager.getDevice().isGpu() ? "on " + manager.getDevice() : "on the CPU";
            throw new GraphParityException(String.format(Locale.ROOT, "before training, on %d of the training "
                    + "texts, the %s network as %s computes it %s gives logits other than its ONNX graph's: they "
                    + "differ by %.3g (tolerance %.0e). A model trained here could not be exported, since export "
                    + "makes the same comparison, so nothing was trained. This CPU: %s. The engine's kernels "
                    + "compute something other than the network's equations here: please report it with this "
                    + "message; meanwhile train on another machine, or try the trainer with "
                    + "ONEDNN_MAX_CPU_ISA=AVX2 in its environment (oneDNN, PyTorch's CPU library, then leaves out "
                    + "its AVX-512 kernels)", result.texts(), architecture.id(), Versions.engine(), device,
                    result.maxLogitDifference(), result.tolerance(), CpuDescription.current()));
        }
        return result;
    }

    /** Up to {@link #TEXTS} texts at evenly spaced ranks of length, cut to {@link #MAX_TOKENS}, padded. */
    static long[][] sample(int[][] ids) {
        Integer[] order = IntStream.range(0, ids.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> ids[i].length).thenComparingInt(i -> i));
        int n = Math.min(TEXTS, ids.length);
        int[][] picked = new int[n][];
        int width = 1;
        for (int k = 0; k < n; k++) {
            int[] row = ids[order[n == 1 ? 0 : (int) ((long) k * (ids.length - 1) / (n - 1))]];
            picked[k] = Arrays.copyOf(row, Math.min(row.length, MAX_TOKENS));
            width = Math.max(width, picked[k].length);
        }
        long[][] batch = new long[n][width];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < picked[k].length; j++) {
                batch[k][j] = picked[k][j];
            }
            for (int j = picked[k].length; j < width; j++) {
                batch[k][j] = Vocabulary.PAD_ID;
            }
        }
        return batch;
    }

    private static float[][] onnxLogits(OnnxMl.ModelProto model, long[][] batch) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {batch.length, batch[0].length};
        long[] flat = flatten(batch);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(model.toByteArray(), options)) {
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            try {
                inputs.put(ModelFormat.INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(flat), shape));
                if (session.getInputNames().contains(ModelFormat.INPUT_ATTENTION_MASK)) {
                    long[] mask = new long[flat.length];
                    for (int i = 0; i < flat.length; i++) {
                        mask[i] = flat[i] == Vocabulary.PAD_ID ? 0 : 1;
                    }
                    inputs.put(ModelFormat.INPUT_ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask),
                            shape));
                }
                if (session.getInputNames().contains(ModelFormat.INPUT_TOKEN_TYPE_IDS)) {
                    inputs.put(ModelFormat.INPUT_TOKEN_TYPE_IDS, OnnxTensor.createTensor(env,
                            LongBuffer.wrap(new long[flat.length]), shape));
                }
                try (OrtSession.Result result = session.run(inputs)) {
                    return (float[][]) result.get(ModelFormat.OUTPUT_LOGITS).orElseThrow().getValue();
                }
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run the network's graph before training: "
                    + e.getMessage(), e);
        }
    }

    private static long[] flatten(long[][] ids) {
        int t = ids[0].length;
        long[] flat = new long[ids.length * t];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, flat, i * t, t);
        }
        return flat;
    }
}
