package dev.sentikit.samples;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Runs a picocli command the way every sample does: errors as one "error: …" line, exit codes 0 / 1 / 2. */
final class Cli {

    private Cli() {}

    /** Runs {@code command} and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }

    /** Runs {@code command} on the process's streams and exits with its code. */
    static void main(Object command, String[] args) {
        System.exit(run(command, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
