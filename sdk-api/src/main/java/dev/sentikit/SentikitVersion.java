package dev.sentikit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The Sentikit version, and the versions of the engines on the class path: what every command's {@code --version}
 * prints. Nothing here loads a native library or starts an engine: the versions come from the jars' manifests and
 * properties files, so they are printed even where an engine could not start.
 */
public final class SentikitVersion {

    private static final String VERSION_RESOURCE = "version.properties";

    private SentikitVersion() {}

    /**
     * The Sentikit version, such as {@code 0.2.0}, written into {@code sdk-api} by the build.
     *
     * @throws IllegalStateException when the resource is missing, which only a damaged jar causes
     */
    public static String get() {
        Properties p = new Properties();
        try (InputStream in = SentikitVersion.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("dev/sentikit/" + VERSION_RESOURCE
                        + " is missing from the sdk-api jar: rebuild it with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/sentikit/" + VERSION_RESOURCE + ": " + e.getMessage(), e);
        }
        String v = p.getProperty("version", "").trim();
        if (v.isEmpty() || v.startsWith("${")) {
            throw new IllegalStateException("dev/sentikit/" + VERSION_RESOURCE + " holds no version ('" + v
                    + "'): build sdk-api with Maven, which writes it");
        }
        return v;
    }

    /**
     * The lines {@code --version} prints for {@code command}: Sentikit, ONNX Runtime, DJL (with PyTorch) and the
     * Java runtime, each engine either with its version or as not on the class path. For example:
     *
     * <pre>
     * trainer: Sentikit 0.2.0
     * ONNX Runtime 1.23.2 (onnxruntime)
     * DJL 0.33.0, PyTorch 2.5.1 (cpu natives for linux-x86_64)
     * Java 17.0.15 (Debian), Linux amd64
     * </pre>
     *
     * @param command the command's name, such as {@code sentiment}
     */
    public static List<String> report(String command) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = SentikitVersion.class.getClassLoader();
        }
        List<String> lines = new ArrayList<>();
        lines.add(command + ": Sentikit " + get());
        lines.add(onnxRuntime(loader).orElse("ONNX Runtime: not on the class path"));
        lines.add(djl(loader).orElse("DJL: not on the class path"));
        lines.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return lines;
    }

    /** {@code ONNX Runtime 1.23.2 (onnxruntime)} from the ONNX Runtime jar's manifest, when the jar is present. */
    static Optional<String> onnxRuntime(ClassLoader loader) {
        Class<?> environment;
        try {
            // initialize = false: the class's static initializer, which loads the native library, does not run.
            environment = Class.forName("ai.onnxruntime.OrtEnvironment", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        Package p = environment.getPackage();
        String version = p == null ? null : p.getImplementationVersion();
        String title = p == null ? null : p.getImplementationTitle();
        return Optional.of("ONNX Runtime " + (version == null ? "(version not in its jar's manifest)" : version)
                + (title == null ? "" : " (" + title + ")"));
    }

    /**
     * {@code DJL 0.33.0, PyTorch 2.5.1 (cpu natives for linux-x86_64)} from DJL's properties files, when DJL's
     * jar is present; the PyTorch part when its engine is.
     */
    static Optional<String> djl(ClassLoader loader) {
        Optional<Properties> api = load(loader, "ai/djl/engine/api.properties");
        if (api.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder("DJL ").append(api.get().getProperty("djl_version", "(version unknown)"));
        Optional<Properties> engine = load(loader, "pytorch-engine.properties");
        if (engine.isPresent()) {
            line.append(", PyTorch ").append(engine.get().getProperty("pytorch_version", "(version unknown)"));
            Optional<Properties> natives = load(loader, "native/lib/pytorch.properties");
            if (natives.isPresent()) {
                line.append(" (").append(natives.get().getProperty("flavor", "?").toLowerCase(Locale.ROOT))
                        .append(" natives for ").append(natives.get().getProperty("classifier", "?")).append(')');
            } else {
                line.append(" (no natives jar: DJL downloads them on first use)");
            }
        }
        return Optional.of(line.toString());
    }

    private static Optional<Properties> load(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.of(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the class path: " + e.getMessage(), e);
        }
    }
}
