package dev.sentikit.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.export.OnnxExporter;
import dev.sentikit.sentiment.Cli;
import dev.sentikit.server.ResultJson;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Examples;
import dev.sentikit.train.SentimentTrainer;
import dev.sentikit.train.Split;
import dev.sentikit.train.TrainingConfig;
import dev.sentikit.train.TrainingDevices;
import dev.sentikit.train.data.DataReader;
import dev.sentikit.train.data.LabeledData;
import dev.sentikit.train.data.LabeledText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * From a labelled file to a prediction in one program, with the trainer's Java API: read the data
 * ({@link DataReader}), hold out a stratified 10% ({@link Split}), train ({@link SentimentTrainer}), export one
 * ONNX file ({@link OnnxExporter}), load it as any user would ({@link SentimentAnalyzer#load}) and analyze texts.
 * What {@code bin/trainer train} then {@code bin/trainer export} then {@code bin/sentiment} do, in about 40 lines.
 *
 * <pre>
 * bin/sample TrainAndExport --data trainer/src/test/resources/fixtures/vader-sample-1500.tsv --output /tmp/vader.onnx
 * </pre>
 *
 * <p>Needs {@code dev.sentikit:trainer} (DJL and PyTorch) at build time; the model file it writes needs only
 * {@code dev.sentikit:runtime-onnx} to run.
 */
@Command(name = "TrainAndExport", mixinStandardHelpOptions = true,
        description = "Trains a model on a labelled file (TSV label<TAB>text, or CSV/JSONL with label and text "
                + "columns), exports it to one ONNX file and analyzes TEXTs with that file.")
public final class TrainAndExport implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The labelled data.")
    Path data;

    @Option(names = "--output", required = true, paramLabel = "FILE.onnx", description = "The model file to write.")
    Path output;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--name", paramLabel = "NAME", description = "The model name written in its card (default: "
            + "the output file's name without .onnx).")
    String name;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to analyze with the exported file "
            + "(default: two examples).")
    List<String> texts = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Cli.main(new TrainAndExport(), args);
    }

    /** Runs the program and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return Cli.run(new TrainAndExport(), args, out, err);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();

        // 1. Read the labelled file; bad rows are skipped and counted.
        LabeledData rows = DataReader.builder().build().read(data);
        out.println(data + ": " + rows.summary());
        List<String> allTexts = new ArrayList<>();
        for (LabeledText row : rows.rows()) {
            allTexts.add(row.text());
        }
        Examples all = new Examples(rows.labels(), allTexts, rows.labelIndices());

        // 2. Hold out 10% of each label for validation (and for the exporter's parity check).
        Split split = Split.stratified(all, 0.1, seed);

        // 3. Train on the CPU; the checkpoint of the best epoch goes to a scratch directory.
        TrainingConfig config = TrainingConfig.builder().optEpochs(epochs).optSeed(seed).build();
        SentimentTrainer trainer = new SentimentTrainer(config, TrainingDevices.resolve("cpu"),
                epoch -> out.printf("epoch %d: loss %.4f, validation accuracy %.3f, macro-F1 %.3f%n",
                        epoch.epoch(), epoch.trainLoss(), epoch.validAccuracy(), epoch.validMacroF1()));
        Path scratch = Files.createTempDirectory("sentikit-train-");
        try {
            Checkpoint checkpoint = trainer.train(split.train(), split.heldOut(),
                    new SentimentTrainer.DataSources(data.toString(), rows.sha256(),
                            "stratified 10% of " + data + ", seed " + seed, null,
                            "TrainAndExport " + String.join(" ", spec.commandLine().getParseResult().originalArgs())),
                    scratch);

            // 4. Export one ONNX file; it is written only if ONNX Runtime reproduces DJL's probabilities.
            OnnxExporter.Result exported = OnnxExporter.export(checkpoint, output, modelName());
            out.printf("wrote %s (%,d bytes); ONNX Runtime matches DJL within %.1g on %d texts%n", exported.file(),
                    exported.bytes(), exported.parity().maxProbabilityDifference(), exported.parity().texts());
        } finally {
            deleteRecursively(scratch);
        }

        // 5. Load the file as an application would, and analyze.
        List<String> inputs = texts.isEmpty() ? List.of("I love it, works great", "Terrible, it broke in a day") : texts;
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.load(output)) {
            List<Sentiment> results = analyzer.analyzeAll(inputs);
            for (int i = 0; i < inputs.size(); i++) {
                out.println(JSON.writeValueAsString(ResultJson.result(inputs.get(i), results.get(i))));
            }
        }
        out.flush();
        return 0;
    }

    private String modelName() {
        if (name != null) {
            return name;
        }
        String file = output.getFileName().toString();
        return file.endsWith(".onnx") ? file.substring(0, file.length() - ".onnx".length()) : file;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
