package dev.sentikit.train.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report's charts, drawn as inline SVG. */
final class Charts {

    /** Approximate width of a character of 12px sans-serif text, for laying out labels. */
    static final double CHAR_WIDTH = 7.0;
    /** Labels longer than this are shortened (the full label is in a tooltip). */
    static final int MAX_LABEL_CHARS = 22;

    static final String AXIS = "stroke=\"#333\" stroke-width=\"1\"";
    static final String GRID = "stroke=\"#e3e3e3\" stroke-width=\"1\"";
    static final String TICK_LABEL = "class=\"tick\"";
    static final String AXIS_LABEL = "class=\"axis-label\"";

    private Charts() {}

    /** A named series of y values, one per x; NaN leaves a gap. */
    record Series(String name, String color, double[] ys, boolean dashed) {}

    /**
     * A line chart of per-epoch values.
     *
     * @param title the accessible name
     * @param xs the epochs
     * @param series the lines
     * @param yLabel the y axis title
     * @param clampUnit keep the y axis within [0, 1]
     * @param marked an x to mark with a dashed vertical line ("best"), or 0 for none
     */
    static String lineChart(String title, int[] xs, List<Series> series, String yLabel, boolean clampUnit,
            int marked) {
        double width = 520;
        double height = 300;
        double left = 64;
        double right = 16;
        double top = 34;
        double bottom = 48;
        Svg svg = new Svg(width, height, title);
        double px0 = left;
        double px1 = width - right;
        double py0 = height - bottom;
        double py1 = top;

        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double y : s.ys()) {
                if (Double.isFinite(y)) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        if (xs.length == 0 || lo > hi) {
            svg.rect(px0, py1, px1 - px0, py0 - py1, "fill=\"#fafafa\" " + GRID, null);
            svg.text((px0 + px1) / 2, (py0 + py1) / 2, "no values to plot", "text-anchor=\"middle\" class=\"note\"");
            return svg.end();
        }
        Ticks yTicks = Ticks.nice(lo, hi, 5, clampUnit);
        int xMin = xs[0];
        int xMax = xs[xs.length - 1];
        double xLo = xMin - 0.5;
        double xHi = xMax + 0.5;
        if (xs.length > 12) {
            xLo = xMin;
            xHi = xMax;
        }
        final double fx0 = xLo;
        final double fxSpan = xHi - xLo;
        java.util.function.DoubleUnaryOperator sx = x -> px0 + (x - fx0) / fxSpan * (px1 - px0);
        java.util.function.DoubleUnaryOperator sy = y -> py0 - (y - yTicks.lo()) / (yTicks.hi() - yTicks.lo())
                * (py0 - py1);

        // grid and y ticks
        for (double t : yTicks.values()) {
            double y = sy.applyAsDouble(t);
            svg.line(px0, y, px1, y, GRID);
            svg.line(px0 - 5, y, px0, y, AXIS);
            svg.text(px0 - 8, y + 4, yTicks.format(t), "text-anchor=\"end\" " + TICK_LABEL);
        }
        // x ticks: whole epochs, about eight of them
        int step = Math.max(1, (int) niceStep((xMax - xMin) / 8.0));
        for (int e = xMin; e <= xMax; e++) {
            boolean tick = e == xMin || (e % step == 0 && e - xMin >= step / 2.0);
            if (!tick) {
                continue;
            }
            double x = sx.applyAsDouble(e);
            svg.line(x, py0, x, py0 + 5, AXIS);
            svg.text(x, py0 + 18, Integer.toString(e), "text-anchor=\"middle\" " + TICK_LABEL);
        }
        svg.line(px0, py0, px1, py0, AXIS);
        svg.line(px0, py0, px0, py1, AXIS);
        svg.text((px0 + px1) / 2, height - 10, "epoch", "text-anchor=\"middle\" " + AXIS_LABEL);
        svg.rotatedText(16, (py0 + py1) / 2, -90, yLabel, "text-anchor=\"middle\" " + AXIS_LABEL, null);

        if (marked >= xMin && marked <= xMax) {
            double x = sx.applyAsDouble(marked);
            svg.line(x, py1, x, py0, "stroke=\"#888\" stroke-width=\"1\" stroke-dasharray=\"4 3\"");
            svg.text(x, py1 - 4, "best", "text-anchor=\"middle\" class=\"note\"");
        }

        double[] pxs = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            pxs[i] = sx.applyAsDouble(xs[i]);
        }
        boolean markers = xs.length <= 60;
        for (Series s : series) {
            double[] pys = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                pys[i] = sy.applyAsDouble(s.ys()[i]);
            }
            String stroke = "stroke=\"" + s.color() + "\" stroke-width=\"2\""
                    + (s.dashed() ? " stroke-dasharray=\"6 3\"" : "");
            int start = 0;
            for (int i = 0; i <= xs.length; i++) {
                if (i == xs.length || !Double.isFinite(s.ys()[i])) {
                    svg.polyline(pxs, pys, start, i, stroke);
                    start = i + 1;
                }
            }
            for (int i = 0; i < xs.length; i++) {
                double y = s.ys()[i];
                if (Double.isFinite(y) && (markers || xs.length == 1)) {
                    svg.circle(pxs[i], pys[i], 3.5, "fill=\"" + s.color() + "\"",
                            s.name() + ", epoch " + xs[i] + ": " + String.format(Locale.ROOT, "%.4f", y));
                }
            }
        }
        legend(svg, series, px1, 14);
        return svg.end();
    }

    /** A legend in one row, ending at x = {@code rightEdge}. */
    private static void legend(Svg svg, List<Series> series, double rightEdge, double y) {
        double x = rightEdge;
        List<double[]> positions = new ArrayList<>();
        for (int i = series.size() - 1; i >= 0; i--) {
            double w = 26 + series.get(i).name().length() * CHAR_WIDTH;
            x -= w;
            positions.add(0, new double[] {x});
            x -= 12;
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double lx = positions.get(i)[0];
            svg.line(lx, y - 4, lx + 20, y - 4, "stroke=\"" + s.color() + "\" stroke-width=\"2\""
                    + (s.dashed() ? " stroke-dasharray=\"6 3\"" : ""));
            svg.text(lx + 26, y, s.name(), "class=\"legend\"");
        }
    }

    /**
     * The confusion matrix as a heat map: rows are the true labels, columns the predicted ones, each cell
     * showing its count and shaded by its share of the row.
     */
    static String confusionMatrix(List<String> labels, long[][] matrix) {
        int n = labels.size();
        double cell = Math.max(30, Math.min(84, 400.0 / Math.max(1, n)));
        int longest = 0;
        for (String l : labels) {
            longest = Math.max(longest, shorten(l).length());
        }
        double labelWidth = Math.max(40, longest * CHAR_WIDTH);
        boolean rotate = labelWidth > cell - 6;
        double headerHeight = rotate ? labelWidth * 0.72 + 12 : 22;
        double left = 30 + labelWidth + 10;
        double top = 24 + headerHeight;
        double width = left + n * cell + (rotate ? Math.min(labelWidth * 0.72, 120) : 10) + 10;
        double height = top + n * cell + 16;
        Svg svg = new Svg(width, height, "Confusion matrix: rows true label, columns predicted label");

        svg.text(left + n * cell / 2, 14, "predicted label", "text-anchor=\"middle\" " + AXIS_LABEL);
        svg.rotatedText(14, top + n * cell / 2, -90, "true label", "text-anchor=\"middle\" " + AXIS_LABEL, null);
        for (int j = 0; j < n; j++) {
            String name = shorten(labels.get(j));
            String tooltip = name.equals(labels.get(j)) ? null : labels.get(j);
            double cx = left + j * cell + cell / 2;
            if (rotate) {
                svg.rotatedText(cx - 2, top - 8, -45, name, "text-anchor=\"start\" class=\"label\"", tooltip);
            } else {
                svg.text(cx, top - 8, name, "text-anchor=\"middle\" class=\"label\"", tooltip);
            }
        }
        for (int i = 0; i < n; i++) {
            long rowTotal = 0;
            for (long c : matrix[i]) {
                rowTotal += c;
            }
            String name = shorten(labels.get(i));
            String tooltip = name.equals(labels.get(i)) ? null : labels.get(i);
            double cy = top + i * cell + cell / 2;
            svg.text(left - 8, cy + 4, name, "text-anchor=\"end\" class=\"label\"", tooltip);
            for (int j = 0; j < n; j++) {
                long count = matrix[i][j];
                double share = rowTotal == 0 ? 0 : (double) count / rowTotal;
                double x = left + j * cell;
                double y = top + i * cell;
                svg.rect(x, y, cell, cell, "fill=\"" + blue(share) + "\" stroke=\"#fff\" stroke-width=\"1\""
                        + (i == j ? " class=\"diagonal\"" : ""),
                        "true " + labels.get(i) + ", predicted " + labels.get(j) + ": " + count + " ("
                                + String.format(Locale.ROOT, "%.1f", share * 100) + "% of the row)");
                String ink = share > 0.45 ? "#fff" : "#222";
                boolean twoLines = cell >= 44;
                svg.text(x + cell / 2, y + cell / 2 + (twoLines ? 0 : 4), Long.toString(count),
                        "text-anchor=\"middle\" class=\"count\" fill=\"" + ink + "\"");
                if (twoLines) {
                    svg.text(x + cell / 2, y + cell / 2 + 15, String.format(Locale.ROOT, "%.0f%%", share * 100),
                            "text-anchor=\"middle\" class=\"share\" fill=\"" + ink + "\"");
                }
            }
        }
        svg.rect(left, top, n * cell, n * cell, "fill=\"none\" " + AXIS, null);
        return svg.end();
    }

    /** A reliability curve: its name, colour and bins. */
    record Curve(String name, String color, Reliability bins) {}

    /**
     * A reliability diagram: each non-empty confidence bin's accuracy against its mean confidence, with the
     * diagonal of perfect calibration, and below it the share of examples in each bin.
     */
    static String reliabilityDiagram(List<Curve> curves) {
        double width = 460;
        double left = 58;
        double right = 16;
        double top = 16 + 18 * (curves.size() + 1) + 4; // the legend goes above the plot
        double plot = width - left - right;
        double histTop = top + plot + 44;
        double histHeight = 70;
        double height = histTop + histHeight + 42;
        Svg svg = new Svg(width, height, "Reliability diagram: accuracy against confidence per bin");
        double px0 = left;
        double py0 = top + plot;
        java.util.function.DoubleUnaryOperator sx = v -> px0 + v * plot;
        java.util.function.DoubleUnaryOperator sy = v -> py0 - v * plot;

        for (int k = 0; k <= 5; k++) {
            double v = k / 5.0;
            String label = String.format(Locale.ROOT, "%.1f", v);
            svg.line(px0, sy.applyAsDouble(v), px0 + plot, sy.applyAsDouble(v), GRID);
            svg.line(sx.applyAsDouble(v), top, sx.applyAsDouble(v), py0, GRID);
            svg.line(px0 - 5, sy.applyAsDouble(v), px0, sy.applyAsDouble(v), AXIS);
            svg.text(px0 - 8, sy.applyAsDouble(v) + 4, label, "text-anchor=\"end\" " + TICK_LABEL);
            svg.line(sx.applyAsDouble(v), py0, sx.applyAsDouble(v), py0 + 5, AXIS);
            svg.text(sx.applyAsDouble(v), py0 + 18, label, "text-anchor=\"middle\" " + TICK_LABEL);
        }
        svg.line(px0, py0, px0 + plot, top, "stroke=\"#999\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"");
        svg.line(px0, py0, px0 + plot, py0, AXIS);
        svg.line(px0, py0, px0, top, AXIS);
        svg.text(px0 + plot / 2, py0 + 36, "confidence (probability of the predicted label)",
                "text-anchor=\"middle\" " + AXIS_LABEL);
        svg.rotatedText(16, top + plot / 2, -90, "accuracy", "text-anchor=\"middle\" " + AXIS_LABEL, null);

        int bins = curves.isEmpty() ? 0 : curves.get(0).bins().bins();
        for (Curve c : curves) {
            Reliability r = c.bins();
            int[] count = r.count();
            double[] conf = r.confidence();
            double[] acc = r.accuracy();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int b = 0; b < r.bins(); b++) {
                if (count[b] > 0) {
                    xs.add(sx.applyAsDouble(conf[b]));
                    ys.add(sy.applyAsDouble(acc[b]));
                }
            }
            double[] xa = xs.stream().mapToDouble(Double::doubleValue).toArray();
            double[] ya = ys.stream().mapToDouble(Double::doubleValue).toArray();
            svg.polyline(xa, ya, 0, xa.length, "stroke=\"" + c.color() + "\" stroke-width=\"2\"");
            for (int b = 0; b < r.bins(); b++) {
                if (count[b] == 0) {
                    continue;
                }
                double share = r.examples() == 0 ? 0 : (double) count[b] / r.examples();
                double radius = 2.5 + 5 * Math.sqrt(share);
                svg.circle(sx.applyAsDouble(conf[b]), sy.applyAsDouble(acc[b]), radius,
                        "fill=\"" + c.color() + "\" fill-opacity=\"0.85\" stroke=\"#fff\" stroke-width=\"1\"",
                        String.format(Locale.ROOT, "%s, confidence %.2f–%.2f: %d examples, mean confidence %.3f, "
                                + "accuracy %.3f", c.name(), r.lower(b), r.upper(b), count[b], conf[b], acc[b]));
            }
        }

        // share of examples per bin, one bar per curve side by side
        double hy0 = histTop + histHeight;
        double maxShare = 0;
        for (Curve c : curves) {
            int[] count = c.bins().count();
            for (int b = 0; b < count.length; b++) {
                maxShare = Math.max(maxShare, c.bins().examples() == 0 ? 0 : (double) count[b] / c.bins().examples());
            }
        }
        Ticks shareTicks = Ticks.nice(0, Math.max(maxShare, 0.01), 2, true);
        for (double t : shareTicks.values()) {
            double y = hy0 - t / shareTicks.hi() * histHeight;
            svg.line(px0, y, px0 + plot, y, GRID);
            svg.text(px0 - 8, y + 4, String.format(Locale.ROOT, "%.0f%%", t * 100), "text-anchor=\"end\" " + TICK_LABEL);
        }
        if (bins > 0) {
            double binWidth = plot / bins;
            double barWidth = (binWidth - 2) / curves.size();
            for (int k = 0; k < curves.size(); k++) {
                Curve c = curves.get(k);
                int[] count = c.bins().count();
                for (int b = 0; b < count.length; b++) {
                    if (count[b] == 0) {
                        continue;
                    }
                    double share = (double) count[b] / c.bins().examples();
                    double h = share / shareTicks.hi() * histHeight;
                    svg.rect(px0 + b * binWidth + 1 + k * barWidth, hy0 - h, barWidth, h,
                            "fill=\"" + c.color() + "\" fill-opacity=\"0.8\"",
                            String.format(Locale.ROOT, "%s, confidence %.2f–%.2f: %d examples (%.1f%%)", c.name(),
                                    c.bins().lower(b), c.bins().upper(b), count[b], share * 100));
                }
            }
        }
        for (int k = 0; k <= 5; k++) {
            double x = sx.applyAsDouble(k / 5.0);
            svg.line(x, hy0, x, hy0 + 5, AXIS);
            svg.text(x, hy0 + 18, String.format(Locale.ROOT, "%.1f", k / 5.0), "text-anchor=\"middle\" " + TICK_LABEL);
        }
        svg.line(px0, hy0, px0 + plot, hy0, AXIS);
        svg.line(px0, hy0, px0, histTop, AXIS);
        svg.text(px0 + plot / 2, hy0 + 36, "share of examples per confidence bin", "text-anchor=\"middle\" "
                + AXIS_LABEL);

        // legend, above the plot: points can be anywhere inside it
        double ly = 16;
        for (Curve c : curves) {
            svg.circle(px0 + 10, ly - 4, 4.5, "fill=\"" + c.color() + "\"", null);
            svg.text(px0 + 26, ly, c.name(), "class=\"legend\"");
            ly += 18;
        }
        svg.line(px0, ly - 4, px0 + 20, ly - 4, "stroke=\"#999\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"");
        svg.text(px0 + 26, ly, "perfect calibration", "class=\"legend\"");
        return svg.end();
    }

    /** A colour from near-white through mid blue to dark blue for a share in [0, 1]. */
    static String blue(double share) {
        double t = Math.max(0, Math.min(1, share));
        int[][] stops = {{0xf7, 0xfb, 0xff}, {0x6b, 0xae, 0xd6}, {0x08, 0x30, 0x6b}};
        int[] from = t < 0.5 ? stops[0] : stops[1];
        int[] to = t < 0.5 ? stops[1] : stops[2];
        double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
        StringBuilder sb = new StringBuilder("#");
        for (int k = 0; k < 3; k++) {
            sb.append(String.format(Locale.ROOT, "%02x", (int) Math.round(from[k] + (to[k] - from[k]) * u)));
        }
        return sb.toString();
    }

    /** The label, cut to {@value #MAX_LABEL_CHARS} characters with an ellipsis. */
    static String shorten(String label) {
        if (label.codePointCount(0, label.length()) <= MAX_LABEL_CHARS) {
            return label;
        }
        return label.substring(0, label.offsetByCodePoints(0, MAX_LABEL_CHARS - 1)) + "…";
    }

    /** Evenly spaced round tick values covering [lo, hi]. */
    record Ticks(double lo, double hi, double step) {

        static Ticks nice(double lo, double hi, int target, boolean clampUnit) {
            if (hi - lo < 1e-9) {
                double pad = Math.max(Math.abs(hi) * 0.05, 0.01);
                lo -= pad;
                hi += pad;
            }
            double step = niceStep((hi - lo) / target);
            double a = Math.floor(lo / step + 1e-9) * step;
            double b = Math.ceil(hi / step - 1e-9) * step;
            if (clampUnit) {
                a = Math.max(0, a);
                b = Math.min(1, b);
                if (b <= a) {
                    b = Math.min(1, a + step);
                    a = b - step;
                }
            }
            return new Ticks(a, b, step);
        }

        List<Double> values() {
            List<Double> out = new ArrayList<>();
            int n = (int) Math.round((hi - lo) / step);
            for (int i = 0; i <= n; i++) {
                out.add(lo + i * step);
            }
            return out;
        }

        String format(double v) {
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }

    /** 1, 2 or 5 times a power of ten, near {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
        return nice * magnitude;
    }
}
