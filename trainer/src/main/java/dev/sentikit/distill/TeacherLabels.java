package dev.sentikit.distill;

import dev.sentikit.io.CacheFiles;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A teacher's probabilities of texts, computed once and kept: the teacher runs at a few hundred texts a second on a
 * CPU, so a rerun, a resume, or another student on some of the same texts must not pay for them again. The cache
 * directory (the one of the encoded data, {@link dev.sentikit.train.EncodedData}) holds one file per teacher and
 * label order, named by the SHA-256 of the teacher's file and the labels; it holds one record per text ever
 * labelled: the text's SHA-256 and its probabilities. Only texts without a record are given to the teacher, in
 * blocks of {@value #BLOCK}, each appended as soon as it is done, so that a run killed while labelling loses at most
 * one block, and a run on more texts labels only the new ones. A text's probabilities are those of its first
 * labelling ever after, so a resumed run learns from the very numbers the interrupted one did.
 *
 * <p>A file is {@link #MAGIC}, the format version, the teacher's SHA-256, the labels (count, then each as modified
 * UTF-8), then records of 32 bytes of SHA-256 and one float32 per label (big-endian). A record cut off at the end
 * (a killed write) is dropped; a file that cannot be read is started again. The directory keeps the {@value #KEEP}
 * most recently used files of this kind. Each block is appended with one write, so that two runs with the same
 * teacher at once add whole records.
 */
public final class TeacherLabels {

    static final byte[] MAGIC = "SKTCH\u0000\u0000\u0002".getBytes(StandardCharsets.ISO_8859_1);
    static final int FORMAT_VERSION = 2;
    /** Cache files kept (one per teacher and label order); older ones (by last use) are deleted. */
    static final int KEEP = 8;
    /** Texts labelled between two appends: about a minute of a transformer on two cores. */
    static final int BLOCK = 32 * Teacher.CALL_TEXTS;
    static final String SUFFIX = ".sktch";
    private static final int HASH_BYTES = 32;

    /**
     * The probabilities, and how many of them came from the cache.
     *
     * @param probabilities one row per text, in the student's label order
     * @param fromCache texts whose probabilities were read from the cache
     * @param labelled distinct texts the teacher labelled in this call
     */
    public record Result(float[][] probabilities, int fromCache, int labelled) {}

    private TeacherLabels() {}

    /** The file of {@code teacherSha256} and {@code labels} in {@code cacheDir}. */
    static Path file(Path cacheDir, String teacherSha256, List<String> labels) {
        return cacheDir.resolve(key(teacherSha256, labels) + SUFFIX);
    }

    /**
     * The teacher's probabilities of {@code texts} in the order of {@code labels}: read from {@code cacheDir} for
     * the texts it has, labelled by {@code teacher} for the others and added there. Problems with the cache are told
     * to {@code warn} and never fail the run.
     *
     * @param cacheDir the cache directory, created when missing; null labels every text and keeps nothing
     * @param message told how far labelling has come
     */
    public static Result load(Teacher teacher, List<String> texts, List<String> labels, Path cacheDir,
            Consumer<String> message, Consumer<String> warn) {
        Objects.requireNonNull(teacher, "teacher");
        teacher.columns(labels); // refuse a teacher without the data's labels before anything else
        Map<ByteBuffer, float[]> known = new HashMap<>();
        Path file = cacheDir == null ? null : file(cacheDir, teacher.sha256(), labels);
        boolean writing = cacheDir != null;
        if (file != null && Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                long whole = read(in, teacher.sha256(), labels, known);
                long extra = Files.size(file) - whole;
                if (extra > 0) { // a record cut off by a killed write
                    try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.truncate(whole);
                    }
                    warn.accept("dropped a teacher-label record cut off at the end of " + file + " (" + extra
                            + " bytes)");
                }
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException | RuntimeException e) {
                warn.accept("the teacher-label cache file " + file + " cannot be used (" + e.getMessage()
                        + "); labelling the texts again");
                known.clear();
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    writing = false;
                }
            }
        }
        float[][] result = new float[texts.size()][];
        ByteBuffer[] hashes = new ByteBuffer[texts.size()];
        List<Integer> missing = new ArrayList<>();
        Map<ByteBuffer, Integer> firstMissing = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            hashes[i] = hash(texts.get(i));
            float[] p = known.get(hashes[i]);
            if (p != null) {
                result[i] = p;
            } else if (firstMissing.putIfAbsent(hashes[i], i) == null) {
                missing.add(i); // a text repeated in the list is labelled once
            }
        }
        int fromCache = texts.size() - countNull(result);
        if (fromCache > 0 && !missing.isEmpty()) {
            message.accept(String.format(Locale.ROOT, "teacher: %,d of %,d texts already labelled (%s)", fromCache,
                    texts.size(), file));
        }
        if (writing && !missing.isEmpty()) {
            try {
                Files.createDirectories(cacheDir);
                if (!Files.isRegularFile(file)) {
                    Path tmp = Files.createTempFile(cacheDir, "teacher", ".tmp");
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        writeHeader(out, teacher.sha256(), labels);
                    }
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                CacheFiles.keepNewest(cacheDir, SUFFIX, KEEP);
            } catch (IOException e) {
                warn.accept("could not write the teacher-label cache in " + cacheDir + " (" + e.getMessage()
                        + "); labelling goes on without it");
                writing = false;
            }
        }
        long start = System.nanoTime();
        for (int from = 0; from < missing.size(); from += BLOCK) {
            List<Integer> block = missing.subList(from, Math.min(missing.size(), from + BLOCK));
            List<String> blockTexts = new ArrayList<>(block.size());
            block.forEach(i -> blockTexts.add(texts.get(i)));
            float[][] p = teacher.probabilities(blockTexts, labels, null);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(
                    block.size() * (HASH_BYTES + Float.BYTES * labels.size()));
            DataOutputStream data = new DataOutputStream(bytes);
            try {
                for (int k = 0; k < block.size(); k++) {
                    result[block.get(k)] = p[k];
                    data.write(hashes[block.get(k)].array());
                    for (float v : p[k]) {
                        data.writeFloat(v);
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e); // a byte array does not fail
            }
            if (writing) {
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                    out.write(bytes.toByteArray()); // one write: whole records, also with another run appending
                } catch (IOException e) {
                    warn.accept("could not add to the teacher-label cache " + file + " (" + e.getMessage()
                            + "); labelling goes on without it");
                    writing = false;
                }
            }
            int done = from + block.size();
            double seconds = (System.nanoTime() - start) / 1e9;
            message.accept(String.format(Locale.ROOT, "teacher: %,d of %,d new texts labelled (%.0f texts/s)", done,
                    missing.size(), done / Math.max(seconds, 1e-9)));
        }
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null) { // a repeat of a text labelled above
                result[i] = result[firstMissing.get(hashes[i])];
            }
        }
        return new Result(result, fromCache, missing.size());
    }

    private static int countNull(float[][] rows) {
        int n = 0;
        for (float[] r : rows) {
            n += r == null ? 1 : 0;
        }
        return n;
    }

    /** The SHA-256 of a text's UTF-8 bytes. */
    static ByteBuffer hash(String text) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file's key: SHA-256 over the format, the teacher file's SHA-256 and the labels, in order. */
    static String key(String teacherSha256, List<String> labels) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(MAGIC);
            sha.update(teacherSha256.getBytes(StandardCharsets.UTF_8));
            ByteBuffer length = ByteBuffer.allocate(4);
            sha.update(length.clear().putInt(labels.size()).array());
            for (String label : labels) {
                byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
                sha.update(length.clear().putInt(bytes.length).array());
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeHeader(OutputStream out, String teacherSha256, List<String> labels) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeUTF(teacherSha256);
        data.writeInt(labels.size());
        for (String label : labels) {
            data.writeUTF(label);
        }
        data.flush();
    }

    /**
     * Reads a file's records into {@code into}; returns the bytes up to the end of its last whole record.
     *
     * @throws IOException when it is not a file of this teacher and these labels
     */
    private static long read(InputStream in, String teacherSha256, List<String> labels, Map<ByteBuffer, float[]> into)
            throws IOException {
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
        long header = MAGIC.length + 4L + 2 + teacherSha256.getBytes(StandardCharsets.UTF_8).length + 4;
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC) || data.readInt() != FORMAT_VERSION) {
                throw new IOException("not a teacher-label file of format " + FORMAT_VERSION);
            }
            if (!teacherSha256.equals(data.readUTF())) {
                throw new IOException("it is another teacher's");
            }
            int n = data.readInt();
            List<String> own = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String label = data.readUTF();
                own.add(label);
                header += 2 + label.getBytes(StandardCharsets.UTF_8).length;
            }
            if (!own.equals(labels)) {
                throw new IOException("it has the labels " + own + ", not " + labels);
            }
        } catch (EOFException e) {
            throw new IOException("cut off", e);
        }
        long recordBytes = HASH_BYTES + (long) Float.BYTES * labels.size();
        long records = 0;
        while (true) {
            byte[] hash = new byte[HASH_BYTES];
            float[] p = new float[labels.size()];
            try {
                data.readFully(hash);
                for (int c = 0; c < p.length; c++) {
                    p[c] = data.readFloat();
                }
            } catch (EOFException e) {
                return header + records * recordBytes;
            }
            into.put(ByteBuffer.wrap(hash), p);
            records++;
        }
    }
}
