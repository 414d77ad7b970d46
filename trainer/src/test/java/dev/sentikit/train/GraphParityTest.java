package dev.sentikit.train;

import dev.sentikit.train.report.EpochResult;
import dev.sentikit.architecture.SentimentBlock;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.ArchitectureSettings;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check before the first step: a network whose graph computes something else stops the run at once. */
class GraphParityTest {

    private static final SentimentTrainer.DataSources SOURCES = new SentimentTrainer.DataSources("fixture",
            "0".repeat(64), "split", null, "test");

    /**
     * An architecture that trains as {@code bag} but exports a graph whose logits are 0.5 off DJL's: a stand-in for
     * an engine kernel that computes another function than the graph (as PyTorch's oneDNN LSTM did on AVX-512).
     */
    static final class DriftingGraph implements Architecture {
        private final Architecture bag = Architectures.parse("bag");
        final AtomicInteger graphs = new AtomicInteger();

        @Override
        public String id() {
            return bag.id();
        }

        @Override
        public String summary() {
            return bag.summary();
        }

        @Override
        public Defaults defaults(ArchitectureSettings settings) {
            return bag.defaults(settings);
        }

        @Override
        public Configured configure(Options options, Consumer<String> log) throws IOException {
            return bag.configure(options, log);
        }

        @Override
        public ArchitectureSettings defaultSettings() {
            return bag.defaultSettings();
        }

        @Override
        public void check(ArchitectureSettings settings, EncoderSpec encoder) {
            bag.check(settings, encoder);
        }

        @Override
        public Map<String, Object> writeSettings(ArchitectureSettings settings) {
            return bag.writeSettings(settings);
        }

        @Override
        public ArchitectureSettings readSettings(Map<String, Object> hyperparameters) {
            return bag.readSettings(hyperparameters);
        }

        @Override
        public Map<String, String> optionValues(ArchitectureSettings settings) {
            return bag.optionValues(settings);
        }

        @Override
        public SentimentBlock newBlock(ArchitectureSettings settings, long rows, int labels) {
            return bag.newBlock(settings, rows, labels);
        }

        @Override
        public String initialize(SentimentBlock block, ArchitectureSettings settings, Vocabulary vocabulary,
                Random random, Prepared prepared) throws IOException {
            return bag.initialize(block, settings, vocabulary, random, prepared);
        }

        @Override
        public OnnxMl.ModelProto toOnnx(SentimentBlock block, Map<String, String> metadataProps,
                String producerVersion, ExportOptions options) {
            graphs.incrementAndGet();
            block.bias().getArray().addi(0.5f);
            try {
                return bag.toOnnx(block, metadataProps, producerVersion, options);
            } finally {
                block.bias().getArray().subi(0.5f);
            }
        }
    }

    @Test
    void aGraphThatComputesSomethingElseStopsTheRunBeforeItsFirstStep(@TempDir Path dir) throws Exception {
        Examples all = Fixtures.vaderExamples();
        Split split = Split.stratified(all, 0.2, 1);
        DriftingGraph architecture = new DriftingGraph();
        AtomicInteger epochs = new AtomicInteger();
        AtomicInteger steps = new AtomicInteger();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int total, int stepsInEpoch) {
                epochs.incrementAndGet();
            }

            @Override
            public void stepEnded(int step, double loss, int examples) {
                steps.incrementAndGet();
            }
        };
        Path run = dir.resolve("run");
        GraphParityException e = assertThrows(GraphParityException.class,
                () -> new SentimentTrainer(Fixtures.smallConfig(architecture).build(),
                        new Device[] {Device.cpu()}, listener).optCacheDir(null).train(split.train(),
                                split.heldOut(), SOURCES, run));
        String m = e.getMessage();
        System.out.println("the message: " + m);
        assertEquals(1, architecture.graphs.get(), "one graph written, before training");
        assertEquals(0, epochs.get(), "no epoch started");
        assertEquals(0, steps.get(), "no step taken");
        assertFalse(Files.exists(run.resolve("last")), "no checkpoint written");
        assertTrue(m.contains("differ by 0.5"), m);
        assertTrue(m.contains("the bag network as DJL"), m);
        assertTrue(m.contains(CpuDescription.current()), "names the CPU: " + m);
        assertTrue(m.contains("ONEDNN_MAX_CPU_ISA=AVX2") && m.contains("report"), "says what to do next: " + m);
    }

    @Test
    void theSampleSpansTheLengthsAndIsCut() {
        int[][] ids = new int[100][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new int[i + 1];
            java.util.Arrays.fill(ids[i], i + 1);
        }
        long[][] batch = GraphParity.sample(ids);
        assertEquals(GraphParity.TEXTS, batch.length);
        assertEquals(GraphParity.MAX_TOKENS, batch[0].length, "cut to MAX_TOKENS, padded to the longest");
        assertEquals(1, batch[0][0], "the shortest text first");
        assertEquals(0, batch[0][1], "then padding");
        assertEquals(100, batch[GraphParity.TEXTS - 1][0], "the longest text last");
        long[][] one = GraphParity.sample(new int[][] {{4, 5}});
        assertArrayEquals(new long[] {4, 5}, one[0]);
    }

    @Test
    void theCpuIsDescribedFromCpuinfo() {
        List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 26",
                "model name\t: AMD EPYC", "flags\t\t: fpu sse2 avx2 fma avx512f avx512bw avx512_vnni avx512_bf16",
                "", "processor\t: 1", "model name\t: something else");
        String d = CpuDescription.describe(cpuinfo);
        assertEquals("AMD EPYC (" + System.getProperty("os.arch")
                + ", family 26; avx2 fma avx512f avx512bw avx512_vnni avx512_bf16)", d);
        assertTrue(CpuDescription.describe(List.of("model name : Old CPU", "flags : sse2")).endsWith(")"));
    }
}
