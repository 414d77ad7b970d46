package dev.sentikit.architecture.cnn;

import static dev.sentikit.architecture.KernelProbe.normal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import dev.sentikit.architecture.KernelProbe;
import java.util.Random;

/**
 * The 1-D convolution of {@link CnnBlock}: the engine's kernel where it computes the convolution, otherwise the same
 * sum written as one matrix product over the text's shifted copies.
 *
 * <p>Why: DJL's {@link Conv1d} calls PyTorch's convolution, which PyTorch hands to oneDNN on the CPU. On an AMD EPYC of
 * family 26, oneDNN 3.5.3 (in PyTorch 2.5.1) gives NaN for every output of a convolution over 100 input channels
 * (GloVe's width) with its {@code jit:avx2} and AVX-512 direct kernels ({@code ONEDNN_VERBOSE=1} shows them, in the
 * blocked layout {@code aBcd8b}), while 64 channels are right, and so is its {@code gemm:jit} kernel under
 * {@code ONEDNN_MAX_CPU_ISA=SSE41}. A library cannot set that limit for its user's JVM, so the block asks:
 * {@link #engineAgrees} runs the engine's kernel and the matrix product on seeded random weights of the block's
 * sizes, once per engine, device and sizes in a process, and the block uses the product where they disagree. The
 * parameters and {@link CnnGraph} are the same either way.
 */
final class ConvKernel {

    /** The largest difference between the engine's convolution and the product that counts as agreement. */
    static final double AGREEMENT = 1e-4;

    /** (batch, sequence) shapes the probe runs: one short row, and an odd number of longer ones. */
    private static final int[][] PROBES = {{1, 6}, {3, 17}};

    private ConvKernel() {}

    /**
     * The convolution of {@code x} [batch, channels, length] with {@code weight} [filters, channels, width] and
     * {@code bias} [filters], stride 1, {@code pad} zeros on each side: [batch, filters, length + 2 pad - width + 1].
     */
    static NDArray conv1d(NDArray x, NDArray weight, NDArray bias, int pad) {
        long[] w = weight.getShape().getShape();
        if (engineAgrees(x.getManager(), (int) w[1], (int) w[0], (int) w[2], pad)) {
            return Conv1d.conv1d(x, weight, bias, new Shape(1), new Shape(pad), new Shape(1)).singletonOrThrow();
        }
        return asProduct(x, weight, bias, pad);
    }

    /**
     * Whether the engine's convolution gives the convolution's values on {@code manager}'s device for these sizes;
     * asked once per engine, device and sizes in a process.
     */
    static boolean engineAgrees(NDManager manager, int channels, int filters, int width, int pad) {
        return KernelProbe.agrees(manager, "conv1d/" + channels + "/" + filters + "/" + width + "/" + pad, AGREEMENT,
                m -> largestDifference(m, channels, filters, width, pad));
    }

    /** The largest difference between the engine's convolution and {@link #asProduct} over the probes. */
    static double largestDifference(NDManager manager, int channels, int filters, int width, int pad) {
        double worst = 0;
        try (NDManager sub = manager.newSubManager()) {
            Random random = new Random(11);
            NDArray weight = normal(sub, random, 0.3f, filters, channels, width);
            NDArray bias = normal(sub, random, 0.3f, filters);
            for (int[] probe : PROBES) {
                NDArray x = normal(sub, random, 1f, probe[0], channels, probe[1]);
                float[] engine = Conv1d.conv1d(x, weight, bias, new Shape(1), new Shape(pad), new Shape(1))
                        .singletonOrThrow().toFloatArray();
                worst = KernelProbe.worse(worst, engine, asProduct(x, weight, bias, pad).toFloatArray());
            }
        }
        return worst;
    }

    /**
     * The convolution as one matrix product: out[b, f, t] = bias[f] + Σ_{c, j} weight[f, c, j] · xp[b, c, t + j],
     * where xp is {@code x} with {@code pad} zeros on each side of the sequence.
     */
    static NDArray asProduct(NDArray x, NDArray weight, NDArray bias, int pad) {
        long[] s = x.getShape().getShape();
        long batch = s[0];
        long channels = s[1];
        long[] w = weight.getShape().getShape();
        long filters = w[0];
        int width = (int) w[2];
        NDArray padded = x;
        if (pad > 0) {
            NDArray zeros = x.getManager().zeros(new Shape(batch, channels, pad), x.getDataType(), x.getDevice());
            padded = NDArrays.concat(new NDList(zeros, x, zeros), 2);
        }
        long out = padded.getShape().get(2) - width + 1;
        NDList shifted = new NDList(width);
        for (int j = 0; j < width; j++) {
            shifted.add(padded.get(new NDIndex().addAllDim().addAllDim().addSliceDim(j, j + out)));
        }
        NDArray windows = NDArrays.stack(shifted, 3) // [B, C, T, width]
                .transpose(0, 2, 1, 3).reshape(batch, out, channels * width); // [B, T, C·width]
        NDArray kernel = weight.reshape(filters, channels * width).transpose(); // [C·width, F]
        return windows.matMul(kernel).add(bias).transpose(0, 2, 1); // [B, F, T]
    }
}
