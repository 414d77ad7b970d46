package dev.sentikit.bench;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDK's counterpart of {@code fasttext predict-prob MODEL FILE}, for the whole-process comparison: reads one
 * text per line from standard input, analyzes them in batches of {@value #BATCH}, and prints
 * {@code label probability} per line, as fastText does. Process start, model loading and output are included in
 * the time, as they are for fastText.
 */
public final class PredictFile {

    static final int BATCH = 256;

    private PredictFile() {}

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        try (SentimentAnalyzer analyzer = Sdk.open()) {
            List<String> batch = new ArrayList<>(BATCH);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                batch.add(line);
                if (batch.size() == BATCH) {
                    write(analyzer.analyzeAll(batch), out);
                    batch.clear();
                }
            }
            write(analyzer.analyzeAll(batch), out);
        }
        out.flush();
    }

    private static void write(List<Sentiment> sentiments, BufferedWriter out) throws IOException {
        for (Sentiment s : sentiments) {
            out.write(s.label());
            out.write(' ');
            out.write(Float.toString((float) s.score()));
            out.newLine();
        }
    }
}
