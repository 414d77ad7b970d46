package dev.sentikit.server;

import dev.sentikit.Explanation;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one queue in front of the model: admits requests by their estimated work, joins the texts of concurrent
 * requests into one {@link SentimentAnalyzer#analyzeAll} call, and answers each request when its last text is done
 * or its deadline passes.
 *
 * <p>Life of a request ({@link Ticket}):
 * <ol>
 *   <li>{@link #submit} estimates its work in tokens ({@link #estimateTokens}) and admits it only if the queue has
 *       room for it and, once the model's pace is known, it can be finished before its deadline; otherwise it throws
 *       {@link Refused} (503 with {@code Retry-After}), at once, so that no client waits to be told no. The
 *       estimate follows the order of service below, with the model's pace learnt from full batches, and keeps a
 *       margin ({@link #DEADLINE_MARGIN}).</li>
 *   <li>One worker thread forms batches: when the first waiting text has waited {@code maxBatchWait} or
 *       {@code maxBatchTexts} texts wait, whichever comes first (Triton's dynamic batcher, TorchServe's
 *       {@code max_batch_delay}). A batch takes the small requests (a batch or less) first, whole and in order,
 *       and fills the rest with slices of the large ones, in order of arrival, keeping a quarter of each batch for
 *       them while one waits: a request of 1,000 texts is split into slices that go with the small requests, instead
 *       of holding the model for seconds ahead of them.</li>
 *   <li>A request whose deadline passes is taken out of the line and completed with {@link DeadlineExceeded}; what
 *       was already running for it is dropped when it ends.</li>
 * </ol>
 *
 * <p>One worker is enough: {@code analyzeAll} already spreads a batch over every core. An explanation costs a run
 * per token, so explanations are not joined with other texts: each explained text is a batch of its own when its
 * request is the oldest waiting, which then goes to the back of the line.
 */
final class MicroBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    /** The model's pace is learnt from batches at least this full; a lone text says little about a full batch. */
    private static final double PACE_MIN_FILL = 0.5;
    /** Weight of the newest batch in the running estimate of the pace. */
    private static final double PACE_WEIGHT = 0.2;
    /** The share of each batch kept for large requests while one waits. */
    static final double LARGE_SHARE = 0.25;
    /**
     * A request is admitted only if its estimated time fits in this share of what is left of its deadline: the
     * model's pace on shared cores changes, and small requests arriving later go first.
     */
    static final double DEADLINE_MARGIN = 0.75;
    /** Retry-After at most this many seconds: a client should come back within a minute and see. */
    static final long MAX_RETRY_AFTER_SECONDS = 60;

    /** The queue refused a request: the status to answer (503 or 413), the message, and when to retry (503). */
    static final class Refused extends Exception {
        final int status;
        final long retryAfterSeconds;

        Refused(int status, String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    /** A request's deadline passed before its results were ready; {@code started}: some of it had reached the model. */
    static final class DeadlineExceeded extends Exception {
        final boolean started;

        DeadlineExceeded(boolean started) {
            super(started ? "the deadline passed while the request was being analyzed"
                    : "the deadline passed before the request reached the model", null, false, false);
            this.started = started;
        }
    }

    /** An explained text: its result and what each token added. */
    record Explained(Sentiment sentiment, Explanation explanation) {}

    /** What the batcher reports to the metrics. */
    interface Listener {
        /** A batch ran: its texts, its estimated tokens, and how long {@code analyzeAll} took. */
        void batch(int texts, long tokens, long nanos);
    }

    /** One admitted request. Its fields other than the final ones are guarded by the batcher's lock. */
    final class Ticket {
        final List<String> texts;
        final boolean explain;
        final int[] tokens;
        final long deadline;
        final long arrival;
        final Object[] results;
        final CompletableFuture<List<Object>> future = new CompletableFuture<>();
        /** The next text to hand to the model. */
        int next;
        /** Texts whose results are in. */
        int done;
        /** Tokens of the texts not yet handed to the model. */
        long waitingTokens;
        ScheduledFuture<?> timer;

        private Ticket(List<String> texts, boolean explain, int[] tokens, long tokenSum, long deadline, long arrival) {
            this.texts = texts;
            this.explain = explain;
            this.tokens = tokens;
            this.deadline = deadline;
            this.arrival = arrival;
            this.results = new Object[texts.size()];
            this.waitingTokens = tokenSum;
        }

        boolean started() {
            return next > 0;
        }

        /** The results, in the order of the texts: {@link Sentiment}s, or {@link Explained} for an explanation. */
        CompletableFuture<List<Object>> future() {
            return future;
        }
    }

    /** A run of consecutive texts of one ticket, handed to the model in one batch. */
    private record Slice(Ticket ticket, int from, int to) {}

    private final SentimentAnalyzer analyzer;
    private final int maxBatchTexts;
    private final long maxBatchWaitNanos;
    private final long maxQueueTokens;
    private final int tokenCap;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Ticket> line = new ArrayDeque<>();
    private final ScheduledThreadPoolExecutor timers;
    private final Thread worker;
    private long waitingTokens;
    private int waitingTexts;
    private int waitingAnalyzeTexts;
    private long runningTokens;
    /** Estimated tokens the model reads per second, learnt from full batches; 0 until the first one. */
    private volatile double tokensPerSecond;
    private boolean admitting = true;
    /**
     * Tokens waiting when a request was last refused for lack of room or time, 0 when none since the line drained
     * to half of that: readiness turns back on with this margin, rather than flapping with each request.
     */
    private long fullAt;
    private boolean stopped;

    /**
     * @param tokenCap the most tokens one text is counted for (the model's {@code max_tokens}: it reads no more)
     */
    MicroBatcher(SentimentAnalyzer analyzer, int maxBatchTexts, long maxBatchWaitNanos, long maxQueueTokens,
            int tokenCap, Listener listener) {
        this.analyzer = analyzer;
        this.maxBatchTexts = maxBatchTexts;
        this.maxBatchWaitNanos = maxBatchWaitNanos;
        this.maxQueueTokens = maxQueueTokens;
        this.tokenCap = Math.max(1, tokenCap);
        this.listener = listener;
        this.timers = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "sentiment-deadlines"));
        // Most requests finish before their deadline: drop their timers at once rather than at the deadline.
        this.timers.setRemoveOnCancelPolicy(true);
        this.worker = daemon(this::work, "sentiment-batcher");
        this.worker.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * A text's work, in tokens, estimated from its characters without running the tokenizer: one per short word
     * (one more per 6 letters, as WordPiece splits long words), one per punctuation mark and per CJK character,
     * two for the markers around the text; at most {@code cap}, what the model reads.
     */
    static int estimateTokens(String text, int cap) {
        int tokens = 2;
        int wordLength = 0;
        for (int i = 0; i < text.length() && tokens < cap; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c) && !isCjk(c)) {
                if (wordLength % 6 == 0) {
                    tokens++;
                }
                wordLength++;
            } else {
                wordLength = 0;
                if (!Character.isWhitespace(c)) {
                    tokens++;
                }
            }
        }
        return Math.min(tokens, cap);
    }

    private static boolean isCjk(int c) {
        Character.UnicodeScript s = Character.UnicodeScript.of(c);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
    }

    /**
     * Admits a request, or refuses it at once.
     *
     * @param deadline {@link System#nanoTime()} by which the results must be ready
     * @throws Refused 503 when the queue is full, the service is stopping, or the request could not finish before
     *     its deadline; 413 when the request alone is more work than the queue holds
     */
    Ticket submit(List<String> texts, boolean explain, long deadline) throws Refused {
        int[] tokens = new int[texts.size()];
        long sum = 0;
        for (int i = 0; i < tokens.length; i++) {
            int t = estimateTokens(texts.get(i), tokenCap);
            // An explanation runs the text once more per token, each run as long as the text.
            tokens[i] = explain ? t * (t + 1) : t;
            sum += tokens[i];
        }
        if (sum > maxQueueTokens) {
            throw new Refused(413, "this request is about " + sum + " tokens of work, more than the " + maxQueueTokens
                    + " the queue holds (--max-queue-tokens); send fewer or shorter texts", 0);
        }
        long now = System.nanoTime();
        Ticket ticket = new Ticket(texts, explain, tokens, sum, deadline, now);
        lock.lock();
        try {
            if (!admitting) {
                throw new Refused(503, "the service is stopping; retry on another instance", 1);
            }
            if (waitingTokens + sum > maxQueueTokens) {
                fullAt = Math.max(1, waitingTokens);
                throw new Refused(503, "the service is at capacity: about " + waitingTokens + " tokens of work are "
                        + "queued, at most " + maxQueueTokens + "; retry later", retryAfter(waitingTokens + sum
                        - maxQueueTokens));
            }
            double pace = tokensPerSecond;
            if (pace > 0) {
                // Small requests go ahead of large ones, large ones in order of arrival: a small request waits for
                // the batch running and the small ones before it (with a large one waiting, they get only part of
                // each batch); a large one for everything waiting.
                boolean large = !explain && texts.size() > maxBatchTexts;
                long ahead = runningTokens;
                boolean largeWaits = false;
                for (Ticket t : line) {
                    boolean tLarge = !t.explain && isLarge(t);
                    largeWaits |= tLarge;
                    if (large || !tLarge) {
                        ahead += t.waitingTokens;
                    }
                }
                if (!large && largeWaits) {
                    ahead += (long) (ahead * LARGE_SHARE / (1 - LARGE_SHARE));
                }
                double seconds = (ahead + sum) / pace;
                if (now + (long) (seconds * 1e9 / DEADLINE_MARGIN) > deadline) {
                    fullAt = Math.max(1, waitingTokens);
                    throw new Refused(503, String.format(java.util.Locale.ROOT, "the service is busy: this request "
                            + "would take about %.1f s, longer than its deadline of %.1f s; retry later or send fewer "
                            + "texts", seconds, Math.max(0, deadline - now) / 1e9), retryAfter(ahead));
                }
            }
            line.addLast(ticket);
            waitingTokens += sum;
            waitingTexts += texts.size();
            if (!explain) {
                waitingAnalyzeTexts += texts.size();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (texts.isEmpty()) {
            finishIfDone(ticket);
        } else {
            long delay = deadline - now;
            ticket.timer = timers.schedule(() -> expire(ticket), Math.max(0, delay), TimeUnit.NANOSECONDS);
            ticket.future.whenComplete((r, e) -> ticket.timer.cancel(false));
        }
        return ticket;
    }

    /** Seconds to wait before retrying, for this much work ahead: at least 1, at most a minute. */
    private long retryAfter(long tokens) {
        double pace = tokensPerSecond;
        long seconds = pace > 0 ? (long) Math.ceil(tokens / pace) : 1;
        return Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, seconds));
    }

    /** Seconds a client should wait before retrying now: how long the waiting work takes. */
    long retryAfterSeconds() {
        lock.lock();
        try {
            return retryAfter(waitingTokens + runningTokens);
        } finally {
            lock.unlock();
        }
    }

    /** Takes a ticket out of the line at its deadline and completes it with {@link DeadlineExceeded}. */
    private void expire(Ticket ticket) {
        boolean started;
        lock.lock();
        try {
            if (ticket.future.isDone()) {
                return;
            }
            if (line.remove(ticket)) {
                release(ticket);
            }
            started = ticket.started();
        } finally {
            lock.unlock();
        }
        ticket.future.completeExceptionally(new DeadlineExceeded(started));
    }

    /** Forgets what a ticket still had waiting (it leaves the line). Holds the lock. */
    private void release(Ticket ticket) {
        int left = ticket.texts.size() - ticket.next;
        waitingTexts -= left;
        if (!ticket.explain) {
            waitingAnalyzeTexts -= left;
        }
        waitingTokens -= ticket.waitingTokens;
        ticket.waitingTokens = 0;
    }

    /** Requests in the line. */
    int waitingRequests() {
        lock.lock();
        try {
            return line.size();
        } finally {
            lock.unlock();
        }
    }

    /** Texts in the line, not yet handed to the model. */
    int waitingTexts() {
        lock.lock();
        try {
            return waitingTexts;
        } finally {
            lock.unlock();
        }
    }

    /** Estimated tokens of the texts in the line. */
    long waitingTokens() {
        lock.lock();
        try {
            return waitingTokens;
        } finally {
            lock.unlock();
        }
    }

    long capacityTokens() {
        return maxQueueTokens;
    }

    /**
     * Whether requests find room: the batcher is admitting, and has not refused one since the line last drained to
     * half of what it held then.
     */
    boolean ready() {
        lock.lock();
        try {
            if (fullAt > 0 && waitingTokens <= fullAt / 2) {
                fullAt = 0;
            }
            return admitting && fullAt == 0 && waitingTokens < maxQueueTokens;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests from now on; those already admitted are still served. */
    void stopAdmitting() {
        lock.lock();
        try {
            admitting = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops: refuses new requests, completes those still waiting with {@link DeadlineExceeded} (they were not
     * served), and waits up to {@code graceMillis} for the batch now running.
     */
    void close(long graceMillis) {
        List<Ticket> left;
        lock.lock();
        try {
            admitting = false;
            stopped = true;
            left = new ArrayList<>(line);
            for (Ticket t : left) {
                release(t);
            }
            line.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Ticket t : left) {
            t.future.completeExceptionally(new DeadlineExceeded(t.started()));
        }
        try {
            worker.join(Math.max(1, graceMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
    }

    @Override
    public void close() {
        close(0);
    }

    private void work() {
        while (true) {
            List<Slice> batch;
            long tokens;
            lock.lock();
            try {
                batch = nextBatch();
                if (batch == null) {
                    return;
                }
                tokens = 0;
                for (Slice s : batch) {
                    for (int i = s.from; i < s.to; i++) {
                        tokens += s.ticket.tokens[i];
                    }
                }
                runningTokens = tokens;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                run(batch, tokens);
            } catch (RuntimeException | Error e) {
                // run() completes its tickets itself; this is a fault of the batcher, which must keep serving.
                LOG.error("a batch failed unexpectedly", e);
                for (Slice s : batch) {
                    s.ticket.future.completeExceptionally(e);
                }
            } finally {
                lock.lock();
                try {
                    runningTokens = 0;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Waits for work, then for a full batch or the oldest text's {@code maxBatchWait}, then takes the batch out of
     * the line; null when stopped. Holds the lock.
     */
    private List<Slice> nextBatch() throws InterruptedException {
        while (!stopped && line.isEmpty()) {
            changed.await();
        }
        if (stopped) {
            return null;
        }
        // The oldest waiting text sets the clock, as Triton's max_queue_delay: under load the line fills while the
        // model runs, and the next batch starts as soon as the model is free.
        long until = line.peekFirst().arrival + maxBatchWaitNanos;
        for (long left; !stopped && !line.isEmpty() && !line.peekFirst().explain
                && waitingAnalyzeTexts < maxBatchTexts && (left = until - System.nanoTime()) > 0; ) {
            changed.awaitNanos(left);
        }
        if (stopped) {
            return null;
        }
        List<Slice> batch = new ArrayList<>();
        Ticket head = line.peekFirst();
        if (head.explain) {
            // An explanation is a batch of its own, one text per turn; then it goes to the back of the line.
            take(batch, head, 1);
            line.removeFirst();
            if (head.next < head.texts.size()) {
                line.addLast(head);
            }
            return batch;
        }
        // Small requests (a batch or less) first, in order, whole; large ones fill the rest in order of arrival,
        // keeping at least LARGE_SHARE of the batch when one waits, so that a stream of small requests cannot
        // starve them. Large requests are served one after another rather than in turns: a large request admitted
        // later does not push one admitted earlier past its deadline, so admission can promise what it admits.
        boolean largeWaits = false;
        for (Ticket t : line) {
            largeWaits |= !t.explain && isLarge(t);
        }
        int room = largeWaits ? maxBatchTexts - Math.max(1, (int) (maxBatchTexts * LARGE_SHARE)) : maxBatchTexts;
        int size = 0;
        for (Iterator<Ticket> it = line.iterator(); it.hasNext(); ) {
            Ticket t = it.next();
            if (t.explain || isLarge(t)) {
                continue;
            }
            if (size + t.texts.size() > room) {
                break; // the next small request waits for the next batch, keeping the order
            }
            size += take(batch, t, t.texts.size());
            it.remove();
        }
        for (Iterator<Ticket> it = line.iterator(); it.hasNext() && size < maxBatchTexts; ) {
            Ticket t = it.next();
            if (t.explain || !isLarge(t)) {
                continue;
            }
            size += take(batch, t, Math.min(maxBatchTexts - size, t.texts.size() - t.next));
            if (t.next == t.texts.size()) {
                it.remove();
            }
        }
        return batch;
    }

    /** Whether a request takes more than one batch. */
    private boolean isLarge(Ticket t) {
        return t.texts.size() > maxBatchTexts;
    }

    /** Moves a ticket's next {@code n} texts into the batch. Holds the lock. */
    private int take(List<Slice> batch, Ticket t, int n) {
        batch.add(new Slice(t, t.next, t.next + n));
        for (int i = t.next; i < t.next + n; i++) {
            t.waitingTokens -= t.tokens[i];
            waitingTokens -= t.tokens[i];
        }
        t.next += n;
        waitingTexts -= n;
        if (!t.explain) {
            waitingAnalyzeTexts -= n;
        }
        return n;
    }

    /** Runs one batch outside the lock and hands each ticket its results. */
    private void run(List<Slice> batch, long tokens) {
        List<Slice> live = new ArrayList<>(batch.size());
        for (Slice s : batch) {
            if (!s.ticket.future.isDone()) { // expired while waiting for this batch: skip its texts
                live.add(s);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        if (live.get(0).ticket.explain) {
            Slice s = live.get(0);
            String text = s.ticket.texts.get(s.from);
            try {
                Sentiment sentiment = analyzer.analyzeAll(List.of(text)).get(0);
                deliver(s, new Object[] {new Explained(sentiment, analyzer.explain(text, sentiment.label()))});
            } catch (RuntimeException e) {
                s.ticket.future.completeExceptionally(e);
            }
        } else {
            List<String> texts = new ArrayList<>();
            for (Slice s : live) {
                texts.addAll(s.ticket.texts.subList(s.from, s.to));
            }
            try {
                List<Sentiment> results = analyzer.analyzeAll(texts);
                int at = 0;
                for (Slice s : live) {
                    int n = s.to - s.from;
                    deliver(s, results.subList(at, at + n).toArray());
                    at += n;
                }
            } catch (RuntimeException e) {
                if (live.size() == 1) {
                    live.get(0).ticket.future.completeExceptionally(e);
                } else {
                    // One request's texts should not fail the others that shared its batch: run each alone.
                    for (Slice s : live) {
                        try {
                            deliver(s, analyzer.analyzeAll(s.ticket.texts.subList(s.from, s.to)).toArray());
                        } catch (RuntimeException alone) {
                            s.ticket.future.completeExceptionally(alone);
                        }
                    }
                }
            }
        }
        long nanos = System.nanoTime() - start;
        int texts = 0;
        for (Slice s : live) {
            texts += s.to - s.from;
        }
        if (live.get(0).ticket.explain || texts >= maxBatchTexts * PACE_MIN_FILL) {
            double pace = tokens / Math.max(1e-9, nanos / 1e9);
            double old = tokensPerSecond;
            tokensPerSecond = old == 0 ? pace : (1 - PACE_WEIGHT) * old + PACE_WEIGHT * pace;
        }
        listener.batch(texts, tokens, nanos);
    }

    private void deliver(Slice s, Object[] results) {
        Ticket t = s.ticket;
        lock.lock();
        try {
            System.arraycopy(results, 0, t.results, s.from, results.length);
            t.done += results.length;
        } finally {
            lock.unlock();
        }
        finishIfDone(t);
    }

    private void finishIfDone(Ticket t) {
        List<Object> results = null;
        lock.lock();
        try {
            if (t.done == t.texts.size()) {
                results = Arrays.asList(t.results);
            }
        } finally {
            lock.unlock();
        }
        if (results != null) {
            t.future.complete(results);
        }
    }

    /** The model's pace as learnt so far, in estimated tokens per second; 0 before the first full batch. */
    double tokensPerSecond() {
        return tokensPerSecond;
    }
}
