package dev.sentikit.sentiment;

import dev.sentikit.SentikitVersion;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs a picocli command the way every Sentikit command does ({@code sentiment}, its {@code serve}, and the samples
 * of {@code bin/sample}): errors as one "error: …" line, exit codes 0 / 1 / 2, {@code --version} with the versions.
 */
public final class Cli {

    private Cli() {}

    /** Runs {@code command} and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(command);
        answerVersion(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + describe(e));
            return 1;
        });
        cli.setExecutionStrategy(parseResult -> {
            rejectUnmatched(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cli.execute(args);
    }

    /**
     * Refuses an argument that no option or parameter takes, also next to {@code --help} or {@code --version}, where
     * picocli would answer those and ignore it: a misspelt command or option is an error (status 2), never help.
     */
    static void rejectUnmatched(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
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
    public static void main(Object command, String[] args) {
        main(command, args, new PrintWriter(System.out, true));
    }

    /**
     * Runs {@code command} with {@code out} as its standard output and exits with its code; exits with 2 instead,
     * saying so, when the command line lost characters ({@link #lostCharacters}).
     */
    public static void main(Object command, String[] args, PrintWriter out) {
        PrintWriter err = new PrintWriter(System.err, true);
        String lost = lostCharacters(args, System.getProperty("sun.jnu.encoding"));
        if (lost != null) {
            err.println("error: " + lost);
            System.exit(2);
        }
        int code = run(command, args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Null, or a sentence saying that the command line lost characters. Java decodes its arguments in the character
     * set of the locale it starts under ({@code sun.jnu.encoding}); where that is not UTF-8 (ASCII under the C or
     * POSIX locale), every character it cannot decode becomes U+FFFD, and the text is no longer what the user typed.
     * The bin/ scripts start Java under a UTF-8 locale; this catches the rest, rather than analyze U+FFFD.
     *
     * @param encoding the character set Java decoded the arguments with
     */
    static String lostCharacters(String[] args, String encoding) {
        if (isUtf8(encoding)) {
            return null; // a U+FFFD is then the user's own, or bytes that were never UTF-8
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i].indexOf('\uFFFD') >= 0) {
                return "argument " + (i + 1) + " lost characters: Java read the command line as " + encoding
                        + ", the character set of the locale (" + locale() + "), so every character outside it "
                        + "became U+FFFD. Run under a UTF-8 locale (LC_ALL=C.UTF-8, which the bin/ scripts choose "
                        + "where it exists), or give texts in a UTF-8 file (sentiment --input FILE)";
            }
        }
        return null;
    }

    private static boolean isUtf8(String encoding) {
        try {
            return encoding == null || Charset.forName(encoding).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The variable that set the locale's character type, such as {@code LC_ALL=C}. */
    private static String locale() {
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String value = System.getenv(name);
            if (value != null && !value.isEmpty()) {
                return name + "=" + value;
            }
        }
        return "none of LC_ALL, LC_CTYPE and LANG is set: C";
    }
}
