package dev.sentikit.samples;

import dev.sentikit.SentikitVersion;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Runs a picocli command the way every sample does: errors as one "error: …" line, exit codes 0 / 1 / 2. */
final class Cli {

    private Cli() {}

    /** Runs {@code command} and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(command);
        answerVersion(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * Makes {@code --version} of the command and of every subcommand print the versions of Sentikit, ONNX Runtime,
     * DJL and Java ({@link SentikitVersion#report}).
     */
    static void answerVersion(CommandLine cli) {
        String name = cli.getCommandSpec().qualifiedName();
        cli.getCommandSpec().versionProvider(() -> SentikitVersion.report(name).toArray(String[]::new));
        cli.getSubcommands().values().forEach(Cli::answerVersion);
    }

    /** Runs {@code command} on the process's streams and exits with its code. */
    static void main(Object command, String[] args) {
        System.exit(run(command, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
