package dev.sentikit.architecture;

import dev.sentikit.text.Vocabulary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Word vectors in the GloVe text format ({@code word v1 … vd}, one word a line, optionally gzip-compressed; a
 * word2vec-style first line {@code count dim} is skipped), used to initialize an embedding table.
 */
public final class PretrainedEmbeddings {

    private PretrainedEmbeddings() {}

    /** What {@link #apply} did. */
    public record Coverage(int dim, int words, int bigrams, int vocabularySize) {
        @Override
        public String toString() {
            return String.format("%d-dimensional vectors for %,d of %,d vocabulary entries (%,d words, %,d bigrams "
                    + "as the mean of their words)", dim, words + bigrams, vocabularySize, words, bigrams);
        }
    }

    /**
     * The vector width of the file.
     *
     * @throws IOException when the file cannot be read or its first vector line is malformed
     */
    public static int dimension(Path file) throws IOException {
        try (BufferedReader r = open(file)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] parts = line.trim().split(" ");
                if (parts.length > 2) {
                    return parts.length - 1;
                }
            }
        }
        throw new IOException(file + " holds no word vectors (expected lines 'word v1 ... vd')");
    }

    /**
     * Copies the vectors of the vocabulary's words into {@code table} (row-major [rows, dim], row {@code id}
     * for the entry with that id); a bigram entry {@code "a b"} gets the mean of its two words' vectors where
     * both are in the file. Rows of other entries, padding and hash buckets are left as they are.
     *
     * @throws IllegalArgumentException when the file's width is not {@code dim}
     */
    public static Coverage apply(Path file, Vocabulary vocabulary, float[] table, int dim) throws IOException {
        int fileDim = dimension(file);
        if (fileDim != dim) {
            throw new IllegalArgumentException(file + " has " + fileDim + "-dimensional vectors but the embedding is "
                    + dim + " wide: use --embedding-dim " + fileDim);
        }
        Map<String, Integer> wanted = new HashMap<>();
        for (String entry : vocabulary.entries()) {
            for (String word : entry.split(" ")) {
                wanted.putIfAbsent(word, wanted.size());
            }
        }
        float[][] vectors = new float[wanted.size()][];
        try (BufferedReader r = open(file)) {
            int lineNo = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                int space = line.indexOf(' ');
                if (space <= 0) {
                    continue;
                }
                Integer slot = wanted.get(line.substring(0, space));
                if (slot == null || vectors[slot] != null) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                if (parts.length != dim + 1) {
                    throw new IOException(file + ", line " + lineNo + ": expected " + dim + " values, found "
                            + (parts.length - 1));
                }
                float[] v = new float[dim];
                for (int i = 0; i < dim; i++) {
                    v[i] = Float.parseFloat(parts[i + 1]);
                }
                vectors[slot] = v;
            }
        }
        int words = 0;
        int bigrams = 0;
        for (int id = 1; id <= vocabulary.size(); id++) {
            String[] parts = vocabulary.token(id).split(" ");
            float[] row = new float[dim];
            boolean all = true;
            for (String p : parts) {
                float[] v = vectors[wanted.get(p)];
                if (v == null) {
                    all = false;
                    break;
                }
                for (int i = 0; i < dim; i++) {
                    row[i] += v[i] / parts.length;
                }
            }
            if (all) {
                System.arraycopy(row, 0, table, id * dim, dim);
                if (parts.length == 1) {
                    words++;
                } else {
                    bigrams++;
                }
            }
        }
        return new Coverage(dim, words, bigrams, vocabulary.size());
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
