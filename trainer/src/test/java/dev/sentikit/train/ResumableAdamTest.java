package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our Adam is DJL's Adam, bit for bit, and survives a save and load in the middle. */
class ResumableAdamTest {

    @Test
    void matchesDjlAdamAcrossASaveAndLoad() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            Random random = new Random(3);
            float[] init = new float[12];
            for (int i = 0; i < init.length; i++) {
                init[i] = random.nextFloat() - 0.5f;
            }
            NDArray theirs = manager.create(init, new Shape(3, 4));
            NDArray ours = manager.create(init, new Shape(3, 4));
            Optimizer djl = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
            ResumableAdam adam = new ResumableAdam(step -> 0.01f);
            for (int step = 1; step <= 6; step++) {
                float[] g = new float[12];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) random.nextGaussian() * (i % 3 == 0 ? 1e-4f : 1f);
                }
                djl.update("w", theirs, manager.create(g, new Shape(3, 4)));
                adam.update("w", ours, manager.create(g, new Shape(3, 4)));
                adam.stepTaken();
                if (step == 3) { // as --resume does: a new optimizer from the saved bytes
                    byte[] saved = adam.toBytes();
                    adam = new ResumableAdam(s -> 0.01f);
                    adam.load(new ByteArrayInputStream(saved));
                }
                assertArrayEquals(theirs.toFloatArray(), ours.toFloatArray(), "step " + step);
            }
        }
    }

    /**
     * Data-parallel training on n devices calls update once per replica with the summed gradient, first device
     * first (DJL's LocalParameterServer). Every replica must take the step a single-device run takes, the step
     * count must advance once per optimizer step, and the saved state must be the single-device one, before and
     * after a save and load. (On a GPU machine the replicas live on different devices; here they are arrays of
     * one CPU, which is what the optimizer sees either way.)
     */
    @Test
    void everyReplicaTakesTheSingleDeviceStep() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            Random random = new Random(5);
            float[] init = new float[8];
            for (int i = 0; i < init.length; i++) {
                init[i] = random.nextFloat() - 0.5f;
            }
            NDArray single = manager.create(init, new Shape(2, 4));
            NDArray[] replicas = {manager.create(init, new Shape(2, 4)), manager.create(init, new Shape(2, 4)),
                    manager.create(init, new Shape(2, 4))};
            ResumableAdam alone = new ResumableAdam(step -> 0.02f);
            ResumableAdam parallel = new ResumableAdam(step -> 0.02f);
            for (int step = 1; step <= 5; step++) {
                float[] g = new float[8];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) random.nextGaussian();
                }
                alone.update("w", single, manager.create(g, new Shape(2, 4)));
                alone.stepTaken();
                for (NDArray replica : replicas) {
                    parallel.update("w", replica, manager.create(g, new Shape(2, 4)));
                }
                parallel.stepTaken();
                for (int r = 0; r < replicas.length; r++) {
                    assertArrayEquals(single.toFloatArray(), replicas[r].toFloatArray(),
                            "replica " + r + " after step " + step);
                }
                assertArrayEquals(alone.toBytes(), parallel.toBytes(), "saved state after step " + step);
                if (step == 2) {
                    byte[] saved = parallel.toBytes();
                    parallel = new ResumableAdam(s -> 0.02f);
                    parallel.load(new ByteArrayInputStream(saved));
                }
            }
        }
    }
}
