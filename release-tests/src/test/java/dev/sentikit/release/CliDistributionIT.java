package dev.sentikit.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CLI archive as a user gets it: unpacked into an empty folder outside the repository, with Java and no Maven
 * or sources, bin/sentiment analyzes text and bin/trainer trains and exports a model that bin/sentiment then runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliDistributionIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String version;
    private Path tarGz;
    private Path zip;
    private Path scratch;
    private Path home;

    @BeforeAll
    void unpack() throws Exception {
        version = Reactor.version();
        Path target = Reactor.rootDir().resolve("distribution/target");
        tarGz = target.resolve("sentikit-cli-" + version + ".tar.gz");
        zip = target.resolve("sentikit-cli-" + version + ".zip");
        assertTrue(Files.isRegularFile(tarGz), tarGz + " is missing: mvn package builds it");
        assertTrue(Files.isRegularFile(zip), zip + " is missing: mvn package builds it");
        System.out.printf("CLI archives: %s %,d bytes, %s %,d bytes%n", tarGz.getFileName(), Files.size(tarGz),
                zip.getFileName(), Files.size(zip));
        // An empty folder outside the source tree, so that nothing can be found by walking up from it.
        scratch = Files.createTempDirectory("sentikit-cli-it");
        Processes.Result untar = Processes.run(List.of("tar", "-xzf", tarGz.toString()), scratch, baseEnvironment(),
                Reactor.rootDir().resolve("release-tests/target/it/cli/untar"), 5);
        assertEquals(0, untar.code(), untar.describe());
        home = scratch.resolve("sentikit-cli-" + version);
        assertTrue(Files.isDirectory(home), "the archive's folder is not sentikit-cli-" + version);
    }

    @AfterAll
    void clean() throws IOException {
        if (scratch != null) {
            Trees.delete(scratch);
            Files.deleteIfExists(scratch);
        }
    }

    @Test
    void theArchiveHoldsTheCommandsTheirJarsAndTheLicences() throws Exception {
        for (String script : List.of("bin/sentiment", "bin/trainer")) {
            assertTrue(Files.isExecutable(home.resolve(script)), script + " is not executable");
        }
        for (String doc : List.of("README.md", "LICENSE", "NOTICE", "THIRD-PARTY.md", "CHANGELOG.md")) {
            assertTrue(Files.size(home.resolve(doc)) > 0, doc + " is missing or empty");
        }
        Set<String> lib = jars(home.resolve("lib"));
        Set<String> trainer = jars(home.resolve("lib/trainer"));
        for (String expected : List.of("sdk-api-" + version + ".jar", "runtime-onnx-" + version + ".jar",
                "sentiment-cli-" + version + ".jar", "sentikit-model-en-" + version + ".jar",
                "sentikit-model-en-lite-" + version + ".jar", "sentikit-model-zh-" + version + ".jar",
                "sentikit-model-zh-lite-" + version + ".jar")) {
            assertTrue(lib.contains(expected), "lib/ lacks " + expected + ": " + lib);
        }
        assertTrue(trainer.contains("trainer-" + version + ".jar"), "lib/trainer/ lacks the trainer: " + trainer);
        assertTrue(trainer.stream().anyMatch(j -> j.startsWith("pytorch-native-cpu-")), "no PyTorch natives");
        assertTrue(lib.stream().noneMatch(j -> j.startsWith("trainer-") || j.startsWith("api-")
                || j.startsWith("pytorch-")), "the trainer's jars are on bin/sentiment's class path: " + lib);
        Set<String> both = new TreeSet<>(lib);
        both.retainAll(trainer);
        assertTrue(both.isEmpty(), "jars in both lib/ and lib/trainer/: " + both);

        // Every bundled jar is named, with its licence, in THIRD-PARTY.md (dev.sentikit's own are under LICENSE).
        String thirdParty = Files.readString(home.resolve("THIRD-PARTY.md"));
        List<String> unlisted = new ArrayList<>();
        for (String jar : union(lib, trainer)) {
            boolean ours = jar.endsWith("-" + version + ".jar") && (jar.startsWith("sentikit-model-")
                    || Set.of("sdk-api", "runtime-onnx", "sentiment-cli", "trainer")
                            .contains(jar.substring(0, jar.length() - version.length() - 5)));
            if (!ours && !thirdParty.contains("`" + jar + "`")) {
                unlisted.add(jar);
            }
        }
        assertTrue(unlisted.isEmpty(), "jars in the archive that THIRD-PARTY.md does not list: " + unlisted);
    }

    @Test
    void theZipHoldsTheSameFilesAsTheTarGz() throws Exception {
        Map<String, String> fromTar = tree(home);
        Map<String, String> fromZip = new TreeMap<>();
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()),
                Map.of("enablePosixFileAttributes", "true"))) {
            Path top = fs.getPath("/sentikit-cli-" + version);
            assertTrue(Files.isDirectory(top), "the zip has no folder sentikit-cli-" + version);
            try (Stream<Path> all = Files.walk(top)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (Files.isRegularFile(p)) {
                        boolean exec = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE);
                        try (InputStream in = Files.newInputStream(p)) {
                            fromZip.put(top.relativize(p).toString(), (exec ? "x " : "- ") + sha256(in));
                        }
                    }
                }
            }
        }
        assertEquals(fromTar, fromZip);
    }

    @Test
    void sentimentAnalyzesTextAndNamesTheVersions() throws Exception {
        Processes.Result version = run("sentiment-version", List.of("bin/sentiment", "--version"));
        assertEquals(0, version.code(), version.describe());
        List<String> lines = version.out().lines().toList();
        assertEquals("sentiment: Sentikit " + this.version, lines.get(0), version.describe());
        assertEquals("ONNX Runtime " + jarVersion(home.resolve("lib"), "onnxruntime") + " (onnxruntime)", lines.get(1));
        assertEquals("DJL: not on the class path", lines.get(2), "bin/sentiment runs without DJL");
        assertTrue(lines.get(3).startsWith("Java "), version.describe());

        Processes.Result serve = run("serve-version", List.of("bin/sentiment", "serve", "--version"));
        assertEquals(0, serve.code(), serve.describe());
        assertTrue(serve.out().startsWith("sentiment serve: Sentikit " + this.version + "\n"), serve.describe());

        Processes.Result r = run("sentiment", List.of("bin/sentiment", "I love this phone",
                "The battery died after two days"));
        assertEquals(0, r.code(), r.describe());
        List<JsonNode> results = json(r.out());
        assertEquals(2, results.size(), r.describe());
        assertEquals("I love this phone", results.get(0).get("text").asText());
        assertEquals("positive", results.get(0).get("label").asText(), r.describe());
        assertEquals("negative", results.get(1).get("label").asText(), r.describe());
        assertEquals(Set.of("negative", "neutral", "positive"), fieldNames(results.get(1).get("scores")));

        Processes.Result zh = run("sentiment-zh", List.of("bin/sentiment", "--model", "zh-lite", "质量很好，非常满意"));
        assertEquals(0, zh.code(), zh.describe());
        assertEquals("positive", json(zh.out()).get(0).get("label").asText(), zh.describe());
    }

    /**
     * Under the C locale, the default of many containers, Java would read non-ASCII arguments as U+FFFD: the scripts
     * run it under C.UTF-8, so texts and file names arrive as typed.
     */
    @Test
    void theScriptsPassNonAsciiArgumentsUnderTheCLocale() throws Exception {
        Map<String, String> env = environment();
        env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE"));
        env.put("LC_ALL", "C");
        Processes.Result r = Processes.run(List.of(home.resolve("bin/sentiment").toString(), "--model", "zh-lite",
                "这个手机不错", "质量很好，非常满意"), scratch, env, log("locale-sentiment"), 5);
        assertEquals(0, r.code(), r.describe());
        List<JsonNode> results = json(r.out());
        assertEquals("这个手机不错", results.get(0).get("text").asText(), r.describe());
        assertEquals("质量很好，非常满意", results.get(1).get("text").asText(), r.describe());
        assertEquals("positive", results.get(1).get("label").asText(), r.describe());

        Path data = scratch.resolve("评论.tsv");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            rows.append(i % 2 == 0 ? "positive\t很好 " + i : "negative\t很差 " + i).append('\n');
        }
        Files.writeString(data, rows);
        Processes.Result split = Processes.run(List.of(home.resolve("bin/trainer").toString(), "split", "--data",
                data.toString(), "--output", scratch.resolve("拆分").toString()), scratch, env, log("locale-trainer"), 5);
        assertEquals(0, split.code(), split.describe());
        assertTrue(Files.isDirectory(scratch.resolve("拆分")), split.describe());
    }

    @Test
    void sentimentRunsThroughALinkAndFindsJavaOnThePath() throws Exception {
        Path links = Files.createDirectories(scratch.resolve("links"));
        Files.createSymbolicLink(links.resolve("sentiment"), home.resolve("bin/sentiment"));
        Map<String, String> env = environment();
        env.remove("JAVA_HOME");
        env.put("PATH", Path.of(Processes.java()).getParent() + File.pathSeparator + env.getOrDefault("PATH", ""));
        Processes.Result r = Processes.run(List.of(links.resolve("sentiment").toString(), "--version"), scratch, env,
                log("link"), 5);
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().startsWith("sentiment: Sentikit " + version), r.describe());
    }

    @Test
    void anOldJavaIsRefusedWithAMessage() throws Exception {
        // A Java home whose release file says 11: the launcher reads it and stops before starting any JVM.
        Path old = Files.createDirectories(scratch.resolve("jdk-11/bin"));
        Files.writeString(old.getParent().resolve("release"), "JAVA_VERSION=\"11.0.22\"\n");
        Path java = old.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'this JVM must not be started' >&2\nexit 3\n");
        assertTrue(java.toFile().setExecutable(true));
        Map<String, String> env = environment();
        env.put("JAVA_HOME", old.getParent().toString());
        Processes.Result r = Processes.run(List.of(home.resolve("bin/sentiment").toString(), "good"), scratch, env,
                log("old-java"), 5);
        assertEquals(1, r.code(), r.describe());
        assertTrue(r.err().contains("is Java 11; Sentikit needs Java 17 or later"), r.describe());
        assertFalse(r.err().contains("must not be started"), r.describe());
    }

    @Test
    void trainerTrainsAndExportsAModelThatSentimentRuns() throws Exception {
        Processes.Result version = run("trainer-version", List.of("bin/trainer", "train", "--version"));
        assertEquals(0, version.code(), version.describe());
        List<String> lines = version.out().lines().toList();
        assertEquals("trainer train: Sentikit " + this.version, lines.get(0), version.describe());
        assertTrue(lines.get(1).startsWith("ONNX Runtime " + jarVersion(home.resolve("lib"), "onnxruntime")),
                version.describe());
        assertTrue(lines.get(2).startsWith("DJL " + jarVersion(home.resolve("lib/trainer"), "api") + ", PyTorch "),
                version.describe());

        Path data = scratch.resolve("reviews.tsv");
        try (InputStream in = Files.newInputStream(
                Reactor.rootDir().resolve("trainer/src/test/resources/fixtures/vader-sample-1500.tsv"))) {
            Files.copy(in, data, StandardCopyOption.REPLACE_EXISTING);
        }
        Processes.Result train = run("train", List.of("bin/trainer", "train", "--data", data.toString(), "--output",
                scratch.resolve("runs/reviews").toString(), "--model", "bag", "--epochs", "1", "--embedding-dim", "16",
                "--min-count", "1", "--device", "cpu", "--cache-dir", scratch.resolve("cache").toString()));
        assertEquals(0, train.code(), train.describe());
        assertTrue(train.out().contains("epoch 1/1"), train.describe());

        Path onnx = scratch.resolve("reviews.onnx");
        Processes.Result export = run("export", List.of("bin/trainer", "export", "--format", "onnx", "--model",
                scratch.resolve("runs/reviews").toString(), "--output", onnx.toString()));
        assertEquals(0, export.code(), export.describe());
        assertTrue(export.out().contains("parity"), export.describe());
        assertTrue(Files.size(onnx) > 0);

        Processes.Result analyze = run("analyze-exported", List.of("bin/sentiment", "--model", onnx.toString(),
                "great phone", "awful service"));
        assertEquals(0, analyze.code(), analyze.describe());
        List<JsonNode> results = json(analyze.out());
        assertEquals(2, results.size(), analyze.describe());
        for (JsonNode result : results) {
            assertEquals(Set.of("negative", "neutral", "positive"), fieldNames(result.get("scores")), analyze.out());
            double sum = 0;
            for (JsonNode p : result.get("scores")) {
                sum += p.asDouble();
            }
            assertEquals(1.0, sum, 1e-4, analyze.out());
        }
    }

    /** Runs a command of the unpacked archive, from the scratch folder, with JAVA_HOME set as a user would. */
    private Processes.Result run(String name, List<String> command) throws Exception {
        List<String> cmd = new ArrayList<>(command);
        cmd.set(0, home.resolve(cmd.get(0)).toString());
        return Processes.run(cmd, scratch, environment(), log(name), 10);
    }

    private static Path log(String name) {
        return Reactor.rootDir().resolve("release-tests/target/it/cli").resolve(name);
    }

    /** A user's environment: this one without Maven's variables; DJL may not download anything. */
    private static Map<String, String> environment() {
        Map<String, String> env = baseEnvironment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        return env;
    }

    private static Map<String, String> baseEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("MAVEN_") || k.equals("M2_HOME") || k.equals("CLASSPATH")
                || k.equals("SENTIKIT_JAVA_OPTS"));
        return env;
    }

    private static Set<String> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> names = new TreeSet<>();
            files.filter(p -> p.toString().endsWith(".jar")).forEach(p -> names.add(p.getFileName().toString()));
            return names;
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The version in the name of the one jar {@code artifactId-VERSION.jar} in {@code dir}. */
    private static String jarVersion(Path dir, String artifactId) throws IOException {
        Pattern name = Pattern.compile(Pattern.quote(artifactId) + "-(\\d[\\w.]*)\\.jar");
        for (String jar : jars(dir)) {
            Matcher m = name.matcher(jar);
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no " + artifactId + "-VERSION.jar in " + dir);
    }

    private static List<JsonNode> json(String lines) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines.lines().toList()) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, String> tree(Path dir) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p)) {
                    try (InputStream in = Files.newInputStream(p)) {
                        files.put(dir.relativize(p).toString(), (Files.isExecutable(p) ? "x " : "- ") + sha256(in));
                    }
                }
            }
        }
        return files;
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            md.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
