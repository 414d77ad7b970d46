package dev.sentikit;

import dev.sentikit.spi.EncodedAnalyzer;
import dev.sentikit.text.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Leave one token out, on the encoder's ids: what {@link SentimentAnalyzer#explain(String, String)} computes.
 *
 * <p>The tokens are those the model's encoder reads of the text ({@link TextEncoder#tokenize(String)}), in text
 * order. Row 0 is the text's ids ({@link TextEncoder#encode}); row {@code i + 1} is the ids of the same tokens
 * without token {@code i} ({@link TextEncoder#encodeTokens}): the other tokens' ids, and, for an encoder with
 * bigrams, the bigrams of the tokens that are then neighbours, so token {@code i}'s two bigrams go and the one
 * joining its neighbours comes; for WordPiece, the other words' pieces between {@code [CLS]} and {@code [SEP]}.
 * Nothing is turned back into text and read again. The {@code n + 1} rows run as one batch
 * ({@link EncodedAnalyzer#analyzeEncoded}), and the contribution of token {@code i} is
 * {@code p(label | row 0) − p(label | row i + 1)}.
 *
 * <p>For a text read whole this is what encoding the other tokens joined by spaces gives (what explain did
 * before, and what the JavaScript package does), so the numbers are the same. A text longer than the model reads
 * is explained as the model reads it once, cut as its encoder says: its tokens are the ones read, and
 * {@code p(label | text)} is that read's, also where the analyzer reads long texts in windows.
 */
final class Explainer {

    private Explainer() {}

    /** Explains {@code label} of {@code text}, or the predicted label when {@code label} is null. */
    static Explanation explain(SentimentAnalyzer analyzer, String text, String label) {
        Objects.requireNonNull(text, "text");
        if (!(analyzer instanceof EncodedAnalyzer engine)) {
            throw new UnsupportedOperationException("explain runs the model on ids, which "
                    + analyzer.getClass().getName() + " does not offer: its analyzer must implement "
                    + EncodedAnalyzer.class.getName() + ", as runtime-onnx's does");
        }
        TextEncoder encoder = engine.encoder();
        List<String> tokens = encoder.tokenize(text);
        List<int[]> rows = new ArrayList<>(tokens.size() + 1);
        rows.add(encoder.encode(text));
        List<String> others = new ArrayList<>(tokens.size());
        for (int leftOut = 0; leftOut < tokens.size(); leftOut++) {
            others.clear();
            for (int t = 0; t < tokens.size(); t++) {
                if (t != leftOut) {
                    others.add(tokens.get(t));
                }
            }
            rows.add(encoder.encodeTokens(others));
        }
        List<Sentiment> results = engine.analyzeEncoded(rows);
        String explained = label == null ? results.get(0).label() : label;
        double probability = results.get(0).score(explained);
        List<Explanation.TokenContribution> contributions = new ArrayList<>(tokens.size());
        for (int t = 0; t < tokens.size(); t++) {
            contributions.add(new Explanation.TokenContribution(t, tokens.get(t),
                    probability - results.get(t + 1).score(explained)));
        }
        return new Explanation(text, explained, probability, contributions);
    }
}
