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
}
