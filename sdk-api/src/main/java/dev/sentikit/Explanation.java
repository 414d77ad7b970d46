package dev.sentikit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Why a model gave a text a label, token by token: what {@link SentimentAnalyzer#explain(String)} returns.
 *
 * <p>The contribution of a token is {@code p(label | text) − p(label | text without that token)}: positive when
 * the token pushes the model towards {@code label}, negative when it pushes away. Contributions are measured one
 * token at a time (leave one token out), so they need not add up to anything: two words that each suffice for a
 * label each get a small contribution. See {@link SentimentAnalyzer#explain(String, String)} for how the variants
 * without a token are made.
 *
 * @param text the text explained
 * @param label the label explained
 * @param probability {@code p(label | text)}, in [0, 1]
 * @param contributions one per token of the text, in text order; empty for a text without tokens
 */
public record Explanation(String text, String label, double probability, List<TokenContribution> contributions) {

    public Explanation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        contributions = List.copyOf(contributions);
    }

    /**
     * What one token adds to the probability of the explained label.
     *
     * @param index the token's position among the text's tokens, from 0
     * @param token the token as the model's encoder gives it (normalized and, for most models, lower-cased), so
     *     it may differ from how it is written in the text; the encoder does not keep character offsets
     * @param contribution {@code p(label | text) − p(label | text without this token)}, in [-1, 1]
     */
    public record TokenContribution(int index, String token, double contribution) {

        public TokenContribution {
            Objects.requireNonNull(token, "token");
        }
    }

    /** The contributions from the largest {@code |contribution|} to the smallest; ties keep text order. */
    public List<TokenContribution> byMagnitude() {
        List<TokenContribution> sorted = new ArrayList<>(contributions);
        sorted.sort(Comparator.comparingDouble((TokenContribution c) -> -Math.abs(c.contribution())));
        return List.copyOf(sorted);
    }
}
