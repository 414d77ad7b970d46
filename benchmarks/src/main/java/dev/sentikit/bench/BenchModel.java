package dev.sentikit.bench;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.ModelLoadException;
import dev.sentikit.model.ModelFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

/**
 * The model every benchmark runs: a {@code bag} model that {@code benchmarks/run.sh} trains with the trainer on the
 * VADER rows (once, kept while the data and the recipe stay the same) and exports, so that the benchmarks do not
 * depend on what architecture the zoo's models have. The SDK and the raw session run the exported file
 * ({@value #ONNX_FILE}); DJL runs the checkpoint it was exported from ({@value #CHECKPOINT}): literally the same
 * model.
 */
final class BenchModel {

    /** The system property naming the model folder; run.sh sets it. */
    static final String PROPERTY = "sentikit.bench.model";

    /** The exported file, in the model folder. */
    static final String ONNX_FILE = "bag.onnx";

    /** The trainer's checkpoint, in the model folder. */
    static final String CHECKPOINT = "checkpoint";

    private static volatile byte[] bytes;

    private BenchModel() {}

    /** The model folder; throws, saying how to make it, when it is not there. */
    static Path dir() {
        String dir = System.getProperty(PROPERTY);
        Path p = Paths.get(dir == null || dir.isBlank() ? "benchmarks/target/model" : dir).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p.resolve(ONNX_FILE)) || !Files.isDirectory(p.resolve(CHECKPOINT))) {
            throw new IllegalStateException(p + " does not hold " + ONNX_FILE + " and " + CHECKPOINT + "/: the "
                    + "benchmark model is trained and exported by benchmarks/run.sh (or name another folder with -D"
                    + PROPERTY + "=DIR)");
        }
        return p;
    }

    static Path onnxFile() {
        return dir().resolve(ONNX_FILE);
    }

    static Path checkpoint() {
        return dir().resolve(CHECKPOINT);
    }

    /** The bytes of the exported file, read once. */
    static byte[] bytes() {
        byte[] b = bytes;
        if (b == null) {
            try {
                b = Files.readAllBytes(onnxFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes = b;
        }
        return b;
    }

    /** The card and vocabulary stored in the exported file's metadata (hence its encoder). */
    static ModelFormat.Metadata metadata() {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(onnxFile() + " is not an ONNX ModelProto", e);
        }
        Map<String, String> props = new HashMap<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        try {
            return ModelFormat.fromMetadataProps(props, onnxFile().toString());
        } catch (ModelLoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
