package dev.sentikit.server;

import dev.sentikit.Explanation;
import dev.sentikit.Sentiment;
import dev.sentikit.text.Coverage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a result, the one home of what {@code bin/sentiment} prints and {@link SentimentServer}
 * answers: {@code {"text":…,"label":…,"score":…,"scores":{label:probability,…},"read":{…}}}, and with an
 * explanation {@code "explanation":[{"token":…,"contribution":…},…]} (the service adds each token's
 * {@code "index"}). The maps keep their keys in this order, which is the order Jackson writes them in; the
 * JavaScript package's CLI writes the same bytes (js/test/cli.test.mjs).
 */
public final class ResultJson {

    private ResultJson() {}

    /**
     * One result: text, label, score, scores (in label order), and how the text was read ({@link #read}) when the
     * analyzer says. Mutable, so that a caller can add its {@code "explanation"}.
     */
    public static Map<String, Object> result(String text, Sentiment s) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("text", text);
        line.put("label", s.label());
        line.put("score", s.score());
        line.put("scores", s.scores());
        if (s.coverage() != null) {
            line.put("read", read(s.coverage()));
        }
        return line;
    }

    /**
     * How a text was read: {"how": "whole" | "cut" | "windows", "tokens_read": n, "tokens": of, "windows": k,
     * "chars_cut": whether text past the encoder's max_chars was not even counted, "script": the script most of
     * its letters are in (null: too few letters), "script_known": false when the model was hardly trained on it}.
     */
    public static Map<String, Object> read(Coverage c) {
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("how", c.how());
        read.put("tokens_read", c.tokensRead());
        read.put("tokens", c.tokens());
        read.put("windows", c.windows());
        read.put("chars_cut", c.charsCut());
        read.put("script", c.script());
        read.put("script_known", c.scriptKnown());
        return read;
    }

    /**
     * An explanation's contributions, largest |contribution| first: [{"token":…,"contribution":…},…], with
     * {@code "index"} (the token's position among the text's tokens) first when {@code withIndex}.
     */
    public static List<Map<String, Object>> explanation(Explanation explanation, boolean withIndex) {
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (Explanation.TokenContribution c : explanation.byMagnitude()) {
            Map<String, Object> token = new LinkedHashMap<>();
            if (withIndex) {
                token.put("index", c.index());
            }
            token.put("token", c.token());
            token.put("contribution", c.contribution());
            tokens.add(token);
        }
        return tokens;
    }
}
