package dev.sentikit.architecture.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sentikit.architecture.Architecture.Quantization;
import dev.sentikit.graph.OnnxGraphBuilder;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncodedBatch;
import dev.sentikit.text.TokenizerJson;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 graph gives the same probabilities on an x86 CPU without VNNI (AVX2 only), where ONNX Runtime's MLAS
 * multiplies uint8 by int8 with {@code vpmaddubsw}, which saturates the sum of two products at 32,767. The JVM runs
 * under QEMU's user-mode emulator as a Haswell (AVX2, FMA; no AVX-512, no VNNI), so MLAS picks its AVX2 kernels. The
 * probe first shows that the emulation reaches that kernel: weights of 127 times activations of 255 overflow there
 * (and not on this machine). Skips, saying so, where {@code qemu-x86_64} is not installed ({@code apt-get install
 * qemu-user}; QEMU 7.2 or later emulates AVX2), unless {@code SENTIKIT_REQUIRE_QEMU=1} (CI) makes that a failure.
 */
class Int8WithoutVnniTest {

    static final String QEMU = "qemu-x86_64";

    /** The emulated CPU: AVX2 without VNNI. */
    static final String CPU = "Haswell";

    @Test
    void theInt8GraphGivesTheSameProbabilitiesWithoutVnni(@TempDir Path dir) throws Exception {
        String missing = QEMU + " is not installed, so the int8 graph was not run on an emulated CPU without VNNI "
                + "(apt-get install qemu-user)";
        if ("1".equals(System.getenv("SENTIKIT_REQUIRE_QEMU"))) {
            assertTrue(onPath(QEMU), "SENTIKIT_REQUIRE_QEMU is set, but " + missing);
        }
        Assumptions.assumeTrue(onPath(QEMU), missing);
        TinyBert tiny = TinyBert.standard();
        BertWeights weights = BertWeights.read(tiny.onnx(), "tiny.onnx");
        TokenizerJson.Imported tokenizer = TokenizerJson.read(tiny.tokenizerJson(), 64);
        ModelCard card = new ModelCard(ModelFormat.FORMAT_VERSION, "tiny-int8", null, TransformerArchitecture.ID,
                List.of("negative", "neutral", "positive"), tokenizer.spec(), tokenizer.vocabulary().size(),
                1L + tokenizer.vocabulary().size(), null, Map.of(), List.of());
        Path model = dir.resolve("int8.onnx");
        Path worst = dir.resolve("int8-worst-case.onnx");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            TransformerBlock block = EncoderParityTest.block(weights, manager);
            // A random head (the block's starts at zero, which would give 1/3 for every label whatever the encoder).
            java.util.Random random = new java.util.Random(11);
            float[] head = new float[3 * weights.hidden()];
            for (int i = 0; i < head.length; i++) {
                head[i] = (float) (3 * random.nextGaussian());
            }
            block.weight().getArray().set(java.nio.FloatBuffer.wrap(head));
            Map<String, String> props = ModelFormat.toMetadataProps(card, tokenizer.vocabulary());
            Files.write(model, TransformerGraph.build(block, props, "test", Quantization.INT8).toByteArray());
            worstCase(block, weights.hidden());
            Files.write(worst, TransformerGraph.build(block, props, "test", Quantization.INT8).toByteArray());
        }
        EncodedBatch batch = tokenizer.encoder().encodeBatch(EncoderParityTest.texts(16));
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, batch.batchSize() + " " + batch.sequenceLength() + " "
                + String.join(" ", Arrays.stream(batch.ids()).mapToObj(Long::toString).toList()));

        List<String> here = Probe.run(ids, model, worst);
        List<String> emulated = runEmulated(ids, model, worst);
        System.out.println("on this CPU: " + here.get(0) + "; emulated " + CPU + ": " + emulated.get(0));
        assertEquals("overflow 1032256", here.get(0), "weights of 127 are exact with VNNI");
        assertNotEquals("overflow 1032256", emulated.get(0), "the emulated CPU should use MLAS's AVX2 kernel, where "
                + "weights of 127 overflow; otherwise this test checks nothing");
        for (int m = 1; m <= 2; m++) {
            float[] a = parse(here.get(m));
            float[] b = parse(emulated.get(m));
            double largest = 0;
            for (int i = 0; i < a.length; i++) {
                largest = Math.max(largest, Math.abs(a[i] - b[i]));
            }
            String which = m == 1 ? "int8 graph" : "int8 graph, worst case for vpmaddubsw";
            System.out.printf("%s: this CPU against emulated %s, largest difference %.3g over %d probabilities%n",
                    which, CPU, largest, a.length);
            assertTrue(largest <= 1e-5, which + ": without VNNI a probability moved by " + largest);
            assertTrue(spread(a) > 0.05, which + ": the probabilities should not all be 1/3: " + here.get(m));
        }
    }

    /**
     * Makes the first integer product the worst case for {@code vpmaddubsw}: every word's embedding is the pattern
     * +1, +1, -1, -1, … (so after the embedding's LayerNorm, with γ = 1 and β = 0, every token's activations quantize
     * to 255, 255, 1, 1, …: adjacent pairs at the top of the uint8 range) and every weight of the first QKV product
     * is the same positive number (so each quantizes to the top of the weight range). Weights of 127 overflow there;
     * the graph's range must not.
     */
    private static void worstCase(TransformerBlock block, int h) {
        float[] word = new float[(int) block.embedding().getArray().getShape().size()];
        for (int i = 0; i < word.length; i++) {
            word[i] = (i % h) % 4 < 2 ? 1f : -1f;
        }
        block.embedding().getArray().set(java.nio.FloatBuffer.wrap(word));
        block.positionEmbedding().getArray().set(java.nio.FloatBuffer.wrap(new float[(int) block
                .positionEmbedding().getArray().getShape().size()]));
        block.tokenTypeEmbedding().getArray().set(java.nio.FloatBuffer.wrap(new float[h]));
        float[] ones = new float[h];
        Arrays.fill(ones, 1f);
        block.embeddingGamma().getArray().set(java.nio.FloatBuffer.wrap(ones));
        block.embeddingBeta().getArray().set(java.nio.FloatBuffer.wrap(new float[h]));
        float[] qkv = new float[3 * h * h];
        Arrays.fill(qkv, 0.05f);
        block.layers().get(0).qkvWeight().getArray().set(java.nio.FloatBuffer.wrap(qkv));
    }

    /** How far the probabilities get from 1/3 (which a head of zeros would give whatever the encoder computes). */
    private static double spread(float[] p) {
        double largest = 0;
        for (float v : p) {
            largest = Math.max(largest, Math.abs(v - 1 / 3.0));
        }
        return largest;
    }

    private static float[] parse(String line) {
        String[] parts = line.trim().split(" ");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private static List<String> runEmulated(Path ids, Path... models) throws Exception {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(QEMU, "-cpu", CPU, launcher, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Probe.class.getName(), ids.toString()));
        for (Path m : models) {
            command.add(m.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the emulated run did not finish");
        assertEquals(0, p.exitValue(), "the emulated run failed: " + out);
        List<String> lines = new ArrayList<>(out.lines().filter(l -> !l.isBlank()).toList());
        assertEquals(1 + models.length, lines.size(), out);
        return lines;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the test runs on each CPU, printing two lines: the product of 64 activations of 255 (zero point 128) and
     * weights of 127 as MatMulInteger computes it ({@code overflow N}; exact: 1,032,256), then each int8 model's
     * probabilities for the batch of ids in the file, a line each.
     */
    public static final class Probe {

        public static void main(String[] args) throws Exception {
            Path[] models = new Path[args.length - 1];
            for (int i = 1; i < args.length; i++) {
                models[i - 1] = Path.of(args[i]);
            }
            for (String line : run(Path.of(args[0]), models)) {
                System.out.println(line);
            }
        }

        static List<String> run(Path idsFile, Path... models) throws Exception {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            List<String> out = new ArrayList<>();
            out.add("overflow " + overflow(env));
            String[] parts = Files.readString(idsFile).trim().split(" ");
            int rows = Integer.parseInt(parts[0]);
            int length = Integer.parseInt(parts[1]);
            long[] ids = new long[rows * length];
            long[] mask = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = Long.parseLong(parts[2 + i]);
                mask[i] = ids[i] != 0 ? 1 : 0;
            }
            long[] shape = {rows, length};
            for (Path model : models) {
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.setIntraOpNumThreads(1);
                    try (OrtSession session = env.createSession(model.toString(), options);
                            OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                            OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                            OrtSession.Result result = session.run(Map.of(ModelFormat.INPUT_IDS, t,
                                    ModelFormat.INPUT_ATTENTION_MASK, m))) {
                        float[][] p = (float[][]) result.get(ModelFormat.OUTPUT_PROBABILITIES).orElseThrow()
                                .getValue();
                        StringBuilder sb = new StringBuilder();
                        for (float[] row : p) {
                            for (float v : row) {
                                sb.append(v).append(' ');
                            }
                        }
                        out.add(sb.toString().trim());
                    }
                }
            }
            return out;
        }

        private static int overflow(OrtEnvironment env) throws Exception {
            int m = 8;
            int k = 64;
            int n = 16;
            OnnxGraphBuilder g = new OnnxGraphBuilder("overflow");
            String a = g.input("a", OnnxMl.TensorProto.DataType.UINT8, m, k);
            g.output("y", OnnxMl.TensorProto.DataType.INT32, m, n);
            byte[] w = new byte[k * n];
            Arrays.fill(w, (byte) 127);
            g.node("MatMulInteger", "y", a, g.int8("w", w, k, n), g.uint8("zp", new byte[] {(byte) 128}));
            byte[] values = new byte[m * k];
            Arrays.fill(values, (byte) 255);
            try (OrtSession session = env.createSession(g.model("", Map.of(), "test").toByteArray(),
                    new OrtSession.SessionOptions());
                    OnnxTensor t = OnnxTensor.createTensor(env, ByteBuffer.wrap(values), new long[] {m, k},
                            OnnxJavaType.UINT8);
                    OrtSession.Result r = session.run(Map.of("a", t))) {
                return ((int[][]) r.get(0).getValue())[0][0];
            }
        }

        private Probe() {}
    }
}
