package dev.sentikit.server;

import dev.sentikit.Explanation;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An analyzer without a model, for the server's tests: a text with "good" in it is positive, any other negative; a
 * text "boom" makes the call fail. It records every {@link #analyzeAll} call's texts, and while {@link #hold()} is
 * in force each call waits at the gate until {@link #release()}, so that a test can fill the queue behind it.
 */
final class FakeAnalyzer implements SentimentAnalyzer {

    static final List<String> LABELS = List.of("negative", "positive");
    /** The text that makes a call fail, as a fault of the engine would. */
    static final String BOOM = "boom";

    private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
    private final Semaphore gate = new Semaphore(0);
    private volatile CountDownLatch entered = new CountDownLatch(1);
    private volatile boolean held;

    /** From now on, each call waits at the gate until {@link #release()}. */
    void hold() {
        gate.drainPermits();
        held = true;
        entered = new CountDownLatch(1);
    }

    /** Opens the gate for every call, waiting or to come. */
    void release() {
        held = false;
        gate.release(1_000_000); // more than any test makes calls
    }

    /** Waits until a call has reached the gate (or passed it) since {@link #hold()}. */
    boolean awaitCall(long seconds) throws InterruptedException {
        return entered.await(seconds, TimeUnit.SECONDS);
    }

    /** The texts of each call so far, in call order. */
    List<List<String>> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    static Sentiment expected(String text) {
        boolean good = text.contains("good");
        return new Sentiment(good ? "positive" : "negative", 0.9,
                Map.of("negative", good ? 0.1 : 0.9, "positive", good ? 0.9 : 0.1));
    }

    @Override
    public Sentiment analyze(String text) {
        return analyzeAll(List.of(text)).get(0);
    }

    @Override
    public List<Sentiment> analyzeAll(List<String> texts) {
        calls.add(List.copyOf(texts));
        entered.countDown();
        if (held) {
            try {
                if (!gate.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        List<Sentiment> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            if (BOOM.equals(t)) {
                throw new IllegalStateException("the engine failed on " + t);
            }
            out.add(expected(t));
        }
        return out;
    }

    /** One contribution per word, the first word's largest: enough to see that it reached the answer. */
    @Override
    public Explanation explain(String text, String label) {
        List<Explanation.TokenContribution> tokens = new ArrayList<>();
        String[] words = text.split(" ");
        for (int i = 0; i < words.length; i++) {
            tokens.add(new Explanation.TokenContribution(i, words[i], 0.5 / (i + 1)));
        }
        return new Explanation(text, label, 0.9, tokens);
    }

    @Override
    public List<String> labels() {
        return LABELS;
    }

    @Override
    public ModelCard card() {
        return new ModelCard(ModelFormat.FORMAT_VERSION, "fake", "a test double", "transformer", LABELS,
                EncoderSpec.defaults(), 0, 1, null, null, null);
    }

    @Override
    public void close() {}
}
