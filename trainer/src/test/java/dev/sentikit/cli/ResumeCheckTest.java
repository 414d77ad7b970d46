package dev.sentikit.cli;

import dev.sentikit.architecture.Architectures;
import dev.sentikit.architecture.LrDecay;
import dev.sentikit.architecture.WordEmbeddingSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.model.Provenance;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.train.TrainingConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which options --resume compares with the run's settings, and how. */
class ResumeCheckTest {

    private static final List<String> LABELS = List.of("negative", "neutral", "positive");

    /** A run's settings as its checkpoint's card holds them after a round trip through JSON. */
    private static ResumeCheck.RunSettings run(TrainingConfig config) throws Exception {
        Provenance provenance = new Provenance("2026-01-01T00:00:00Z", "test", "test", "d", "0", "v", null,
                config.seed(), config.toMap(), "test");
        ModelCard card = new ModelCard(ModelFormat.FORMAT_VERSION, "x", null, config.architecture().id(), LABELS,
                config.encoder(), 10, 20, provenance, Map.of(), null);
        ModelCard read = ModelFormat.json().readValue(ModelFormat.json().writeValueAsBytes(card), ModelCard.class);
        return new ResumeCheck.RunSettings(read.labels(), read.encoder(), read.provenance().hyperparameters());
    }

    private static List<ResumeCheck.Difference> differences(ResumeCheck.RunSettings run, String... args) {
        CommandLine cli = new CommandLine(new TrainerCli());
        List<String> all = new ArrayList<>(List.of("train", "--data", "d.tsv", "--resume", "runs/r"));
        all.addAll(List.of(args));
        CommandLine.ParseResult parsed = cli.parseArgs(all.toArray(String[]::new)).subcommand();
        TrainCommand command = cli.getSubcommands().get("train").getCommand();
        return ResumeCheck.differences(command, parsed, run);
    }

    @Test
    void everyOptionOfTrainIsEitherComparedOrTakenAsGiven() {
        Set<String> all = new HashSet<>();
        for (String command : List.of("train", "distill")) { // distill has train's options and its own
            CommandLine c = new CommandLine(new TrainerCli()).getSubcommands().get(command);
            for (CommandLine.Model.OptionSpec option : c.getCommandSpec().options()) {
                all.add(option.longestName());
            }
        }
        Set<String> classified = new HashSet<>(ResumeCheck.COMPARED);
        classified.addAll(ResumeCheck.TAKEN_AS_GIVEN);
        Set<String> unclassified = new HashSet<>(all);
        unclassified.removeAll(classified);
        unclassified.remove("--overwrite"); // refused with --resume before any comparison
        assertEquals(Set.of(), unclassified, "a new option of train must say what --resume does with it");
        Set<String> stale = new HashSet<>(classified);
        stale.removeAll(all);
        assertEquals(Set.of(), stale, "options that train no longer has");
    }

    @Test
    void theRunsOwnValuesAreAcceptedInAnyFormAndOthersNamed() throws Exception {
        TrainingConfig config = TrainingConfig.builder().optArchitecture(Architectures.parse("bag"),
                WordEmbeddingSettings.defaults().withEmbeddingDim(16)).optEpochs(2).optBatchSize(32)
                .optLearningRate(5e-3f).optMinCount(1).optSeed(7).optWarmupSteps(3)
                .optLrDecay(LrDecay.COSINE).optCheckpointEvery(5).optAccumulate(2)
                .optEncoder(EncoderSpec.defaults().withHashBuckets(256)).optCalibrate(false).build();
        ResumeCheck.RunSettings run = run(config);
        assertEquals(List.of(), differences(run, "--model", "BAG", "--epochs", "2", "--batch-size", "32", "--lr",
                "0.005", "--embedding-dim", "16", "--min-count", "1", "--seed", "7", "--warmup-steps", "3",
                "--lr-decay", "Cosine", "--checkpoint-every", "5", "--accumulate", "2", "--hash-buckets", "256",
                "--no-calibration", "--max-tokens", "256", "--labels", "negative,neutral,positive",
                "--hidden-size", "99", "--device", "cpu", "--progress", "lines", "--strict"),
                "the run's values; --hidden-size does not apply to bag");
        assertEquals(List.of(), differences(run, "--lr", "5e-3", "--weight-decay", "0", "--clip-norm", "0.0",
                "--patience", "0", "--batching", "bucketed", "--valid-fraction", "0.1", "--max-vocab", "50000"));

        List<ResumeCheck.Difference> d = differences(run, "--epochs", "3", "--lr", "0.001", "--no-bigrams",
                "--model", "cnn", "--base", "minilm-l6", "--labels", "a,b", "--dropout", "0.2");
        assertEquals(List.of("--model: the run has bag, the command line cnn",
                "--epochs: the run has 2, the command line 3",
                "--lr: the run has 0.005, the command line 0.001",
                "--no-bigrams: the run has it off, the command line gives it",
                "--base: the run has none, the command line minilm-l6",
                "--dropout: the run has none, the command line 0.2",
                "--labels: the run has negative,neutral,positive, the command line a,b"),
                d.stream().map(ResumeCheck.Difference::describe).toList());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> differences(run, "--model", "xgboost"));
        assertTrue(bad.getMessage().contains("supported models are"), bad.getMessage());
    }
}
