package dev.sentikit.architecture.transformer;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.ArchitectureSettings;
import dev.sentikit.architecture.LrDecay;
import dev.sentikit.architecture.SentimentBlock;
import dev.sentikit.model.BaseModel;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TokenizerJson;
import dev.sentikit.text.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A pretrained BERT-layout encoder ({@link BaseEncoder}: MiniLM, bge-small, or a user's ONNX file), fine-tuned
 * whole with a classification head on its pooled states: {@link TransformerBlock} in training,
 * {@link TransformerGraph} in the exported file, the base's WordPiece tokenizer as the encoder.
 */
public final class TransformerArchitecture implements Architecture {

    public static final String ID = "transformer";

    /** The checkpoint file that keeps the base's tokenizer.json, for the exported model's metadata. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /**
     * Settings that fine-tune BERT-family encoders well without tuning, for a few thousand to a few hundred thousand
     * rows (Devlin et al. 2019; Mosbach et al. 2021): 3 epochs, batches of 32, AdamW at 3e-5 with weight decay 0.01,
     * a linear warm-up over 10% of the steps then a linear decay, gradients clipped to norm 1, 128 tokens, and early
     * stopping after one epoch without a better validation macro-F1.
     */
    public static final Defaults DEFAULTS = new Defaults(3, 32, 3e-5f, 0.01f, 1.0f, 0.1, LrDecay.LINEAR, 1);

    /** Tokens read by default, [CLS] and [SEP] included (fewer when the base knows fewer positions). */
    public static final int DEFAULT_MAX_TOKENS = 128;

    /**
     * With {@code --freeze-encoder}: only the head learns, a linear layer on fixed states computed once
     * ({@link TransformerBlock#precompute}), a logistic regression: AdamW at 1e-3 (at 3e-5 its loss barely moves),
     * up to 20 epochs (an epoch costs seconds), stopping after 3 without a better validation macro-F1. On 3,000
     * VADER texts it stops after 12 epochs at validation macro-F1 0.636; with 3 epochs it reached 0.543.
     */
    public static final Defaults FROZEN_DEFAULTS = new Defaults(20, 32, 1e-3f, 0.01f, 1.0f, 0.1, LrDecay.LINEAR,
            3);

    /** The base read last, kept so that configuring and training one run read the files once. */
    private static Loaded last;

    private record Loaded(String base, Path tokenizer, BaseEncoder.Loaded files, BertWeights weights,
            TokenizerJson.Imported tokenizerJson) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "a pretrained encoder (--base minilm-l6, bge-small-en, bge-small-zh or FILE.onnx) fine-tuned with a "
                + "classification head (most accurate, slowest)";
    }

    @Override
    public Defaults defaults(ArchitectureSettings settings) {
        return settings(settings).freezeEncoder() ? FROZEN_DEFAULTS : DEFAULTS;
    }

    @Override
    public Configured configure(Options options, Consumer<String> log) throws IOException {
        if (options.base() == null) {
            throw new IllegalArgumentException("--model transformer needs --base: one of "
                    + String.join(", ", BaseEncoder.NAMED.keySet()) + ", or FILE.onnx with --base-tokenizer");
        }
        if (options.embeddings() != null) {
            throw new IllegalArgumentException("--embeddings is for the networks trained from scratch (bag, cnn, "
                    + "bilstm): a transformer's embedding is its base's");
        }
        int maxTokens = options.maxTokens() != null ? options.maxTokens() : DEFAULT_MAX_TOKENS;
        Loaded base = load(options.base(), options.baseTokenizer(), maxTokens, log);
        BertWeights w = base.weights();
        if (maxTokens > w.positions()) {
            if (options.maxTokens() != null) {
                throw new IllegalArgumentException("--max-tokens " + maxTokens + " is more than the "
                        + w.positions() + " positions the base encoder knows");
            }
            // The default is for bases of 512 positions; a shorter base reads as many tokens as it has positions.
            base = load(options.base(), options.baseTokenizer(), w.positions(), log);
            w = base.weights();
        }
        TransformerShape.Pooling pooling = options.pooling() != null
                ? TransformerShape.Pooling.parse(options.pooling()) : base.files().base().pooling();
        float dropout = options.dropout() != null ? options.dropout() : TransformerShape.DEFAULT_DROPOUT;
        TransformerSettings settings = new TransformerSettings(options.base(), options.baseTokenizer(),
                TransformerShape.of(w, pooling, dropout), options.freezeEncoder());
        log.accept("base " + options.base() + ": " + w + ", " + String.format(java.util.Locale.ROOT, "%,d",
                w.parameterCount()) + " parameters; pooling " + pooling.id());
        return new Configured(base.tokenizerJson().spec().withTruncation(options.truncationOrHead()), settings);
    }

    /** None: a transformer needs its base ({@link TransformerSettings}, or {@link #configure}). */
    @Override
    public ArchitectureSettings defaultSettings() {
        throw new IllegalArgumentException("a transformer needs its base: give its settings (TransformerSettings, "
                + "as Architecture.configure makes them from the options)");
    }

    @Override
    public void check(ArchitectureSettings settings, EncoderSpec encoder) {
        settings(settings);
        if (!encoder.usesWordPiece()) {
            throw new IllegalArgumentException("a transformer reads its base's WordPiece encoder, not " + encoder);
        }
    }

    private TransformerSettings settings(ArchitectureSettings settings) {
        if (settings instanceof TransformerSettings t) {
            return t;
        }
        throw new IllegalArgumentException("not the settings of a transformer: "
                + (settings == null ? "none" : settings.getClass().getSimpleName()));
    }

    @Override
    public Map<String, Object> writeSettings(ArchitectureSettings settings) {
        TransformerSettings t = settings(settings);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base", t.base());
        if (t.baseTokenizer() != null) {
            m.put("base_tokenizer", t.baseTokenizer().toString());
        }
        m.put("transformer", t.shape().toMap());
        m.put("freeze_encoder", t.freezeEncoder());
        m.put("embedding_dim", t.shape().hidden()); // the width of the states, as the other networks record theirs
        return m;
    }

    @Override
    public TransformerSettings readSettings(Map<String, Object> h) {
        if (!(h.get("transformer") instanceof Map<?, ?> shape) || h.get("base") == null) {
            throw new IllegalArgumentException("the model card has no provenance.hyperparameters.transformer and "
                    + ".base");
        }
        return new TransformerSettings(h.get("base").toString(),
                h.get("base_tokenizer") == null ? null : Path.of(h.get("base_tokenizer").toString()),
                TransformerShape.fromMap(shape), Boolean.TRUE.equals(h.get("freeze_encoder")));
    }

    @Override
    public Map<String, String> optionValues(ArchitectureSettings settings) {
        TransformerSettings t = settings(settings);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--base", t.base());
        // A path names the same file as the run's when both resolve to it (relative: against this directory).
        m.put("--base-tokenizer", t.baseTokenizer() == null ? "none"
                : t.baseTokenizer().toAbsolutePath().normalize().toString());
        m.put("--pooling", t.shape().pooling().id());
        m.put("--dropout", Float.toString(t.shape().dropout()));
        m.put("--freeze-encoder", Boolean.toString(t.freezeEncoder()));
        return m;
    }

    /** The width and the vocabulary are the base's. */
    @Override
    public java.util.Set<String> ignoredOptions() {
        return java.util.Set.of("--embedding-dim", "--hidden-size", "--hash-buckets");
    }

    @Override
    public List<String> checkpointFiles() {
        return List.of(TOKENIZER_FILE);
    }

    /** The base's tokenizer.json, which the SDK's WordPiece encoder reads from the file. */
    @Override
    public Map<String, String> exportMetadata(Path checkpointDir, EncoderSpec encoder) throws IOException {
        Path tokenizer = checkpointDir.resolve(TOKENIZER_FILE);
        if (!encoder.usesWordPiece() || !Files.isRegularFile(tokenizer)) {
            return Map.of();
        }
        return Map.of(ModelFormat.KEY_TOKENIZER_JSON,
                ModelFormat.asciiJson(Files.readString(tokenizer, StandardCharsets.UTF_8)));
    }

    @Override
    public Prepared prepare(ArchitectureSettings settings, EncoderSpec encoder, Consumer<String> log)
            throws IOException {
        TransformerSettings t = settings(settings);
        Loaded base = load(t.base(), t.baseTokenizer(), encoder.maxTokens(), log);
        last = null; // the run holds it from here; free it with the run
        if (!base.tokenizerJson().spec().withTruncation(encoder.truncation()).equals(encoder)) {
            throw new IllegalArgumentException("the tokenizer of the base " + t.base() + " is not the one this "
                    + "run was configured with: " + base.tokenizerJson().spec() + " vs " + encoder);
        }
        TransformerShape shape = t.shape();
        if (!TransformerShape.of(base.weights(), shape.pooling(), shape.dropout()).equals(shape)) {
            throw new IllegalArgumentException("the base " + t.base() + " (" + base.weights() + ") is not the "
                    + "shape this run was configured with (" + shape + ")");
        }
        BaseEncoder.Loaded files = base.files();
        BaseEncoder b = files.base();
        BaseModel provenance = new BaseModel(b.name(), b.upstream(), b.coordinates(),
                b.fromMaven() ? b.onnxResource() : files.source(), files.sha256(), b.licence());
        return new Prepared(base.tokenizerJson().vocabulary(), provenance,
                Map.of(TOKENIZER_FILE, files.tokenizerJson()), base.weights());
    }

    private static Loaded load(String name, Path tokenizer, int maxTokens, Consumer<String> log) throws IOException {
        Loaded l = last;
        if (l != null && l.base().equals(name) && Objects.equals(l.tokenizer(), tokenizer)
                && l.tokenizerJson().spec().maxTokens() == maxTokens) {
            return l;
        }
        BaseEncoder base = BaseEncoder.resolve(name);
        BaseEncoder.Loaded files = base.load(tokenizer, log);
        BertWeights weights = BertWeights.read(files.onnx(), files.source());
        TokenizerJson.Imported imported;
        try {
            imported = TokenizerJson.read(files.tokenizerJson(), maxTokens);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the tokenizer of the base " + name + ": " + e.getMessage(), e);
        }
        if (imported.vocabulary().size() + 1 != weights.vocabularySize()) {
            throw new IllegalArgumentException("the tokenizer of the base " + name + " has "
                    + (imported.vocabulary().size() + 1) + " tokens, but its encoder's embedding has "
                    + weights.vocabularySize() + " rows: they do not belong together");
        }
        l = new Loaded(name, tokenizer, files, weights, imported);
        last = l;
        return l;
    }

    @Override
    public SentimentBlock newBlock(ArchitectureSettings settings, long rows, int labels) {
        return new TransformerBlock(rows, settings(settings).shape(), labels);
    }

    @Override
    public String initialize(SentimentBlock block, ArchitectureSettings settings, Vocabulary vocabulary,
            Random random, Prepared prepared) {
        TransformerSettings t = settings(settings);
        TransformerBlock transformer = (TransformerBlock) block;
        BertWeights weights = (BertWeights) prepared.state();
        transformer.loadBase(weights);
        if (t.freezeEncoder()) {
            transformer.freezeEncoder();
        }
        return "fine-tuning " + (t.freezeEncoder() ? "the head on the frozen " : "") + "base " + t.base()
                + " (" + weights + ")";
    }

    @Override
    public OnnxMl.ModelProto toOnnx(SentimentBlock block, Map<String, String> metadataProps, String producerVersion,
            ExportOptions options) {
        if (!(block instanceof TransformerBlock transformer)) {
            throw new IllegalArgumentException("not a transformer network: " + block.getClass().getSimpleName());
        }
        return TransformerGraph.build(transformer, metadataProps, producerVersion, options.quantization());
    }
}
