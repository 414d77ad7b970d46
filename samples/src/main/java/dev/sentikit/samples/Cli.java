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
            commandLine.getErr().println("error: " + describe(e));
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * One line for people: the exception's message when it says what is wrong, else a sentence naming the file
     * (the JDK's file exceptions carry only a path, its decoders only "Input length = 1").
     */
    static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return "file not found: " + f.getFile() + (f.getOtherFile() != null ? " (or " + f.getOtherFile() + ")" : "");
        }
        if (e instanceof java.nio.file.AccessDeniedException f) {
            return "permission denied: " + f.getFile() + "; check the file's permissions";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " already exists and is in the way (a file where a directory is needed?)";
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName());
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "a file is not valid UTF-8 (" + e + "); re-save it as UTF-8";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
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
        main(command, args, new PrintWriter(System.out, true));
    }

    /** Runs {@code command} with {@code out} as its standard output and exits with its code. */
    static void main(Object command, String[] args, PrintWriter out) {
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(command, args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
