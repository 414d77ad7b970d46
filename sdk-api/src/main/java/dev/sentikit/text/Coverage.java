package dev.sentikit.text;

/**
 * How much of a text a model read: what every result says, so that a long text is never cut without the caller
 * knowing. Tokens are the encoder's: words for {@link EncoderSpec#SCHEME_V1}, WordPiece pieces (without
 * {@code [CLS]} and {@code [SEP]}) for {@link EncoderSpec#SCHEME_WORDPIECE_V1}.
 *
 * @param tokensRead the tokens the model read (in every window together, each counted once)
 * @param tokens the tokens of the text, counted in the part of it that was read ({@code max_chars} code units;
 *     see {@code charsCut})
 * @param windows 1 when the text was read once (whole, or cut as the model's {@link Truncation} says), else the
 *     number of overlapping windows it was read in
 * @param charsCut whether the text is longer than the encoder's {@code max_chars}, so that part of it was not
 *     even counted
 * @param script the script most of the text's letters are in ({@link Scripts#check}), or null when it has too
 *     few letters to say
 * @param scriptKnown false when most of the text's letters are in scripts the model was hardly trained on (such as
 *     a Chinese text given to the English model), so that its result means little; true otherwise, or when the
 *     model does not say which scripts it knows
 */
public record Coverage(int tokensRead, int tokens, int windows, boolean charsCut, String script,
        boolean scriptKnown) {

    /** A coverage that says nothing about the text's script. */
    public Coverage(int tokensRead, int tokens, int windows, boolean charsCut) {
        this(tokensRead, tokens, windows, charsCut, null, true);
    }

    /** The same coverage with what {@link Scripts#check} found. */
    public Coverage with(Scripts.Check check) {
        return new Coverage(tokensRead, tokens, windows, charsCut, check.script(), check.known());
    }

    public Coverage {
        if (tokensRead < 0 || tokens < tokensRead || windows < 1) {
            throw new IllegalArgumentException("invalid coverage: " + tokensRead + " of " + tokens + " tokens in "
                    + windows + " windows");
        }
    }

    /** Whether the model read less than the whole text. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean cut() {
        return tokensRead < tokens || charsCut;
    }

    /** How the text was read: {@code whole}, {@code cut} (once, as the model's truncation says) or {@code windows}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String how() {
        return windows > 1 ? "windows" : cut() ? "cut" : "whole";
    }
}
