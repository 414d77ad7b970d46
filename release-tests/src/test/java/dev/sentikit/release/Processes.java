package dev.sentikit.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program the way a user's shell would, its output kept in files beside the test's work. */
final class Processes {

    private Processes() {}

    /** A finished run: exit code, standard output and standard error. */
    record Result(List<String> command, int code, String out, String err, Path log) {

        /** The run as an assertion message: command, code, and the ends of both streams. */
        String describe() {
            return String.join(" ", command) + "\nexit code " + code + "\n--- stdout (end)\n" + tail(out)
                    + "\n--- stderr (end)\n" + tail(err) + "\n(full output: " + log + ".out / .err)";
        }

        private static String tail(String s) {
            return s.length() <= 6_000 ? s : "…" + s.substring(s.length() - 6_000);
        }
    }

    /**
     * Runs {@code command} in {@code dir} with {@code env} as its whole environment, and waits. The limit only
     * guards against a hung process (it is far above any normal run): the process is then killed and the run
     * fails with what it printed.
     */
    static Result run(List<String> command, Path dir, Map<String, String> env, Path log, long limitMinutes)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Path out = Path.of(log + ".out");
        Path err = Path.of(log + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(limitMinutes, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
        Result r = new Result(new ArrayList<>(command), done ? p.exitValue() : -1,
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), log);
        if (!done) {
            throw new AssertionError("still running after " + limitMinutes + " minutes, killed:\n" + r.describe());
        }
        return r;
    }

    /** The Maven command of the build running these tests ({@code maven.home}), or {@code mvn} from the PATH. */
    static String mvn() {
        String home = System.getProperty("maven.home");
        if (home != null && !home.isBlank()) {
            Path mvn = Path.of(home, "bin", "mvn");
            if (Files.isExecutable(mvn)) {
                return mvn.toString();
            }
        }
        return "mvn";
    }

    /** The java command of the JVM running these tests (Java 17 or later, as the build requires). */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
