package dev.sentikit.spark;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.ModelLoadException;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.spi.ZooModels;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;
import org.apache.spark.SparkFiles;
import org.apache.spark.broadcast.Broadcast;

/**
 * Where an executor finds the model, in a form that travels inside a Spark task: a zoo name, the handle of a
 * broadcast copy of the model file's bytes, or the name of a file added with {@code SparkContext.addFile}.
 *
 * <p>{@link #key()} is the model's identity in the per-JVM {@link AnalyzerCache}: the zoo name, the SHA-256 of
 * the bytes (so two scorers, or two jobs, that broadcast the same file share one analyzer), or the Spark file
 * name.
 */
final class ModelSource implements Serializable {

    private static final long serialVersionUID = 1L;

    enum Kind { ZOO, BYTES, SPARK_FILE }

    private final Kind kind;
    /** The zoo name, the file's path or URI as the user gave it, or the Spark file name. */
    private final String name;
    /** The model file's bytes, for {@link Kind#BYTES}; null otherwise. */
    private final Broadcast<byte[]> bytes;
    /** The SHA-256 of the bytes (hex), for {@link Kind#BYTES}; null otherwise. */
    private final String sha256;

    private ModelSource(Kind kind, String name, Broadcast<byte[]> bytes, String sha256) {
        this.kind = kind;
        this.name = name;
        this.bytes = bytes;
        this.sha256 = sha256;
    }

    static ModelSource zoo(String name) {
        return new ModelSource(Kind.ZOO, name, null, null);
    }

    static ModelSource broadcast(String location, Broadcast<byte[]> bytes, String sha256) {
        return new ModelSource(Kind.BYTES, location, bytes, sha256);
    }

    static ModelSource sparkFile(String name) {
        return new ModelSource(Kind.SPARK_FILE, name, null, null);
    }

    /** The model's identity in the per-JVM cache. */
    String key() {
        switch (kind) {
            case ZOO:
                return "zoo:" + name;
            case BYTES:
                return "sha256:" + sha256;
            default:
                return "sparkfile:" + name;
        }
    }

    /** The model as a person would name it, for messages. */
    String describe() {
        switch (kind) {
            case ZOO:
                return "zoo model '" + name + "'";
            case BYTES:
                return "model file " + name + " (broadcast, sha256 " + sha256.substring(0, 12) + "…)";
            default:
                return "Spark file '" + name + "'";
        }
    }

    /**
     * Loads the model in this JVM. Runs on executors: zoo models and engines are looked up through the task's
     * context class loader, which also sees jars added with {@code --jars} or {@code --packages}.
     */
    SentimentAnalyzer open(AnalyzerOptions options) throws ModelLoadException {
        switch (kind) {
            case ZOO: {
                ClassLoader loader = contextLoader();
                String resource = ZooModels.resourceOf(name);
                if (loader.getResource(resource) == null) {
                    SortedSet<String> present = ZooModels.available(loader);
                    throw new ModelLoadException("no zoo model '" + name + "' on the class path of this JVM; present: "
                            + (present.isEmpty() ? "none" : present.toString()) + ". Ship the artifact "
                            + "dev.sentikit.zoo:sentikit-model-" + name + " to the executors (spark-submit --jars or "
                            + "--packages), or give the model as a file (SentimentScorer.Builder.optModelFile).");
                }
                return SentimentAnalyzer.fromClasspath(resource, loader, options);
            }
            case BYTES:
                return SentimentAnalyzer.fromBytes(bytes.value(), name, options);
            default: {
                Path local;
                try {
                    local = Path.of(SparkFiles.get(name));
                } catch (RuntimeException e) {
                    throw new ModelLoadException("cannot locate the Spark file '" + name + "' in this JVM ("
                            + e.getMessage() + "): add it first with SparkContext.addFile or spark-submit --files", e);
                }
                if (!Files.isRegularFile(local)) {
                    throw new ModelLoadException("the Spark file '" + name + "' is not in this JVM (looked for "
                            + local + "): add it with SparkContext.addFile(path) or spark-submit --files before "
                            + "scoring, and give its file name, not its path");
                }
                return SentimentAnalyzer.load(local, options);
            }
        }
    }

    private static ClassLoader contextLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : ModelSource.class.getClassLoader();
    }

    @Override
    public String toString() {
        return describe();
    }
}
