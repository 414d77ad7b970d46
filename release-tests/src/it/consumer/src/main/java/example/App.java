package example;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;

/** Prints "label score" for each argument, with the default model: the README's few lines. */
public final class App {

    public static void main(String[] args) throws Exception {
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.defaultModel()) {
            for (String text : args) {
                Sentiment s = analyzer.analyze(text);
                System.out.println(s.label() + " " + s.score());
            }
        }
    }
}
