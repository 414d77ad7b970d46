package dev.sentikit.samples;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.SentikitVersion;
import java.util.Arrays;

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
        // --help and --version, as every Sentikit program answers them; the arguments after -- are text, whatever
        // they look like.
        String first = args.length > 0 ? args[0] : "";
        if (first.equals("--help") || first.equals("-h")) {
            System.out.println("Usage: QuickStart [--] [TEXT...]\nAnalyzes the TEXT arguments, joined by spaces, as one "
                    + "text with the default model (en) and prints its label, score and all scores.");
            return;
        }
        if (first.equals("--version") || first.equals("-V")) {
            SentikitVersion.report("QuickStart").forEach(System.out::println);
            return;
        }
        String[] text = first.equals("--") ? Arrays.copyOfRange(args, 1, args.length) : args;

        try (SentimentAnalyzer analyzer = SentimentAnalyzer.defaultModel()) {
            Sentiment s = analyzer.analyze(text.length > 0 ? String.join(" ", text) : "I love how light this laptop is!");
            System.out.printf("%s (%.2f)  all: %s%n", s.label(), s.score(), s.scores());
        }
    }
}
