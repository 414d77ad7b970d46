package dev.sentikit.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Turns {@code --device auto|cpu|gpu|gpu:N} into DJL devices, explaining what to do when a GPU is missing. */
public final class TrainingDevices {

    private TrainingDevices() {}

    /**
     * Resolves a device option for the PyTorch engine.
     *
     * @throws IllegalArgumentException for an unknown option, or a GPU that cannot be used, with what to do
     */
    public static Device[] resolve(String option) {
        String o = option.trim().toLowerCase(Locale.ROOT);
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        switch (o) {
            case "auto":
                return new Device[] {gpus > 0 ? Device.gpu(0) : Device.cpu()};
            case "cpu":
                return new Device[] {Device.cpu()};
            case "gpu":
                return new Device[] {gpu(0, gpus)};
            default:
                if (o.startsWith("gpu:")) {
                    try {
                        return new Device[] {gpu(Integer.parseInt(o.substring(4)), gpus)};
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                }
                throw new IllegalArgumentException("unknown device '" + option
                        + "': expected auto, cpu, gpu or gpu:N");
        }
    }

    private static Device gpu(int id, int gpus) {
        if (gpus == 0) {
            throw new IllegalArgumentException("a GPU was asked for, but PyTorch sees none. Either this machine has "
                    + "no CUDA GPU or driver, or the trainer was built with the CPU natives only: rebuild with "
                    + "`mvn -Pcuda install` (PyTorch 2.5.1 for CUDA 12.4) on a machine with an NVIDIA driver, "
                    + "or use --device cpu.");
        }
        if (id < 0 || id >= gpus) {
            throw new IllegalArgumentException("GPU " + id + " does not exist: PyTorch sees " + gpus
                    + " GPU(s), numbered 0.." + (gpus - 1));
        }
        return Device.gpu(id);
    }
}
