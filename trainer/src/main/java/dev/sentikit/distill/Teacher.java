package dev.sentikit.distill;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A model file that labels texts for a student: any file the SDK runs (a fine-tuned transformer, usually), through
 * {@link SentimentAnalyzer}, so that distillation needs no transformer code of its own. Its probabilities are the
 * file's calibrated ones (its temperature applied), read in the student's label order.
 *
 * <p>Texts are labelled in calls of {@value #CALL_TEXTS}, one per core at a time (one analyzer serves every thread,
 * each call on one intra-op thread, the SDK's default), and come back in the order given. The result of a text
 * depends only on the call it was in, and calls are cut the same way every time, so labelling the same texts again
 * gives the same numbers on the same machine.
 */
public final class Teacher implements AutoCloseable {

    /** Texts per {@code analyzeAll} call: the SDK's largest batch ({@link AnalyzerOptions#DEFAULT_MAX_BATCH_SIZE}). */
    static final int CALL_TEXTS = AnalyzerOptions.DEFAULT_MAX_BATCH_SIZE;
    /** Seconds between two progress messages while labelling. */
    private static final long PROGRESS_SECONDS = 15;

    private final Path file;
    private final String sha256;
    private final SentimentAnalyzer analyzer;
    private final int threads;
    private boolean closed;

    private Teacher(Path file, String sha256, SentimentAnalyzer analyzer, int threads) {
        this.file = file;
        this.sha256 = sha256;
        this.analyzer = analyzer;
        this.threads = threads;
    }

    /** Loads {@code file} with the SDK's default options, labelling on every core. */
    public static Teacher load(Path file) throws ModelLoadException, IOException {
        return load(file, AnalyzerOptions.defaults(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * Loads {@code file} with {@code options} (a device, for instance), labelling with {@code threads} concurrent
     * calls.
     */
    public static Teacher load(Path file, AnalyzerOptions options, int threads) throws ModelLoadException,
            IOException {
        Objects.requireNonNull(file, "file");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        String sha = dev.sentikit.io.Sha256.of(file);
        return new Teacher(file, sha, SentimentAnalyzer.load(file, options), threads);
    }

    /** The model file. */
    public Path file() {
        return file;
    }

    /** The SHA-256 of the model file: what identifies the teacher in the label cache and the student's card. */
    public String sha256() {
        return sha256;
    }

    /** The teacher's labels, in its output order. */
    public List<String> labels() {
        return analyzer.labels();
    }

    /**
     * For each label of {@code studentLabels}, the teacher's output that gives it.
     *
     * @throws IllegalArgumentException when the teacher lacks one of them, naming it
     */
    int[] columns(List<String> studentLabels) {
        List<String> own = labels();
        int[] columns = new int[studentLabels.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            columns[i] = own.indexOf(studentLabels.get(i));
            if (columns[i] < 0) {
                missing.add(studentLabels.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the teacher " + file + " has the labels " + own + ", which do not "
                    + "cover the data's " + studentLabels + ": it lacks " + missing + ". Use a teacher trained on "
                    + "these labels, or give --labels with a subset of the teacher's");
        }
        return columns;
    }

    /**
     * The teacher's probabilities of {@code texts}, one row per text in the order of {@code studentLabels}. Where
     * the teacher has labels the student lacks (a three-label teacher for a two-label student), their probability is
     * left out and the rest renormalized to add up to 1.
     *
     * @param progress told how far labelling has come, every few seconds
     * @throws IllegalArgumentException when the teacher lacks one of {@code studentLabels}
     */
    public float[][] probabilities(List<String> texts, List<String> studentLabels, Consumer<String> progress) {
        if (closed) {
            throw new IllegalStateException("the teacher " + file + " is closed");
        }
        int[] columns = columns(studentLabels);
        float[][] result = new float[texts.size()][];
        int calls = (texts.size() + CALL_TEXTS - 1) / CALL_TEXTS;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, calls)), r -> {
            Thread t = new Thread(r, "sentikit-teacher");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long lastReport = start;
        try {
            List<Future<?>> futures = new ArrayList<>(calls);
            for (int c = 0; c < calls; c++) {
                int from = c * CALL_TEXTS;
                int to = Math.min(texts.size(), from + CALL_TEXTS);
                futures.add(pool.submit(() -> {
                    List<Sentiment> out = analyzer.analyzeAll(texts.subList(from, to));
                    for (int i = 0; i < out.size(); i++) {
                        result[from + i] = select(out.get(i), columns, studentLabels);
                    }
                }));
            }
            for (int c = 0; c < calls; c++) {
                futures.get(c).get();
                long now = System.nanoTime();
                if (progress != null && now - lastReport > PROGRESS_SECONDS * 1_000_000_000L && c + 1 < calls) {
                    lastReport = now;
                    int done = Math.min(texts.size(), (c + 1) * CALL_TEXTS);
                    progress.accept(String.format(Locale.ROOT, "teacher: %,d of %,d texts labelled (%.0f texts/s)",
                            done, texts.size(), done / ((now - start) / 1e9)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("labelling was interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the teacher failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        return result;
    }

    /** The probabilities of {@code labels}, renormalized. */
    private static float[] select(Sentiment s, int[] columns, List<String> labels) {
        double[] p = new double[columns.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = s.score(labels.get(i));
            sum += p[i];
        }
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) (sum > 0 ? p[i] / sum : 1.0 / p.length);
        }
        return out;
    }

    /** Closes the model's session; safe to call twice. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            analyzer.close();
        }
    }
}
