package dev.sentikit.architecture.transformer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.sentikit.architecture.SentimentBlock;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A BERT-layout encoder with a classification head, built from DJL's primitives: the architecture of Hugging Face
 * {@code BertModel} (post-LayerNorm layers, exact GELU, attention masked where the input is padding), then the
 * base's pooling, dropout and one linear layer to the label logits. Input: int64 WordPiece ids [batch, sequence]
 * padded with 0 (the pad token); output: logits [batch, labels]. Padding changes nothing: it is masked in
 * attention and left out of mean pooling.
 *
 * <p>DJL's own {@code BertBlock} is not this network (it normalizes with BatchNorm, adds another residual and
 * needs fixed-length input), so the layers are written here, parameter by parameter, with the base's names in
 * {@link #loadBase}. Query, key and value are one [3·hidden, hidden] product per layer. Token types are always 0,
 * so only row 0 of the base's token-type embedding is kept. {@code TransformerGraph} writes the same computation
 * as an ONNX graph.
 */
public final class TransformerBlock extends SentimentBlock {

    private static final byte VERSION = 1;

    /** The additive attention mask of padding: float32's lowest value, as Hugging Face's BertModel uses. */
    static final float MASKED = -3.4028235e38f;

    private final TransformerShape shape;
    private final Parameter positionEmbedding;
    private final Parameter tokenTypeEmbedding;
    private final Parameter embeddingGamma;
    private final Parameter embeddingBeta;
    private final List<Layer> layerParameters = new ArrayList<>();
    private boolean encoderFrozen;
    /** With a frozen encoder, the pooled states of the run's texts ({@link #precompute}), or null. */
    private FrozenStates frozenStates;

    /** The parameters of one encoder layer. */
    record Layer(Parameter qkvWeight, Parameter qkvBias, Parameter attentionOutWeight, Parameter attentionOutBias,
            Parameter attentionGamma, Parameter attentionBeta, Parameter intermediateWeight,
            Parameter intermediateBias, Parameter outputWeight, Parameter outputBias, Parameter outputGamma,
            Parameter outputBeta) {}

    /**
     * @param rows vocabulary rows (the base's vocabulary size)
     * @param shape the encoder's shape
     * @param labels number of output labels
     */
    public TransformerBlock(long rows, TransformerShape shape, int labels) {
        super(VERSION, TransformerArchitecture.ID, rows, shape.hidden(), labels);
        this.shape = shape;
        int h = shape.hidden();
        int f = shape.intermediate();
        positionEmbedding = parameter("position_embedding", Parameter.Type.WEIGHT, new Shape(shape.positions(), h));
        tokenTypeEmbedding = parameter("token_type_embedding", Parameter.Type.OTHER, new Shape(h)); // 1-D: no Xavier
        embeddingGamma = parameter("embedding_norm.gamma", Parameter.Type.GAMMA, new Shape(h));
        embeddingBeta = parameter("embedding_norm.beta", Parameter.Type.BETA, new Shape(h));
        for (int l = 0; l < shape.layers(); l++) {
            String p = "layer" + l + ".";
            layerParameters.add(new Layer(
                    parameter(p + "qkv.weight", Parameter.Type.WEIGHT, new Shape(3L * h, h)),
                    parameter(p + "qkv.bias", Parameter.Type.BIAS, new Shape(3L * h)),
                    parameter(p + "attention_output.weight", Parameter.Type.WEIGHT, new Shape(h, h)),
                    parameter(p + "attention_output.bias", Parameter.Type.BIAS, new Shape(h)),
                    parameter(p + "attention_norm.gamma", Parameter.Type.GAMMA, new Shape(h)),
                    parameter(p + "attention_norm.beta", Parameter.Type.BETA, new Shape(h)),
                    parameter(p + "intermediate.weight", Parameter.Type.WEIGHT, new Shape(f, h)),
                    parameter(p + "intermediate.bias", Parameter.Type.BIAS, new Shape(f)),
                    parameter(p + "output.weight", Parameter.Type.WEIGHT, new Shape(h, f)),
                    parameter(p + "output.bias", Parameter.Type.BIAS, new Shape(h)),
                    parameter(p + "output_norm.gamma", Parameter.Type.GAMMA, new Shape(h)),
                    parameter(p + "output_norm.beta", Parameter.Type.BETA, new Shape(h))));
        }
        addHead(h, Initializer.ZEROS);
    }

    private Parameter parameter(String name, Parameter.Type type, Shape shape) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(Initializer.ZEROS).build());
    }

    public TransformerShape shape() {
        return shape;
    }


    /** 32 texts of up to 512 tokens keep the attention scores of one layer under 0.5 GB. */
    @Override
    public int predictBatchSize() {
        return 32;
    }



    Parameter positionEmbedding() {
        return positionEmbedding;
    }

    Parameter tokenTypeEmbedding() {
        return tokenTypeEmbedding;
    }

    Parameter embeddingGamma() {
        return embeddingGamma;
    }

    Parameter embeddingBeta() {
        return embeddingBeta;
    }

    List<Layer> layers() {
        return layerParameters;
    }

    /** Whether a parameter belongs to the encoder (everything but the classification head). */
    public boolean isEncoder(Parameter p) {
        return p != weight() && p != bias();
    }

    /**
     * Freezes every encoder parameter, so that only the head trains ({@code --freeze-encoder}). The encoder then
     * runs as a fixed feature extractor, without dropout inside it also in training (dropout stays before the
     * head), so that it gives each text the same states in every step and {@link #precompute} can keep them.
     */
    public void freezeEncoder() {
        for (ai.djl.util.Pair<String, Parameter> p : getParameters()) {
            if (isEncoder(p.getValue())) {
                p.getValue().freeze(true);
            }
        }
        encoderFrozen = true;
    }

    /** The most memory the pooled states of a frozen encoder may take: beyond it each batch runs the encoder. */
    static final long FROZEN_STATES_BYTES = 2L << 30;

    private static final long PROGRESS_EVERY_NANOS = 30_000_000_000L;

    /**
     * With a frozen encoder: computes the pooled states of {@code texts} once (longest first, in batches of
     * {@link #predictBatchSize()}, always in the same order, so that a resumed run gets the same values), so that a
     * training step and a validation pass run only the head. A text that was not among them still goes through
     * the encoder. Without a frozen encoder, nothing.
     */
    @Override
    public String precompute(Supplier<int[][]> texts, NDManager manager, Consumer<String> progress) {
        releasePrecomputed();
        if (!encoderFrozen) {
            return null;
        }
        long start = System.nanoTime();
        java.util.Set<FrozenStates.Key> distinct = new java.util.LinkedHashSet<>();
        for (int[] text : texts.get()) {
            distinct.add(FrozenStates.Key.of(text));
        }
        List<FrozenStates.Key> unique = new ArrayList<>(distinct);
        if (unique.isEmpty()) {
            return null;
        }
        long bytes = (long) unique.size() * shape.hidden() * Float.BYTES;
        if (bytes > FROZEN_STATES_BYTES) {
            return String.format(Locale.ROOT, "frozen encoder: the states of %,d texts would take %,d MB; the "
                    + "encoder runs in every step instead", unique.size(), bytes >> 20);
        }
        unique.sort(Comparator.comparingInt(FrozenStates.Key::length).reversed()); // stable: ties keep their order
        Map<FrozenStates.Key, Integer> rows = new HashMap<>(); // a text's row: its place in that order
        for (int r = 0; r < unique.size(); r++) {
            rows.put(unique.get(r), r);
        }
        progress.accept(String.format(Locale.ROOT, "frozen encoder: computing the states of %,d texts once",
                unique.size()));
        NDManager kept = manager.newSubManager();
        NDList batches = new NDList();
        int size = predictBatchSize();
        long told = System.nanoTime();
        for (int from = 0; from < unique.size(); from += size) {
            long now = System.nanoTime();
            if (now - told > PROGRESS_EVERY_NANOS) {
                told = now;
                // longest first: the rest goes faster than the pace so far
                progress.accept(String.format(Locale.ROOT, "frozen encoder: %,d of %,d texts (%.0f s)", from,
                        unique.size(), (now - start) / 1e9));
            }
            int to = Math.min(unique.size(), from + size);
            int width = Math.max(1, unique.get(from).length());
            long[] ids = new long[(to - from) * width];
            for (int r = from; r < to; r++) {
                int[] t = unique.get(r).ids();
                for (int c = 0; c < t.length; c++) {
                    ids[(r - from) * width + c] = t[c];
                }
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray batch = sub.create(ids, new Shape(to - from, width));
                NDArray states = pool(encode(new ParameterStore(sub, false), batch, false), batch);
                states.attach(kept);
                batches.add(states);
            }
        }
        NDArray all = batches.head();
        if (batches.size() > 1) {
            all = NDArrays.concat(batches);
            all.attach(kept);
            batches.close();
        }
        frozenStates = new FrozenStates(rows, all, kept);
        return String.format(Locale.ROOT, "frozen encoder: computed the states of %,d texts once (%.1f s, %,d MB); "
                + "each step trains the head only", unique.size(), (System.nanoTime() - start) / 1e9,
                Math.max(1, bytes >> 20));
    }

    /** What {@link #precompute} kept, or null. */
    FrozenStates frozenStates() {
        return frozenStates;
    }

    @Override
    public void releasePrecomputed() {
        if (frozenStates != null) {
            frozenStates.close();
            frozenStates = null;
        }
    }

    /**
     * Copies the base encoder's weights into the (initialized) parameters; the head keeps its initial values.
     *
     * @throws IllegalArgumentException when the base's shape is not this block's
     */
    public void loadBase(BertWeights base) {
        if (!TransformerShape.of(base, shape.pooling(), shape.dropout()).equals(shape)
                || base.vocabularySize() != embedding.getArray().getShape().get(0)) {
            throw new IllegalArgumentException("the base encoder (" + base + ") is not the shape of this block ("
                    + shape + ", " + embedding.getArray().getShape().get(0) + " rows)");
        }
        int h = shape.hidden();
        set(embedding, base.get("embeddings.word_embeddings.weight"));
        set(positionEmbedding, base.get("embeddings.position_embeddings.weight"));
        set(tokenTypeEmbedding, Arrays.copyOf(base.get("embeddings.token_type_embeddings.weight"), h));
        set(embeddingGamma, base.get("embeddings.LayerNorm.weight"));
        set(embeddingBeta, base.get("embeddings.LayerNorm.bias"));
        for (int l = 0; l < shape.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            Layer layer = layerParameters.get(l);
            set(layer.qkvWeight(), concat(base.get(p + "attention.self.query.weight"),
                    base.get(p + "attention.self.key.weight"), base.get(p + "attention.self.value.weight")));
            set(layer.qkvBias(), concat(base.get(p + "attention.self.query.bias"),
                    base.get(p + "attention.self.key.bias"), base.get(p + "attention.self.value.bias")));
            set(layer.attentionOutWeight(), base.get(p + "attention.output.dense.weight"));
            set(layer.attentionOutBias(), base.get(p + "attention.output.dense.bias"));
            set(layer.attentionGamma(), base.get(p + "attention.output.LayerNorm.weight"));
            set(layer.attentionBeta(), base.get(p + "attention.output.LayerNorm.bias"));
            set(layer.intermediateWeight(), base.get(p + "intermediate.dense.weight"));
            set(layer.intermediateBias(), base.get(p + "intermediate.dense.bias"));
            set(layer.outputWeight(), base.get(p + "output.dense.weight"));
            set(layer.outputBias(), base.get(p + "output.dense.bias"));
            set(layer.outputGamma(), base.get(p + "output.LayerNorm.weight"));
            set(layer.outputBeta(), base.get(p + "output.LayerNorm.bias"));
        }
    }

    private static void set(Parameter p, float[] values) {
        NDArray a = p.getArray();
        if (a.getShape().size() != values.length) {
            throw new IllegalArgumentException("parameter " + p.getName() + " has " + a.getShape().size()
                    + " values, the base " + values.length);
        }
        a.set(FloatBuffer.wrap(values));
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        Device device = ids.getDevice();
        NDArray pooled = frozenStates == null ? null : frozenStates.find(ids);
        if (pooled == null) {
            pooled = pool(encode(store, ids, training && !encoderFrozen), ids);
        }
        pooled = Dropout.dropout(pooled, shape.dropout(), training).singletonOrThrow();
        return Linear.linear(pooled, store.getValue(weight(), device, training), store.getValue(bias(), device, training));
    }

    /** The base's pooling of {@code states} [batch, sequence, hidden]: [batch, hidden]. */
    private NDArray pool(NDArray states, NDArray ids) {
        if (shape.pooling() == TransformerShape.Pooling.CLS) {
            return states.get(":, 0, :");
        }
        NDArray mask = mask(ids); // [B, T]
        NDArray sum = states.mul(mask.expandDims(2)).sum(new int[] {1});
        return sum.div(mask.sum(new int[] {1}, true).maximum(1f));
    }

    /** The encoder's hidden states [batch, sequence, hidden]: what the base's {@code last_hidden_state} gives. */
    public NDArray encode(ParameterStore store, NDArray ids, boolean training) {
        Device device = ids.getDevice();
        long batch = ids.getShape().get(0);
        long length = ids.getShape().get(1);
        if (length > shape.positions()) {
            throw new IllegalArgumentException("a text of " + length + " tokens is longer than the "
                    + shape.positions() + " positions of the encoder");
        }
        int h = shape.hidden();
        int heads = shape.heads();
        int headSize = shape.headSize();
        float eps = shape.layerNormEpsilon();
        float dropout = shape.dropout();
        Shape norm = new Shape(h);
        // 0 where the text has a token, the lowest float where it has padding: [B, 1, 1, T]
        NDArray additiveMask = ids.eq(0).toType(DataType.FLOAT32, false).mul(MASKED).reshape(batch, 1, 1, length);

        NDArray x = Embedding.embedding(ids, store.getValue(embedding, device, training), SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray positions = store.getValue(positionEmbedding, device, training).get("0:" + length);
        x = x.add(positions).add(store.getValue(tokenTypeEmbedding, device, training));
        x = LayerNorm.layerNorm(x, norm, store.getValue(embeddingGamma, device, training),
                store.getValue(embeddingBeta, device, training), eps).singletonOrThrow();
        x = Dropout.dropout(x, dropout, training).singletonOrThrow();
        float scale = (float) (1.0 / Math.sqrt(headSize));
        for (Layer layer : layerParameters) {
            NDArray qkv = Linear.linear(x, store.getValue(layer.qkvWeight(), device, training),
                    store.getValue(layer.qkvBias(), device, training)).singletonOrThrow();
            // [B, T, 3, heads, headSize] -> [3, B, heads, T, headSize]
            qkv = qkv.reshape(batch, length, 3, heads, headSize).transpose(2, 0, 3, 1, 4);
            NDArray q = qkv.get(0).mul(scale);
            NDArray k = qkv.get(1);
            NDArray v = qkv.get(2);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(additiveMask); // [B, heads, T, T]
            NDArray probabilities = Dropout.dropout(scores.softmax(-1), dropout, training).singletonOrThrow();
            NDArray context = probabilities.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, h);
            NDArray attention = Linear.linear(context, store.getValue(layer.attentionOutWeight(), device, training),
                    store.getValue(layer.attentionOutBias(), device, training)).singletonOrThrow();
            attention = Dropout.dropout(attention, dropout, training).singletonOrThrow();
            x = LayerNorm.layerNorm(x.add(attention), norm, store.getValue(layer.attentionGamma(), device, training),
                    store.getValue(layer.attentionBeta(), device, training), eps).singletonOrThrow();
            NDArray inner = Activation.gelu(Linear.linear(x, store.getValue(layer.intermediateWeight(), device,
                    training), store.getValue(layer.intermediateBias(), device, training)).singletonOrThrow());
            NDArray out = Linear.linear(inner, store.getValue(layer.outputWeight(), device, training),
                    store.getValue(layer.outputBias(), device, training)).singletonOrThrow();
            out = Dropout.dropout(out, dropout, training).singletonOrThrow();
            x = LayerNorm.layerNorm(x.add(out), norm, store.getValue(layer.outputGamma(), device, training),
                    store.getValue(layer.outputBeta(), device, training), eps).singletonOrThrow();
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), labels)};
    }
}
