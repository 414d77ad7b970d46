package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** {@code --gpus}: which GPUs, checked against the GPUs PyTorch sees, with a message saying what is wrong. */
class TrainingDevicesTest {

    @Test
    void listsAndAllGiveThoseGpusInOrder() {
        assertArrayEquals(new Device[] {Device.gpu(0), Device.gpu(1)}, TrainingDevices.parseGpus("0,1", 4));
        assertArrayEquals(new Device[] {Device.gpu(2), Device.gpu(0)}, TrainingDevices.parseGpus(" 2, 0 ", 4));
        assertArrayEquals(new Device[] {Device.gpu(0), Device.gpu(1), Device.gpu(2)},
                TrainingDevices.parseGpus("all", 3));
    }

    @Test
    void mistakesAreExplained() {
        assertMessage("0,x", 2, "GPU numbers separated by commas");
        assertMessage("0,,1", 2, "GPU numbers separated by commas");
        assertMessage("1,1", 2, "names GPU 1 twice");
        assertMessage("0,2", 2, "GPU 2 does not exist: PyTorch sees 2 GPU(s)");
        assertMessage("0", 0, "PyTorch sees none");
        assertMessage("all", 0, "PyTorch sees none");
    }

    private static void assertMessage(String list, int gpus, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingDevices.parseGpus(list, gpus));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
