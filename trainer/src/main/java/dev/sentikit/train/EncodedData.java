package dev.sentikit.train;

import dev.sentikit.io.CacheFiles;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Vocabulary;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The training texts as the network sees them: the vocabulary built from them and each text's ids. Building it
 * tokenizes every text twice (counting, then encoding), on all cores; {@link #load} keeps the result in a cache
 * directory, keyed by the SHA-256 of the texts and of everything that decides the ids (the encoder
 * specification, the minimum count, the vocabulary size), so that a second run on the same data starts
 * training at once.
 *
 * <p>A cache file is {@link #MAGIC}, the format version, the key, the vocabulary (count, then each entry as
 * modified UTF-8), the number of texts, then per text its length and ids (int32, big-endian). A file that cannot
 * be read is rebuilt. The directory keeps the {@value #KEEP} most recently used files.
 */
public final class EncodedData {

    static final byte[] MAGIC = "SKENC\u0000\u0000\u0001".getBytes(StandardCharsets.ISO_8859_1);
    static final int FORMAT_VERSION = 1;
    /** Cache files kept; older ones (by last use) are deleted. */
    static final int KEEP = 8;
    private static final String SUFFIX = ".skenc";

    private final Vocabulary vocabulary;
    private final int[][] ids;
    private final boolean fromCache;

    private EncodedData(Vocabulary vocabulary, int[][] ids, boolean fromCache) {
        this.vocabulary = vocabulary;
        this.ids = ids;
        this.fromCache = fromCache;
    }

    /** The vocabulary built from the texts. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Each text's ids, in the order of the texts. */
    public int[][] ids() {
        return ids;
    }

    /** Whether this came from the cache rather than being built. */
    public boolean fromCache() {
        return fromCache;
    }

    /**
     * The default cache directory: the system property {@code sentikit.cache.dir} when set, else
     * {@code $XDG_CACHE_HOME/sentikit/encoded}, else {@code ~/.cache/sentikit/encoded}.
     */
    public static Path defaultCacheDir() {
        String property = System.getProperty("sentikit.cache.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("sentikit").resolve("encoded");
    }

    /** Builds the vocabulary and ids without a cache. */
    public static EncodedData build(List<String> texts, EncoderSpec spec, int minCount, int maxVocabulary) {
        return build(texts, spec, minCount, maxVocabulary, null);
    }

    /**
     * Builds the ids without a cache, with {@code fixed} as the vocabulary (a pretrained encoder's) or, when it is
     * null, a vocabulary built from the texts.
     */
    public static EncodedData build(List<String> texts, EncoderSpec spec, int minCount, int maxVocabulary,
            Vocabulary fixed) {
        Vocabulary vocabulary = fixed != null ? fixed : buildVocabulary(texts, spec, minCount, maxVocabulary);
        TextEncoder encoder = TextEncoder.of(spec, vocabulary);
        int[][] ids = texts.parallelStream().map(encoder::encode).toArray(int[][]::new);
        return new EncodedData(vocabulary, ids, false);
    }

    /**
     * Reads the texts' encoding from {@code cacheDir}, or builds it and writes it there. Problems with the cache
     * (unreadable, damaged, a full disk) are told to {@code warn} and never fail the run.
     *
     * @param cacheDir the cache directory, created when missing; null builds without a cache
     */
    public static EncodedData load(List<String> texts, EncoderSpec spec, int minCount, int maxVocabulary,
            Path cacheDir, java.util.function.Consumer<String> warn) {
        return load(texts, spec, minCount, maxVocabulary, null, cacheDir, warn);
    }

    /**
     * {@link #load(List, EncoderSpec, int, int, Path, java.util.function.Consumer)} with a fixed vocabulary (a
     * pretrained encoder's), or null to build one from the texts; a fixed vocabulary is part of the cache key.
     */
    public static EncodedData load(List<String> texts, EncoderSpec spec, int minCount, int maxVocabulary,
            Vocabulary fixed, Path cacheDir, java.util.function.Consumer<String> warn) {
        if (cacheDir == null) {
            return build(texts, spec, minCount, maxVocabulary, fixed);
        }
        String key = key(texts, spec, minCount, maxVocabulary, fixed);
        Path file = cacheDir.resolve(key + SUFFIX);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                EncodedData cached = read(in, key, texts.size());
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
                return cached;
            } catch (IOException | RuntimeException e) {
                warn.accept("the encoded-data cache file " + file + " cannot be used (" + e.getMessage()
                        + "); encoding the texts again");
            }
        }
        EncodedData built = build(texts, spec, minCount, maxVocabulary, fixed);
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, key, ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    built.write(out, key);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            CacheFiles.keepNewest(cacheDir, SUFFIX, KEEP);
        } catch (IOException | RuntimeException e) {
            warn.accept("could not write the encoded-data cache in " + cacheDir + " (" + e.getMessage()
                    + "); training goes on without it");
        }
        return built;
    }

    /**
     * The cache key: SHA-256 over the format version, the encoder specification as JSON, the minimum count, the
     * vocabulary size, the fixed vocabulary's entries when there is one, and every text (length-prefixed UTF-8).
     */
    static String key(List<String> texts, EncoderSpec spec, int minCount, int maxVocabulary) {
        return key(texts, spec, minCount, maxVocabulary, null);
    }

    static String key(List<String> texts, EncoderSpec spec, int minCount, int maxVocabulary, Vocabulary fixed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(MAGIC);
            sha.update(ModelFormat.json().writeValueAsBytes(spec));
            if (fixed != null) {
                sha.update("fixed vocabulary".getBytes(StandardCharsets.UTF_8));
                sha.update(ModelFormat.json().writeValueAsBytes(fixed.entries()));
            }
            sha.update(java.nio.ByteBuffer.allocate(12).putInt(minCount).putInt(maxVocabulary).putInt(texts.size())
                    .array());
            java.nio.ByteBuffer length = java.nio.ByteBuffer.allocate(4);
            for (String text : texts) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                sha.update(length.clear().putInt(bytes.length).array());
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(OutputStream out, String key) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeUTF(key);
        List<String> entries = vocabulary.entries();
        data.writeInt(entries.size());
        for (String entry : entries) {
            data.writeUTF(entry);
        }
        data.writeInt(ids.length);
        for (int[] row : ids) {
            data.writeInt(row.length);
            for (int id : row) {
                data.writeInt(id);
            }
        }
        data.flush();
    }

    private static EncodedData read(InputStream in, String key, int texts) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC) || data.readInt() != FORMAT_VERSION) {
                throw new IOException("not an encoded-data file of format " + FORMAT_VERSION);
            }
            if (!key.equals(data.readUTF())) {
                throw new IOException("its key is not its name");
            }
            int size = data.readInt();
            List<String> entries = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                entries.add(data.readUTF());
            }
            Vocabulary vocabulary = Vocabulary.of(entries);
            int n = data.readInt();
            if (n != texts) {
                throw new IOException("it holds " + n + " texts, not " + texts);
            }
            int[][] ids = new int[n][];
            for (int r = 0; r < n; r++) {
                int length = data.readInt();
                if (length < 0 || length > 1 << 24) {
                    throw new IOException("text " + r + " has length " + length);
                }
                int[] row = new int[length];
                for (int c = 0; c < length; c++) {
                    row[c] = data.readInt();
                }
                ids[r] = row;
            }
            if (data.read() != -1) {
                throw new IOException("trailing bytes");
            }
            return new EncodedData(vocabulary, ids, true);
        } catch (EOFException e) {
            throw new IOException("cut off", e);
        }
    }

    /**
     * Counts every token (and bigram, when the encoder uses them) on all cores, then keeps those seen at least
     * {@code minCount} times, most frequent first (see {@link Vocabulary#fromCounts}): the same vocabulary in any
     * order of counting.
     */
    static Vocabulary buildVocabulary(List<String> texts, EncoderSpec spec, int minCount, int maxVocabulary) {
        Objects.requireNonNull(spec, "spec");
        Map<String, Long> counts = texts.parallelStream().collect(HashMap::new, (map, text) -> {
            List<String> tokens = TextEncoder.tokenize(text, spec);
            for (int i = 0; i < tokens.size(); i++) {
                map.merge(tokens.get(i), 1L, Long::sum);
                if (spec.bigrams() && i + 1 < tokens.size()) {
                    map.merge(tokens.get(i) + ' ' + tokens.get(i + 1), 1L, Long::sum);
                }
            }
        }, (a, b) -> b.forEach((k, v) -> a.merge(k, v, Long::sum)));
        return Vocabulary.fromCounts(counts, minCount, maxVocabulary);
    }
}
