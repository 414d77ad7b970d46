package dev.sentikit.spi;

import dev.sentikit.Sentiment;
import dev.sentikit.text.TextEncoder;
import java.util.List;

/**
 * What an engine's {@link dev.sentikit.SentimentAnalyzer} adds for the SDK's own algorithms on ids, such as
 * {@code SentimentAnalyzer.explain}: the model's encoder, and a run of the model on rows of ids that encoder gave.
 * Engines implement it on their analyzer (runtime-onnx does); applications call {@code analyze} and
 * {@code explain}.
 */
public interface EncodedAnalyzer {

    /** The encoder of the model: the one that turns its texts into ids. */
    TextEncoder encoder();

    /**
     * The model's result for each row of ids, in order: each row as {@link TextEncoder#encode} or
     * {@link TextEncoder#encodeTokens} gives it (no padding, at most the encoder's
     * {@code maxSequenceLength()} ids, each in {@code 1 .. idSpace() − 1}); an empty row is a text without tokens.
     * The rows run in batches as {@code analyzeAll} runs texts. The results say nothing of how a text was read
     * ({@link Sentiment#coverage()} is null): the rows are what was read.
     *
     * @throws NullPointerException if the list or one of its rows is null
     * @throws IllegalArgumentException if a row is longer than the model reads or holds an id outside its ids
     * @throws IllegalStateException if the analyzer is closed
     */
    List<Sentiment> analyzeEncoded(List<int[]> rows);
}
