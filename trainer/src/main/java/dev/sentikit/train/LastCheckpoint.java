package dev.sentikit.train;

import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.train.data.DataReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The resumable state of a run: {@code DIR/last/} holds
 * <ul>
 *   <li>{@value Checkpoint#PARAMETERS}: the parameters (DJL's format),</li>
 *   <li>{@value #OPTIMIZER}: the optimizer state ({@link ResumableAdam#save}),</li>
 *   <li>{@value Checkpoint#CARD}: the run's model card without metrics (its provenance hyperparameters are the
 *       configuration),</li>
 *   <li>{@value #STATE}: the {@link TrainingState}, with the SHA-256 of the three other files; written last.</li>
 * </ul>
 * A new one is written to {@value #TMP}/, then {@code last/} is renamed to {@value #PREVIOUS}/ and
 * {@value #TMP}/ to {@code last/}, so that a crash at any point leaves at least one complete directory, and a
 * damaged latest one (a cut-off or altered file) falls back to the one before.
 */
public final class LastCheckpoint {

    public static final String STATE = "state.json";
    public static final String OPTIMIZER = "optimizer.bin";
    public static final String PREVIOUS = Checkpoint.LAST + ".prev";
    public static final String TMP = Checkpoint.LAST + ".tmp";

    private final Path dir;
    private final ModelCard card;
    private final TrainingState state;

    private LastCheckpoint(Path dir, ModelCard card, TrainingState state) {
        this.dir = dir;
        this.card = card;
        this.state = state;
    }

    /** The directory found ({@code last/}, {@code last.prev/} or a complete {@code last.tmp/}). */
    public Path dir() {
        return dir;
    }

    /** The run's card, without metrics: its provenance holds the configuration and the data's SHA-256. */
    public ModelCard card() {
        return card;
    }

    public TrainingState state() {
        return state;
    }

    /** The run's configuration, from the card. */
    public TrainingConfig config() {
        return TrainingConfig.fromCard(card);
    }

    Path parameters() {
        return dir.resolve(Checkpoint.PARAMETERS);
    }

    Path optimizer() {
        return dir.resolve(OPTIMIZER);
    }

    /**
     * Finds the most advanced complete checkpoint of the run in {@code outputDir}, checking every file against
     * its SHA-256; a damaged or incomplete {@code last/} is reported to {@code warn} and the one before used.
     *
     * @throws IOException when there is none
     */
    public static LastCheckpoint find(Path outputDir, Consumer<String> warn) throws IOException {
        if (!Files.isDirectory(outputDir)) {
            throw new java.nio.file.NoSuchFileException(outputDir + " is not a directory; --resume expects the "
                    + "--output directory of an earlier `trainer train`");
        }
        List<LastCheckpoint> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : List.of(Checkpoint.LAST, TMP, PREVIOUS)) {
            Path d = outputDir.resolve(name);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try {
                found.add(read(d));
            } catch (IOException | RuntimeException e) {
                if (!name.equals(TMP)) { // an unfinished last.tmp/ is expected after a crash
                    problems.add(d + ": " + e.getMessage());
                }
            }
        }
        if (found.isEmpty()) {
            throw new IOException("no usable checkpoint to resume in " + outputDir
                    + (problems.isEmpty() ? " (no last/ directory)" : ": " + String.join("; ", problems)));
        }
        LastCheckpoint best = found.stream()
                .max(Comparator.comparingLong((LastCheckpoint c) -> c.state.optimizerSteps())
                        .thenComparingInt(c -> c.state.epoch())
                        .thenComparingInt(c -> c.state.batchesDone()))
                .get();
        for (String p : problems) {
            warn.accept("damaged checkpoint skipped: " + p + "; resuming from " + best.dir + " instead");
        }
        return best;
    }

    /** Reads and checks one directory. */
    static LastCheckpoint read(Path d) throws IOException {
        Path statePath = d.resolve(STATE);
        if (!Files.isRegularFile(statePath)) {
            throw new IOException(STATE + " is missing");
        }
        TrainingState state;
        try {
            state = ModelFormat.json().readValue(statePath.toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new IOException(STATE + " is not valid: " + e.getMessage(), e);
        }
        if (state.formatVersion() != TrainingState.FORMAT_VERSION) {
            throw new IOException(STATE + " has format " + state.formatVersion() + ", expected "
                    + TrainingState.FORMAT_VERSION);
        }
        for (String name : List.of(Checkpoint.PARAMETERS, OPTIMIZER, Checkpoint.CARD)) {
            String expected = state.sha256() == null ? null : state.sha256().get(name);
            Path f = d.resolve(name);
            if (expected == null) {
                throw new IOException(STATE + " has no checksum for " + name);
            }
            if (!Files.isRegularFile(f)) {
                throw new IOException(name + " is missing");
            }
            String actual = sha256(f);
            if (!actual.equals(expected)) {
                throw new IOException(name + " is damaged (SHA-256 " + actual + ", " + STATE + " says " + expected
                        + ")");
            }
        }
        ModelCard card = ModelFormat.json().readValue(d.resolve(Checkpoint.CARD).toFile(), ModelCard.class);
        try (InputStream in = Files.newInputStream(d.resolve(OPTIMIZER))) {
            new ResumableAdam(step -> 0f).load(in); // checks the header and the length
        }
        return new LastCheckpoint(d, card, state);
    }

    /** Something that writes the files of a new checkpoint into a directory. */
    interface Files3 {
        void write(Path dir) throws IOException;
    }

    /**
     * Writes a new {@code last/}: {@code files} into {@value #TMP}/, then {@value #STATE} with their checksums,
     * then the renames.
     */
    static void write(Path outputDir, Files3 files, TrainingState state) throws IOException {
        Path tmp = outputDir.resolve(TMP);
        deleteTree(tmp);
        Files.createDirectories(tmp);
        files.write(tmp);
        Map<String, String> sums = new LinkedHashMap<>();
        for (String name : List.of(Checkpoint.PARAMETERS, OPTIMIZER, Checkpoint.CARD)) {
            sums.put(name, sha256(tmp.resolve(name)));
        }
        TrainingState withSums = new TrainingState(state.formatVersion(), state.epoch(), state.batchesDone(),
                state.batchesPerEpoch(), state.optimizerSteps(), state.finished(), state.lossSum(), state.seconds(),
                state.bestEpoch(), state.bestMacroF1(), state.bestValidation(), state.history(), sums);
        Checkpoint.writeJson(tmp, STATE, withSums);
        Path last = outputDir.resolve(Checkpoint.LAST);
        Path previous = outputDir.resolve(PREVIOUS);
        if (Files.isDirectory(last)) {
            if (Files.isRegularFile(last.resolve(STATE))) {
                deleteTree(previous);
                move(last, previous);
            } else {
                deleteTree(last); // an old-style last/ without state: nothing to keep
            }
        }
        move(tmp, last);
    }

    /** Removes {@code last/}, {@value #PREVIOUS}/ and {@value #TMP}/ of an earlier run. */
    static void clear(Path outputDir) throws IOException {
        for (String name : List.of(Checkpoint.LAST, PREVIOUS, TMP)) {
            deleteTree(outputDir.resolve(name));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String sha256(Path file) throws IOException {
        return DataReader.sha256(file);
    }
}
