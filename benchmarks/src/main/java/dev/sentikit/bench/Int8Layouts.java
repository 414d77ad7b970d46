package dev.sentikit.bench;

import ai.djl.Device;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.architecture.Architecture.Quantization;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.architecture.transformer.TransformerBlock;
import dev.sentikit.architecture.transformer.TransformerGraph;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncodedBatch;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.TrainedModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Measures int8 layouts of a transformer checkpoint against its float32 graph, to choose which weight products stay
 * float32 ({@link TransformerGraph.Int8Layout}): for each layout, accuracy and macro-F1 on labelled files, the
 * labels that change and the largest probability change against float32, and the raw session's texts/s on batches
 * of 32 of the first file's texts (one intra-op thread, variants interleaved round by round).
 *
 * <pre>
 * java -cp … dev.sentikit.bench.Int8Layouts CHECKPOINT_DIR LABELLED.tsv[,MORE.tsv] LAYOUT...
 * </pre>
 *
 * A layout is {@code fp32}, {@code int8-weights}, or {@code int8} followed by the products kept in float32
 * ({@code int8:output,qkv}). Set {@code -Dsentikit.bench.rounds=N} (default 5) and
 * {@code -Dsentikit.bench.saveDir=DIR} to write each graph.
 */
public final class Int8Layouts {

    private Int8Layouts() {}

    record Variant(String name, byte[] bytes) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Int8Layouts CHECKPOINT_DIR LABELLED.tsv[,MORE.tsv] LAYOUT...");
            System.exit(2);
        }
        Checkpoint checkpoint = Checkpoint.read(Path.of(args[0]));
        ModelCard card = checkpoint.card();
        List<Variant> variants = new ArrayList<>();
        try (TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
            TransformerBlock block = (TransformerBlock) trained.block();
            double t = card.temperature();
            block.weight().getArray().divi((float) t);
            block.bias().getArray().divi((float) t);
            Map<String, String> props = new LinkedHashMap<>(ModelFormat.toMetadataProps(card, checkpoint.vocabulary()));
            props.putAll(Architectures.parse(card.architecture()).exportMetadata(checkpoint.dir(), card.encoder()));
            for (int i = 2; i < args.length; i++) {
                variants.add(new Variant(args[i], args[i].startsWith("file:")
                        ? Files.readAllBytes(Path.of(args[i].substring(5))) : graph(block, props, args[i]).toByteArray()));
            }
        }
        String save = System.getProperty("sentikit.bench.saveDir");
        if (save != null) {
            Files.createDirectories(Path.of(save));
            for (Variant v : variants) {
                Files.write(Path.of(save, v.name.replace(':', '_').replace(',', '-') + ".onnx"), v.bytes);
            }
        }
        String[] files = args[1].split(",");
        List<List<String>> texts = new ArrayList<>();
        List<int[]> targets = new ArrayList<>();
        for (String f : files) {
            List<String> tx = new ArrayList<>();
            List<Integer> tg = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(f), StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    tg.add(card.labels().indexOf(line.substring(0, tab)));
                    tx.add(line.substring(tab + 1));
                }
            }
            texts.add(tx);
            targets.add(tg.stream().mapToInt(Integer::intValue).toArray());
        }
        AnalyzerOptions cpu = AnalyzerOptions.builder().optDevice("cpu").build();
        List<SentimentAnalyzer> analyzers = new ArrayList<>();
        for (Variant v : variants) {
            long start = System.nanoTime();
            analyzers.add(SentimentAnalyzer.fromBytes(v.bytes, v.name, cpu));
            System.out.printf(Locale.ROOT, "%s: %.1f MB, loaded in %.0f ms%n", v.name, v.bytes.length / 1e6,
                    (System.nanoTime() - start) / 1e6);
        }
        // accuracy
        System.out.println("| layout | " + String.join(" | ", List.of(files)).replace("/", "/") + " |");
        List<List<float[][]>> probs = new ArrayList<>();
        for (SentimentAnalyzer a : analyzers) {
            List<float[][]> per = new ArrayList<>();
            for (List<String> tx : texts) {
                List<Sentiment> r = a.analyzeAll(tx);
                float[][] p = new float[tx.size()][];
                for (int i = 0; i < p.length; i++) {
                    p[i] = new float[card.labels().size()];
                    for (int l = 0; l < p[i].length; l++) {
                        p[i][l] = (float) r.get(i).score(card.labels().get(l));
                    }
                }
                per.add(p);
            }
            probs.add(per);
        }
        for (int v = 0; v < variants.size(); v++) {
            StringBuilder row = new StringBuilder("| " + variants.get(v).name + " |");
            for (int f = 0; f < files.length; f++) {
                float[][] p = probs.get(v).get(f);
                float[][] ref = probs.get(0).get(f);
                int[] y = targets.get(f);
                int changed = 0;
                double[] d = new double[p.length];
                for (int i = 0; i < p.length; i++) {
                    if (argmax(p[i]) != argmax(ref[i])) {
                        changed++;
                    }
                    for (int l = 0; l < p[i].length; l++) {
                        d[i] = Math.max(d[i], Math.abs(p[i][l] - ref[i][l]));
                    }
                }
                java.util.Arrays.sort(d);
                row.append(String.format(Locale.ROOT, " acc %.4f, F1 %.4f, %d changed, Δp mean %.4f p99 %.3f max "
                        + "%.3f |", accuracy(p, y), macroF1(p, y, card.labels().size()), changed,
                        java.util.Arrays.stream(d).average().orElse(0), d[(int) (0.99 * (d.length - 1))],
                        d[d.length - 1]));
            }
            System.out.println(row);
        }
        // speed: raw session, batch 32 of the first file's texts, pre-encoded
        TextEncoder encoder = TextEncoder.of(card.encoder(), checkpoint.vocabulary());
        List<EncodedBatch> batches = new ArrayList<>();
        List<String> first = texts.get(0);
        for (int from = 0; from + 32 <= Math.min(first.size(), 1024); from += 32) {
            batches.add(encoder.encodeBatch(first.subList(from, from + 32)));
        }
        int rounds = Integer.getInteger("sentikit.bench.rounds", 5);
        double[][] tps = new double[variants.size()][rounds];
        double[][] cpuUs = new double[variants.size()][rounds];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int r = -1; r < rounds; r++) {
            for (int v = 0; v < variants.size(); v++) {
                OrtSession session = RawSessionBenchmark.sessionOf(analyzers.get(v));
                long start = System.nanoTime();
                long cpuStart = mx.getCurrentThreadCpuTime();
                int n = 0;
                for (EncodedBatch b : batches) {
                    n += b.batchSize();
                    run(env, session, b);
                }
                if (r >= 0) {
                    tps[v][r] = n / ((System.nanoTime() - start) / 1e9);
                    cpuUs[v][r] = (mx.getCurrentThreadCpuTime() - cpuStart) / 1e3 / n;
                }
            }
        }
        for (int v = 0; v < variants.size(); v++) {
            double[] ratio = new double[rounds];
            double[] cpuRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = tps[v][r] / tps[0][r];
                cpuRatio[r] = cpuUs[0][r] / cpuUs[v][r];
            }
            System.out.printf(Locale.ROOT, "%s: raw batch 32: texts/s median %.0f, CPU µs/text median %.0f (min "
                    + "%.0f); speed-up over %s: by texts/s %.2f (%.2f..%.2f), by CPU time %.2f (%.2f..%.2f)%n",
                    variants.get(v).name, median(tps[v]), median(cpuUs[v]), min(cpuUs[v]), variants.get(0).name,
                    median(ratio), min(ratio), max(ratio), median(cpuRatio), min(cpuRatio),
                    max(cpuRatio));
        }
        for (SentimentAnalyzer a : analyzers) {
            a.close();
        }
    }

    static OnnxMl.ModelProto graph(TransformerBlock block, Map<String, String> props, String layout) {
        String version = "bench";
        if (layout.equals("fp32")) {
            return TransformerGraph.build(block, props, version, Quantization.NONE);
        }
        if (layout.equals("int8-weights")) {
            return TransformerGraph.build(block, props, version, Quantization.INT8_WEIGHTS);
        }
        if (layout.startsWith("int8")) {
            String kept = layout.contains(":") ? layout.substring(layout.indexOf(':') + 1) : "";
            return TransformerGraph.build(block, props, version, Quantization.INT8,
                    TransformerGraph.Int8Layout.parse(kept));
        }
        throw new IllegalArgumentException("unknown layout " + layout + ": fp32, int8-weights, int8[:products]");
    }

    static void run(OrtEnvironment env, OrtSession session, EncodedBatch b) throws OrtException {
        long[] ids = b.ids();
        long[] mask = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            mask[i] = ids[i] != 0 ? 1 : 0;
        }
        long[] shape = {b.batchSize(), b.sequenceLength()};
        try (OnnxTensor t = OnnxTensor.createTensor(env, direct(ids), shape);
                OnnxTensor m = OnnxTensor.createTensor(env, direct(mask), shape);
                OrtSession.Result result = session.run(Map.of(ModelFormat.INPUT_IDS, t,
                        ModelFormat.INPUT_ATTENTION_MASK, m), Set.of(ModelFormat.OUTPUT_PROBABILITIES))) {
            result.get(0);
        }
    }

    private static LongBuffer direct(long[] values) {
        LongBuffer b = ByteBuffer.allocateDirect(values.length * Long.BYTES).order(ByteOrder.nativeOrder())
                .asLongBuffer();
        b.put(values).flip();
        return b;
    }

    static double median(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double min(double[] a) {
        return java.util.Arrays.stream(a).min().orElse(Double.NaN);
    }

    static double max(double[] a) {
        return java.util.Arrays.stream(a).max().orElse(Double.NaN);
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    static double accuracy(float[][] p, int[] y) {
        int right = 0;
        for (int i = 0; i < p.length; i++) {
            if (argmax(p[i]) == y[i]) {
                right++;
            }
        }
        return right / (double) p.length;
    }

    /** Macro-F1 over the labels that occur in {@code y} or are predicted. */
    static double macroF1(float[][] p, int[] y, int labels) {
        double sum = 0;
        int counted = 0;
        for (int l = 0; l < labels; l++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < p.length; i++) {
                int a = argmax(p[i]);
                if (a == l && y[i] == l) {
                    tp++;
                } else if (a == l) {
                    fp++;
                } else if (y[i] == l) {
                    fn++;
                }
            }
            if (tp + fp + fn > 0) {
                sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
                counted++;
            }
        }
        return sum / counted;
    }
}
