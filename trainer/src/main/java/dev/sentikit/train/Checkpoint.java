package dev.sentikit.train;

import dev.sentikit.io.TextFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.Vocabulary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A trained model on disk, as {@code trainer train --output DIR} writes it:
 * <ul>
 *   <li>{@value #CARD}: the {@link ModelCard} (labels, encoder, provenance, metrics);</li>
 *   <li>{@value #VOCABULARY}: the vocabulary, a JSON array in id order;</li>
 *   <li>{@value #PARAMETERS}: the parameters of the epoch with the best validation macro-F1, in DJL's
 *       format;</li>
 *   <li>{@value #LAST}/: the latest epoch's (or, with {@code --checkpoint-every}, step's) parameters, optimizer
 *       state and training state, from which {@code trainer train --resume} continues; {@code last.prev/} is the
 *       one before (see {@link LastCheckpoint});</li>
 *   <li>{@value #METRICS}: the evaluation on the validation split and the loss of every epoch;</li>
 *   <li>{@value #PARITY_TEXTS}: validation texts that the exporter runs through both engines;</li>
 *   <li>{@value RunDirectory#SETTINGS}: the run's settings, written by {@code trainer train} before training
 *       starts ({@link RunDirectory}).</li>
 * </ul>
 * Every file is written to a temporary name and renamed, so a crash never leaves a half-written file.
 *
 * @param dir the directory
 * @param card the model card
 * @param vocabulary the vocabulary
 */
public record Checkpoint(Path dir, ModelCard card, Vocabulary vocabulary) {

    public static final String CARD = "card.json";
    public static final String VOCABULARY = "vocabulary.json";
    public static final String PARAMETERS = "model.params";
    public static final String METRICS = "metrics.json";
    public static final String PARITY_TEXTS = "parity-texts.json";
    /** The sub-directory with the latest epoch's parameters; the directory itself holds the best epoch's. */
    public static final String LAST = "last";

    /**
     * Reads the card and vocabulary of a checkpoint directory.
     *
     * @throws IOException when the directory is not a checkpoint, saying which file is missing
     */
    public static Checkpoint read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir + " is not a directory; expected a directory written by `trainer train`");
        }
        ModelCard card = parse(dir, CARD, json -> ModelFormat.json().readValue(json, ModelCard.class));
        List<String> entries = parse(dir, VOCABULARY, json -> ModelFormat.json().readValue(json,
                new TypeReference<List<String>>() {}));
        return new Checkpoint(dir, card, Vocabulary.of(entries));
    }

    private interface Parser<T> {
        T parse(String json) throws IOException;
    }

    /** Parses {@code dir/name}; JSON that is not valid names the file and says what to do. */
    private static <T> T parse(Path dir, String name, Parser<T> parser) throws IOException {
        String json = readFile(dir, name);
        try {
            return parser.parse(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new IOException(dir.resolve(name) + " is not valid" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage() + ". The checkpoint is damaged: "
                    + "restore the file, or train again", e);
        }
    }

    /** The texts kept for the exporter's parity check. */
    public List<String> parityTexts() throws IOException {
        return ModelFormat.json().readValue(readFile(dir, PARITY_TEXTS), new TypeReference<List<String>>() {});
    }

    public Path parameters() {
        return dir.resolve(PARAMETERS);
    }

    private static String readFile(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p + " is missing: " + dir + " is not a complete checkpoint of `trainer train`");
        }
        return TextFiles.readUtf8(p);
    }

    /** Replaces the card of the checkpoint in {@code dir}, atomically. */
    public static void writeCard(Path dir, ModelCard card) throws IOException {
        writeJson(dir, CARD, card);
    }

    /** Writes {@code value} as pretty JSON to {@code dir/name}, atomically. */
    static void writeJson(Path dir, String name, Object value) throws IOException {
        byte[] bytes = ModelFormat.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        writeAtomically(dir.resolve(name), out -> out.write(bytes));
    }

    /** Something that writes a file's content. */
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes to a temporary file beside {@code target}, then renames it over {@code target}. */
    static void writeAtomically(Path target, Writer writer) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            writer.write(out);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
