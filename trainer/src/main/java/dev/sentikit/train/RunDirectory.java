package dev.sentikit.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.train.report.MetricsLog;
import dev.sentikit.train.report.ReportWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The output directory of {@code trainer train} as a whole: which entries make a run, the record of the run's
 * settings that is written before training starts ({@value #SETTINGS}), and what {@code --overwrite} removes.
 *
 * <p>{@value #SETTINGS} lets {@code --resume} start a run again from the beginning when it was killed before its
 * first checkpoint was complete: the settings are those the run started with, not whatever the command line
 * would give by default.
 */
public final class RunDirectory {

    /** The run's settings, written when it starts. */
    public static final String SETTINGS = "run.json";

    /**
     * What a run writes into its directory (files and directories), in the order they are listed: the trainer's
     * own, then those of every architecture ({@link Architecture#checkpointFiles}).
     */
    static final List<String> ENTRIES = entries();

    private static List<String> entries() {
        List<String> e = new ArrayList<>(List.of(Checkpoint.CARD, Checkpoint.PARAMETERS, Checkpoint.LAST,
                LastCheckpoint.PREVIOUS, LastCheckpoint.TMP, SETTINGS, Checkpoint.VOCABULARY, Checkpoint.METRICS,
                MetricsLog.FILE, Checkpoint.PARITY_TEXTS, ReportWriter.FILE));
        for (Architecture a : Architectures.all()) {
            for (String f : a.checkpointFiles()) {
                if (!e.contains(f)) {
                    e.add(f);
                }
            }
        }
        e.add("evaluation.json");
        return List.copyOf(e);
    }

    private RunDirectory() {}

    /** The entries of a run that {@code dir} holds, in {@link #ENTRIES} order; empty when it holds none. */
    public static List<String> runEntries(Path dir) {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        for (String name : ENTRIES) {
            if (Files.exists(dir.resolve(name))) {
                found.add(name);
            }
        }
        return found;
    }

    /** Whether {@code dir}'s latest checkpoint is complete and says that the run finished. */
    public static boolean finished(Path dir) {
        try {
            return LastCheckpoint.find(dir, m -> {}).state().finished();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether {@code dir} has checkpoint directories ({@code last/} or {@code last.prev/}), usable or not: a run
     * with none never completed a checkpoint and can only start again.
     */
    public static boolean hasCheckpoints(Path dir) {
        return Files.isDirectory(dir.resolve(Checkpoint.LAST)) || Files.isDirectory(dir.resolve(LastCheckpoint.PREVIOUS));
    }

    /**
     * Removes a run from {@code dir}: the {@link #ENTRIES} and the {@code .tmp} files that an interrupted atomic
     * write leaves beside them. Other files stay.
     */
    public static void clear(Path dir) throws IOException {
        for (String name : ENTRIES) {
            LastCheckpoint.deleteTree(dir.resolve(name));
            LastCheckpoint.deleteTree(dir.resolve(name + ".tmp")); // last.tmp/ is an entry too
        }
    }

    /**
     * What a run started with: enough to start it again exactly, and to check a later command line against it.
     *
     * @param formatVersion   {@link #FORMAT_VERSION}
     * @param labels          the labels, in output order
     * @param encoder         the text encoder's settings
     * @param hyperparameters {@link TrainingConfig#toMap()}
     * @param trainData       the training file as given
     * @param trainSha256     its SHA-256
     * @param validData       the validation file as given, or how the held-out split was made
     * @param validSha256     the validation file's SHA-256, or null for a split of the training data
     * @param commandLine     the command line that started the run
     */
    public record Settings(
            @JsonProperty("format_version") int formatVersion,
            @JsonProperty("labels") List<String> labels,
            @JsonProperty("encoder") EncoderSpec encoder,
            @JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
            @JsonProperty("train_data") String trainData,
            @JsonProperty("train_sha256") String trainSha256,
            @JsonProperty("valid_data") String validData,
            @JsonProperty("valid_sha256") String validSha256,
            @JsonProperty("command_line") String commandLine) {

        public static final int FORMAT_VERSION = 1;

        /** The settings of a run of {@code config} on {@code labels}. */
        public static Settings of(TrainingConfig config, List<String> labels, SentimentTrainer.DataSources sources) {
            return new Settings(FORMAT_VERSION, List.copyOf(labels), config.encoder(), config.toMap(),
                    sources.trainData(), sources.trainSha256(), sources.validData(), sources.validSha256(),
                    sources.commandLine());
        }

        /** The configuration the run started with. */
        public TrainingConfig config() {
            return TrainingConfig.fromSettings(hyperparameters, encoder);
        }

        /** Writes {@code dir/}{@value #SETTINGS}, atomically. */
        public void write(Path dir) throws IOException {
            Files.createDirectories(dir);
            Checkpoint.writeJson(dir, SETTINGS, this);
        }

        /**
         * Reads {@code dir/}{@value #SETTINGS}; null when there is none.
         *
         * @throws IOException when it cannot be read or is not valid, naming the file
         */
        public static Settings read(Path dir) throws IOException {
            Path file = dir.resolve(SETTINGS);
            if (!Files.isRegularFile(file)) {
                return null;
            }
            Settings s;
            try {
                s = ModelFormat.json().readValue(file.toFile(), Settings.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IOException(file + " is not a valid record of a run's settings ("
                        + e.getOriginalMessage() + "); delete it, or give --overwrite to start the run afresh", e);
            }
            if (s.formatVersion() != FORMAT_VERSION || s.hyperparameters() == null || s.encoder() == null
                    || s.labels() == null) {
                throw new IOException(file + " has format " + s.formatVersion() + " or lacks settings; this version "
                        + "reads format " + FORMAT_VERSION + " with labels, encoder and hyperparameters");
            }
            return s;
        }
    }
}
