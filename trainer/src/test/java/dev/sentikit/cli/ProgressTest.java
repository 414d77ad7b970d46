package dev.sentikit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.train.report.EpochResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final String NL = System.lineSeparator();

    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);
    private final AtomicLong now = new AtomicLong(5 * S); // any origin: only differences count

    private Progress progress(boolean terminal) {
        return Progress.forOutput(out, terminal, now::get);
    }

    private void at(long nanosSinceOrigin) {
        now.set(5 * S + nanosSinceOrigin);
    }

    /** {@code line} drawn over a status line of {@code previous}'s length. */
    private static String over(String line, String previous) {
        return "\r" + line + " ".repeat(Math.max(0, previous.length() - line.length()));
    }

    @Test
    void terminalRedrawsOneLineAndEndsTheEpochWithItsSummary() {
        Progress p = progress(true);
        at(0);
        p.startEpoch(1, 2, 4);
        at(1 * S);
        p.step(1, 1.0, 10);
        at(1 * S + 50 * MS);
        p.step(2, 0.5, 10); // within the 100 ms redraw interval: not drawn, but counted
        at(2 * S);
        p.step(3, 0.3, 10);
        at(2 * S + 10 * MS);
        p.step(4, 0.2, 10); // the last step is always drawn
        p.endEpoch(new EpochResult(1, 0.5, 0.75, 0.7, 19.9));
        at(3 * S);
        p.startEpoch(2, 2, 4);
        p.close();

        String s0 = "epoch 1/2  [>                   ]  0/4";
        String s1 = "epoch 1/2  [=====>              ]  1/4  loss 1.0000  10 ex/s  ETA 0:03";
        String s3 = "epoch 1/2  [===============>    ]  3/4  loss 0.6000  15 ex/s  ETA 0:01";
        String s4 = "epoch 1/2  [====================]  4/4  loss 0.5000  20 ex/s  ETA 0:00";
        String summary = "epoch 1/2  loss 0.5000  valid accuracy 0.7500  macro-F1 0.7000  (20 examples/s)";
        String next = "epoch 2/2  [>                   ]  0/4";
        String expected = "\r" + s0 + "\r" + s1 + "\r" + s3 + "\r" + s4 + over(summary, s4) + NL + "\r" + next + NL;
        assertEquals(expected, text.toString());
    }

    @Test
    void terminalPadsAShorterLineToBlankOutTheLongerOne() {
        Progress p = progress(true).withRedrawInterval(Duration.ZERO);
        at(0);
        p.startEpoch(3, 10, 1000);
        at(1 * S);
        p.step(1, 12.5, 1000);
        at(40 * S);
        p.step(2, 0.1, 1);
        String a = "epoch 3/10  [>                   ]     0/1000";
        String b = "epoch 3/10  [>                   ]     1/1000  loss 12.5000  1,000 ex/s  ETA 16:39";
        String c = "epoch 3/10  [>                   ]     2/1000  loss 12.4876  25 ex/s  ETA 5:32:40";
        assertEquals("\r" + a + "\r" + b + over(c, b), text.toString());
        assertTrue(text.toString().endsWith("ETA 5:32:40 "), "c is one character shorter than b: padded");
    }

    @Test
    void messagesOnATerminalDoNotMixWithTheStatusLine() {
        Progress p = progress(true);
        at(0);
        p.startEpoch(1, 1, 2);
        p.message("warning: something");
        String status = "epoch 1/1  [>                   ]  0/2";
        assertEquals("\r" + status + over("warning: something", status) + NL + "\r" + status, text.toString());
    }

    @Test
    void plainOutputLogsEveryTenSecondsAndEachEpochWithoutCarriageReturns() {
        Progress p = progress(false);
        at(0);
        p.startEpoch(1, 1, 100);
        for (int step = 1; step <= 100; step++) {
            at(step * 250 * MS); // 4 steps a second: 10 s at step 40 and 20 s at step 80
            p.step(step, 0.5, 32);
        }
        p.endEpoch(new EpochResult(1, 0.5, 0.81234, 0.8, 12345.6));
        p.close();
        String expected = "epoch 1/1  step 40/100  loss 0.5000  128 examples/s  ETA 0:15" + NL
                + "epoch 1/1  step 80/100  loss 0.5000  128 examples/s  ETA 0:05" + NL
                + "epoch 1/1  loss 0.5000  valid accuracy 0.8123  macro-F1 0.8000  (12,346 examples/s)" + NL;
        assertEquals(expected, text.toString());
        assertFalse(text.toString().replace(NL, "\n").contains("\r"));
    }

    @Test
    void plainOutputCanLogEveryNSteps() {
        Progress p = progress(false).withLogEvery(2, null);
        at(0);
        p.startEpoch(2, 3, 5);
        for (int step = 1; step <= 5; step++) {
            at(step * S);
            p.step(step, step, 1);
        }
        p.endEpoch(new EpochResult(2, 3.0, 0.5, 0.25, 1.0));
        String expected = "epoch 2/3  step 2/5  loss 1.5000  1 examples/s  ETA 0:03" + NL
                + "epoch 2/3  step 4/5  loss 2.5000  1 examples/s  ETA 0:01" + NL
                + "epoch 2/3  loss 3.0000  valid accuracy 0.5000  macro-F1 0.2500  (1 examples/s)" + NL;
        assertEquals(expected, text.toString());
    }

    @Test
    void aResumedEpochEstimatesFromTheStepsThisProcessTook() {
        Progress p = progress(false).withLogEvery(10, null);
        at(0);
        p.startEpoch(1, 3, 100); // resumed after step 50 of 100
        for (int step = 51; step <= 60; step++) {
            at((step - 50) * S); // a step a second
            p.step(step, 0.5, 32);
        }
        // 10 s for 10 steps: 40 steps to go take 40 s (not 10 s / 60 steps × 40)
        assertEquals("epoch 1/3  step 60/100  loss 0.5000  32 examples/s  ETA 0:40" + NL, text.toString());
    }

    @Test
    void summaryLineIsTheTrainersFormat() {
        assertEquals("epoch 7/12  loss 0.0123  valid accuracy 0.9000  macro-F1 0.8877  (1,234,568 examples/s)",
                Progress.formatEpoch(new EpochResult(7, 0.01234, 0.9, 0.88766, 1234567.8), 12));
    }

    @Test
    void durationsBarsAndTerminalDetection() {
        assertEquals("0:00", Progress.formatDuration(0.4));
        assertEquals("1:05", Progress.formatDuration(65));
        assertEquals("1:00:00", Progress.formatDuration(3599.6));
        assertEquals("?", Progress.formatDuration(Double.NaN));
        assertEquals("?", Progress.formatDuration(Double.POSITIVE_INFINITY));
        assertEquals("[==========>         ]", Progress.bar(50, 100));
        assertEquals("[====================]", Progress.bar(7, 0));
        assertTrue(Progress.isTerminal(true, "xterm-256color"));
        assertTrue(Progress.isTerminal(true, null));
        assertFalse(Progress.isTerminal(true, "dumb"));
        assertFalse(Progress.isTerminal(false, "xterm"));
    }

    @Test
    void closeWithoutAnOpenLineWritesNothingAndMisuseIsRefused() {
        Progress p = progress(true);
        p.close();
        assertEquals("", text.toString());
        assertThrows(IllegalStateException.class, () -> p.step(1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> p.startEpoch(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> p.withLogEvery(-1, null));
    }
}
