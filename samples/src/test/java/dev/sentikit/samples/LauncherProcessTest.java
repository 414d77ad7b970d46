package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.SentikitVersion;
import dev.sentikit.sentiment.CliProcess;
import dev.sentikit.sentiment.SentimentCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The repository's {@code bin/sentiment}, {@code bin/sample}, {@code bin/test-vectors} and {@code bin/trainer}, run
 * as a user runs them, each in its own process. They run from a copy of {@code bin/} in a folder that stands for the
 * repository: its {@code cli/target}, {@code samples/target} and {@code trainer/target} hold the build's stamp and a
 * {@code classpath.txt} (and {@code test-classpath.txt}) naming this test's class path, so the scripts start Java at
 * once, without a Maven build.
 */
class LauncherProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a Chinese user types: "this phone is good". */
    static final String CHINESE = "这个手机不错";

    @TempDir
    static Path root;

    @BeforeAll
    static void repository() throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path source = Path.of(System.getProperty("sentikit.root.dir", "..")).resolve("bin");
        for (String script : List.of("_launcher.sh", "sentiment", "sample", "test-vectors", "trainer")) {
            Files.copy(source.resolve(script), bin.resolve(script));
            Files.setPosixFilePermissions(bin.resolve(script), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (String module : List.of("cli", "samples", "trainer")) {
            Path target = Files.createDirectories(root.resolve(module).resolve("target"));
            Files.writeString(target.resolve("classpath.txt"), System.getProperty("java.class.path"));
            Files.writeString(target.resolve("test-classpath.txt"), System.getProperty("java.class.path"));
            Files.writeString(target.resolve(".sentikit-built"), "");
        }
    }

    record Result(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /**
     * Runs {@code command} from {@code dir} with this test's environment, less the locale variables, plus
     * {@code locale}; Java is the one running this test.
     */
    static Result run(Path dir, Map<String, String> locale, List<String> command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = b.environment();
        env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE")
                || k.equals("SENTIKIT_JAVA_OPTS"));
        env.putAll(locale);
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", ""));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish in " + CliProcess.TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    static List<String> script(String name, String... args) {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin").resolve(name).toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Under the C or POSIX locale, or none (the default of many containers and CI images), Java would read every
     * non-ASCII character of an argument as U+FFFD: the scripts run it under C.UTF-8, so the text analyzed is the
     * text typed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LC_ALL=C", "LC_ALL=POSIX", "LANG=C", "LC_CTYPE=C", "no locale"})
    void sentimentAnalyzesTheTextTypedWhateverTheLocale(String locale, @TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        if (locale.contains("=")) {
            env.put(locale.substring(0, locale.indexOf('=')), locale.substring(locale.indexOf('=') + 1));
        }
        List<String> texts = List.of(CHINESE, "质量很好，非常满意", "质量很差", "café");
        List<String> args = new ArrayList<>(List.of("--model", "zh-lite"));
        args.addAll(texts);
        Result r = run(dir, env, script("sentiment", args.toArray(String[]::new)));
        assertEquals(0, r.code(), r.describe());
        List<String> lines = r.out().lines().toList();
        assertEquals(texts.size(), lines.size(), r.describe());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i), JSON.readTree(lines.get(i)).get("text").asText(), r.describe());
        }
        assertEquals("positive", JSON.readTree(lines.get(1)).get("label").asText(), r.describe());
        assertEquals("negative", JSON.readTree(lines.get(2)).get("label").asText(), r.describe());
    }

    /**
     * Where Java still reads the command line as ASCII (started without the scripts, or where C.UTF-8 is missing),
     * the CLIs refuse an argument that lost characters, saying why, instead of analyzing U+FFFD.
     */
    @Test
    void anArgumentThatLostCharactersIsRefused(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        Result sentiment = run(dir, Map.of("LC_ALL", "C"), List.of(java, "-cp", classPath,
                SentimentCli.class.getName(), "--model", "zh-lite", "good", CHINESE));
        assertEquals(2, sentiment.code(), sentiment.describe());
        assertEquals("", sentiment.out(), "nothing is analyzed");
        assertTrue(sentiment.err().startsWith("error: argument 4 lost characters: Java read the command line as "
                + "ANSI_X3.4-1968, the character set of the locale (LC_ALL=C), so every character outside it became "
                + "U+FFFD. Run under a UTF-8 locale (LC_ALL=C.UTF-8"), sentiment.describe());

        Result trainer = run(dir, Map.of("LANG", "C"), List.of(java, "-cp", classPath,
                dev.sentikit.cli.TrainerCli.class.getName(), "split", "--data", "评论.tsv", "--output", "out"));
        assertEquals(2, trainer.code(), trainer.describe());
        assertTrue(trainer.err().startsWith("error: argument 3 lost characters: Java read the command line as "
                + "ANSI_X3.4-1968, the character set of the locale (LANG=C)"), trainer.describe());
        assertTrue(Files.notExists(dir.resolve("out")), "nothing is written");
    }

    /** bin/trainer under the C locale reads a file whose name is not ASCII, and writes one. */
    @Test
    void trainerReadsAndWritesFileNamesWhateverTheLocale(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("评论.tsv");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            rows.append(i % 2 == 0 ? "positive\t很好 " + i : "negative\t很差 " + i).append('\n');
        }
        Files.writeString(data, rows, StandardCharsets.UTF_8);
        Result r = run(dir, Map.of("LC_ALL", "C"), script("trainer", "split", "--data", data.toString(), "--output",
                dir.resolve("拆分").toString()));
        assertEquals(0, r.code(), r.describe());
        try (Stream<Path> files = Files.list(dir.resolve("拆分"))) {
            assertTrue(files.count() >= 2, r.describe());
        }
    }

    /**
     * Every program of {@code bin/sample} and {@code bin/test-vectors} answers {@code --help} with its usage and
     * {@code --version} with the versions, status 0, without doing its work: no model loaded, no file written
     * (NodeTestVectors once wrote a file named --version).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sample QuickStart", "sample BatchCsv", "sample TrainAndExport",
        "test-vectors NodeTestVectors", "test-vectors JsParityVectors"})
    void everySampleAnswersHelpAndVersion(String scriptAndName, @TempDir Path dir) throws Exception {
        String scriptName = scriptAndName.substring(0, scriptAndName.indexOf(' '));
        String name = scriptAndName.substring(scriptAndName.indexOf(' ') + 1);
        for (String option : List.of("--help", "-h")) {
            Result help = run(dir, Map.of(), script(scriptName, name, option));
            assertEquals(0, help.code(), help.describe());
            assertTrue(help.out().startsWith("Usage: " + name), help.describe());
        }
        for (String option : List.of("--version", "-V")) {
            Result version = run(dir, Map.of(), script(scriptName, name, option));
            assertEquals(0, version.code(), version.describe());
            List<String> lines = version.out().lines().toList();
            assertEquals(name + ": Sentikit " + SentikitVersion.get(), lines.get(0), version.describe());
            assertTrue(lines.get(1).startsWith("ONNX Runtime 1."), version.describe());
            assertTrue(lines.get(3).startsWith("Java "), version.describe());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "--help and --version write nothing");
        }
    }

    /** An argument that no option takes is an error, also next to --help, which would otherwise win. */
    @Test
    void anUnknownArgumentNextToHelpIsAnError(@TempDir Path dir) throws Exception {
        Result r = run(dir, Map.of(), script("sample", "BatchCsv", "--colum", "review", "--help"));
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().startsWith("Unknown options: '--colum', 'review'"), r.describe());
    }

    /** The samples of the README, as bin/sample lists them: each is tested above; bin/sample --help lists them. */
    @Test
    void theSamplesTestedAreThoseBinSampleRuns(@TempDir Path dir) throws Exception {
        String script = Files.readString(root.resolve("bin/sample"));
        assertTrue(script.contains("samples=(QuickStart BatchCsv TrainAndExport)"),
                "bin/sample runs other samples than this test checks");
        Result help = run(dir, Map.of(), script("sample", "--help"));
        assertEquals(0, help.code(), help.describe());
        assertTrue(help.out().startsWith("usage: bin/sample NAME [ARGS...], NAME one of: QuickStart BatchCsv "
                + "TrainAndExport"), help.describe());
        Result unknown = run(dir, Map.of(), script("sample", "QuickStar"));
        assertEquals(2, unknown.code(), unknown.describe());
        assertTrue(unknown.err().startsWith("usage: bin/sample NAME"), unknown.describe());
        String writers = Files.readString(root.resolve("bin/test-vectors"));
        assertTrue(writers.contains("writers=(JsParityVectors NodeTestVectors)"),
                "bin/test-vectors runs other writers than this test checks");
        Result notASample = run(dir, Map.of(), script("sample", "JsParityVectors"));
        assertEquals(2, notASample.code(), "the vectors' writers are test code, not samples: " + notASample.describe());
    }

    /**
     * An unknown command of bin/trainer is an error naming the commands (status 2), also with --help, which once
     * printed the usage with status 0.
     */
    @Test
    void trainerRefusesAnUnknownCommand(@TempDir Path dir) throws Exception {
        for (List<String> args : List.of(List.of("UNKNOWN", "--help"), List.of("UNKNOWN"), List.of("--help", "UNKNOWN"),
                List.of("UNKNOWN", "--version"))) {
            Result r = run(dir, Map.of(), script("trainer", args.toArray(String[]::new)));
            assertEquals(2, r.code(), args + "\n" + r.describe());
            assertEquals("", r.out(), args + ": no usage on standard output");
            assertTrue(r.err().startsWith("unknown command 'UNKNOWN': use one of train, distill, evaluate, export, split "
                    + "(help COMMAND describes each)\n"), args + "\n" + r.describe());
        }
        Result none = run(dir, Map.of(), script("trainer"));
        assertEquals(2, none.code(), none.describe());
        assertTrue(none.err().startsWith("missing command: one of train, distill, evaluate, export, split"), none.describe());
        Result misspelt = run(dir, Map.of(), script("trainer", "split", "--dta", "x.tsv", "--help"));
        assertEquals(2, misspelt.code(), misspelt.describe());
        assertTrue(misspelt.err().startsWith("Unknown options: '--dta', 'x.tsv'"), misspelt.describe());
        assertTrue(misspelt.err().contains("Usage: trainer split"), misspelt.describe());
    }
}
