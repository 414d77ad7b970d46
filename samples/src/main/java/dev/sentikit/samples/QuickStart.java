package dev.sentikit.samples;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;

/**
 * The few lines a new user needs: load the default model and analyze a text.
 *
 * <pre>
 * &lt;dependency&gt;
 *   &lt;groupId&gt;dev.sentikit&lt;/groupId&gt;&lt;artifactId&gt;runtime-onnx&lt;/artifactId&gt;
 * &lt;/dependency&gt;
 * &lt;dependency&gt;
 *   &lt;groupId&gt;dev.sentikit.zoo&lt;/groupId&gt;&lt;artifactId&gt;sentikit-model-en&lt;/artifactId&gt;
 * &lt;/dependency&gt;
 * </pre>
 */
public final class QuickStart {

    private QuickStart() {}

    public static void main(String[] args) throws Exception {
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.defaultModel()) {
            Sentiment s = analyzer.analyze(args.length > 0 ? String.join(" ", args) : "I love how light this laptop is!");
            System.out.printf("%s (%.2f)  all: %s%n", s.label(), s.score(), s.scores());
        }
    }
}
