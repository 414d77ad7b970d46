package dev.sentikit.cli;

import dev.sentikit.SentikitVersion;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code trainer}: trains, evaluates and exports sentiment models.
 *
 * <pre>
 * bin/trainer train    --data reviews.tsv --output runs/reviews
 * bin/trainer evaluate --model runs/reviews --data test.tsv
 * bin/trainer export   --format onnx --model runs/reviews --output reviews.onnx
 * </pre>
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = "Trains sentiment models on PyTorch through DJL, evaluates them, and exports them to ONNX.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, ExportCommand.class, SplitCommand.class,
                CommandLine.HelpCommand.class})
public final class TrainerCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TrainerCli());
        answerVersion(cli);
        TrainCommand.describeModels(cli.getSubcommands().get("train"));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + Errors.describe(e));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: train, evaluate or export");
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
