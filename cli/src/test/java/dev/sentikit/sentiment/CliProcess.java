package dev.sentikit.sentiment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command's {@code main} in a new JVM, as {@code bin/sentiment} and {@code bin/sample} do (same class path,
 * no Maven), so that tests see what a user sees: the exit status, the bytes on standard output and standard
 * error, and what is left after {@code kill -9}. Shared with the samples' tests (BatchCsv), through this module's
 * test jar.
 */
public final class CliProcess {

    /** Generous: a JVM start and a model load on a busy 2-core machine. */
    public static final long TIMEOUT_SECONDS = 180;

    private CliProcess() {}

    /** The result of a finished process. */
    public record Result(int code, String out, String err) {
        /** Standard output's lines, without the empty string after a final line break. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>(List.of(out.split("\n", -1)));
            if (lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        }
    }

    /** The command that runs {@code main} with {@code args}. */
    public static List<String> command(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code main}; its standard error goes to {@code err}. */
    public static Process start(Class<?> main, Path err, String... args) throws IOException {
        return new ProcessBuilder(command(main, args)).redirectError(err.toFile()).start();
    }

    /** Runs {@code main} to its end with {@code stdin} (may be null: nothing) as its standard input. */
    public static Result run(Path dir, byte[] stdin, Class<?> main, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(command(main, args)).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(main.getSimpleName() + " did not finish in " + TIMEOUT_SECONDS + " s; stderr: "
                    + Files.readString(err));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /**
     * Sends SIGKILL to {@code p}, as {@code kill -9} does, and waits for it to die. Unlike
     * {@link Process#destroyForcibly()}, this leaves the process's pipes open, so that a test reads what it wrote.
     */
    public static void kill9(Process p) throws InterruptedException {
        p.toHandle().destroyForcibly();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + p.pid() + " survived SIGKILL for 60 s");
        }
    }

    /** The bytes of {@code parts}: a String as UTF-8, an int[] as the bytes it lists (such as bytes that are not UTF-8). */
    public static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                for (int b : (int[]) p) {
                    out.write(b);
                }
            }
        }
        return out.toByteArray();
    }

    /** Runs {@code main} to its end with nothing on standard input. */
    public static Result run(Path dir, Class<?> main, String... args) throws IOException, InterruptedException {
        return run(dir, null, main, args);
    }
}
