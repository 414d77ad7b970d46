package dev.sentikit.architecture.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sentikit.graph.NetworkParity;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ConvKernel}: the matrix product is the convolution, and what the block runs agrees with it. */
class ConvKernelTest {

    @Test
    void theProductIsTheConvolutionsSum() {
        int batch = 2;
        int channels = 3;
        int length = 5;
        int filters = 4;
        int width = 3;
        int pad = 1;
        Random random = new Random(1);
        float[] x = values(random, batch * channels * length);
        float[] w = values(random, filters * channels * width);
        float[] b = values(random, filters);
        float[] expected = new float[batch * filters * length];
        for (int n = 0; n < batch; n++) {
            for (int f = 0; f < filters; f++) {
                for (int t = 0; t < length; t++) {
                    double sum = b[f];
                    for (int c = 0; c < channels; c++) {
                        for (int j = 0; j < width; j++) {
                            int at = t + j - pad;
                            if (at >= 0 && at < length) {
                                sum += w[(f * channels + c) * width + j] * x[(n * channels + c) * length + at];
                            }
                        }
                    }
                    expected[(n * filters + f) * length + t] = (float) sum;
                }
            }
        }
        try (NDManager m = NetworkParity.newManager()) {
            NDArray product = ConvKernel.asProduct(m.create(x, new Shape(batch, channels, length)),
                    m.create(w, new Shape(filters, channels, width)), m.create(b, new Shape(filters)), pad);
            assertArrayEquals(new long[] {batch, filters, length}, product.getShape().getShape());
            assertArrayEquals(expected, product.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void whatTheBlockRunsAgreesWithTheProduct() {
        try (NDManager m = NetworkParity.newManager()) {
            Random random = new Random(2);
            for (int channels : new int[] {8, 64, 100}) {
                NDArray x = m.create(values(random, 3 * channels * 17), new Shape(3, channels, 17));
                NDArray w = m.create(values(random, 16 * channels * 5), new Shape(16, channels, 5)).mul(0.3f);
                NDArray b = m.create(values(random, 16), new Shape(16));
                float[] used = ConvKernel.conv1d(x, w, b, 2).toFloatArray();
                float[] product = ConvKernel.asProduct(x, w, b, 2).toFloatArray();
                for (int i = 0; i < used.length; i++) {
                    assertTrue(Math.abs(used[i] - product[i]) <= 1e-4, channels + " channels, value " + i + ": "
                            + used[i] + " against " + product[i]);
                }
                System.out.printf("%d channels: the engine's convolution %s (largest difference %.3g)%n", channels,
                        ConvKernel.engineAgrees(m, channels, 16, 5, 2) ? "agrees" : "disagrees: the product is used",
                        ConvKernel.largestDifference(m, channels, 16, 5, 2));
            }
        }
    }

    private static float[] values(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
