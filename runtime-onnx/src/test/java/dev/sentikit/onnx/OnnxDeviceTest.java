package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Device selection. Every test runs in every setting and asserts what that setting must give; there are three:
 *
 * <ul>
 *   <li><b>The CPU artifact</b> {@code onnxruntime} (the default build; CI): {@code auto} runs on the CPU and logs
 *       that the class path has no CUDA provider; {@code cuda:0} fails to load, saying to use
 *       {@code onnxruntime_gpu} ({@code -Pgpu}).
 *   <li><b>The GPU artifact</b> {@code onnxruntime_gpu} ({@code mvn -Pgpu}) on a machine without an NVIDIA GPU:
 *       {@code auto} falls back to the CPU and logs ONNX Runtime's reason and what CUDA needs; {@code cuda:0}
 *       fails to load with ONNX Runtime's reason and what CUDA needs.
 *   <li><b>The GPU artifact on a machine with an NVIDIA GPU</b> (and CUDA 12 and cuDNN 9): {@code auto} and
 *       {@code cuda:0} run on CUDA and give the CPU's probabilities within {@value #GPU_TOLERANCE}.
 * </ul>
 *
 * <p>The device is the one the analyzer registered with ONNX Runtime: with {@code cpu}, or after a fallback, no
 * CUDA provider is added to the session, so only the CPU provider can run it.
 */
class OnnxDeviceTest {

    /** Float32 on another processor: sums in another order (the model's probabilities are of magnitude 1). */
    static final double GPU_TOLERANCE = 1e-5;

    private static byte[] model;

    @BeforeAll
    static void buildModel() {
        model = ModelGenerators.bagModel(11L, ModelGenerators.LABELS_3);
    }

    /** What this test run has: which ONNX Runtime artifact, and whether there is a GPU for it. */
    enum Setting {
        CPU_ARTIFACT, GPU_ARTIFACT_WITHOUT_GPU, GPU_ARTIFACT_WITH_GPU;

        static Setting current() {
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                return CPU_ARTIFACT;
            }
            // The NVIDIA driver's first device file: there is a GPU for CUDA to use (Linux, where CI runs).
            return Files.exists(Path.of("/dev/nvidia0")) ? GPU_ARTIFACT_WITH_GPU : GPU_ARTIFACT_WITHOUT_GPU;
        }
    }

    private static AnalyzerOptions on(String device) {
        return AnalyzerOptions.builder().optDevice(device).build();
    }

    private static OnnxSentimentAnalyzer load(String device) throws ModelLoadException {
        return (OnnxSentimentAnalyzer) SentimentAnalyzer.fromBytes(model, "device-test", on(device));
    }

    /** An analyzer and what the SDK logged (SLF4J simple, to standard error) while loading it. */
    record Loaded(OnnxSentimentAnalyzer analyzer, String log) {}

    private static Loaded loadLogging(String device) throws ModelLoadException {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            OnnxSentimentAnalyzer a = load(device);
            return new Loaded(a, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
            System.err.print(captured.toString(StandardCharsets.UTF_8));
        }
    }

    private static void assertSameResults(SentimentAnalyzer expected, SentimentAnalyzer actual, double tolerance) {
        for (String text : List.of("great movie", "not good", "")) {
            Sentiment e = expected.analyze(text);
            Sentiment a = actual.analyze(text);
            assertEquals(e.label(), a.label(), text);
            for (String label : e.scores().keySet()) {
                assertEquals(e.score(label), a.score(label), tolerance, text + ", " + label);
            }
        }
    }

    /** In every setting: {@code cpu} runs on the CPU provider, without a reason to log. */
    @Test
    void cpuRunsOnTheCpu() throws Exception {
        try (OnnxSentimentAnalyzer a = load("cpu")) {
            assertEquals(Device.CPU, a.executionDevice());
            assertEquals("CPUExecutionProvider", a.executionProvider());
            assertNull(a.deviceReason(), "a device that was given needs no reason");
            Sentiment s = a.analyze("good movie");
            assertEquals(1.0, s.scores().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);
        }
    }

    /**
     * Without a GPU (either artifact), {@code auto} runs on the CPU provider, gives the CPU's results, and the
     * "Loaded …" line says why: the CPU-only artifact, or ONNX Runtime's CUDA error and what CUDA needs. With a
     * GPU and the GPU artifact, it runs on CUDA.
     */
    @Test
    void autoRunsWhereItCanAndLogsWhy() throws Exception {
        Setting setting = Setting.current();
        Loaded loaded = loadLogging("auto");
        try (OnnxSentimentAnalyzer a = loaded.analyzer(); OnnxSentimentAnalyzer cpu = load("cpu")) {
            String reason = a.deviceReason();
            switch (setting) {
                case CPU_ARTIFACT -> {
                    assertEquals(Device.CPU, a.executionDevice());
                    assertEquals("CPUExecutionProvider", a.executionProvider());
                    assertEquals(OnnxSentimentAnalyzer.AUTO_WITHOUT_CUDA_PROVIDER, reason);
                    assertSameResults(cpu, a, 0);
                }
                case GPU_ARTIFACT_WITHOUT_GPU -> {
                    assertEquals(Device.CPU, a.executionDevice());
                    assertEquals("CPUExecutionProvider", a.executionProvider());
                    assertTrue(reason.startsWith(OnnxSentimentAnalyzer.AUTO_CUDA_NOT_USABLE + " (")
                            || reason.startsWith(OnnxSentimentAnalyzer.AUTO_CUDA_LOAD_FAILED + " ("), reason);
                    assertTrue(reason.endsWith(". " + OnnxSentimentAnalyzer.CUDA_REQUIREMENTS), reason);
                    assertSameResults(cpu, a, 0);
                }
                case GPU_ARTIFACT_WITH_GPU -> {
                    assertEquals(Device.cuda(0), a.executionDevice(), "this machine has a GPU: " + reason);
                    assertEquals("CUDAExecutionProvider", a.executionProvider());
                    assertEquals(OnnxSentimentAnalyzer.AUTO_ON_CUDA, reason);
                    assertSameResults(cpu, a, GPU_TOLERANCE);
                }
            }
            String where = a.executionDevice().equals(Device.CPU) ? "the CPU (CPUExecutionProvider)"
                    : "CUDA GPU 0 (CUDAExecutionProvider)";
            assertTrue(loaded.log().contains("Loaded device-test (model ") && loaded.log().contains(" on " + where
                    + "; device auto: " + reason + "\n"), setting + ": the log should say where and why:\n"
                    + loaded.log());
        }
    }

    /**
     * Without a GPU, {@code cuda:0} is refused when the model loads, never by falling back: with the CPU artifact
     * the message says to use {@code onnxruntime_gpu}; with the GPU artifact it gives ONNX Runtime's error and what
     * CUDA needs. With a GPU and the GPU artifact, it runs on CUDA.
     */
    @Test
    void explicitCudaRunsOnTheGpuOrSaysWhatToDo() throws Exception {
        Setting setting = Setting.current();
        if (setting == Setting.GPU_ARTIFACT_WITH_GPU) {
            try (OnnxSentimentAnalyzer a = load("cuda:0"); OnnxSentimentAnalyzer cpu = load("cpu")) {
                assertEquals(Device.cuda(0), a.executionDevice());
                assertEquals("CUDAExecutionProvider", a.executionProvider());
                assertNull(a.deviceReason());
                assertSameResults(cpu, a, GPU_TOLERANCE);
            }
            return;
        }
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> load("cuda:0").close());
        String m = e.getMessage();
        assertTrue(m.startsWith("Cannot load device-test on cuda:0"), m);
        if (setting == Setting.CPU_ARTIFACT) {
            assertTrue(m.contains("has no CUDA execution provider (it is the CPU-only artifact "
                    + "com.microsoft.onnxruntime:onnxruntime)"), m);
            assertTrue(m.contains("Depend on com.microsoft.onnxruntime:onnxruntime_gpu instead"), m);
            assertTrue(m.contains("`mvn -Pgpu ...`"), m);
            assertTrue(m.endsWith("or use the device cpu or auto."), m);
        } else {
            assertInstanceOf(OrtException.class, e.getCause(), "ONNX Runtime's error is the cause");
            assertTrue(m.startsWith("Cannot load device-test on cuda:0: ONNX Runtime could not enable CUDA: ")
                    || m.startsWith("Cannot load device-test on cuda:0 (it loads on the CPU): "), m);
            assertTrue(m.contains(OnnxSentimentAnalyzer.CUDA_REQUIREMENTS), m);
        }
    }
}
