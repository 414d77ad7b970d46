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

    @Option(names = "--quantize", paramLabel = "int8|int8-weights", description = "transformer: int8 computes in "
            + "int8 (int8 weights with a float scale per output column, each token's activations quantized to uint8; "
            + "about twice as fast on the CPU, a quarter of the bytes); int8-weights only stores the weights as int8 "
            + "and computes in float32. The file is written only if its probabilities stay close to the float32 "
            + "graph's (int8: within 0.25 on each text and 0.03 on average; int8-weights: within 0.05); the accuracy "
            + "change on the checkpoint's recorded test data (trainer evaluate --record test) goes into the card.")
    String quantize;

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
        dev.sentikit.architecture.Architecture.ExportOptions options = new dev.sentikit.architecture.Architecture
                .ExportOptions(quantize == null ? dev.sentikit.architecture.Architecture.Quantization.NONE
                        : dev.sentikit.architecture.Architecture.Quantization.parse(quantize));
        OnnxExporter.Result result = OnnxExporter.export(checkpoint, output, name, options);
        out.printf("parity: ONNX Runtime vs DJL on %d texts, max probability difference %.2e (tolerance %.0e)%n",
                result.parity().texts(), result.parity().maxProbabilityDifference(), result.parity().tolerance());
        if (result.quantized() != null) {
            out.printf("int8: against the float32 graph on %d texts, max probability difference %.2e (tolerance "
                    + "%.2f), mean %.2e%n", result.quantized().texts(), result.quantized().maxProbabilityDifference(),
                    result.quantized().tolerance(), result.quantized().meanProbabilityDifference());
            var q = result.quantization();
            if (q.containsKey("accuracy_int8")) {
                out.printf("int8: on %s (%s texts): accuracy %.4f -> %.4f, macro-F1 %.4f -> %.4f (float32 -> int8)%n",
                        q.get("data"), q.get("examples"), q.get("accuracy_float32"), q.get("accuracy_int8"),
                        q.get("macro_f1_float32"), q.get("macro_f1_int8"));
            } else {
                out.println("int8: test accuracy " + q.get("test"));
            }
        }
        out.printf("wrote %s (%,d bytes)%n", result.file(), result.bytes());
        return 0;
    }
}
