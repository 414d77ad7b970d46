package dev.sentikit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code trainer} in a new JVM, as {@code bin/trainer} does (same class path, no Maven), so that tests see
 * what a user sees: the exit status, standard output and error, and what a {@code kill -9} leaves on disk.
 */
final class TrainerProcess {

    /** Generous: a JVM start, PyTorch's native library and a small training run on a busy 2-core machine. */
    static final long TIMEOUT_SECONDS = 600;

    private TrainerProcess() {}

    /** The result of a finished process. */
    record Result(int code, String out, String err) {
        /** Both streams, for assertion messages. */
        String all() {
            return "stdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        // what bin/trainer sets, and the test JVM's own cache directory (pom.xml), so that no run writes to ~/.cache
        String cache = System.getProperty("sentikit.cache.dir");
        if (cache != null) {
            command.add("-Dsentikit.cache.dir=" + cache);
        }
        command.add(TrainerCli.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code trainer ARGS}, its standard output and error going to files in {@code dir}. */
    static Process start(Path dir, String... args) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command(args)).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        // bin/trainer's glibc malloc settings (see there): optimizer steps are several times faster with them.
        b.environment().putIfAbsent("MALLOC_MMAP_THRESHOLD_", "268435456");
        b.environment().putIfAbsent("MALLOC_TRIM_THRESHOLD_", "1073741824");
        b.environment().putIfAbsent("MALLOC_ARENA_MAX", "1");
        return b.start();
    }

    /** Runs {@code trainer ARGS} to its end; {@code dir} keeps its output files. */
    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = start(dir, args);
        p.getOutputStream().close();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            kill9(p);
            throw new AssertionError("trainer " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS
                    + " s");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }

    /** Sends SIGKILL, as {@code kill -9} does, and waits for the process to die. */
    static void kill9(Process p) throws InterruptedException {
        p.toHandle().destroyForcibly();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + p.pid() + " survived SIGKILL for 60 s");
        }
    }
}
