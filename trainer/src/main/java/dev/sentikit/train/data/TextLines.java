package dev.sentikit.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A plain text file of texts, one a line, as {@code trainer distill --unlabelled} reads it: UTF-8, lines ending at
 * LF, CRLF or CR as in labelled files ({@link Utf8LineReader}). Each line is one text, trimmed of surrounding
 * white space; blank lines are not texts. A line that is not valid UTF-8 is kept with each bad sequence as U+FFFD
 * and counted, as {@code bin/sentiment --input} does.
 *
 * @param file the file read
 * @param texts the texts, in file order
 * @param blankLines lines holding nothing but white space
 * @param invalidLines lines that were not valid UTF-8 (kept, decoded leniently) or cut for length
 * @param sha256 the SHA-256 of the file's bytes
 */
public record TextLines(Path file, List<String> texts, long blankLines, long invalidLines, String sha256) {

    public TextLines {
        Objects.requireNonNull(file, "file");
        texts = List.copyOf(texts);
        Objects.requireNonNull(sha256, "sha256");
    }

    /** Reads {@code file}. */
    public static TextLines read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory; give a text file, one text a line");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<String> texts = new ArrayList<>();
        long blank = 0;
        long invalid = 0;
        try (InputStream raw = Files.newInputStream(file);
                Utf8LineReader lines = new Utf8LineReader(new DigestInputStream(raw, digest))) {
            for (Utf8LineReader.Line line = lines.next(); line != null; line = lines.next()) {
                String text = line.text().strip();
                if (!line.ok()) {
                    invalid++;
                }
                if (text.isEmpty()) {
                    blank++;
                } else {
                    texts.add(text);
                }
            }
        }
        return new TextLines(file, texts, blank, invalid, HexFormat.of().formatHex(digest.digest()));
    }

    /** A line for people: {@code "read 12,000 texts (3 blank lines, 1 line not valid UTF-8)"}. */
    public String summary() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "read %,d texts", texts.size()));
        List<String> notes = new ArrayList<>();
        if (blankLines > 0) {
            notes.add(String.format(java.util.Locale.ROOT, "%,d blank line%s", blankLines, blankLines == 1 ? "" : "s"));
        }
        if (invalidLines > 0) {
            notes.add(String.format(java.util.Locale.ROOT, "%,d line%s not valid UTF-8, read with U+FFFD", invalidLines,
                    invalidLines == 1 ? "" : "s"));
        }
        return notes.isEmpty() ? b.toString() : b.append(" (").append(String.join(", ", notes)).append(')').toString();
    }
}
