package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/**
 * The global gradient norm that clipping scales by: exact for large finite gradients, whose float32 sum of squares
 * overflows, and a clear stop for infinite or NaN ones (a diverged run), never a zero scale or a silent NaN step.
 */
class GradientNormTest {

    /**
     * The gradients of {@code scale × sum(W x + b)} for a linear layer of 2 units on x = (1, 2, 3): W's rows are
     * {@code scale × x}, b's entries {@code scale}, so the norm is {@code |scale| × sqrt(2 × 14 + 2)}.
     */
    private static double normOfScaledSum(NDManager manager, float scale) {
        Linear linear = Linear.builder().setUnits(2).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        for (Pair<String, Parameter> p : linear.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray x = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray out = linear.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            collector.backward(out.sum().mul(scale));
        }
        return SentimentTrainer.gradientNorm(linear);
    }

    @Test
    void aSmallGradientsNormIsTheSumOfSquares() {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            assertEquals(Math.sqrt(30), normOfScaledSum(manager, 1f), 1e-5);
        }
    }

    @Test
    void aLargeFiniteGradientsNormIsExactThoughItsSquaresOverflowFloat32() {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            double norm = normOfScaledSum(manager, 1e30f);
            assertTrue(Double.isFinite(norm), "norm " + norm);
            assertEquals(1e30 * Math.sqrt(30), norm, 1e30 * Math.sqrt(30) * 1e-5);
        }
    }

    @Test
    void anInfiniteGradientStopsTheRunNamingItsParameters() {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> normOfScaledSum(manager, Float.POSITIVE_INFINITY));
            assertTrue(e.getMessage().startsWith("training diverged: the gradients of [weight, bias]"), e.getMessage());
            assertTrue(e.getMessage().contains("lower --lr"), e.getMessage());
        }
    }
}
