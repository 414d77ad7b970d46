package dev.sentikit;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a model runs: {@code auto} (CUDA when it can be used, the CPU otherwise), {@code cpu}, or
 * {@code cuda:N} (GPU number N, failing when it cannot be used).
 */
public final class Device {

    /** The kinds of device an analyzer can be asked to use. */
    public enum Kind { AUTO, CPU, CUDA }

    public static final Device AUTO = new Device(Kind.AUTO, -1);
    public static final Device CPU = new Device(Kind.CPU, -1);

    private static final String VALID_FORMS = "expected auto, cpu, cuda or cuda:N";

    private final Kind kind;
    private final int gpuId;

    private Device(Kind kind, int gpuId) {
        this.kind = kind;
        this.gpuId = gpuId;
    }

    private static IllegalArgumentException unknown(String text) {
        return new IllegalArgumentException("unknown device '" + text + "': " + VALID_FORMS);
    }

    /** Returns the CUDA device with the given number. */
    public static Device cuda(int gpuId) {
        if (gpuId < 0) {
            throw new IllegalArgumentException("gpuId must be >= 0, got " + gpuId);
        }
        return new Device(Kind.CUDA, gpuId);
    }

    /**
     * Parses {@code auto}, {@code cpu}, {@code cuda} (GPU 0) or {@code cuda:N}, ignoring case.
     *
     * @throws IllegalArgumentException naming the valid forms when {@code text} is none of them, or when N is
     *     negative
     */
    public static Device parse(String text) {
        Objects.requireNonNull(text, "device");
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "cuda":
            case "gpu":
                return cuda(0);
            default:
                break;
        }
        if (t.startsWith("cuda:") || t.startsWith("gpu:")) {
            String n = t.substring(t.indexOf(':') + 1);
            int gpuId;
            try {
                gpuId = Integer.parseInt(n);
            } catch (NumberFormatException e) {
                throw unknown(text);
            }
            if (gpuId < 0) {
                throw new IllegalArgumentException("invalid device '" + text + "': " + VALID_FORMS
                        + ", where N is a GPU number >= 0");
            }
            return cuda(gpuId);
        }
        throw unknown(text);
    }

    public Kind kind() {
        return kind;
    }

    /** The GPU number for {@link Kind#CUDA}, -1 otherwise. */
    public int gpuId() {
        return gpuId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).kind == kind && ((Device) o).gpuId == gpuId;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + gpuId;
    }

    @Override
    public String toString() {
        return kind == Kind.CUDA ? "cuda:" + gpuId : kind.name().toLowerCase(Locale.ROOT);
    }
}
