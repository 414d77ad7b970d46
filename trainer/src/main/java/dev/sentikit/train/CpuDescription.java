package dev.sentikit.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * This machine's CPU in one line, for messages that depend on it: the model, the family on x86-64, and the vector
 * instruction sets that decide which kernels the engines run (from {@code /proc/cpuinfo} on Linux; elsewhere the
 * architecture the JVM reports).
 */
public final class CpuDescription {

    /** The instruction-set flags named, in this order, when the CPU has them. */
    static final List<String> VECTOR_FLAGS = List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8");

    private CpuDescription() {}

    /** This machine's CPU, such as {@code AMD EPYC (x86-64, family 26; avx2 fma avx512f … avx512_bf16)}. */
    public static String current() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                return describe(Files.readAllLines(cpuinfo, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                // fall through to what the JVM knows
            }
        }
        return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** The description of the first processor in {@code cpuinfo}'s lines. */
    static String describe(List<String> cpuinfo) {
        String model = null;
        String family = null;
        Set<String> flags = new LinkedHashSet<>();
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && model != null) {
                    break; // the first processor is enough
                }
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "model name" -> model = value;
                case "cpu family" -> family = value;
                case "flags", "features" -> flags.addAll(Arrays.asList(value.split("\\s+")));
                default -> { }
            }
        }
        List<String> vector = new ArrayList<>();
        for (String f : VECTOR_FLAGS) {
            if (flags.contains(f)) {
                vector.add(f);
            }
        }
        StringBuilder out = new StringBuilder(model != null ? model : System.getProperty("os.arch"));
        out.append(" (").append(System.getProperty("os.arch"));
        if (family != null) {
            out.append(", family ").append(family);
        }
        if (!vector.isEmpty()) {
            out.append("; ").append(String.join(" ", vector));
        }
        out.append(')');
        return out.toString();
    }
}
