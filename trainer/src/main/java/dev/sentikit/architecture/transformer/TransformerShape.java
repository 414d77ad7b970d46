package dev.sentikit.architecture.transformer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of a transformer classifier: its encoder's (those of the base it was fine-tuned from), the pooling
 * that turns the encoder's states into one vector, and the dropout used in training. Recorded in the model
 * card's hyperparameters, so that a checkpoint can be rebuilt without the base.
 *
 * @param layers encoder layers
 * @param hidden width of the hidden states
 * @param heads attention heads (hidden must be a multiple)
 * @param intermediate width of the feed-forward layer
 * @param positions position embeddings: the longest text the encoder reads, in tokens
 * @param layerNormEpsilon the LayerNorm epsilon of the base (1e-12 in BERT)
 * @param pooling how the hidden states become one vector
 * @param dropout the dropout rate of training (hidden states, attention probabilities, the pooled vector)
 */
public record TransformerShape(int layers, int hidden, int heads, int intermediate, int positions,
        float layerNormEpsilon, Pooling pooling, float dropout) {

    /** BERT's dropout rate. */
    public static final float DEFAULT_DROPOUT = 0.1f;

    /** How the hidden states of a text become the vector the classifier reads. */
    public enum Pooling {
        /** The mean over the text's tokens (padding excluded): what sentence-transformers models such as MiniLM use. */
        MEAN,
        /** The state of the first token, [CLS]: what bge models use. */
        CLS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Pooling parse(String s) {
            for (Pooling p : values()) {
                if (p.id().equalsIgnoreCase(s.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("pooling must be mean or cls, got '" + s + "'");
        }
    }

    public TransformerShape {
        if (layers < 1 || hidden < 1 || heads < 1 || intermediate < 1 || positions < 1) {
            throw new IllegalArgumentException("invalid transformer shape: " + layers + " layers, hidden " + hidden
                    + ", " + heads + " heads, intermediate " + intermediate + ", " + positions + " positions");
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " is not a multiple of the " + heads + " heads");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(layerNormEpsilon > 0)) {
            throw new IllegalArgumentException("LayerNorm epsilon must be > 0, got " + layerNormEpsilon);
        }
        java.util.Objects.requireNonNull(pooling, "pooling");
    }

    /** The shape of {@code base} with this pooling and dropout. */
    public static TransformerShape of(BertWeights base, Pooling pooling, float dropout) {
        return new TransformerShape(base.layers(), base.hidden(), base.heads(), base.intermediate(), base.positions(),
                base.layerNormEpsilon(), pooling, dropout);
    }

    public int headSize() {
        return hidden / heads;
    }

    /** As recorded in a card's hyperparameters. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", layers);
        m.put("hidden", hidden);
        m.put("heads", heads);
        m.put("intermediate", intermediate);
        m.put("positions", positions);
        m.put("layer_norm_eps", (double) layerNormEpsilon);
        m.put("pooling", pooling.id());
        m.put("dropout", (double) dropout);
        return m;
    }

    /** What {@link #toMap()} wrote. */
    public static TransformerShape fromMap(Map<?, ?> m) {
        return new TransformerShape(number(m, "layers").intValue(), number(m, "hidden").intValue(),
                number(m, "heads").intValue(), number(m, "intermediate").intValue(),
                number(m, "positions").intValue(), number(m, "layer_norm_eps").floatValue(),
                Pooling.parse(String.valueOf(m.get("pooling"))), number(m, "dropout").floatValue());
    }

    private static Number number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("the transformer settings have no number '" + key + "': " + m);
        }
        return (Number) v;
    }
}
