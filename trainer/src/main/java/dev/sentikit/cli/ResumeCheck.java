package dev.sentikit.cli;

import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.architecture.LrDecay;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine.ParseResult;

/**
 * {@code train --resume DIR} with the rest of the command line that started the run: every option whose value
 * equals the run's is accepted, and each one that differs is named with the run's value and the one given. The
 * run's values come from its checkpoint's card (or, when the run never completed a checkpoint, from the record
 * of its settings, {@code run.json}): labels, encoder settings and {@code provenance.hyperparameters}.
 *
 * <p>Options that are not given are not compared: they take the run's values.
 */
final class ResumeCheck {

    /** Options taken as given when resuming: where and how to train, and how to read the (hash-checked) data. */
    static final Set<String> TAKEN_AS_GIVEN = Set.of("--data", "--partial-data", "--valid", "--resume", "--output", "--device",
            "--gpus", "--cache-dir", "--no-cache", "--progress", "--format", "--label-column", "--text-column",
            "--strict", "--help", "--version",
            // distill: files checked by their SHA-256 against the run's (DistillCommand)
            "--teacher", "--unlabelled", "--exclude");

    /** Options compared with the run's shared settings ({@link #differences}). */
    static final Set<String> SHARED = Set.of("--model", "--epochs", "--batch-size", "--lr", "--seed",
            "--accumulate", "--warmup-steps", "--lr-decay", "--weight-decay", "--clip-norm", "--checkpoint-every",
            "--batching", "--min-count", "--max-vocab", "--valid-fraction", "--no-calibration", "--patience",
            "--max-tokens", "--hash-buckets", "--no-bigrams", "--truncation", "--labels");

    /**
     * Options that set an architecture's own settings, compared with the run's through its architecture
     * ({@link Architecture#optionValues}); given for a run of an architecture that has no such setting, they are
     * named as differing (unless it ignores them, {@link Architecture#ignoredOptions}).
     */
    static final Set<String> ARCHITECTURE = Set.of("--embedding-dim", "--hidden-size", "--embeddings", "--base",
            "--base-tokenizer", "--pooling", "--dropout", "--freeze-encoder");

    /** distill's own options, compared with the run's distillation settings (DistillCommand#ownDifferences). */
    static final Set<String> DISTILLATION = Set.of("--alpha", "--temperature", "--unlabelled-limit");

    /** Every option compared with the run's settings. */
    static final Set<String> COMPARED = union(union(SHARED, ARCHITECTURE), DISTILLATION);

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    private ResumeCheck() {}

    /** An option whose value differs from the run's. */
    record Difference(String option, String run, String given) {
        String describe() {
            return option + ": the run has " + run + ", the command line " + given;
        }
    }

    /** The settings of a run: what a checkpoint's card or {@code run.json} records. */
    record RunSettings(List<String> labels, EncoderSpec encoder, Map<String, Object> hyperparameters) {}

    /**
     * The options given on the command line of {@code c} whose values differ from {@code run}'s.
     *
     * @throws IllegalArgumentException for an option that cannot be checked, or a value that cannot be parsed
     */
    static List<Difference> differences(TrainCommand c, ParseResult parsed, RunSettings run) {
        for (var option : parsed.matchedOptions()) {
            String name = option.longestName();
            if (!TAKEN_AS_GIVEN.contains(name) && !COMPARED.contains(name)) {
                throw new IllegalArgumentException(name + " cannot be combined with --resume: it is not a setting "
                        + "this version can check against the run's");
            }
        }
        Map<String, Object> h = run.hyperparameters();
        Checks d = new Checks(parsed);
        d.text("--model", h.get("model"), () -> Architectures.parse(c.model).id());
        d.integer("--epochs", h.get("epochs"), () -> c.epochs);
        d.integer("--batch-size", h.get("batch_size"), () -> c.batchSize);
        d.decimal("--lr", h.get("learning_rate"), () -> c.learningRate);
        d.integer("--seed", h.get("seed"), () -> c.seed);
        d.integer("--accumulate", h.getOrDefault("accumulate", 1), () -> c.accumulate);
        d.integer("--warmup-steps", h.getOrDefault("warmup_steps", 0), () -> c.warmupSteps);
        d.text("--lr-decay", h.getOrDefault("lr_decay", "none"), () -> LrDecay.parse(c.lrDecay).id());
        d.decimal("--weight-decay", h.getOrDefault("weight_decay", 0f), () -> c.weightDecay);
        d.decimal("--clip-norm", h.getOrDefault("clip_norm", 0f), () -> c.clipNorm);
        d.integer("--checkpoint-every", h.getOrDefault("checkpoint_every", 0), () -> c.checkpointEvery);
        // Cards written before batching was a setting used random batches.
        d.text("--batching", h.getOrDefault("batching", "random"),
                () -> TrainingConfig.Batching.parse(c.batching).id());
        d.integer("--min-count", h.get("min_count"), () -> c.minCount);
        d.integer("--max-vocab", h.get("max_vocabulary"), () -> c.maxVocabulary);
        d.decimal("--valid-fraction", h.get("valid_fraction"), () -> c.validFraction);
        d.flag("--no-calibration", !Boolean.TRUE.equals(h.get("calibrate")));
        d.integer("--patience", h.getOrDefault("patience", 0), () -> c.patience);
        d.integer("--max-tokens", run.encoder().maxTokens(), () -> c.maxTokens);
        if (!run.encoder().usesWordPiece()) { // WordPiece has no hash buckets
            d.integer("--hash-buckets", run.encoder().hashBuckets(), () -> c.hashBuckets);
        }
        d.flag("--no-bigrams", !run.encoder().bigrams());
        d.text("--truncation", run.encoder().truncation().toString(),
                () -> dev.sentikit.text.Truncation.parse(c.truncation).toString());
        architectureOptions(c, parsed, h, d);
        d.text("--labels", String.join(",", run.labels()), () -> String.join(",", c.labels));
        d.found.addAll(c.ownDifferences(parsed, h));
        return d.found;
    }

    /**
     * The options of the run's architecture that were given, compared through it: the values it reads from the
     * options given ({@link Architecture#configure}) against those of the run's settings; options that set
     * another architecture's settings are named as ones the run does not have.
     */
    private static void architectureOptions(TrainCommand c, ParseResult parsed, Map<String, Object> h, Checks d) {
        Architecture architecture = Architectures.parse(String.valueOf(h.get("model")));
        Map<String, String> runValues = architecture.optionValues(architecture.readSettings(h));
        List<String> given = new ArrayList<>();
        for (var option : parsed.matchedOptions()) {
            String name = option.longestName();
            if (ARCHITECTURE.contains(name) && !architecture.ignoredOptions().contains(name)
                    && !given.contains(name)) {
                given.add(name);
            }
        }
        Map<String, String> givenValues = null;
        for (String option : given) {
            String runValue = runValues.get(option);
            if (runValue == null) {
                d.absent(option);
                continue;
            }
            if (givenValues == null) {
                try {
                    givenValues = architecture.optionValues(architecture.configure(c.options(), line -> {})
                            .settings());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            d.value(option, runValue, givenValues.get(option));
        }
    }

    /** Compares one option at a time, when it was given. */
    private static final class Checks {
        private final ParseResult parsed;
        final List<Difference> found = new ArrayList<>();

        Checks(ParseResult parsed) {
            this.parsed = parsed;
        }

        interface Given {
            Object get();
        }

        private boolean given(String option) {
            return parsed.hasMatchedOption(option);
        }

        void integer(String option, Object run, Given given) {
            if (!given(option)) {
                return;
            }
            Object g = given.get();
            if (!(run instanceof Number n) || n.longValue() != ((Number) g).longValue()) {
                found.add(new Difference(option, show(run), String.valueOf(g)));
            }
        }

        /** Settings kept as floats (or doubles): equal as the run stored them. */
        void decimal(String option, Object run, Given given) {
            if (!given(option)) {
                return;
            }
            Number g = (Number) given.get();
            boolean same = run instanceof Number n && (g instanceof Float
                    ? n.floatValue() == g.floatValue() : n.doubleValue() == g.doubleValue());
            if (!same) {
                found.add(new Difference(option, show(run), String.valueOf(g)));
            }
        }

        void text(String option, Object run, Given given) {
            if (!given(option)) {
                return;
            }
            String g = String.valueOf(given.get());
            if (!Objects.equals(run == null ? null : run.toString(), g)) {
                found.add(new Difference(option, show(run), g));
            }
        }

        /** An option given for a run that has no such setting. */
        void absent(String option) {
            var spec = parsed.matchedOption(option);
            if (spec.typeInfo().isBoolean()) {
                flag(option, false);
            } else {
                found.add(new Difference(option, "none", String.join(",", spec.stringValues())));
            }
        }

        /** Values as an architecture writes them ({@link Architecture#optionValues}); flags are true or false. */
        void value(String option, String run, String given) {
            if (Objects.equals(run, given)) {
                return;
            }
            if (parsed.matchedOption(option).typeInfo().isBoolean()) {
                found.add(new Difference(option, Boolean.parseBoolean(run) ? "it on" : "it off",
                        Boolean.parseBoolean(given) ? "gives it" : "leaves it out"));
            } else {
                found.add(new Difference(option, run, given));
            }
        }

        /** A flag that is given: the run must have had it. */
        void flag(String option, boolean runHadIt) {
            if (given(option) && !runHadIt) {
                found.add(new Difference(option, "it off", "gives it"));
            }
        }

        private static String show(Object run) {
            if (run == null) {
                return "none";
            }
            if (run instanceof Double d && d == (float) (double) d) {
                return Float.toString((float) (double) d); // a float setting as it was given, 0.005 not 0.004999…
            }
            return run.toString();
        }
    }
}
