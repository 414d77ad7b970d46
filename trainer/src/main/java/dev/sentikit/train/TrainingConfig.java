package dev.sentikit.train;

import dev.sentikit.text.EncoderSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that decides the outcome of a training run. Immutable; build with {@link #builder()}. Two runs
 * with equal configurations on the same data and CPU give bit-identical models.
 */
public final class TrainingConfig {

    /** The seed used when none is given, so that every run is reproducible. */
    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_EPOCHS = 5;
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Adam's step size; 5e-3 suits embedding bags, whose rows receive sparse gradients. */
    public static final float DEFAULT_LEARNING_RATE = 5e-3f;
    public static final int DEFAULT_EMBEDDING_DIM = 64;
    /** Convolution filters per width (cnn) or LSTM state size (bilstm). */
    public static final int DEFAULT_HIDDEN_SIZE = 128;
    /** Tokens and bigrams seen fewer times than this go to the hash buckets. */
    public static final int DEFAULT_MIN_COUNT = 2;
    public static final int DEFAULT_MAX_VOCABULARY = 50_000;
    /** Share of the training file held out for validation when no validation file is given. */
    public static final double DEFAULT_VALID_FRACTION = 0.1;

    private final Architecture architecture;
    private final EncoderSpec encoder;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final int embeddingDim;
    private final int hiddenSize;
    private final int minCount;
    private final int maxVocabulary;
    private final double validFraction;
    private final long seed;
    private final boolean calibrate;
    private final java.nio.file.Path embeddings;
    private final int patience;

    private TrainingConfig(Builder b) {
        this.architecture = b.architecture;
        this.encoder = b.encoder;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.embeddingDim = b.embeddingDim;
        this.hiddenSize = b.hiddenSize;
        this.minCount = b.minCount;
        this.maxVocabulary = b.maxVocabulary;
        this.validFraction = b.validFraction;
        this.seed = b.seed;
        this.calibrate = b.calibrate;
        this.embeddings = b.embeddings;
        this.patience = b.patience;
    }

    /** Stop after this many epochs without a better validation macro-F1; 0 never stops early. */
    public int patience() {
        return patience;
    }

    /** GloVe-format word vectors that initialize the embedding, or null for random initialization. */
    public java.nio.file.Path embeddings() {
        return embeddings;
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

    public int embeddingDim() {
        return embeddingDim;
    }

    public int hiddenSize() {
        return hiddenSize;
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
        m.put("optimizer", "adam");
        m.put("embedding_dim", embeddingDim);
        if (architecture != Architecture.BAG) {
            m.put("hidden_size", hiddenSize);
        }
        m.put("min_count", minCount);
        m.put("max_vocabulary", maxVocabulary);
        m.put("valid_fraction", validFraction);
        m.put("seed", seed);
        m.put("calibrate", calibrate);
        m.put("patience", patience);
        if (embeddings != null) {
            m.put("embeddings", embeddings.getFileName().toString());
        }
        return m;
    }

    /** Builds a {@link TrainingConfig}; each setting is checked when it is set. */
    public static final class Builder {
        private Architecture architecture = Architecture.BAG;
        private EncoderSpec encoder = EncoderSpec.defaults();
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private float learningRate = DEFAULT_LEARNING_RATE;
        private int embeddingDim = DEFAULT_EMBEDDING_DIM;
        private int hiddenSize = DEFAULT_HIDDEN_SIZE;
        private int minCount = DEFAULT_MIN_COUNT;
        private int maxVocabulary = DEFAULT_MAX_VOCABULARY;
        private double validFraction = DEFAULT_VALID_FRACTION;
        private long seed = DEFAULT_SEED;
        private boolean calibrate = true;
        private java.nio.file.Path embeddings;
        private int patience;

        private Builder() {}

        public Builder optPatience(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("patience must be >= 0 (0 = no early stopping), got " + epochs);
            }
            this.patience = epochs;
            return this;
        }

        /** Initializes the embedding from GloVe-format vectors, whose width must be the embedding dim. */
        public Builder optEmbeddings(java.nio.file.Path file) {
            this.embeddings = file;
            return this;
        }

        public Builder optCalibrate(boolean on) {
            this.calibrate = on;
            return this;
        }

        public Builder optArchitecture(Architecture a) {
            this.architecture = Objects.requireNonNull(a, "architecture");
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

        public Builder optEmbeddingDim(int n) {
            this.embeddingDim = positive("embedding dim", n);
            return this;
        }

        public Builder optHiddenSize(int n) {
            this.hiddenSize = positive("hidden size", n);
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
