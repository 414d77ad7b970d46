package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: a real model file corrupted in a few thousand seeded ways. Every corrupted file either loads and then
 * analyzes texts into probabilities (finite, in [0, 1], summing to 1, the same in a batch as alone), or fails to
 * load with a {@link ModelLoadException}. Any other exception, an error, or a crash of the JVM fails the test.
 *
 * <p>One outcome is allowed besides, and must stay rare: a mutant whose weights are finite but near the float32
 * maximum loads, and a text whose ids sum past it is refused by {@code analyze} with an
 * {@link IllegalStateException} ("returned a non-finite probability"), never a NaN. The load-time probe runs every
 * id alone and all ids together, but cannot try every combination (docs/reliability.md).
 *
 * <p>Mutants 0..N of a seed are reproducible: run with {@code -Dsentikit.mutation.trace=true} to see each one.
 */
class HardeningMutationTest {

    // -Dsentikit.mutation.seed=N and -Dsentikit.mutation.count=N (byte-level; a third as many well-formed ones) run
    // other or more mutants than CI does; -Dsentikit.mutation.trace=true names each before it is loaded.
    private static final long SEED = Long.getLong("sentikit.mutation.seed", 0x5E17_1C17L);
    private static final int MUTANTS = Integer.getInteger("sentikit.mutation.count", 3000);
    private static final int STRUCTURED_MUTANTS = MUTANTS / 3;
    private static final AnalyzerOptions CPU = AnalyzerOptions.builder().optDevice(Device.CPU)
            .optIntraOpThreads(1).build();
    private static final List<String> TEXTS = List.of("good movie", "", "not good at all", "terrible terrible bad",
            "an unknown sentence, with punctuation!", "\u6211\u7231 NLP \uD83D\uDE00 \uD83D\uDC4D\uD83C\uDFFD");

    /** The 32-bit values that most often break parsers: lengths, counts and sizes at their edges. */
    private static final int[] INTERESTING = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF,
            0x8000_0000, 0x4000_0000, 17, 6, 3, 2};

    /** One corrupted file and how it was made, for the failure message. */
    private record Mutant(byte[] bytes, String how) {}

    @Test
    void everyMutantLoadsAndAnalyzesOrFailsWithModelLoadException() {
        byte[] original = ModelGenerators.bagModel(11L, ModelGenerators.LABELS_3);
        Random random = new Random(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < MUTANTS; i++) {
            Mutant m = mutate(original, random);
            String source = "mutant-" + i + ".onnx";
            trace(source, m);
            SentimentAnalyzer analyzer;
            try {
                analyzer = SentimentAnalyzer.fromBytes(m.bytes(), source, CPU);
            } catch (ModelLoadException e) {
                outcomes.merge("refused: " + kind(e.getMessage(), source), 1, Integer::sum);
                continue;
            } catch (Throwable t) {
                throw new AssertionError("mutant " + i + " (" + m.how() + ") threw " + t + " instead of a "
                        + "ModelLoadException", t);
            }
            try (SentimentAnalyzer a = analyzer) {
                outcomes.merge(checkAnalyzes(a, i, m), 1, Integer::sum);
            }
        }
        System.out.println("HardeningMutationTest: " + MUTANTS + " mutants of a " + original.length
                + "-byte model, seed " + SEED + ": " + outcomes);
        assertEquals(MUTANTS, outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(outcomes.getOrDefault("loaded; a text overflows float32 (IllegalStateException)", 0)
                <= Math.max(2, MUTANTS / 400), "overflowing weights stay rare (about 1 in 1,000): " + outcomes);
        assertTrue(outcomes.getOrDefault("loaded and analyzed", 0) > 0, "some mutants still load: " + outcomes);
        assertTrue(outcomes.size() > 3, "mutants fail in several ways: " + outcomes);
    }

    /**
     * Mutants that are still well-formed protobuf, so that they get past the wire-format check and exercise ONNX
     * Runtime's own checks: changed shapes, types, operators, attributes, edges, opsets and raw weight bytes.
     */
    @Test
    void everyWellFormedMutantLoadsAndAnalyzesOrFailsWithModelLoadException() throws Exception {
        OnnxMl.ModelProto original = OnnxMl.ModelProto.parseFrom(ModelGenerators.bagModel(12L,
                ModelGenerators.LABELS_3));
        Random random = new Random(SEED + 1);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < STRUCTURED_MUTANTS; i++) {
            StringBuilder how = new StringBuilder();
            OnnxMl.ModelProto.Builder model = original.toBuilder();
            int steps = 1 + random.nextInt(2);
            for (int s = 0; s < steps; s++) {
                if (how.length() > 0) {
                    how.append(", then ");
                }
                mutateStructure(model, random, how);
            }
            Mutant m = new Mutant(model.build().toByteArray(), how.toString());
            String source = "structured-" + i + ".onnx";
            trace(source, m);
            SentimentAnalyzer analyzer;
            try {
                analyzer = SentimentAnalyzer.fromBytes(m.bytes(), source, CPU);
            } catch (ModelLoadException e) {
                outcomes.merge("refused: " + kind(e.getMessage(), source), 1, Integer::sum);
                continue;
            } catch (Throwable t) {
                throw new AssertionError("structured mutant " + i + " (" + m.how() + ") threw " + t
                        + " instead of a ModelLoadException", t);
            }
            try (SentimentAnalyzer a = analyzer) {
                outcomes.merge(checkAnalyzes(a, i, m), 1, Integer::sum);
            }
        }
        System.out.println("HardeningMutationTest: " + STRUCTURED_MUTANTS + " well-formed mutants, seed "
                + (SEED + 1) + ": " + outcomes);
        assertTrue(outcomes.getOrDefault("refused: ONNX Runtime refused", 0) > 0, outcomes.toString());
        assertTrue(outcomes.getOrDefault("loaded and analyzed", 0) > 0, outcomes.toString());
    }

    private static final String[] OPS = {"Gather", "Gemm", "Softmax", "ReduceSum", "ReduceMean", "Cast", "Div",
        "Mul", "Add", "Max", "Min", "Not", "Equal", "Unsqueeze", "Squeeze", "Identity", "Relu", "Sigmoid", "Reshape",
        "Transpose", "MatMul", "Neg", "Abs", "Exp", "Log", "Sqrt", "Tile", "Expand", "Concat", "Shape", "Size",
        "ArgMax", "LogSoftmax", "Hardmax", "Where", "NoSuchOp"};

    private static void mutateStructure(OnnxMl.ModelProto.Builder model, Random random, StringBuilder how) {
        OnnxMl.GraphProto.Builder graph = model.getGraphBuilder();
        switch (random.nextInt(10)) {
            case 0: { // an initializer's shape
                int t = random.nextInt(graph.getInitializerCount());
                OnnxMl.TensorProto.Builder tensor = graph.getInitializerBuilder(t);
                long value = new long[] {0, 1, 2, 5, 16, 17, 18, 100, -1, -17, 1L << 31, 1L << 40,
                    Long.MAX_VALUE}[random.nextInt(13)];
                if (tensor.getDimsCount() > 0 && random.nextBoolean()) {
                    int d = random.nextInt(tensor.getDimsCount());
                    tensor.setDims(d, value);
                    how.append(tensor.getName()).append(".dims[").append(d).append("] = ").append(value);
                } else {
                    tensor.addDims(value);
                    how.append(tensor.getName()).append(".dims += ").append(value);
                }
                return;
            }
            case 1: { // an initializer's element type
                int t = random.nextInt(graph.getInitializerCount());
                int type = random.nextInt(24);
                graph.getInitializerBuilder(t).setDataType(type);
                how.append(graph.getInitializer(t).getName()).append(".data_type = ").append(type);
                return;
            }
            case 2: { // an initializer's raw bytes: cut, grown or overwritten
                int t = random.nextInt(graph.getInitializerCount());
                OnnxMl.TensorProto.Builder tensor = graph.getInitializerBuilder(t);
                byte[] raw = tensor.getRawData().toByteArray();
                int choice = random.nextInt(3);
                if (choice == 0 && raw.length > 0) {
                    raw = Arrays.copyOf(raw, random.nextInt(raw.length));
                } else if (choice == 1) {
                    raw = Arrays.copyOf(raw, raw.length + 1 + random.nextInt(64));
                } else if (raw.length > 0) {
                    raw[random.nextInt(raw.length)] = (byte) random.nextInt(256);
                }
                tensor.setRawData(com.google.protobuf.ByteString.copyFrom(raw));
                how.append(tensor.getName()).append(".raw_data: ").append(raw.length).append(" bytes (")
                        .append(choice).append(")");
                return;
            }
            case 3: { // a node's operator
                int n = random.nextInt(graph.getNodeCount());
                String op = OPS[random.nextInt(OPS.length)];
                how.append("node ").append(graph.getNode(n).getName()).append(" op ")
                        .append(graph.getNode(n).getOpType()).append(" -> ").append(op);
                graph.getNodeBuilder(n).setOpType(op);
                return;
            }
            case 4: { // a node's input: another tensor's name, or none
                int n = random.nextInt(graph.getNodeCount());
                OnnxMl.NodeProto.Builder node = graph.getNodeBuilder(n);
                List<String> names = new java.util.ArrayList<>();
                graph.getNodeList().forEach(x -> names.addAll(x.getOutputList()));
                graph.getInitializerList().forEach(x -> names.add(x.getName()));
                names.add("input_ids");
                names.add("");
                names.add("missing");
                String name = names.get(random.nextInt(names.size()));
                if (node.getInputCount() > 0 && random.nextInt(4) > 0) {
                    int k = random.nextInt(node.getInputCount());
                    node.setInput(k, name);
                    how.append("node ").append(node.getName()).append(".input[").append(k).append("] = '")
                            .append(name).append("'");
                } else {
                    node.addInput(name);
                    how.append("node ").append(node.getName()).append(".input += '").append(name).append("'");
                }
                return;
            }
            case 5: { // a node's attribute value, or a new attribute
                int n = random.nextInt(graph.getNodeCount());
                OnnxMl.NodeProto.Builder node = graph.getNodeBuilder(n);
                long value = new long[] {-3, -2, -1, 0, 1, 2, 3, 7, 100, Integer.MAX_VALUE, Long.MIN_VALUE}[
                        random.nextInt(11)];
                String name = node.getAttributeCount() > 0 && random.nextBoolean()
                        ? node.getAttribute(random.nextInt(node.getAttributeCount())).getName()
                        : new String[] {"axis", "keepdims", "to", "transA", "transB", "alpha", "perm"}[
                                random.nextInt(7)];
                OnnxMl.AttributeProto attribute = OnnxMl.AttributeProto.newBuilder().setName(name)
                        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
                boolean replaced = false;
                for (int a = 0; a < node.getAttributeCount(); a++) {
                    if (node.getAttribute(a).getName().equals(name)) {
                        node.setAttribute(a, attribute);
                        replaced = true;
                    }
                }
                if (!replaced) {
                    node.addAttribute(attribute);
                }
                how.append("node ").append(node.getName()).append(" ").append(name).append(" = ").append(value);
                return;
            }
            case 6: { // a node removed or duplicated
                int n = random.nextInt(graph.getNodeCount());
                if (random.nextBoolean()) {
                    how.append("remove node ").append(graph.getNode(n).getName());
                    graph.removeNode(n);
                } else {
                    how.append("duplicate node ").append(graph.getNode(n).getName());
                    graph.addNode(graph.getNode(n));
                }
                return;
            }
            case 7: { // the declared type or shape of the input or an output
                boolean input = random.nextBoolean();
                OnnxMl.ValueInfoProto.Builder value = input ? graph.getInputBuilder(0)
                        : graph.getOutputBuilder(random.nextInt(graph.getOutputCount()));
                OnnxMl.TypeProto.Tensor.Builder tensor = value.getTypeBuilder().getTensorTypeBuilder();
                if (random.nextBoolean()) {
                    int type = random.nextInt(17);
                    tensor.setElemType(type);
                    how.append(value.getName()).append(" elem_type = ").append(type);
                } else {
                    long dim = new long[] {0, 1, 2, 3, 4, -1}[random.nextInt(6)];
                    tensor.getShapeBuilder().addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
                    how.append(value.getName()).append(" shape += ").append(dim);
                }
                return;
            }
            case 8: { // the opset or IR version
                if (random.nextBoolean()) {
                    long version = random.nextInt(30);
                    model.getOpsetImportBuilder(0).setVersion(version);
                    how.append("opset = ").append(version);
                } else {
                    long version = random.nextInt(14);
                    model.setIrVersion(version);
                    how.append("ir_version = ").append(version);
                }
                return;
            }
            default: { // a metadata value: cut, emptied or replaced by another's
                int p = random.nextInt(model.getMetadataPropsCount());
                OnnxMl.StringStringEntryProto.Builder entry = model.getMetadataPropsBuilder(p);
                String value = entry.getValue();
                int choice = random.nextInt(3);
                if (choice == 0) {
                    entry.setValue(value.substring(0, random.nextInt(value.length() + 1)));
                } else if (choice == 1) {
                    entry.setValue("");
                } else {
                    entry.setValue(model.getMetadataProps(random.nextInt(model.getMetadataPropsCount())).getValue());
                }
                how.append("metadata ").append(entry.getKey()).append(" changed (").append(choice).append(")");
            }
        }
    }

    /** With {@code -Dsentikit.mutation.trace=true}, names each mutant before it is loaded (to find a crash). */
    private static void trace(String source, Mutant m) {
        if (Boolean.getBoolean("sentikit.mutation.trace")) {
            System.err.println("loading " + source + ": " + m.how());
            System.err.flush();
        }
    }

    /**
     * Analyzes the texts one by one and as a batch. A mutant that loaded gives probabilities for every text, with
     * one exception that the load-time probe cannot rule out: weights that are finite but so large that a sum over
     * some text's ids overflows float32. For such a text the analyzer throws an {@link IllegalStateException} that
     * says so (it never returns NaN); that outcome is counted apart.
     */
    private static String checkAnalyzes(SentimentAnalyzer a, int i, Mutant m) {
        List<String> labels = a.labels();
        try {
            List<Sentiment> singles = new java.util.ArrayList<>();
            boolean overflow = false;
            for (String text : TEXTS) {
                try {
                    Sentiment one = a.analyze(text);
                    checkProbabilities(labels, one);
                    singles.add(one);
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage().contains("returned a non-finite probability"), e.getMessage());
                    overflow = true;
                    singles.add(null);
                }
            }
            if (overflow) {
                IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                        () -> a.analyzeAll(TEXTS), "the batch holds the same text");
                assertTrue(e.getMessage().contains("returned a non-finite probability"), e.getMessage());
                return "loaded; a text overflows float32 (IllegalStateException)";
            }
            List<Sentiment> batch = a.analyzeAll(TEXTS);
            assertEquals(TEXTS.size(), batch.size());
            for (int t = 0; t < TEXTS.size(); t++) {
                checkProbabilities(labels, batch.get(t));
                for (String label : labels) {
                    assertEquals(singles.get(t).score(label), batch.get(t).score(label),
                            ModelChecks.PADDING_TOLERANCE, "batch and single call");
                }
            }
            return "loaded and analyzed";
        } catch (Throwable t) {
            throw new AssertionError("mutant " + i + " (" + m.how() + ") loaded, with labels " + labels
                    + ", but analyzing failed: " + t, t);
        }
    }

    private static void checkProbabilities(List<String> labels, Sentiment s) {
        assertEquals(labels, List.copyOf(s.scores().keySet()));
        double sum = 0;
        for (double p : s.scores().values()) {
            assertTrue(p >= 0 && p <= 1, "probability " + p);
            sum += p;
        }
        assertEquals(1.0, sum, 1e-4, "probabilities sum to 1: " + s.scores());
        assertTrue(labels.contains(s.label()));
        assertEquals(s.scores().get(s.label()), s.score());
    }

    /** A short name for what the refusal says, for the summary. */
    private static String kind(String message, String source) {
        String m = message.replace(source, "").strip();
        if (m.contains("protobuf encoding is broken")) {
            return "broken protobuf";
        }
        if (m.contains("bytes of raw data") || m.contains("empty input name") || m.contains("negative dimension")
                || m.contains("no fixed size") || m.contains("too large for any file")) {
            return "invalid tensor or node (scan)";
        }
        if (m.contains("is not a valid ONNX model")) {
            return "ONNX Runtime refused";
        }
        if (m.contains("does not ignore padding")) {
            return "probe: padding changes the result";
        }
        if (m.contains("refers to external data")) {
            return "external data";
        }
        if (m.contains("metadata") || m.contains("card") || m.contains("vocabulary has")
                || m.contains("not a Sentikit model") || m.contains("format")) {
            return "metadata";
        }
        if (m.contains("test inference") || m.contains("probabilit")) {
            return "probe inference";
        }
        if (m.contains("embedding table")) {
            return "embedding table";
        }
        return "graph signature";
    }

    // ------------------------------------------------------------------------------------------------ mutations

    private static Mutant mutate(byte[] original, Random random) {
        byte[] b = original;
        StringBuilder how = new StringBuilder();
        int steps = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        for (int s = 0; s < steps && b.length > 0; s++) {
            if (how.length() > 0) {
                how.append(", then ");
            }
            b = mutateOnce(b, random, how);
        }
        return new Mutant(b, how.toString());
    }

    private static byte[] mutateOnce(byte[] in, Random random, StringBuilder how) {
        byte[] b = in.clone();
        int n = b.length;
        int at = random.nextInt(n);
        switch (random.nextInt(9)) {
            case 0: {
                int flips = 1 + random.nextInt(4);
                how.append("flip ").append(flips).append(" bit(s) from byte ").append(at);
                for (int f = 0; f < flips; f++) {
                    int pos = Math.min(n - 1, at + random.nextInt(8));
                    b[pos] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1: {
                byte value = (byte) random.nextInt(256);
                how.append("byte ").append(at).append(" = ").append(value & 0xFF);
                b[at] = value;
                return b;
            }
            case 2: {
                int len = Math.min(n - at, 1 + random.nextInt(16));
                byte fill = random.nextBoolean() ? 0 : (byte) 0xFF;
                how.append("fill ").append(len).append(" bytes at ").append(at).append(" with ").append(fill & 0xFF);
                Arrays.fill(b, at, at + len, fill);
                return b;
            }
            case 3: {
                how.append("truncate to ").append(at).append(" bytes");
                return Arrays.copyOf(b, at);
            }
            case 4: {
                int len = 1 + random.nextInt(16);
                byte[] junk = new byte[len];
                random.nextBytes(junk);
                how.append("insert ").append(len).append(" random bytes at ").append(at);
                byte[] out = new byte[n + len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, len);
                System.arraycopy(b, at, out, at + len, n - at);
                return out;
            }
            case 5: {
                int len = Math.min(n - at, 1 + random.nextInt(32));
                how.append("delete ").append(len).append(" bytes at ").append(at);
                byte[] out = new byte[n - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, n - at - len);
                return out;
            }
            case 6: {
                int len = 1 + random.nextInt(Math.max(1, Math.min(64, n / 2)));
                int x = random.nextInt(Math.max(1, n - len + 1));
                int y = random.nextInt(Math.max(1, n - len + 1));
                how.append("swap ").append(len).append(" bytes at ").append(x).append(" and ").append(y);
                byte[] tmp = Arrays.copyOfRange(b, x, x + len);
                System.arraycopy(b, y, b, x, len);
                System.arraycopy(tmp, 0, b, y, len);
                return b;
            }
            case 7: {
                int len = Math.min(n - at, 1 + random.nextInt(64));
                int to = random.nextInt(n + 1);
                how.append("copy ").append(len).append(" bytes from ").append(at).append(" to ").append(to);
                byte[] out = new byte[n + len];
                System.arraycopy(b, 0, out, 0, to);
                System.arraycopy(b, at, out, to, len);
                System.arraycopy(b, to, out, to + len, n - to);
                return out;
            }
            default: {
                // An edge value as a varint: where a length or a count was, it claims too much or too little.
                int value = INTERESTING[random.nextInt(INTERESTING.length)];
                how.append("varint ").append(Integer.toUnsignedString(value)).append(" at ").append(at);
                byte[] varint = varint(value & 0xFFFF_FFFFL);
                byte[] out = Arrays.copyOf(b, Math.max(n, at + varint.length));
                System.arraycopy(varint, 0, out, at, varint.length);
                return out;
            }
        }
    }

    private static byte[] varint(long v) {
        byte[] out = new byte[10];
        int i = 0;
        while ((v & ~0x7FL) != 0) {
            out[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[i++] = (byte) v;
        return Arrays.copyOf(out, i);
    }
}
