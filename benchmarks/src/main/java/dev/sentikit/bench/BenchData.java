package dev.sentikit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The texts the benchmarks run on: a fixed, seeded sample of the English corpora in {@code ../shared/datasets}.
 * {@code short} is the VADER 3-class rows (tweets and review snippets, about 90 characters), {@code long} is
 * IMDB reviews (about 1,300 characters). Every benchmark, and the fastText comparison, uses the same sample.
 */
public final class BenchData {

    /** The system property that names the shared folder (the one holding {@code datasets/}). */
    public static final String SHARED_PROPERTY = "sentikit.shared.dir";

    /** The environment variable read when the property is not set. */
    public static final String SHARED_ENV = "SENTIKIT_SHARED_DIR";

    /** The seed of the sample, so that every run and every engine sees the same texts in the same order. */
    static final long SEED = 42;

    /** The data sets, by the name used in the {@code dataset} parameter of the benchmarks. */
    public enum Dataset {
        /** VADER 3-class ground truth: sentences, tweets, review snippets. */
        SHORT("short", "datasets/en/vader-3class-train.tsv", 4096),
        /** IMDB reviews: whole documents. */
        LONG("long", "datasets/en/imdb.tsv", 2048);

        final String id;
        final String file;
        /** Texts in the sample: a multiple of the largest batch (256), so that batches never wrap. */
        final int sample;

        Dataset(String id, String file, int sample) {
            this.id = id;
            this.file = file;
            this.sample = sample;
        }

        public String id() {
            return id;
        }

        public static Dataset of(String id) {
            for (Dataset d : values()) {
                if (d.id.equals(id)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown dataset '" + id + "', expected short or long");
        }
    }

    private static final Map<Dataset, List<String>> CACHE = new ConcurrentHashMap<>();

    private BenchData() {}

    /** The shared folder: {@value #SHARED_PROPERTY}, else {@value #SHARED_ENV}, else {@code ../shared}. */
    public static Path sharedDir() {
        String dir = System.getProperty(SHARED_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(SHARED_ENV);
        }
        if (dir == null || dir.isBlank()) {
            dir = "../shared";
        }
        return Paths.get(dir).toAbsolutePath().normalize();
    }

    /** The file of {@code dataset}; throws, saying what is missing and how to point at it, when it is absent. */
    public static Path file(Dataset dataset) {
        Path p = sharedDir().resolve(dataset.file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " not found: the inference benchmarks run on the corpora in "
                    + "../shared/datasets beside the repository (see README.md, section Data). Put them there, or "
                    + "name the folder that holds datasets/ with -D" + SHARED_PROPERTY + "=DIR or " + SHARED_ENV
                    + "=DIR.");
        }
        return p;
    }

    /** Throws as {@link #file} does when a data set is missing. */
    public static void requireAll() {
        for (Dataset d : Dataset.values()) {
            file(d);
        }
    }

    /** The benchmark sample of {@code dataset}: {@link Dataset#sample} texts, seeded shuffle, unmodifiable. */
    public static List<String> texts(Dataset dataset) {
        return CACHE.computeIfAbsent(dataset, BenchData::read);
    }

    private static List<String> read(Dataset dataset) {
        List<String> all = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file(dataset), StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab >= 0 && tab + 1 < line.length()) {
                    all.add(line.substring(tab + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(dataset), e);
        }
        if (all.size() < dataset.sample) {
            throw new IllegalStateException(file(dataset) + " has " + all.size() + " texts, the benchmark needs "
                    + dataset.sample);
        }
        Collections.shuffle(all, new Random(SEED));
        return List.copyOf(all.subList(0, dataset.sample));
    }

    /** The sample cut into consecutive batches of {@code size} texts. */
    public static List<List<String>> batches(Dataset dataset, int size) {
        List<String> texts = texts(dataset);
        List<List<String>> out = new ArrayList<>();
        for (int from = 0; from + size <= texts.size(); from += size) {
            out.add(List.copyOf(texts.subList(from, from + size)));
        }
        return out;
    }
}
