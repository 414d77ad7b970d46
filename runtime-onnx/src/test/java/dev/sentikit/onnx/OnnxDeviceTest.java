package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Device selection. With the CPU artifact {@code onnxruntime} (the default build) {@code auto} runs on the CPU
 * and {@code cuda:0} fails saying to use {@code onnxruntime_gpu}; with the GPU artifact on a machine with a
 * working GPU, {@code cuda:0} and {@code auto} run on CUDA.
 */
class OnnxDeviceTest {

    private static byte[] model;

    @BeforeAll
    static void buildModel() {
        model = ModelGenerators.bagModel(11L, ModelGenerators.LABELS_3);
    }

    private static boolean cudaProviderPresent() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    private static AnalyzerOptions on(String device) {
        return AnalyzerOptions.builder().optDevice(device).build();
    }

    private static OnnxSentimentAnalyzer load(String device) throws ModelLoadException {
        return (OnnxSentimentAnalyzer) SentimentAnalyzer.fromBytes(model, "device-test", on(device));
    }

    @Test
    void cpuRunsOnTheCpu() throws Exception {
        try (OnnxSentimentAnalyzer a = load("cpu")) {
            assertEquals(Device.CPU, a.executionDevice());
            assertEquals("CPUExecutionProvider", a.executionProvider());
            Sentiment s = a.analyze("good movie");
            assertEquals(1.0, s.scores().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);
        }
    }

    @Test
    void autoFallsBackToTheCpuWithoutTheCudaProvider() throws Exception {
        assumeFalse(cudaProviderPresent(), "the ONNX Runtime on the class path has the CUDA provider");
        try (OnnxSentimentAnalyzer a = load("auto")) {
            assertEquals(Device.CPU, a.executionDevice());
            try (OnnxSentimentAnalyzer cpu = load("cpu")) {
                assertEquals(cpu.analyze("not good"), a.analyze("not good"));
            }
        }
    }

    @Test
    void explicitCudaWithTheCpuArtifactSaysWhatToDo() {
        assumeFalse(cudaProviderPresent(), "the ONNX Runtime on the class path has the CUDA provider");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> load("cuda:0").close());
        String m = e.getMessage();
        assertTrue(m.contains("cuda:0"), m);
        assertTrue(m.contains("onnxruntime_gpu"), m);
        assertTrue(m.contains("gpu"), m);
        assertTrue(m.contains("device-test"), m);
    }

    @Test
    void autoRunsSomewhereWithTheCudaProvider() throws Exception {
        assumeTrue(cudaProviderPresent(), "the ONNX Runtime on the class path is the CPU-only artifact");
        // With onnxruntime_gpu: CUDA when its libraries and a GPU are present, the CPU otherwise; never a failure.
        try (OnnxSentimentAnalyzer a = load("auto")) {
            assertTrue(a.executionDevice().equals(Device.CPU) || a.executionDevice().equals(Device.cuda(0)),
                    a.executionDevice().toString());
            a.analyze("good");
        }
    }

    @Test
    void explicitCudaWithTheCudaProviderRunsOnCudaOrExplains() throws Exception {
        assumeTrue(cudaProviderPresent(), "the ONNX Runtime on the class path is the CPU-only artifact");
        try (OnnxSentimentAnalyzer a = load("cuda:0")) {
            assertEquals(Device.cuda(0), a.executionDevice());
            assertEquals("CUDAExecutionProvider", a.executionProvider());
            try (OnnxSentimentAnalyzer cpu = load("cpu")) {
                Sentiment g = a.analyze("great movie");
                Sentiment c = cpu.analyze("great movie");
                assertEquals(c.label(), g.label());
                assertEquals(c.score(), g.score(), 1e-5);
            }
        } catch (ModelLoadException e) {
            // No usable GPU or CUDA libraries: the message must say so.
            assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
        }
    }
}
