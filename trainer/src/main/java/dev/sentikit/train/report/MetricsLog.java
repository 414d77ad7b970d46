package dev.sentikit.train.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.sentikit.model.ModelFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The per-epoch metrics of a training run as JSON Lines ({@value #FILE}): one JSON object per epoch, appended
 * and flushed to disk as soon as the epoch ends, so that a run that is killed keeps every finished epoch and
 * the file can be followed ({@code tail -f}) or read by pandas ({@code read_json(..., lines=True)}).
 *
 * <p>Each line holds, in this order, {@code epoch}, {@code train_loss}, {@code valid_accuracy},
 * {@code valid_macro_f1}, {@code examples_per_second}, {@code learning_rate}, {@code seconds}, then any extra
 * fields in the caller's order. Numbers that are not finite (a diverged loss) are written as {@code null}, so
 * that every line is strict JSON.
 *
 * <p>Opening an existing file appends to it. If the file does not end with a newline, its last line is
 * ended when it is whole JSON, and removed when it is not (half a line, left by a crash in the middle of a
 * write), so that the file stays valid JSON Lines.
 */
public final class MetricsLog implements Closeable {

    /** The file name in a run's output directory. */
    public static final String FILE = "metrics.jsonl";

    /** The fields every line starts with, in order. */
    public static final List<String> STANDARD_FIELDS = List.of("epoch", "train_loss", "valid_accuracy",
            "valid_macro_f1", "examples_per_second", "learning_rate", "seconds");

    /** Longest cut-off last line that {@link #repairLastLine} looks at; a longer one is only ended. */
    private static final int MAX_REPAIR_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;

    private MetricsLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens {@code dir/}{@value #FILE} for appending, creating the directory and the file as needed. */
    public static MetricsLog inDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        return open(dir.resolve(FILE));
    }

    /** Opens {@code file} for appending, creating it if needed. */
    public static MetricsLog open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            repairLastLine(channel);
            channel.position(channel.size());
            return new MetricsLog(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * If the file does not end with a newline, its last line was cut off: a line that is still a whole JSON
     * value gets its newline, anything else (half a line, left by a crash during a write) is cut away.
     */
    private static void repairLastLine(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, size - 1);
        if (one.get(0) == '\n') {
            return;
        }
        long start = Math.max(0, size - MAX_REPAIR_BYTES);
        ByteBuffer tail = ByteBuffer.allocate((int) (size - start));
        while (tail.hasRemaining() && channel.read(tail, start + tail.position()) >= 0) {
            // read the whole tail
        }
        byte[] bytes = tail.array();
        int lineStart = -1;
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                lineStart = i + 1;
                break;
            }
        }
        if (lineStart < 0 && start > 0) {
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size); // a line too long to check: just end it
            return;
        }
        lineStart = Math.max(lineStart, 0);
        boolean whole;
        try {
            ModelFormat.json().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(
                    new String(bytes, lineStart, bytes.length - lineStart, StandardCharsets.UTF_8));
            whole = true;
        } catch (JsonProcessingException e) {
            whole = false;
        }
        if (whole) {
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
        } else {
            channel.truncate(start + lineStart);
        }
    }

    /** @return the file written to */
    public Path file() {
        return file;
    }

    /**
     * Appends an epoch's line.
     *
     * @param result the epoch's results
     * @param learningRate the learning rate the epoch ran with
     * @param seconds the epoch's wall-clock time, training and validation
     */
    public void append(EpochResult result, double learningRate, double seconds) throws IOException {
        append(result, learningRate, seconds, Map.of());
    }

    /**
     * Appends an epoch's line with extra fields after the standard ones.
     *
     * @param extra more fields (values that Jackson can write: numbers, strings, booleans, lists, maps)
     * @throws IllegalArgumentException if {@code extra} repeats a standard field
     */
    public void append(EpochResult result, double learningRate, double seconds, Map<String, ?> extra)
            throws IOException {
        Objects.requireNonNull(result, "result");
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", result.epoch());
        line.put("train_loss", result.trainLoss());
        line.put("valid_accuracy", result.validAccuracy());
        line.put("valid_macro_f1", result.validMacroF1());
        line.put("examples_per_second", result.examplesPerSecond());
        line.put("learning_rate", learningRate);
        line.put("seconds", seconds);
        for (Map.Entry<String, ?> e : extra.entrySet()) {
            if (line.containsKey(e.getKey())) {
                throw new IllegalArgumentException("extra field '" + e.getKey() + "' would replace a standard field");
            }
            line.put(e.getKey(), e.getValue());
        }
        appendLine(line);
    }

    /**
     * Appends one line with exactly the given fields, in their order, and forces it to disk.
     */
    public synchronized void appendLine(Map<String, ?> fields) throws IOException {
        byte[] json;
        try {
            json = ModelFormat.json().writeValueAsBytes(finite(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the metrics as JSON: " + e.getOriginalMessage(), e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    /**
     * Reads a metrics file, one map per line (blank lines skipped). A last line that is not valid JSON (cut off
     * by a crash) is ignored.
     *
     * @throws IOException if another line is not a JSON object, naming its line number
     */
    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<String> lines = dev.sentikit.io.TextFiles.readUtf8Lines(file);
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            String text = lines.get(i);
            if (text.isBlank()) {
                continue;
            }
            try {
                out.add(ModelFormat.json().readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {}));
            } catch (JsonProcessingException e) {
                if (i == last) {
                    break;
                }
                throw new IOException(file + " line " + (i + 1) + " is not a JSON object: " + e.getOriginalMessage(),
                        e);
            }
        }
        return out;
    }

    /**
     * The {@link EpochResult} of a line of this log or of an entry of {@code metrics.json}'s {@code epochs}:
     * missing or null numbers read as NaN.
     *
     * @throws IllegalArgumentException if the line has no {@code epoch}
     */
    public static EpochResult toEpochResult(Map<String, ?> line) {
        Object epoch = line.get("epoch");
        if (!(epoch instanceof Number)) {
            throw new IllegalArgumentException("a metrics line needs a numeric 'epoch', got " + epoch);
        }
        return new EpochResult(((Number) epoch).intValue(), number(line, "train_loss"), number(line, "valid_accuracy"),
                number(line, "valid_macro_f1"), number(line, "examples_per_second"));
    }

    /** {@link #toEpochResult} of every line. */
    public static List<EpochResult> toEpochResults(Collection<? extends Map<String, ?>> lines) {
        List<EpochResult> out = new ArrayList<>(lines.size());
        for (Map<String, ?> line : lines) {
            out.add(toEpochResult(line));
        }
        return out;
    }

    private static double number(Map<String, ?> line, String key) {
        Object v = line.get(key);
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }

    /** A copy in which top-level doubles and floats that are NaN or infinite are null. */
    private static Map<String, Object> finite(Map<String, ?> fields) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            Object v = e.getValue();
            if ((v instanceof Double && !Double.isFinite((Double) v)) || (v instanceof Float && !Float.isFinite((Float) v))) {
                v = null;
            }
            copy.put(Objects.requireNonNull(e.getKey(), "field name"), v);
        }
        return copy;
    }
}
