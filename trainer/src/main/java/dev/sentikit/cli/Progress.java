package dev.sentikit.cli;

import dev.sentikit.train.report.EpochResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Shows how a training run is going, for the people watching it.
 *
 * <p>On a terminal ({@link #isTerminal()}, or when forced) it keeps one line up to date, redrawn with
 * {@code '\r'}: the epoch, the step, a bar, the running loss, examples per second and the time left in the
 * epoch, for example
 * <pre>
 * epoch 2/5  [==========&gt;         ]  120/240  loss 0.6421  3,210 ex/s  ETA 0:37
 * </pre>
 * At the end of each epoch the line is replaced by the epoch's summary ({@link #formatEpoch}). Redraws are at
 * most one per {@linkplain #withRedrawInterval(Duration) redraw interval} (the first and the last step of an
 * epoch are always drawn), so that thousands of small steps do not flood the terminal.
 *
 * <p>Anywhere else (a log file, a pipe, CI) it writes plain lines, never a carriage return: one every
 * {@linkplain #withLogEvery(int, Duration) N steps or every interval} (by default every 10 seconds), such as
 * <pre>
 * epoch 2/5  step 120/240  loss 0.6421  3,210 examples/s  ETA 0:37
 * </pre>
 * and the epoch's summary line.
 *
 * <p>Numbers are formatted in {@link Locale#ROOT}, so logs read the same everywhere. Time comes from the clock
 * given to {@link #forOutput(PrintWriter, boolean, LongSupplier)} (nanoseconds, like {@link System#nanoTime()}),
 * so that tests are deterministic. Meant to be driven by the training thread; the methods are synchronized so
 * that a {@link #message(String)} from another thread does not tear a line.
 */
public final class Progress implements AutoCloseable {

    /** Default plain-mode logging interval. */
    public static final Duration DEFAULT_LOG_INTERVAL = Duration.ofSeconds(10);
    /** Default terminal redraw interval. */
    public static final Duration DEFAULT_REDRAW_INTERVAL = Duration.ofMillis(100);
    /** Characters between the bar's brackets. */
    static final int BAR_WIDTH = 20;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanos;
    private int logEverySteps;
    private long logIntervalNanos = DEFAULT_LOG_INTERVAL.toNanos();
    private long redrawIntervalNanos = DEFAULT_REDRAW_INTERVAL.toNanos();

    private int epoch;
    private int epochs;
    private int steps;
    private long epochStart;
    private int firstStep = -1; // the first step this process took in the epoch
    private long lastOutput;
    private double lossSum;
    private long examples;
    /** Length of the status line currently shown on the terminal; -1 when none is open. */
    private int openLine = -1;
    /** The status line currently shown on the terminal. */
    private String lastDrawn;

    private Progress(PrintWriter out, boolean terminal, LongSupplier nanos) {
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = terminal;
        this.nanos = Objects.requireNonNull(nanos, "nanos");
    }

    /**
     * A progress display that reads the time from {@link System#nanoTime()}.
     *
     * @param out where to write
     * @param terminal whether {@code out} is a terminal that understands {@code '\r'} (see {@link #isTerminal()})
     */
    public static Progress forOutput(PrintWriter out, boolean terminal) {
        return new Progress(out, terminal, System::nanoTime);
    }

    /**
     * A progress display with its own clock.
     *
     * @param nanos a monotonic clock in nanoseconds, like {@link System#nanoTime()}
     */
    public static Progress forOutput(PrintWriter out, boolean terminal, LongSupplier nanos) {
        return new Progress(out, terminal, nanos);
    }

    /**
     * Whether standard output looks like an interactive terminal: the JVM has a console (on Java 17 it has none
     * when input or output is redirected) and {@code TERM} is not {@code dumb}.
     */
    public static boolean isTerminal() {
        return isTerminal(System.console() != null, System.getenv("TERM"));
    }

    /** {@link #isTerminal()} for given facts: a console is attached, and the value of {@code TERM} (may be null). */
    static boolean isTerminal(boolean hasConsole, String term) {
        return hasConsole && !"dumb".equals(term);
    }

    /**
     * Plain mode: writes a progress line every {@code steps} steps (0: not by count) and whenever {@code interval}
     * has passed since the last line (null or zero: not by time). Has no effect on a terminal.
     *
     * @return this
     */
    public synchronized Progress withLogEvery(int steps, Duration interval) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be 0 or more, got " + steps);
        }
        if (interval != null && interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, got " + interval);
        }
        this.logEverySteps = steps;
        this.logIntervalNanos = interval == null ? 0 : interval.toNanos();
        return this;
    }

    /**
     * Terminal mode: redraws the line at most once per {@code interval} (zero: at every step).
     *
     * @return this
     */
    public synchronized Progress withRedrawInterval(Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be zero or positive, got " + interval);
        }
        this.redrawIntervalNanos = interval.toNanos();
        return this;
    }

    /** @return whether this display redraws one line with {@code '\r'} */
    public boolean terminal() {
        return terminal;
    }

    /**
     * An epoch begins.
     *
     * @param epoch 1-based epoch number
     * @param epochs the number of epochs planned
     * @param steps optimizer steps in this epoch
     */
    public synchronized void startEpoch(int epoch, int epochs, int steps) {
        if (epoch < 1 || epochs < 1 || steps < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " of " + epochs + " with " + steps + " steps");
        }
        this.epoch = epoch;
        this.epochs = epochs;
        this.steps = steps;
        this.lossSum = 0;
        this.examples = 0;
        this.firstStep = -1;
        this.epochStart = nanos.getAsLong();
        this.lastOutput = epochStart;
        if (terminal) {
            draw(statusLine(0, epochStart, true));
        }
    }

    /**
     * An optimizer step has finished.
     *
     * @param step how many steps of this epoch are done, 1 to the {@code steps} of {@link #startEpoch}
     * @param loss the step's mean loss
     * @param examples the examples in the step's batch
     */
    public synchronized void step(int step, double loss, int examples) {
        if (epoch == 0) {
            throw new IllegalStateException("step() before startEpoch()");
        }
        if (examples < 0) {
            throw new IllegalArgumentException("examples must not be negative, got " + examples);
        }
        if (firstStep < 0) {
            firstStep = step; // above 1 where a resumed run starts mid-epoch
        }
        this.lossSum += loss * examples;
        this.examples += examples;
        long now = nanos.getAsLong();
        boolean show;
        if (terminal) {
            show = step <= 1 || step >= steps || now - lastOutput >= redrawIntervalNanos;
        } else {
            show = (logEverySteps > 0 && step % logEverySteps == 0)
                    || (logIntervalNanos > 0 && now - lastOutput >= logIntervalNanos);
        }
        if (!show) {
            return;
        }
        lastOutput = now;
        String line = statusLine(step, now, terminal);
        if (terminal) {
            draw(line);
        } else {
            out.println(line);
            out.flush();
        }
    }

    /** An epoch has ended: replaces the status line (on a terminal) with the epoch's summary line. */
    public synchronized void endEpoch(EpochResult result) {
        int total = epochs > 0 ? epochs : result.epoch();
        printLine(formatEpoch(result, total));
    }

    /** Writes a line of other output (a warning, say) without mixing it into the status line. */
    public synchronized void message(String line) {
        String status = openLine >= 0 ? lastDrawn : null;
        printLine(line);
        if (status != null) {
            draw(status);
        }
    }

    /** Ends an open status line, so that what is printed next starts on a line of its own. */
    @Override
    public synchronized void close() {
        if (openLine >= 0) {
            out.println();
            out.flush();
            openLine = -1;
        }
    }

    /**
     * The summary line of an epoch, as {@code trainer train} prints it:
     * {@code epoch 2/5  loss 0.4211  valid accuracy 0.8130  macro-F1 0.7902  (12,345 examples/s)}.
     */
    public static String formatEpoch(EpochResult r, int epochs) {
        return String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  valid accuracy %.4f  macro-F1 %.4f  (%,.0f examples/s)",
                r.epoch(), epochs, r.trainLoss(), r.validAccuracy(), r.validMacroF1(), r.examplesPerSecond());
    }

    /** Seconds as {@code m:ss}, or {@code h:mm:ss} from an hour up. */
    static String formatDuration(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s / 60) % 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** {@code [=====>    ]} for {@code done} of {@code total}. */
    static String bar(int done, int total) {
        int filled = total <= 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * Math.min(done, total) / total);
        StringBuilder sb = new StringBuilder(BAR_WIDTH + 2).append('[');
        for (int i = 0; i < BAR_WIDTH; i++) {
            sb.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        }
        return sb.append(']').toString();
    }

    private String statusLine(int step, long now, boolean forTerminal) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "epoch %d/%d  ", epoch, epochs));
        int width = Integer.toString(steps).length();
        if (forTerminal) {
            sb.append(bar(step, steps)).append(String.format(Locale.ROOT, "  %" + width + "d/%d", step, steps));
        } else {
            sb.append(String.format(Locale.ROOT, "step %d/%d", step, steps));
        }
        if (step == 0) {
            return sb.toString();
        }
        double elapsed = (now - epochStart) / 1e9;
        if (examples > 0) {
            sb.append(String.format(Locale.ROOT, "  loss %.4f", lossSum / examples));
        }
        if (elapsed > 0) {
            sb.append(String.format(Locale.ROOT, forTerminal ? "  %,.0f ex/s" : "  %,.0f examples/s",
                    examples / elapsed));
            // the pace of the steps this process took: a resumed epoch's earlier steps took no time here
            int taken = firstStep < 0 ? step : step - firstStep + 1;
            sb.append("  ETA ").append(formatDuration(elapsed / taken * Math.max(0, steps - step)));
        }
        return sb.toString();
    }

    /** Shows {@code line} as the terminal's status line, overwriting what was there. */
    private void draw(String line) {
        StringBuilder sb = new StringBuilder().append('\r').append(line);
        for (int i = line.length(); i < openLine; i++) {
            sb.append(' '); // blank out the rest of a longer previous line
        }
        out.print(sb);
        out.flush();
        openLine = line.length();
        lastDrawn = line;
    }

    /** Writes a whole line; on a terminal it takes the place of the status line. */
    private void printLine(String line) {
        if (terminal && openLine >= 0) {
            draw(line);
            out.println();
            openLine = -1;
        } else {
            out.println(line);
        }
        out.flush();
    }
}
