package dev.sentikit.distill;

import dev.sentikit.train.Distillation;
import dev.sentikit.train.Examples;
import dev.sentikit.train.TrainingListener;
import dev.sentikit.train.data.TextLines;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The texts a student is distilled on: the labelled training rows, then the unlabelled texts of each source, less
 * every unlabelled text that is a held-out text (the validation and test splits: a student must not train on what
 * it is scored on, nor on what chose its epoch) or repeats a text already in the set.
 *
 * <p>Two texts are the same when they are after NFKC, lower-casing and keeping only letters and digits (how the
 * shared corpora were deduplicated), so that a test tweet with other spacing or punctuation is caught too. A
 * source with a limit gives a seeded sample of its texts, in file order, drawn after those drops, so it gives its
 * limit whenever it has that many new texts. Build with {@link #builder(Examples)}, then {@link #label} the texts
 * with a teacher.
 */
public final class TransferSet {

    /**
     * What became of one source's texts.
     *
     * @param name the source (a file as given)
     * @param read texts read
     * @param heldOut dropped: the same as a held-out text
     * @param repeated dropped: the same as a labelled row, an earlier text of the source or of another source
     * @param sampledOut left out by the source's limit
     * @param kept texts in the set
     */
    public record SourceReport(String name, int read, int heldOut, int repeated, int sampledOut, int kept) {
        /** One line for people. */
        public String summary() {
            return String.format(Locale.ROOT, "%s: %,d texts, %,d kept (%,d the same as a held-out text, %,d "
                    + "repeated, %,d left out by the limit)", name, read, kept, heldOut, repeated, sampledOut);
        }
    }

    private final Examples examples;
    private final List<SourceReport> reports;
    private final List<Distillation.Source> unlabelled;
    private final List<Distillation.Source> excluded;
    private final int labelledHeldOut;

    private TransferSet(Examples examples, List<SourceReport> reports, List<Distillation.Source> unlabelled,
            List<Distillation.Source> excluded, int labelledHeldOut) {
        this.examples = examples;
        this.reports = List.copyOf(reports);
        this.unlabelled = List.copyOf(unlabelled);
        this.excluded = List.copyOf(excluded);
        this.labelledHeldOut = labelledHeldOut;
    }

    /** A set of {@code labelled}'s rows (all of them, as given), to which unlabelled texts are added. */
    public static Builder builder(Examples labelled) {
        return new Builder(labelled);
    }

    /** The rows: the labelled ones, then the unlabelled texts kept ({@link Examples#NO_LABEL}); no soft targets. */
    public Examples examples() {
        return examples;
    }

    /** What became of each unlabelled source, in order. */
    public List<SourceReport> reports() {
        return reports;
    }

    /**
     * Labelled training rows that are the same as a held-out text. They stay (the data is the caller's), but they
     * mean the split leaks, which a caller should say.
     */
    public int labelledHeldOut() {
        return labelledHeldOut;
    }

    /**
     * Every row with the teacher's probabilities as its soft targets, from the cache in {@code cacheDir} where they
     * are there ({@link TeacherLabels}).
     *
     * @param cacheDir where teacher labels are kept; null: label every text, keep nothing
     */
    public Examples label(Teacher teacher, Path cacheDir, TrainingListener listener) {
        long start = System.nanoTime();
        TeacherLabels.Result r = TeacherLabels.load(teacher, examples.texts(), examples.labels(), cacheDir,
                listener::message, listener::warning);
        listener.message(String.format(Locale.ROOT, "teacher %s: %,d texts, %,d from the cache%s, %,d labelled in "
                + "%.1f s", teacher.file().getFileName(), examples.size(), r.fromCache(),
                cacheDir == null ? "" : " (" + cacheDir + ")", r.labelled(), (System.nanoTime() - start) / 1e9));
        return examples.withSoftTargets(r.probabilities());
    }

    /** The unlabelled sources as a model card records them, in order. */
    public List<Distillation.Source> unlabelledSources() {
        return unlabelled;
    }

    /** The held-out files as a model card records them (not the validation split), in order. */
    public List<Distillation.Source> excludedSources() {
        return excluded;
    }

    /** The distillation settings of a student trained on this set by {@code teacher}. */
    public Distillation distillation(Teacher teacher, double alpha, double temperature) {
        return new Distillation(alpha, temperature, teacher.file().toString(), teacher.sha256(), unlabelled,
                excluded);
    }

    /** Whether two texts count as the same: equal {@link #sameTextKey}s. */
    public static String sameTextKey(String text) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(n.length());
        n.codePoints().filter(Character::isLetterOrDigit).forEach(b::appendCodePoint);
        return b.length() == 0 ? text.strip() : b.toString();
    }

    /** Collects the sources; {@link #build} makes the set. */
    public static final class Builder {
        private final Examples labelled;
        private final Set<String> heldOut = new HashSet<>();
        private final List<Distillation.Source> excluded = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<List<String>> sources = new ArrayList<>();
        private final List<Distillation.Source> unlabelled = new ArrayList<>();
        private long seed = dev.sentikit.train.TrainingConfig.DEFAULT_SEED;

        private Builder(Examples labelled) {
            this.labelled = Objects.requireNonNull(labelled, "labelled");
            if (labelled.hasSoftTargets() || labelled.labelledCount() != labelled.size()) {
                throw new IllegalArgumentException("the labelled rows must have labels and no soft targets yet");
            }
        }

        /** The seed of the sources' samples (default: the trainer's default seed). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Texts never to train on: the validation split, the test split. An unlabelled text that is the same as
         * one of them is dropped.
         *
         * @param name where they came from, recorded when it is not the validation split (null: not recorded)
         * @param sha256 the SHA-256 of their file, recorded with the name (null: of the texts)
         */
        public Builder addHeldOut(String name, String sha256, Collection<String> texts) {
            for (String t : texts) {
                heldOut.add(sameTextKey(t));
            }
            if (name != null) {
                excluded.add(new Distillation.Source(name, sha256 != null ? sha256 : sha256(texts), 0));
            }
            return this;
        }

        /** Unlabelled texts read from a file, of which at most {@code limit} are taken (0: all). */
        public Builder addUnlabelled(TextLines file, int limit) {
            return addUnlabelled(file.file().toString(), file.sha256(), file.texts(), limit);
        }

        /**
         * Unlabelled texts, of which at most {@code limit} are taken (0: all), a seeded sample.
         *
         * @param name where they came from, recorded in the model card
         * @param sha256 their file's SHA-256 (null: of the texts themselves)
         */
        public Builder addUnlabelled(String name, String sha256, List<String> texts, int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0 (0: all), got " + limit);
            }
            names.add(Objects.requireNonNull(name, "name"));
            sources.add(List.copyOf(texts));
            unlabelled.add(new Distillation.Source(name, sha256 != null ? sha256 : sha256(texts), limit));
            return this;
        }

        public TransferSet build() {
            Set<String> seen = new HashSet<>();
            int labelledHeldOut = 0;
            for (String t : labelled.texts()) {
                String key = sameTextKey(t);
                seen.add(key);
                labelledHeldOut += heldOut.contains(key) ? 1 : 0;
            }
            List<String> kept = new ArrayList<>();
            List<SourceReport> reports = new ArrayList<>();
            for (int s = 0; s < sources.size(); s++) {
                List<String> texts = sources.get(s);
                int limit = unlabelled.get(s).limit();
                int held = 0;
                int repeated = 0;
                List<String> fresh = new ArrayList<>();
                List<String> freshKeys = new ArrayList<>();
                Set<String> own = new HashSet<>();
                for (String t : texts) {
                    String key = sameTextKey(t);
                    if (heldOut.contains(key)) {
                        held++;
                    } else if (seen.contains(key) || !own.add(key)) {
                        repeated++;
                    } else {
                        fresh.add(t);
                        freshKeys.add(key);
                    }
                }
                int[] chosen = sample(fresh.size(), limit, new Random(seed * 31 + s));
                for (int i : chosen) {
                    kept.add(fresh.get(i));
                    seen.add(freshKeys.get(i));
                }
                reports.add(new SourceReport(names.get(s), texts.size(), held, repeated,
                        fresh.size() - chosen.length, chosen.length));
            }
            Examples all = labelled;
            if (!kept.isEmpty()) {
                int[] none = new int[kept.size()];
                Arrays.fill(none, Examples.NO_LABEL);
                List<String> texts = new ArrayList<>(labelled.texts());
                texts.addAll(kept);
                int[] targets = Arrays.copyOf(labelled.targets(), texts.size());
                System.arraycopy(none, 0, targets, labelled.size(), none.length);
                all = new Examples(labelled.labels(), texts, targets);
            }
            return new TransferSet(all, reports, unlabelled, excluded, labelledHeldOut);
        }

        /** {@code limit} of {@code n} indices (all when limit is 0 or n is no more), seeded, in ascending order. */
        private static int[] sample(int n, int limit, Random random) {
            if (limit == 0 || n <= limit) {
                int[] all = new int[n];
                Arrays.setAll(all, i -> i);
                return all;
            }
            int[] p = new int[n];
            Arrays.setAll(p, i -> i);
            for (int i = 0; i < limit; i++) { // a partial Fisher-Yates shuffle: the first limit are the sample
                int j = i + random.nextInt(n - i);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            int[] chosen = Arrays.copyOf(p, limit);
            Arrays.sort(chosen);
            return chosen;
        }

        private static String sha256(Collection<String> texts) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                ByteBuffer length = ByteBuffer.allocate(4);
                for (String t : texts) {
                    byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
                    sha.update(length.clear().putInt(bytes.length).array());
                    sha.update(bytes);
                }
                return java.util.HexFormat.of().formatHex(sha.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
