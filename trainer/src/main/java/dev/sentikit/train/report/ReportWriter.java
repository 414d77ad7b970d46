package dev.sentikit.train.report;

import dev.sentikit.eval.SentimentEvaluation;
import dev.sentikit.eval.TemperatureScaling;
import dev.sentikit.model.Calibration;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a training run's report as one self-contained HTML file ({@value #FILE}): no scripts, no network,
 * no external fonts or style sheets, the charts inline SVG drawn here. It holds
 * <ul>
 *   <li>a header: the model's name, architecture and labels, the data files and their SHA-256, the seed,
 *       hyperparameters, versions and command line, from the card's {@link Provenance};</li>
 *   <li>the training loss and the validation accuracy and macro-F1 of every epoch, as line charts (the kept
 *       epoch marked), and a table of them;</li>
 *   <li>the validation confusion matrix as a heat map (rows true label, columns predicted, shaded by the share
 *       of the row) and the per-class precision, recall, F1 and support;</li>
 *   <li>a reliability diagram before and/or after calibration, with the expected calibration errors computed
 *       from the probabilities given ({@value TemperatureScaling#ECE_BINS} bins) and the card's calibration.</li>
 * </ul>
 * All text from the card and the data is escaped. The output is well-formed XML as well as HTML5, and the
 * same input always gives the same bytes.
 */
public final class ReportWriter {

    /** The file name in a run's output directory. */
    public static final String FILE = "report.html";

    static final String LOSS_COLOR = "#1f6fb4";
    static final String ACCURACY_COLOR = "#1f6fb4";
    static final String F1_COLOR = "#d1495b";
    static final String BEFORE_COLOR = "#e07b00";
    static final String AFTER_COLOR = "#1f6fb4";

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
                   color: #222; background: #fff; margin: 0; }
            main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 40px; }
            h1 { font-size: 26px; margin: 0 0 4px; }
            h2 { font-size: 19px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
            h3 { font-size: 15px; margin: 0 0 6px; }
            p.description { margin: 0 0 14px; color: #444; }
            .summary { display: flex; flex-wrap: wrap; gap: 12px; margin: 14px 0 18px; }
            .summary div { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
            .summary strong { display: block; font-size: 22px; }
            .summary span { font-size: 12px; color: #555; }
            table { border-collapse: collapse; font-size: 13px; }
            th, td { padding: 4px 10px; text-align: left; vertical-align: top; }
            table.meta th { color: #555; font-weight: normal; white-space: nowrap; }
            table.meta td { word-break: break-all; }
            table.numbers th, table.numbers td { border-bottom: 1px solid #e5e5e5; }
            table.numbers td.n, table.numbers th.n { text-align: right; font-variant-numeric: tabular-nums; }
            table.numbers tr.total td { border-top: 2px solid #bbb; font-weight: 600; }
            code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
            .row { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
            figure { margin: 0; }
            figcaption { font-size: 12px; color: #555; margin-top: 4px; max-width: 520px; }
            svg.chart { max-width: 100%; height: auto; display: block; }
            svg text { font-size: 12px; fill: #333; }
            svg text.tick { font-size: 11px; fill: #555; }
            svg text.axis-label { font-size: 12px; font-weight: 600; fill: #333; }
            svg text.legend { font-size: 12px; }
            svg text.note { font-size: 11px; fill: #777; }
            svg text.label { font-size: 12px; }
            svg text.count { font-size: 14px; font-weight: 600; }
            svg text.share { font-size: 10px; }
            details { margin-top: 12px; font-size: 13px; }
            summary { cursor: pointer; color: #345; }
            .muted { color: #777; font-size: 13px; }
            footer { margin-top: 40px; font-size: 12px; color: #777; }
            """;

    private ReportWriter() {}

    /** Writes the report to {@code dir/}{@value #FILE}; returns the file. */
    public static Path writeTo(ReportInput input, Path dir) throws IOException {
        Files.createDirectories(dir);
        return write(input, dir.resolve(FILE));
    }

    /** Writes the report to {@code file} (through a temporary file and a rename); returns {@code file}. */
    public static Path write(ReportInput input, Path file) throws IOException {
        byte[] bytes = render(input).getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** The report as an HTML document. */
    public static String render(ReportInput input) {
        Objects.requireNonNull(input, "input");
        ModelCard card = input.card();
        String name = card.name() == null || card.name().isBlank() ? "unnamed model" : card.name();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>Training report: ").append(esc(name)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        header(h, input, name);
        training(h, input);
        validation(h, input.validation());
        calibration(h, input);
        Provenance p = card.provenance();
        h.append("<footer>Written by Sentikit").append(p == null || p.sentikitVersion() == null ? ""
                : " " + esc(p.sentikitVersion())).append(". A self-contained file: no scripts, fonts or network "
                + "access; hover over a point or cell for its numbers.</footer>\n");
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, ReportInput input, String name) {
        ModelCard card = input.card();
        h.append("<header>\n<h1>Training report: ").append(esc(name)).append("</h1>\n");
        if (card.description() != null && !card.description().isBlank()) {
            h.append("<p class=\"description\">").append(esc(card.description())).append("</p>\n");
        }
        h.append("<div class=\"summary\">\n");
        SentimentEvaluation v = input.validation();
        if (v != null) {
            summary(h, f4(v.accuracy()), "validation accuracy");
            summary(h, f4(v.macroF1()), "validation macro-F1");
            summary(h, String.format(Locale.ROOT, "%,d", v.examples()), "validation examples");
        }
        List<EpochResult> epochs = input.epochs();
        if (!epochs.isEmpty()) {
            if (input.bestEpoch() > 0) {
                summary(h, input.bestEpoch() + " of " + epochs.size(), "epoch kept (best macro-F1)");
            } else {
                summary(h, Integer.toString(epochs.size()), "epochs");
            }
        }
        Calibration c = card.calibration();
        if (c != null) {
            summary(h, String.format(Locale.ROOT, "%.3f", c.temperature()), "calibration temperature");
        }
        h.append("</div>\n<table class=\"meta\">\n");
        meta(h, "Architecture", code(card.architecture()));
        StringBuilder labels = new StringBuilder();
        for (String l : card.labels()) {
            labels.append(labels.length() == 0 ? "" : ", ").append(code(l));
        }
        meta(h, "Labels", labels + " <span class=\"muted\">(" + card.labels().size() + ", in output order)</span>");
        meta(h, "Vocabulary", String.format(Locale.ROOT, "%,d entries, %,d embedding rows", card.vocabularySize(),
                card.embeddingRows()));
        Provenance p = card.provenance();
        if (p == null) {
            meta(h, "Provenance", "<span class=\"muted\">none recorded</span>");
        } else {
            meta(h, "Training data", code(p.trainData()) + sha(p.trainSha256()));
            meta(h, "Validation data", code(p.validData()) + sha(p.validSha256()));
            meta(h, "Seed", code(Long.toString(p.seed())));
            if (p.hyperparameters() != null && !p.hyperparameters().isEmpty()) {
                StringBuilder hp = new StringBuilder();
                for (Map.Entry<String, Object> e : p.hyperparameters().entrySet()) {
                    hp.append(hp.length() == 0 ? "" : " ").append(code(e.getKey() + "=" + e.getValue()));
                }
                meta(h, "Hyperparameters", hp.toString());
            }
            meta(h, "Versions", "Sentikit " + code(p.sentikitVersion()) + ", " + code(p.engine()));
            meta(h, "Trained", esc(p.createdAt()));
            meta(h, "Command line", code(p.commandLine()));
        }
        h.append("</table>\n</header>\n");
    }

    private static void training(StringBuilder h, ReportInput input) {
        List<EpochResult> epochs = input.epochs();
        h.append("<section>\n<h2>Training</h2>\n");
        if (epochs.isEmpty()) {
            h.append("<p class=\"muted\">No epochs recorded.</p>\n</section>\n");
            return;
        }
        int n = epochs.size();
        int[] xs = new int[n];
        double[] loss = new double[n];
        double[] accuracy = new double[n];
        double[] f1 = new double[n];
        for (int i = 0; i < n; i++) {
            EpochResult r = epochs.get(i);
            xs[i] = r.epoch();
            loss[i] = r.trainLoss();
            accuracy[i] = r.validAccuracy();
            f1[i] = r.validMacroF1();
        }
        h.append("<div class=\"row\">\n<figure>\n<h3>Training loss</h3>\n");
        h.append(Charts.lineChart("Training loss per epoch", xs,
                List.of(new Charts.Series("training loss", LOSS_COLOR, loss, false)), "mean cross-entropy", false,
                input.bestEpoch()));
        h.append("<figcaption>Mean cross-entropy over each epoch's training batches.</figcaption>\n</figure>\n");
        h.append("<figure>\n<h3>Validation accuracy and macro-F1</h3>\n");
        h.append(Charts.lineChart("Validation accuracy and macro-F1 per epoch", xs,
                List.of(new Charts.Series("accuracy", ACCURACY_COLOR, accuracy, false),
                        new Charts.Series("macro-F1", F1_COLOR, f1, true)), "score", true, input.bestEpoch()));
        h.append("<figcaption>Measured on the validation split after each epoch").append(input.bestEpoch() > 0
                ? "; the dashed line marks the epoch whose parameters were kept." : ".").append("</figcaption>\n");
        h.append("</figure>\n</div>\n");
        h.append("<details>\n<summary>Numbers per epoch</summary>\n<table class=\"numbers\">\n<tr><th class=\"n\">epoch</th>"
                + "<th class=\"n\">training loss</th><th class=\"n\">valid accuracy</th><th class=\"n\">valid macro-F1</th>"
                + "<th class=\"n\">examples/s</th></tr>\n");
        for (EpochResult r : epochs) {
            h.append("<tr><td class=\"n\">").append(r.epoch()).append(r.epoch() == input.bestEpoch() ? " (kept)" : "")
                    .append("</td>").append(td(f4(r.trainLoss()))).append(td(f4(r.validAccuracy())))
                    .append(td(f4(r.validMacroF1())))
                    .append(td(Double.isFinite(r.examplesPerSecond())
                            ? String.format(Locale.ROOT, "%,.0f", r.examplesPerSecond()) : "–"))
                    .append("</tr>\n");
        }
        h.append("</table>\n</details>\n</section>\n");
    }

    private static void validation(StringBuilder h, SentimentEvaluation v) {
        h.append("<section>\n<h2>Validation</h2>\n");
        if (v == null) {
            h.append("<p class=\"muted\">No validation evaluation given.</p>\n</section>\n");
            return;
        }
        List<String> labels = v.labels();
        h.append("<div class=\"row\">\n<figure>\n<h3>Confusion matrix</h3>\n");
        h.append(Charts.confusionMatrix(labels, v.confusionMatrix()));
        h.append("<figcaption>Rows: true label; columns: predicted label. Each cell shows its count and its share "
                + "of the row (the row's recall on the diagonal), shaded by that share.</figcaption>\n</figure>\n");
        h.append("<figure>\n<h3>Per class</h3>\n<table class=\"numbers\">\n<tr><th>label</th><th class=\"n\">precision</th>"
                + "<th class=\"n\">recall</th><th class=\"n\">F1</th><th class=\"n\">support</th></tr>\n");
        for (String l : labels) {
            h.append("<tr><td>").append(code(l)).append("</td>").append(td(f4(v.precision(l))))
                    .append(td(f4(v.recall(l)))).append(td(f4(v.f1(l))))
                    .append(td(String.format(Locale.ROOT, "%,d", v.support(l)))).append("</tr>\n");
        }
        h.append("<tr class=\"total\"><td>macro average</td>").append(td(f4(v.macroPrecision())))
                .append(td(f4(v.macroRecall()))).append(td(f4(v.macroF1())))
                .append(td(String.format(Locale.ROOT, "%,d", v.examples()))).append("</tr>\n");
        h.append("<tr><td>accuracy</td><td></td><td></td>").append(td(f4(v.accuracy())))
                .append(td(String.format(Locale.ROOT, "%,d", v.examples()))).append("</tr>\n");
        h.append("</table>\n</figure>\n</div>\n</section>\n");
    }

    private static void calibration(StringBuilder h, ReportInput input) {
        Calibration c = input.card().calibration();
        Reliability before = input.reliabilityBefore();
        Reliability after = input.reliabilityAfter();
        h.append("<section>\n<h2>Calibration</h2>\n");
        if (c == null && before == null && after == null) {
            h.append("<p class=\"muted\">No calibration was fitted and no probabilities were given.</p>\n</section>\n");
            return;
        }
        h.append("<div class=\"row\">\n");
        List<Charts.Curve> curves = new ArrayList<>();
        if (before != null) {
            curves.add(new Charts.Curve("before calibration, ECE " + f4(before.ece()), BEFORE_COLOR, before));
        }
        if (after != null) {
            String t = c == null ? "" : String.format(Locale.ROOT, " (T = %.3f)", c.temperature());
            curves.add(new Charts.Curve("after calibration" + t + ", ECE " + f4(after.ece()), AFTER_COLOR, after));
        }
        if (!curves.isEmpty()) {
            h.append("<figure>\n<h3>Reliability diagram</h3>\n").append(Charts.reliabilityDiagram(curves));
            h.append("<figcaption>Validation examples grouped into ").append(curves.get(0).bins().bins())
                    .append(" equal-width bins by the probability of their predicted label; each point is a bin's "
                            + "mean confidence and accuracy, its size the bin's share of the examples. Points on the "
                            + "dashed diagonal are perfectly calibrated; below it the model is overconfident."
                            + "</figcaption>\n</figure>\n");
        }
        h.append("<figure>\n<h3>Expected calibration error</h3>\n<table class=\"numbers\">\n"
                + "<tr><th></th><th class=\"n\">before</th><th class=\"n\">after</th></tr>\n");
        if (before != null || after != null) {
            h.append("<tr><td>ECE, from the probabilities above (").append(TemperatureScaling.ECE_BINS)
                    .append(" bins)</td>").append(td(before == null ? "–" : f4(before.ece())))
                    .append(td(after == null ? "–" : f4(after.ece()))).append("</tr>\n");
        }
        if (c != null) {
            h.append("<tr><td>ECE, as fitted (model card)</td>").append(td(f4(c.eceBefore())))
                    .append(td(f4(c.eceAfter()))).append("</tr>\n");
            h.append("<tr><td>negative log-likelihood</td>").append(td(f4(c.nllBefore())))
                    .append(td(f4(c.nllAfter()))).append("</tr>\n");
        }
        h.append("</table>\n");
        if (c != null) {
            h.append("<p class=\"muted\">Method ").append(code(c.method())).append(", temperature ")
                    .append(String.format(Locale.ROOT, "%.4f", c.temperature())).append(", fitted on ")
                    .append(esc(c.fittedOn())).append(".</p>\n");
        }
        h.append("</figure>\n</div>\n");
        if (!curves.isEmpty()) {
            h.append("<details>\n<summary>Numbers per bin</summary>\n<table class=\"numbers\">\n<tr><th>confidence</th>");
            for (Charts.Curve curve : curves) {
                String which = curve.bins() == before ? "before" : "after";
                h.append("<th class=\"n\">examples ").append(which).append("</th><th class=\"n\">confidence ")
                        .append(which).append("</th><th class=\"n\">accuracy ").append(which).append("</th>");
            }
            h.append("</tr>\n");
            Reliability first = curves.get(0).bins();
            for (int b = 0; b < first.bins(); b++) {
                h.append("<tr><td>").append(String.format(Locale.ROOT, "%.3f–%.3f", first.lower(b), first.upper(b)))
                        .append("</td>");
                for (Charts.Curve curve : curves) {
                    Reliability r = curve.bins();
                    int count = r.count()[b];
                    h.append(td(Integer.toString(count)))
                            .append(td(count == 0 ? "–" : f4(r.confidence()[b])))
                            .append(td(count == 0 ? "–" : f4(r.accuracy()[b])));
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n</details>\n");
        }
        h.append("</section>\n");
    }

    private static void summary(StringBuilder h, String value, String what) {
        h.append("<div><strong>").append(esc(value)).append("</strong><span>").append(esc(what)).append("</span></div>\n");
    }

    private static void meta(StringBuilder h, String name, String html) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(html).append("</td></tr>\n");
    }

    private static String sha(String sha256) {
        return sha256 == null ? "" : "<br/><span class=\"muted\">SHA-256 </span>" + code(sha256);
    }

    private static String code(String text) {
        return text == null ? "<span class=\"muted\">–</span>" : "<code>" + esc(text) + "</code>";
    }

    private static String td(String text) {
        return "<td class=\"n\">" + esc(text) + "</td>";
    }

    private static String f4(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–";
    }

    private static String esc(String s) {
        return Html.escape(s);
    }
}
