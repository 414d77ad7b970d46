package dev.sentikit.cli;

import dev.sentikit.SentikitVersion;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code trainer}: trains, evaluates and exports sentiment models.
 *
 * <pre>
 * bin/trainer train    --data reviews.tsv --output runs/reviews
 * bin/trainer distill  --teacher en.onnx --data reviews.tsv --unlabelled texts.txt --output runs/student
 * bin/trainer evaluate --model runs/reviews --data test.tsv
 * bin/trainer export   --format onnx --model runs/reviews --output reviews.onnx
 * </pre>
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = "Trains sentiment models on PyTorch through DJL, evaluates them, and exports them to ONNX.",
        subcommands = {TrainCommand.class, DistillCommand.class, EvaluateCommand.class, ExportCommand.class, SplitCommand.class,
                CommandLine.HelpCommand.class})
public final class TrainerCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        String lost = lostCharacters(args, System.getProperty("sun.jnu.encoding"));
        if (lost != null) {
            System.err.println("error: " + lost);
            System.exit(2);
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TrainerCli());
        answerVersion(cli);
        TrainCommand.describeModels(cli.getSubcommands().get("train"));
        TrainCommand.describeModels(cli.getSubcommands().get("distill"));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + Errors.describe(e));
            return 1;
        });
        cli.setExecutionStrategy(parseResult -> {
            rejectUnmatched(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, arguments) -> usage.handleParseException(unknownCommand(e), arguments));
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: " + commands(spec));
    }

    /** The commands, such as "one of train, distill, evaluate, export, split (help COMMAND describes each)". */
    static String commands(CommandLine.Model.CommandSpec spec) {
        List<String> names = new ArrayList<>(spec.subcommands().keySet());
        names.remove("help");
        return "one of " + String.join(", ", names) + " (help COMMAND describes each)";
    }

    /**
     * Refuses an argument that no command, option or parameter takes, also next to {@code --help} or
     * {@code --version}, where picocli would answer those and ignore it: {@code trainer UNKNOWN --help} is an unknown
     * command (status 2), never the usage with status 0.
     */
    static void rejectUnmatched(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
    }

    /** An argument where the command belongs that is not one, said as such and naming the commands. */
    static CommandLine.ParameterException unknownCommand(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine().getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            return new CommandLine.ParameterException(u.getCommandLine(), "unknown command '" + u.getUnmatched().get(0)
                    + "': use " + commands(u.getCommandLine().getCommandSpec()));
        }
        return e;
    }

    /**
     * Null, or a sentence saying that the command line lost characters. Java decodes its arguments (file names,
     * labels) in the character set of the locale it starts under ({@code sun.jnu.encoding}); where that is not UTF-8
     * (ASCII under the C or POSIX locale), every character it cannot decode becomes U+FFFD. bin/trainer starts Java
     * under a UTF-8 locale; this catches the rest, rather than look for a file or a label that nobody named.
     *
     * @param encoding the character set Java decoded the arguments with
     */
    static String lostCharacters(String[] args, String encoding) {
        boolean utf8;
        try {
            utf8 = encoding == null || Charset.forName(encoding).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            utf8 = false;
        }
        for (int i = 0; i < args.length && !utf8; i++) {
            if (args[i].indexOf('\uFFFD') >= 0) {
                String locale = Stream.of("LC_ALL", "LC_CTYPE", "LANG").filter(n -> System.getenv(n) != null
                        && !System.getenv(n).isEmpty()).map(n -> n + "=" + System.getenv(n)).findFirst()
                        .orElse("none of LC_ALL, LC_CTYPE and LANG is set: C");
                return "argument " + (i + 1) + " lost characters: Java read the command line as " + encoding
                        + ", the character set of the locale (" + locale + "), so every character outside it "
                        + "became U+FFFD. Run under a UTF-8 locale (LC_ALL=C.UTF-8, which bin/trainer chooses where "
                        + "it exists)";
            }
        }
        return null;
    }

    /**
     * Makes {@code --version} of the command and of every subcommand print the versions of Sentikit, ONNX Runtime,
     * DJL with PyTorch, and Java ({@link SentikitVersion#report}), without starting PyTorch.
     */
    static void answerVersion(CommandLine cli) {
        String name = cli.getCommandSpec().qualifiedName();
        cli.getCommandSpec().versionProvider(() -> SentikitVersion.report(name).toArray(String[]::new));
        cli.getSubcommands().values().forEach(TrainerCli::answerVersion);
    }
}
