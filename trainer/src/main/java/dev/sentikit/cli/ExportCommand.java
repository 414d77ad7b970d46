package dev.sentikit.cli;

import dev.sentikit.export.ExportFormat;
import dev.sentikit.export.OnnxExporter;
import dev.sentikit.train.Checkpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code trainer export}: writes a checkpoint as one self-contained model file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Exports a checkpoint to one self-contained file: the graph, labels, encoder and vocabulary, "
                + "provenance and metrics. The file is written only if ONNX Runtime reproduces DJL's "
                + "probabilities within 1e-4 on the checkpoint's validation texts.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT",
            description = "Output format: onnx (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint directory from `trainer train`.")
    Path model;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The file to write, e.g. model.onnx.")
    Path output;

    @Option(names = "--name", description = "Model name written in the file (default: the checkpoint's).")
    String name;

    @Option(names = "--description", description = "One or two sentences for people, written in the model card.")
    String description;

    @Option(names = "--limitation", paramLabel = "TEXT",
            description = "A known limit of the model, written in the model card (repeatable).")
    java.util.List<String> limitations;

    @Override
    public Integer call() throws Exception {
        ExportFormat.parse(format); // ONNX is the only format; parse() lists the supported ones otherwise
        PrintWriter out = spec.commandLine().getOut();
        Checkpoint checkpoint = Checkpoint.read(model);
        dev.sentikit.model.ModelCard card = checkpoint.card();
        if (description != null) {
            card = card.withName(card.name(), description);
        }
        if (limitations != null) {
            card = card.withLimitations(limitations);
        }
        checkpoint = new Checkpoint(checkpoint.dir(), card, checkpoint.vocabulary());
        OnnxExporter.Result result = OnnxExporter.export(checkpoint, output, name);
        out.printf("parity: ONNX Runtime vs DJL on %d texts, max probability difference %.2e (tolerance %.0e)%n",
                result.parity().texts(), result.parity().maxProbabilityDifference(), result.parity().tolerance());
        out.printf("wrote %s (%,d bytes)%n", result.file(), result.bytes());
        return 0;
    }
}
