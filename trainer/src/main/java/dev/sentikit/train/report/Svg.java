package dev.sentikit.train.report;

import java.util.Locale;

/**
 * A small writer of inline SVG markup for the report: every element is closed, every text and attribute value
 * escaped, every number written with a dot, so that the output is well-formed XML as well as HTML.
 */
final class Svg {

    private final StringBuilder sb = new StringBuilder();

    /**
     * Opens an {@code <svg>} of the given size; {@code label} is its accessible name.
     */
    Svg(double width, double height, String label) {
        sb.append("<svg class=\"chart\" viewBox=\"0 0 ").append(num(width)).append(' ').append(num(height))
                .append("\" width=\"").append(num(width)).append("\" height=\"").append(num(height))
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(label)).append("\">\n")
                .append("<title>").append(Html.escape(label)).append("</title>\n");
    }

    Svg line(double x1, double y1, double x2, double y2, String attributes) {
        sb.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"")
                .append(num(x2)).append("\" y2=\"").append(num(y2)).append('"');
        return attributes(attributes).append("/>\n");
    }

    Svg rect(double x, double y, double width, double height, String attributes, String tooltip) {
        sb.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                .append(num(Math.max(0, width))).append("\" height=\"").append(num(Math.max(0, height))).append('"');
        attributes(attributes);
        return closeWithTooltip("rect", tooltip);
    }

    Svg circle(double cx, double cy, double r, String attributes, String tooltip) {
        sb.append("<circle cx=\"").append(num(cx)).append("\" cy=\"").append(num(cy)).append("\" r=\"")
                .append(num(r)).append('"');
        attributes(attributes);
        return closeWithTooltip("circle", tooltip);
    }

    /** A polyline through the points; nothing when there are fewer than two. */
    Svg polyline(double[] xs, double[] ys, int from, int to, String attributes) {
        if (to - from < 2) {
            return this;
        }
        sb.append("<polyline fill=\"none\" points=\"");
        for (int i = from; i < to; i++) {
            sb.append(i > from ? " " : "").append(num(xs[i])).append(',').append(num(ys[i]));
        }
        sb.append('"');
        return attributes(attributes).append("/>\n");
    }

    /** Text at (x, y); {@code attributes} such as {@code text-anchor="end"}. */
    Svg text(double x, double y, String text, String attributes) {
        sb.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"');
        attributes(attributes);
        sb.append('>').append(Html.escape(text)).append("</text>\n");
        return this;
    }

    /** Text rotated by {@code degrees} about its anchor point (x, y). */
    Svg rotatedText(double x, double y, double degrees, String text, String attributes, String tooltip) {
        sb.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" transform=\"rotate(")
                .append(num(degrees)).append(' ').append(num(x)).append(' ').append(num(y)).append(")\"");
        attributes(attributes);
        sb.append('>');
        if (tooltip != null) {
            sb.append("<title>").append(Html.escape(tooltip)).append("</title>");
        }
        sb.append(Html.escape(text)).append("</text>\n");
        return this;
    }

    /** Text with a tooltip (for labels shortened to fit). */
    Svg text(double x, double y, String text, String attributes, String tooltip) {
        if (tooltip == null) {
            return text(x, y, text, attributes);
        }
        return rotatedText(x, y, 0, text, attributes, tooltip);
    }

    Svg openGroup(String attributes) {
        sb.append("<g");
        return attributes(attributes).append(">\n");
    }

    Svg closeGroup() {
        sb.append("</g>\n");
        return this;
    }

    String end() {
        return sb.append("</svg>\n").toString();
    }

    private Svg attributes(String attributes) {
        if (attributes != null && !attributes.isEmpty()) {
            sb.append(' ').append(attributes);
        }
        return this;
    }

    private Svg append(String s) {
        sb.append(s);
        return this;
    }

    private Svg closeWithTooltip(String element, String tooltip) {
        if (tooltip == null) {
            sb.append("/>\n");
        } else {
            sb.append("><title>").append(Html.escape(tooltip)).append("</title></").append(element).append(">\n");
        }
        return this;
    }

    /** A coordinate with at most two decimals, no trailing zeros, never in exponent form. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.2f", v);
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return "-0".equals(s) ? "0" : s;
    }
}
