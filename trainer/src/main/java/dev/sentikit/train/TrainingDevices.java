package dev.sentikit.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Turns {@code --device auto|cpu|gpu|gpu:N} and {@code --gpus 0,1,...|all} into DJL devices, explaining what to do
 * when a GPU is missing. Several devices mean data-parallel training: each batch is split across them, their
 * gradients are summed on the first, and every replica takes the same optimizer step.
 */
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

    /**
     * Resolves {@code --gpus}: a comma-separated list of GPU numbers, or {@code all} for every GPU PyTorch sees.
     *
     * @throws IllegalArgumentException for a malformed or repeated number, or a GPU that cannot be used
     */
    public static Device[] resolveGpus(String list) {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        return parseGpus(list, gpus);
    }

    /** {@link #resolveGpus} for a machine with {@code gpus} GPUs. */
    static Device[] parseGpus(String list, int gpus) {
        String l = list.trim().toLowerCase(Locale.ROOT);
        if (l.equals("all")) {
            gpu(0, gpus); // the message when there is none
            Device[] all = new Device[gpus];
            for (int i = 0; i < gpus; i++) {
                all[i] = Device.gpu(i);
            }
            return all;
        }
        java.util.LinkedHashSet<Integer> ids = new java.util.LinkedHashSet<>();
        for (String part : l.split(",", -1)) {
            int id;
            try {
                id = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--gpus takes GPU numbers separated by commas (e.g. 0,1) or all, "
                        + "got '" + list + "'");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException("--gpus names GPU " + id + " twice: '" + list + "'");
            }
        }
        Device[] devices = new Device[ids.size()];
        int i = 0;
        for (int id : ids) {
            devices[i++] = gpu(id, gpus);
        }
        return devices;
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
