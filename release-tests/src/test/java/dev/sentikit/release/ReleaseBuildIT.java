package dev.sentikit.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Builds the release a second time, the way docs/releasing.md says, in a copy of the source tree:
 * {@code mvn -Prelease deploy} of every published module, which writes them into the copy's target/staging. Then:
 * <ul>
 *   <li>every published jar of that build has the same bytes as the one this build made (reproducible builds);</li>
 *   <li>the staging directory holds what a repository needs, and nothing unpublished;</li>
 *   <li>a separate Maven project that depends only on the BOM, runtime-onnx and a zoo model, and finds Sentikit
 *       only in a throw-away local repository holding the staged artifacts, builds, runs and analyzes text, and
 *       its dependency tree holds nothing else than what the SDK promises.</li>
 * </ul>
 * The nested builds use this build's Maven. The release build uses its settings and local repository, or, when
 * this build is offline, only what that local repository holds (deploy cannot run with {@code -o}); the user's
 * project always gets only what it holds, besides the staged release.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseBuildIT {

    private Reactor reactor;
    private Path work;
    private Path copy;
    private Path staging;

    @BeforeAll
    void buildTheReleaseAgain() throws Exception {
        Path root = Reactor.rootDir();
        reactor = Reactor.read(root);
        work = Path.of(System.getProperty("sentikit.work.dir", root.resolve("release-tests/target/it").toString()))
                .resolve("release-build");
        Files.createDirectories(work);
        Trees.delete(work);
        copy = work.resolve("src");
        Trees.copySources(root, copy);

        String modules = reactor.published().stream().map(m -> m.groupId() + ":" + m.artifactId())
                .collect(Collectors.joining(","));
        List<String> mvn = new ArrayList<>(List.of(Processes.mvn(), "-B", "-Dstyle.color=never"));
        if (offline()) {
            // deploy refuses to run offline, even into a folder: instead the build gets no network, only this
            // build's local repository as its one remote (a file:// mirror), and a local repository of its own.
            mvn.addAll(List.of("-s", seedSettings(work).toString(),
                    "-Dmaven.repo.local=" + work.resolve("repository")));
        } else {
            mvn.add("-Dmaven.repo.local=" + localRepository());
        }
        if (snapshot()) {
            // A development version: the release profile's enforcer refuses it, which is right for a release; the
            // rest of the release build still runs, and the checks of what it staged skip (below).
            mvn.add("-Denforcer.skip=true");
        }
        mvn.addAll(List.of("-Prelease", "-Dmaven.test.skip=true", "-pl", modules, "-am", "deploy"));
        Processes.Result build = Processes.run(mvn, copy, environment(), work.resolve("release-build"), 30);
        assertEquals(0, build.code(), "the release build failed:\n" + build.describe());
        staging = copy.resolve("target/staging");
    }

    @Test
    void twoBuildsGiveTheSameJars() throws Exception {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (Reactor.Module m : reactor.published()) {
            if (!m.isJar()) {
                continue;
            }
            Path again = copy.resolve(reactor.root.relativize(m.dir()));
            for (String classifier : new String[] {null, "sources", "javadoc"}) {
                Path first = m.target(classifier, "jar");
                Path second = again.resolve("target").resolve(first.getFileName());
                assertTrue(Files.isRegularFile(first), first + " is missing: run mvn package first");
                assertTrue(Files.isRegularFile(second), second + " was not built");
                compared++;
                if (!Arrays.equals(sha256(first), sha256(second))) {
                    differences.add(first.getFileName() + ": " + jarDifference(first, second));
                }
            }
        }
        assertTrue(compared >= 24, compared + " jars compared");
        assertTrue(differences.isEmpty(), "two builds of the same sources gave different jars (a stale target/? "
                + "try mvn clean verify):\n" + String.join("\n", differences));
    }

    @Test
    void stagingHoldsWhatARepositoryNeeds() throws Exception {
        assumeReleaseVersion();
        assertTrue(Files.isDirectory(staging), staging + " was not written by -Prelease deploy");
        List<String> problems = new ArrayList<>();
        Set<Path> expectedDirs = new TreeSet<>();
        for (Reactor.Module m : reactor.published()) {
            Path dir = m.in(staging);
            expectedDirs.add(dir);
            List<String> files = new ArrayList<>(List.of(m.fileName(null, "pom")));
            if (m.isJar()) {
                files.addAll(List.of(m.fileName(null, "jar"), m.fileName("sources", "jar"),
                        m.fileName("javadoc", "jar")));
            }
            for (String f : files) {
                Path file = dir.resolve(f);
                if (!Files.isRegularFile(file)) {
                    problems.add(m + ": " + f + " is not in " + dir);
                    continue;
                }
                for (String algorithm : List.of("MD5", "SHA-1")) {
                    Path sum = dir.resolve(f + (algorithm.equals("MD5") ? ".md5" : ".sha1"));
                    if (!Files.isRegularFile(sum)) {
                        problems.add(m + ": " + sum.getFileName() + " is missing");
                    } else if (!Files.readString(sum).trim().startsWith(hex(digest(algorithm, file)))) {
                        problems.add(m + ": " + sum.getFileName() + " does not match " + f);
                    }
                }
            }
            if (m.isJar() && Files.isRegularFile(dir.resolve(m.fileName(null, "jar")))
                    && !Arrays.equals(sha256(m.target(null, "jar")), sha256(dir.resolve(m.fileName(null, "jar"))))) {
                problems.add(m + ": the staged jar is not the one this build made");
            }
        }
        // Nothing unpublished (samples, benchmarks, the CLI, these tests) and nothing of a SNAPSHOT.
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                if (p.toString().contains("SNAPSHOT")) {
                    problems.add("a SNAPSHOT in staging: " + p);
                }
                Path versionDir = p.getParent();
                if (p.getFileName().toString().startsWith("maven-metadata")) {
                    continue;
                }
                if (!expectedDirs.contains(versionDir)) {
                    problems.add("not a published module: " + staging.relativize(p));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aUserProjectBuildsAgainstTheStagedArtifactsAndRuns() throws Exception {
        assumeReleaseVersion();
        Path consumer = work.resolve("consumer");
        Path repository = consumer.resolve("repository");
        Path project = consumer.resolve("project");
        // "Install" the release: the staged repository, copied into a local repository that holds nothing else.
        Trees.copyTree(staging, repository);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("sentikit.version", Reactor.version());
        for (String plugin : List.of("compiler", "resources", "surefire", "jar", "dependency", "clean")) {
            String key = "plugin." + plugin + ".version";
            values.put(key, System.getProperty(key));
        }
        Trees.copyFiltered(Reactor.rootDir().resolve("release-tests/src/it/consumer"), project, values);
        // Everything that is not Sentikit (Maven's plugins, ONNX Runtime, Jackson, SLF4J) comes from this build's
        // local repository, read as a file:// repository: no network, and no Sentikit artifact from there.
        Path settings = seedSettings(consumer);

        List<String> mvn = List.of(Processes.mvn(), "-B", "-Dstyle.color=never", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repository, "package");
        Processes.Result build = Processes.run(mvn, project, environment(), consumer.resolve("build"), 15);
        assertEquals(0, build.code(), "the user's project did not build:\n" + build.describe());

        // Sentikit came from the staged release only: a file Maven fetched from a remote would have a
        // _remote.repositories record beside it.
        try (Stream<Path> files = Files.walk(repository.resolve("dev/sentikit"))) {
            List<Path> fetched = files.filter(p -> p.getFileName().toString().equals("_remote.repositories")).toList();
            assertTrue(fetched.isEmpty(), "Sentikit artifacts fetched from outside the staged release: " + fetched);
        }

        // Its dependency tree: nothing but the SDK, the engine, ONNX Runtime, Jackson, SLF4J's API and the model.
        String tree = Files.readString(project.resolve("target/dependency-tree.txt"));
        Map<String, String> resolved = new TreeMap<>();
        Matcher line = Pattern.compile("(?m)^[| +\\\\-]*([\\w.-]+):([\\w.-]+):jar:([\\w.-]+):(\\w+)$").matcher(tree);
        while (line.find()) {
            resolved.put(line.group(1) + ":" + line.group(2), line.group(3) + " " + line.group(4));
        }
        Set<String> allowed = Set.of("dev.sentikit:sdk-api", "dev.sentikit:runtime-onnx",
                "com.microsoft.onnxruntime:onnxruntime", "com.fasterxml.jackson.core:jackson-databind",
                "com.fasterxml.jackson.core:jackson-core", "com.fasterxml.jackson.core:jackson-annotations",
                "org.slf4j:slf4j-api", "dev.sentikit.zoo:sentikit-model-en");
        assertEquals(new TreeSet<>(allowed), resolved.keySet(), "the user's dependency tree:\n" + tree);
        for (Map.Entry<String, String> e : resolved.entrySet()) {
            assertTrue(e.getValue().endsWith(" compile"), e + " in\n" + tree);
            assertFalse(e.getValue().contains("SNAPSHOT"), e + " in\n" + tree);
            if (e.getKey().startsWith("dev.sentikit")) {
                assertEquals(Reactor.version() + " compile", e.getValue(), e.getKey());
            }
        }

        // Run it, as the user would: java with the class path Maven resolved.
        String classPath = project.resolve("target/sentikit-consumer-1.0.jar") + java.io.File.pathSeparator
                + Files.readString(project.resolve("target/classpath.txt")).trim();
        List<String> java = List.of(Processes.java(), "-cp", classPath, "example.App", "I love this phone",
                "The battery died after two days");
        Processes.Result run = Processes.run(java, project, environment(), consumer.resolve("run"), 5);
        assertEquals(0, run.code(), run.describe());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.describe());
        assertTrue(lines.get(0).startsWith("positive "), run.describe());
        assertTrue(lines.get(1).startsWith("negative "), run.describe());
        for (String l : lines) {
            double score = Double.parseDouble(l.split(" ")[1]);
            assertTrue(score > 0.5 && score <= 1.0, l);
        }
    }

    private static boolean snapshot() {
        return Reactor.version().endsWith("-SNAPSHOT");
    }

    /** What a release stages is checked on release versions; a SNAPSHOT is deployed under timestamped names. */
    private static void assumeReleaseVersion() {
        Assumptions.assumeFalse(snapshot(), "skipped: " + Reactor.version() + " is a development version; the "
                + "staged release and the user's project against it are checked on a release version "
                + "(docs/releasing.md, step 1)");
    }

    /** Whether this build runs offline ({@code mvn -o}). */
    static boolean offline() {
        return "offline:true".equals(System.getProperty("sentikit.offline"));
    }

    /**
     * A settings file in {@code dir} whose only repository is this build's local repository, read as a file://
     * mirror of every remote: a build with it needs no network and gets only what this build already has.
     */
    static Path seedSettings(Path dir) throws IOException {
        Path settings = dir.resolve("seed-settings.xml");
        Files.createDirectories(dir);
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>sentikit-seed</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(localRepository().toUri()));
        return settings;
    }

    static Path localRepository() {
        String repo = System.getProperty("sentikit.local.repository");
        return repo == null || repo.isBlank()
                ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                : Path.of(repo);
    }

    /** This JVM's environment, without what would make a nested Maven differ from a plain one. */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.remove("MAVEN_CONFIG");
        env.remove("MAVEN_ARGS");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    private static String jarDifference(Path first, Path second) throws IOException {
        try (JarFile a = new JarFile(first.toFile()); JarFile b = new JarFile(second.toFile())) {
            Map<String, JarEntry> inA = a.stream().collect(Collectors.toMap(JarEntry::getName, e -> e,
                    (x, y) -> x, TreeMap::new));
            Map<String, JarEntry> inB = b.stream().collect(Collectors.toMap(JarEntry::getName, e -> e,
                    (x, y) -> x, TreeMap::new));
            if (!inA.keySet().equals(inB.keySet())) {
                Set<String> onlyA = new TreeSet<>(inA.keySet());
                onlyA.removeAll(inB.keySet());
                Set<String> onlyB = new TreeSet<>(inB.keySet());
                onlyB.removeAll(inA.keySet());
                return "entries only in the first build " + onlyA + ", only in the second " + onlyB;
            }
            if (!new ArrayList<>(a.stream().map(JarEntry::getName).toList())
                    .equals(b.stream().map(JarEntry::getName).toList())) {
                return "the same entries in another order";
            }
            for (String name : inA.keySet()) {
                JarEntry x = inA.get(name);
                JarEntry y = inB.get(name);
                if (x.getTime() != y.getTime()) {
                    return name + ": time " + x.getLastModifiedTime() + " against " + y.getLastModifiedTime();
                }
                try (InputStream ia = a.getInputStream(x); InputStream ib = b.getInputStream(y)) {
                    if (!Arrays.equals(ia.readAllBytes(), ib.readAllBytes())) {
                        return name + ": other content";
                    }
                }
            }
            return "same entries and content, other archive bytes (compression or entry attributes)";
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        return digest("SHA-256", file);
    }

    private static byte[] digest(String algorithm, Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance(algorithm);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                md.update(buffer, 0, n);
            }
        }
        return md.digest();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
