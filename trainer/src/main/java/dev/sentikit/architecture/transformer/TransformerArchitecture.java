package dev.sentikit.architecture.transformer;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.architecture.Architecture;
import dev.sentikit.model.BaseModel;
import dev.sentikit.text.TokenizerJson;
import dev.sentikit.text.Vocabulary;
import dev.sentikit.train.SentimentBlock;
import dev.sentikit.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
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
    public static final Defaults DEFAULTS = new Defaults(3, 32, 3e-5f, 128, 0.01f, 1.0f, 0.1,
            TrainingConfig.LrDecay.LINEAR, 1);

    /**
     * With {@code --freeze-encoder}: only the head learns, a linear layer on fixed states computed once
     * ({@link TransformerBlock#precompute}), a logistic regression: AdamW at 1e-3 (at 3e-5 its loss barely moves),
     * up to 20 epochs (an epoch costs seconds), stopping after 3 without a better validation macro-F1. On 3,000
     * VADER texts it stops after 12 epochs at validation macro-F1 0.636; with 3 epochs it reached 0.543.
     */
    public static final Defaults FROZEN_DEFAULTS = new Defaults(20, 32, 1e-3f, 128, 0.01f, 1.0f, 0.1,
            TrainingConfig.LrDecay.LINEAR, 3);

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
    public Defaults defaults() {
        return DEFAULTS;
    }

    @Override
    public Defaults defaults(boolean frozen) {
        return frozen ? FROZEN_DEFAULTS : DEFAULTS;
    }

    @Override
    public void configure(TrainingConfig.Builder config, Options options, Consumer<String> log) throws IOException {
        if (options.base() == null) {
            throw new IllegalArgumentException("--model transformer needs --base: one of "
                    + String.join(", ", BaseEncoder.NAMED.keySet()) + ", or FILE.onnx with --base-tokenizer");
        }
        Loaded base = load(options.base(), options.baseTokenizer(), options.maxTokens(), log);
        BertWeights w = base.weights();
        if (options.maxTokens() > w.positions()) {
            if (options.maxTokensGiven()) {
                throw new IllegalArgumentException("--max-tokens " + options.maxTokens() + " is more than the "
                        + w.positions() + " positions the base encoder knows");
            }
            // The default is for bases of 512 positions; a shorter base reads as many tokens as it has positions.
            base = load(options.base(), options.baseTokenizer(), w.positions(), log);
            w = base.weights();
        }
        TransformerShape.Pooling pooling = options.pooling() != null
                ? TransformerShape.Pooling.parse(options.pooling()) : base.files().base().pooling();
        float dropout = options.dropout() != null ? options.dropout() : TransformerShape.DEFAULT_DROPOUT;
        config.optEncoder(base.tokenizerJson().spec())
                .optBase(options.base())
                .optBaseTokenizer(options.baseTokenizer())
                .optTransformer(TransformerShape.of(w, pooling, dropout))
                .optFreezeEncoder(options.freezeEncoder())
                .optEmbeddingDim(w.hidden());
        log.accept("base " + options.base() + ": " + w + ", " + String.format(java.util.Locale.ROOT, "%,d",
                w.parameterCount()) + " parameters; pooling " + pooling.id());
    }

    @Override
    public Prepared prepare(TrainingConfig config, Consumer<String> log) throws IOException {
        Loaded base = load(config.base(), config.baseTokenizer(), config.encoder().maxTokens(), log);
        last = null; // the run holds it from here; free it with the run
        if (!base.tokenizerJson().spec().equals(config.encoder())) {
            throw new IllegalArgumentException("the tokenizer of the base " + config.base() + " is not the one this "
                    + "run was configured with: " + base.tokenizerJson().spec() + " vs " + config.encoder());
        }
        TransformerShape shape = config.transformer();
        if (!TransformerShape.of(base.weights(), shape.pooling(), shape.dropout()).equals(shape)) {
            throw new IllegalArgumentException("the base " + config.base() + " (" + base.weights() + ") is not the "
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
    public SentimentBlock newBlock(TrainingConfig config, long rows, int labels) {
        return new TransformerBlock(rows, config.transformer(), labels);
    }

    @Override
    public String initialize(SentimentBlock block, TrainingConfig config, Vocabulary vocabulary, Random random,
            Prepared prepared) {
        TransformerBlock transformer = (TransformerBlock) block;
        BertWeights weights = (BertWeights) prepared.state();
        transformer.loadBase(weights);
        if (config.freezeEncoder()) {
            transformer.freezeEncoder();
        }
        return "fine-tuning " + (config.freezeEncoder() ? "the head on the frozen " : "") + "base " + config.base()
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
