package dev.sentikit.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Validates ONNX files with the reference checker of the {@code onnx} Python package
 * ({@code onnx.checker.check_model(model, full_check=True)}, which also runs strict shape inference), for tests.
 * Tests that call {@link #assertValid} are skipped, saying so, where {@code /usr/bin/python3} cannot
 * {@code import onnx}.
 */
public final class OnnxChecker {

    /** The interpreter that has Debian's python3-onnx. */
    public static final String PYTHON = "/usr/bin/python3";

    private static final String CHECK = "import onnx, sys; "
            + "onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); "
            + "print('ok')";

    private static final long TIMEOUT_SECONDS = 120;

    private static Boolean available;

    private OnnxChecker() {}

    /** The exit status and the merged stdout and stderr of one run of the checker. */
    public record Result(int exitCode, String output) {
        public boolean passed() {
            return exitCode == 0;
        }
    }

    /** Whether {@code /usr/bin/python3 -c 'import onnx'} succeeds; checked once. */
    public static synchronized boolean isAvailable() {
        if (available == null) {
            try {
                available = run(List.of(PYTHON, "-c", "import onnx")).passed();
            } catch (IOException e) {
                available = false;
            }
        }
        return available;
    }

    /**
     * The environment variable that {@code .ci/run} sets so that a missing checker fails the build instead of
     * skipping: CI installs python3-onnx, and a silent skip there would hide a broken install step.
     */
    public static final String REQUIRED_ENV = "SENTIKIT_REQUIRE_ONNX_CHECKER";

    /** Skips the calling test when the checker cannot run (fails instead where {@link #REQUIRED_ENV} is set). */
    public static void assumeAvailable() {
        if (System.getenv(REQUIRED_ENV) != null && !isAvailable()) {
            fail(REQUIRED_ENV + " is set but " + PYTHON + " cannot import onnx: apt-get install python3-onnx");
        }
        Assumptions.assumeTrue(isAvailable(), "python3-onnx is not installed (" + PYTHON
                + " -c 'import onnx' failed), so the ONNX checker cannot run: apt-get install python3-onnx");
    }

    /** Runs the checker on {@code model}; does not skip. */
    public static Result check(Path model) throws IOException {
        return run(List.of(PYTHON, "-c", CHECK, model.toAbsolutePath().toString()));
    }

    /**
     * Asserts that {@code model} passes {@code onnx.checker.check_model(..., full_check=True)}, skipping the test
     * when python3-onnx is missing.
     */
    public static void assertValid(Path model) throws IOException {
        assumeAvailable();
        Result r = check(model);
        assertEquals(0, r.exitCode(), () -> "onnx.checker rejected " + model + ":\n" + r.output());
    }

    private static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                out[0] = in.readAllBytes();
            } catch (IOException e) {
                out[0] = ("(cannot read the output: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        }, "onnx-checker-output");
        reader.start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
        return new Result(p.exitValue(), text);
    }
}
