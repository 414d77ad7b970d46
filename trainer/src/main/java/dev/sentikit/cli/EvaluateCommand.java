package dev.sentikit.cli;

import ai.djl.Device;
import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.eval.BootstrapIntervals;
import dev.sentikit.eval.SentimentEvaluation;
import dev.sentikit.eval.SentimentEvaluator;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.Examples;
import dev.sentikit.train.TrainedModel;
import dev.sentikit.train.data.LabeledData;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code trainer evaluate}: Tribuo's classification metrics of a checkpoint or an exported file. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluates a checkpoint (run with DJL) or an exported .onnx file (run with ONNX Runtime) on "
                + "labelled data: accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix, "
                + "printed as a table and written as JSON.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|FILE.onnx",
            description = "A checkpoint directory or an exported model file.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled data to evaluate on.")
    Path data;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where to write the JSON (default: evaluation.json in the checkpoint, or FILE.evaluation.json "
                    + "beside a model file).")
    Path output;

    @Option(names = "--record", paramLabel = "NAME", description = "Also store the result in the checkpoint's model "
            + "card under metrics.NAME (such as test), so that an export carries it. Checkpoints only.")
    String record;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "" + BootstrapIntervals.DEFAULT_RESAMPLES,
            description = "Resample the rows N times (seed " + BootstrapIntervals.DEFAULT_SEED + ") for 95%% "
                    + "intervals of accuracy, macro-F1 and macro-recall: how far they could move on another sample "
                    + "of this size (default: ${DEFAULT-VALUE}; 0: none).")
    int bootstrap;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> labels;
        float[][] probabilities;
        Examples examples;
        Path json;
        if (bootstrap < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--bootstrap must be 0 (no intervals) or a number of resamples, was " + bootstrap);
        }
        if (record != null && !Files.isDirectory(model)) {
            throw new IllegalArgumentException("--record stores metrics in a checkpoint directory; " + model
                    + " is a model file");
        }
        Checkpoint checkpoint = null;
        if (Files.isDirectory(model)) {
            checkpoint = Checkpoint.read(model);
            labels = checkpoint.card().labels();
            examples = read(labels, err);
            try (TrainedModel trained = TrainedModel.load(checkpoint, Device.cpu())) {
                probabilities = trained.probabilities(examples.texts());
            }
            json = output != null ? output : model.resolve("evaluation.json");
        } else {
            try (SentimentAnalyzer analyzer = SentimentAnalyzer.load(model, AnalyzerOptions.defaults())) {
                labels = analyzer.labels();
                examples = read(labels, err);
                List<Sentiment> results = analyzer.analyzeAll(examples.texts());
                probabilities = new float[results.size()][labels.size()];
                for (int i = 0; i < results.size(); i++) {
                    for (int l = 0; l < labels.size(); l++) {
                        probabilities[i][l] = (float) results.get(i).score(labels.get(l));
                    }
                }
            }
            json = output != null ? output : model.resolveSibling(model.getFileName() + ".evaluation.json");
        }
        int[] gold = examples.targets();
        SentimentEvaluation evaluation = new SentimentEvaluator(model.toString()).evaluate(labels, gold, probabilities);
        out.println(evaluation.toTable());
        Map<String, Object> result = new LinkedHashMap<>(evaluation.toMap());
        if (bootstrap > 0) {
            int[] all = IntStream.range(0, labels.size()).toArray();
            BootstrapIntervals intervals = BootstrapIntervals.of(labels.size(), gold,
                    SentimentEvaluator.mostProbable(probabilities, all), bootstrap, BootstrapIntervals.DEFAULT_SEED);
            out.printf(Locale.ROOT, "%.0f%% intervals (%d bootstrap resamples of the %d rows, seed %d): accuracy %s, "
                            + "macro-F1 %s, macro-recall %s%n", BootstrapIntervals.LEVEL * 100, bootstrap, gold.length,
                    BootstrapIntervals.DEFAULT_SEED, intervals.accuracy(), intervals.macroF1(), intervals.macroRecall());
            result.put("bootstrap", intervals.toMap());
        }
        int[] among = dataLabelsIfFewer(labels, gold);
        if (among != null) {
            Map<String, Object> amongResult = new LinkedHashMap<>();
            amongResult.put("labels", Arrays.stream(among).mapToObj(labels::get).toList());
            amongResult.put("accuracy", SentimentEvaluator.accuracyAmong(gold, probabilities, among));
            out.printf(Locale.ROOT, "accuracy among the data's labels %s (the more probable of them): %.4f",
                    amongResult.get("labels"), (Double) amongResult.get("accuracy"));
            if (bootstrap > 0) {
                BootstrapIntervals.Interval interval = BootstrapIntervals.of(labels.size(), gold,
                        SentimentEvaluator.mostProbable(probabilities, among), bootstrap,
                        BootstrapIntervals.DEFAULT_SEED).accuracy();
                out.print(" " + interval);
                amongResult.put("interval", interval.toMap());
            }
            out.println();
            result.put("among_data_labels", amongResult);
        }
        if (record != null) {
            Map<String, Object> metrics = new LinkedHashMap<>(checkpoint.card().metrics());
            Map<String, Object> entry = new LinkedHashMap<>(result);
            entry.put("data", data.toString());
            entry.put("data_sha256", dataSha256);
            metrics.put(record, entry);
            Checkpoint.writeCard(checkpoint.dir(), checkpoint.card().withMetrics(metrics));
            out.println("recorded as metrics." + record + " in " + checkpoint.dir().resolve(Checkpoint.CARD));
        }
        Files.write(json, ModelFormat.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
        out.println("wrote " + json);
        return 0;
    }

    private String dataSha256;

    /**
     * Where the data has at least two of the model's labels but not all (reviews labelled negative or positive, read
     * by a model that also says neutral): those labels' indices, in order, so that the more probable of them can be
     * the prediction and a two-label reading compares with a two-label model. Null otherwise.
     */
    static int[] dataLabelsIfFewer(List<String> labels, int[] gold) {
        TreeSet<Integer> present = new TreeSet<>();
        for (int g : gold) {
            present.add(g);
        }
        if (present.size() < 2 || present.size() == labels.size()) {
            return null;
        }
        return present.stream().mapToInt(Integer::intValue).toArray();
    }

    private Examples read(List<String> labels, PrintWriter err) throws Exception {
        LabeledData d = dataOptions.read(data, labels, err);
        dataSha256 = d.sha256();
        if (d.rows().isEmpty()) {
            throw new IllegalArgumentException(data + " has no usable rows to evaluate on");
        }
        return DataOptions.toExamples(d);
    }
}
