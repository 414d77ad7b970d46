package dev.sentikit.train;

import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.ArchitectureSettings;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.architecture.LrDecay;
import dev.sentikit.text.EncoderSpec;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that decides the outcome of a training run: what every architecture shares (epochs, batches, the
 * optimizer and its schedule, the encoder, the vocabulary, the seed), the architecture, and that architecture's own
 * settings ({@link ArchitectureSettings}, which only it reads). Immutable; build with {@link #builder()}. Two runs
 * with equal configurations on the same data and CPU give bit-identical models.
 */
public final class TrainingConfig {

    /** The seed used when none is given, so that every run is reproducible. */
    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_EPOCHS = 5;
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Adam's step size; 5e-3 suits embedding bags, whose rows receive sparse gradients. */
    public static final float DEFAULT_LEARNING_RATE = 5e-3f;
    /** Tokens and bigrams seen fewer times than this go to the hash buckets. */
    public static final int DEFAULT_MIN_COUNT = 2;
    public static final int DEFAULT_MAX_VOCABULARY = 50_000;
    /** Share of the training file held out for validation when no validation file is given. */
    public static final double DEFAULT_VALID_FRACTION = 0.1;

    private final Architecture architecture;
    private final ArchitectureSettings settings;
    private final EncoderSpec encoder;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final int minCount;
    private final int maxVocabulary;
    private final double validFraction;
    private final long seed;
    private final boolean calibrate;
    private final int patience;
    private final int accumulate;
    private final int warmupSteps;
    private final LrDecay lrDecay;
    private final int checkpointEvery;
    private final Batching batching;
    private final float weightDecay;
    private final float clipNorm;
    private final Distillation distillation;
    private final List<PartialData> partialData;

    /**
     * How examples are put into batches. {@code RANDOM}: consecutive slices of a shuffled order.
     * {@code BUCKETED}: the shuffled order is cut into pools of {@value #BUCKET_POOL} batches, each pool is sorted
     * by length and cut into batches, and the full batches are shuffled; texts of similar length share a batch, so
     * little of it is padding. Both are deterministic from the seed and the epoch.
     */
    public enum Batching {
        RANDOM, BUCKETED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Parses random or bucketed. */
        public static Batching parse(String s) {
            for (Batching b : values()) {
                if (b.id().equalsIgnoreCase(s.trim())) {
                    return b;
                }
            }
            throw new IllegalArgumentException("batching must be random or bucketed, got '" + s + "'");
        }
    }

    /** Batches per pool of {@link Batching#BUCKETED}. */
    public static final int BUCKET_POOL = 50;

    private TrainingConfig(Builder b) {
        this.architecture = b.architecture;
        this.settings = b.settings != null ? b.settings : b.architecture.defaultSettings();
        this.encoder = b.encoder;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.minCount = b.minCount;
        this.maxVocabulary = b.maxVocabulary;
        this.validFraction = b.validFraction;
        this.seed = b.seed;
        this.calibrate = b.calibrate;
        this.patience = b.patience;
        this.accumulate = b.accumulate;
        this.warmupSteps = b.warmupSteps;
        this.lrDecay = b.lrDecay;
        this.checkpointEvery = b.checkpointEvery;
        this.batching = b.batching;
        this.weightDecay = b.weightDecay;
        this.clipNorm = b.clipNorm;
        this.distillation = b.distillation;
        this.partialData = List.copyOf(b.partialData);
        architecture.check(settings, encoder);
    }

    /**
     * Decoupled weight decay (AdamW: each step also shrinks the weights by lr × this), on weight matrices and
     * embeddings, not on biases and LayerNorm parameters; 0 (the default) is Adam.
     */
    public float weightDecay() {
        return weightDecay;
    }

    /** Gradients are scaled down so that their global L2 norm is at most this; 0 (the default) never clips. */
    public float clipNorm() {
        return clipNorm;
    }

    /**
     * How the student learns from a teacher's soft targets, or null for training on the labels alone; see
     * {@link Distillation}.
     */
    public Distillation distillation() {
        return distillation;
    }

    /**
     * The training files whose rows know only some of the labels, in the order they were given; empty when every
     * row may take every label. See {@link PartialData}.
     */
    public List<PartialData> partialData() {
        return partialData;
    }

    /** The architecture's own settings, which only it reads. */
    public ArchitectureSettings settings() {
        return settings;
    }

    public Batching batching() {
        return batching;
    }

    /** Batches whose gradients are summed before each optimizer step (1: a step per batch). */
    public int accumulate() {
        return accumulate;
    }

    /** Optimizer steps over which the learning rate rises linearly from 0 to {@link #learningRate()}. */
    public int warmupSteps() {
        return warmupSteps;
    }

    public LrDecay lrDecay() {
        return lrDecay;
    }

    /** Also write {@code last/} every this many optimizer steps within an epoch; 0: only at the end of epochs. */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    /**
     * The learning rate of optimizer step {@code step} (1-based) of a run of {@code totalSteps} steps: the
     * linear warm-up from 0, then the decay, which reaches 0 at the last step.
     */
    public float learningRateAt(long step, long totalSteps) {
        if (warmupSteps > 0 && step <= warmupSteps) {
            return (float) (learningRate * (double) step / warmupSteps);
        }
        if (lrDecay == LrDecay.NONE || totalSteps <= warmupSteps) {
            return learningRate;
        }
        double span = totalSteps - warmupSteps;
        double progress = Math.min(1.0, (step - warmupSteps) / span);
        double factor = lrDecay == LrDecay.LINEAR ? 1.0 - progress : 0.5 * (1.0 + Math.cos(Math.PI * progress));
        return (float) (learningRate * factor);
    }

    /**
     * The configuration recorded in a model card (its provenance hyperparameters and its encoder), as
     * {@link #toMap()} wrote it; what {@code --resume} runs with.
     *
     * @throws IllegalArgumentException when the card lacks a setting
     */
    public static TrainingConfig fromCard(dev.sentikit.model.ModelCard card) {
        if (card.provenance() == null || card.provenance().hyperparameters() == null) {
            throw new IllegalArgumentException("the model card has no provenance.hyperparameters");
        }
        return fromSettings(card.provenance().hyperparameters(), card.encoder());
    }

    /**
     * The configuration that {@link #toMap()} and {@link #encoder()} describe.
     *
     * @throws IllegalArgumentException when a setting is missing or invalid
     */
    public static TrainingConfig fromSettings(Map<String, Object> h, EncoderSpec encoder) {
        Architecture architecture = Architectures.parse(string(h, "model"));
        Builder b = builder()
                .optArchitecture(architecture, architecture.readSettings(h))
                .optEncoder(encoder)
                .optEpochs(integer(h, "epochs", null))
                .optBatchSize(integer(h, "batch_size", null))
                .optLearningRate(((Number) require(h, "learning_rate")).floatValue())
                .optMinCount(integer(h, "min_count", null))
                .optMaxVocabulary(integer(h, "max_vocabulary", null))
                .optValidFraction(((Number) require(h, "valid_fraction")).doubleValue())
                .optSeed(((Number) require(h, "seed")).longValue())
                .optCalibrate(Boolean.TRUE.equals(require(h, "calibrate")))
                .optPatience(integer(h, "patience", 0))
                .optAccumulate(integer(h, "accumulate", 1))
                .optWarmupSteps(integer(h, "warmup_steps", 0))
                .optLrDecay(LrDecay.parse(h.getOrDefault("lr_decay", "none").toString()))
                .optCheckpointEvery(integer(h, "checkpoint_every", 0))
                // runs recorded before batching was a setting used random batches
                .optBatching(Batching.parse(h.getOrDefault("batching", "random").toString()));
        if (h.get("weight_decay") instanceof Number n) {
            b.optWeightDecay(n.floatValue());
        }
        if (h.get("clip_norm") instanceof Number n) {
            b.optClipNorm(n.floatValue());
        }
        if (h.get("distillation") != null) {
            b.optDistillation(Distillation.fromMap(h.get("distillation")));
        }
        if (h.get("partial_data") != null) {
            b.optPartialData(PartialData.fromList(h.get("partial_data")));
        }
        return b.build();
    }

    private static Object require(Map<String, Object> h, String key) {
        Object v = h.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the model card has no provenance.hyperparameters." + key);
        }
        return v;
    }

    private static String string(Map<String, Object> h, String key) {
        return require(h, key).toString();
    }

    private static int integer(Map<String, Object> h, String key, Integer fallback) {
        Object v = fallback == null ? require(h, key) : h.getOrDefault(key, fallback);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("provenance.hyperparameters." + key + " is not a number: " + v);
        }
        return ((Number) v).intValue();
    }

    /** Stop after this many epochs without a better validation macro-F1; 0 never stops early. */
    public int patience() {
        return patience;
    }

    /** Whether a temperature is fitted on the validation split after training (see TemperatureScaling). */
    public boolean calibrate() {
        return calibrate;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Architecture architecture() {
        return architecture;
    }

    public EncoderSpec encoder() {
        return encoder;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public float learningRate() {
        return learningRate;
    }

    public int minCount() {
        return minCount;
    }

    public int maxVocabulary() {
        return maxVocabulary;
    }

    public double validFraction() {
        return validFraction;
    }

    public long seed() {
        return seed;
    }

    /** The settings as a JSON-ready map, for the model card's provenance. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", architecture.id());
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("learning_rate", learningRate);
        m.put("optimizer", weightDecay > 0 ? "adamw" : "adam");
        if (weightDecay > 0) {
            m.put("weight_decay", weightDecay);
        }
        if (clipNorm > 0) {
            m.put("clip_norm", clipNorm);
        }
        m.putAll(architecture.writeSettings(settings));
        m.put("min_count", minCount);
        m.put("max_vocabulary", maxVocabulary);
        m.put("valid_fraction", validFraction);
        m.put("seed", seed);
        m.put("calibrate", calibrate);
        m.put("patience", patience);
        m.put("accumulate", accumulate);
        m.put("warmup_steps", warmupSteps);
        m.put("lr_decay", lrDecay.id());
        m.put("checkpoint_every", checkpointEvery);
        m.put("batching", batching.id());
        if (distillation != null) {
            m.put("distillation", distillation.toMap());
        }
        if (!partialData.isEmpty()) {
            m.put("partial_data", partialData.stream().map(PartialData::toMap).toList());
        }
        return m;
    }

    /** Builds a {@link TrainingConfig}; each setting is checked when it is set. */
    public static final class Builder {
        private Architecture architecture = Architectures.all().get(0);
        private ArchitectureSettings settings;
        private EncoderSpec encoder = EncoderSpec.defaults();
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private float learningRate = DEFAULT_LEARNING_RATE;
        private int minCount = DEFAULT_MIN_COUNT;
        private int maxVocabulary = DEFAULT_MAX_VOCABULARY;
        private double validFraction = DEFAULT_VALID_FRACTION;
        private long seed = DEFAULT_SEED;
        private boolean calibrate = true;
        private int patience;
        private int accumulate = 1;
        private int warmupSteps;
        private LrDecay lrDecay = LrDecay.NONE;
        private int checkpointEvery;
        private Batching batching = Batching.BUCKETED;
        private float weightDecay;
        private float clipNorm;
        private Distillation distillation;
        private List<PartialData> partialData = List.of();

        private Builder() {}

        /** The files whose rows know only some of the labels ({@link PartialData}); none by default. */
        public Builder optPartialData(List<PartialData> files) {
            this.partialData = List.copyOf(files);
            return this;
        }

        /** Trains a student on a teacher's soft targets as {@code d} says; null (the default) on labels alone. */
        public Builder optDistillation(Distillation d) {
            this.distillation = d;
            return this;
        }

        /** AdamW's decoupled weight decay (0: Adam); see {@link TrainingConfig#weightDecay()}. */
        public Builder optWeightDecay(float decay) {
            if (!(decay >= 0) || !Float.isFinite(decay)) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + decay);
            }
            this.weightDecay = decay;
            return this;
        }

        /** Clips the global gradient norm to this (0: never). */
        public Builder optClipNorm(float norm) {
            if (!(norm >= 0) || !Float.isFinite(norm)) {
                throw new IllegalArgumentException("clip norm must be >= 0 (0 = no clipping), got " + norm);
            }
            this.clipNorm = norm;
            return this;
        }

        /** How examples are grouped into batches (default: bucketed by length). */
        public Builder optBatching(Batching batching) {
            this.batching = Objects.requireNonNull(batching, "batching");
            return this;
        }

        /** Sums the gradients of {@code n} batches before each optimizer step (effective batch n × batch size). */
        public Builder optAccumulate(int n) {
            this.accumulate = positive("accumulate", n);
            return this;
        }

        public Builder optWarmupSteps(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("warm-up steps must be >= 0, got " + n);
            }
            this.warmupSteps = n;
            return this;
        }

        public Builder optLrDecay(LrDecay decay) {
            this.lrDecay = Objects.requireNonNull(decay, "decay");
            return this;
        }

        public Builder optCheckpointEvery(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("checkpoint-every must be >= 0 (0 = at the end of epochs), got "
                        + steps);
            }
            this.checkpointEvery = steps;
            return this;
        }

        public Builder optPatience(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("patience must be >= 0 (0 = no early stopping), got " + epochs);
            }
            this.patience = epochs;
            return this;
        }

        public Builder optCalibrate(boolean on) {
            this.calibrate = on;
            return this;
        }

        /** The architecture, with its default settings ({@link Architecture#defaultSettings()}). */
        public Builder optArchitecture(Architecture a) {
            this.architecture = Objects.requireNonNull(a, "architecture");
            this.settings = null;
            return this;
        }

        /** The architecture and its own settings, which it checks when the configuration is built. */
        public Builder optArchitecture(Architecture a, ArchitectureSettings settings) {
            this.architecture = Objects.requireNonNull(a, "architecture");
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder optEncoder(EncoderSpec spec) {
            this.encoder = Objects.requireNonNull(spec, "encoder");
            return this;
        }

        public Builder optEpochs(int n) {
            this.epochs = positive("epochs", n);
            return this;
        }

        public Builder optBatchSize(int n) {
            this.batchSize = positive("batch size", n);
            return this;
        }

        public Builder optLearningRate(float lr) {
            if (!(lr > 0) || !Float.isFinite(lr)) {
                throw new IllegalArgumentException("learning rate must be a positive number, got " + lr);
            }
            this.learningRate = lr;
            return this;
        }

        public Builder optMinCount(int n) {
            this.minCount = positive("min count", n);
            return this;
        }

        public Builder optMaxVocabulary(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("max vocabulary must be >= 0, got " + n);
            }
            this.maxVocabulary = n;
            return this;
        }

        public Builder optValidFraction(double f) {
            if (!(f > 0 && f < 1)) {
                throw new IllegalArgumentException("valid fraction must be in (0, 1), got " + f);
            }
            this.validFraction = f;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(this);
        }

        private static int positive(String what, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + n);
            }
            return n;
        }
    }
}
