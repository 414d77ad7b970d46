package dev.sentikit.bench;

import dev.sentikit.model.ModelFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the training benchmarks share with their PyTorch-for-Python twins ({@code benchmarks/training/*.py}): the
 * files of ids they train on, the padded size of a batch order, and running the script.
 */
final class PythonTwin {

    private PythonTwin() {}

    /** Cells of the batches of {@code order}, each padded to its longest text (at least 1). */
    static long paddedCells(int[][] ids, int[] order, int batchSize) {
        long cells = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int width = 1;
            for (int i = from; i < to; i++) {
                width = Math.max(width, ids[order[i]].length);
            }
            cells += (long) width * (to - from);
        }
        return cells;
    }

    /**
     * Writes {@code BASE.ids} (every text's ids, concatenated), {@code BASE.lengths} and {@code BASE.targets}, all
     * int32 little-endian.
     */
    static void writeIds(Path base, int[][] ids, int[] targets) throws IOException {
        long total = 0;
        for (int[] row : ids) {
            total += row.length;
        }
        ByteBuffer flat = ByteBuffer.allocate(Math.toIntExact(4 * total)).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] row : ids) {
            for (int id : row) {
                flat.putInt(id);
            }
        }
        Files.write(Path.of(base + ".ids"), flat.array());
        Files.write(Path.of(base + ".lengths"), ints(ids.length, i -> ids[i].length));
        Files.write(Path.of(base + ".targets"), ints(ids.length, i -> targets[i]));
    }

    static byte[] ints(int n, java.util.function.IntUnaryOperator value) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            buffer.putInt(value.applyAsInt(i));
        }
        return buffer.array();
    }

    /** Runs the script on {@code BASE}; returns the examples per second of each epoch it printed. */
    static List<Double> run(String python, Path script, Path base, int threads)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(python, script.toString(), "--data", base.toString(), "--threads",
                String.valueOf(threads)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Double> rates = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Map<?, ?> epoch = ModelFormat.json().readValue(line, Map.class);
                double rate = ((Number) epoch.get("examples_per_second")).doubleValue();
                System.err.printf(Locale.ROOT, "   epoch %s: %.1f examples/s, loss %.4f%n", epoch.get("epoch"), rate,
                        ((Number) epoch.get("train_loss")).doubleValue());
                rates.add(rate);
            }
        }
        if (process.waitFor() != 0) {
            throw new IOException(script + " failed with status " + process.exitValue());
        }
        return rates;
    }
}
