package dev.sentikit.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMatrix;
import org.tribuo.classification.evaluation.LabelEvaluation;

/**
 * The evaluation of a Sentikit model's predictions: accuracy, per-label precision / recall / F1 / support,
 * macro averages and the confusion matrix, all reported in the label order given to {@link SentimentEvaluator}.
 *
 * <p>All numbers come from the wrapped Tribuo {@link LabelEvaluation} ({@link #tribuo()}). Following Tribuo, a
 * precision, recall or F1 whose denominator is zero (a label never predicted, or never true) is 0, never NaN.
 * Macro averages are unweighted means over all labels, including labels with no examples. Instances are immutable.
 */
public final class SentimentEvaluation {

    /** Decimal places of metrics in {@link #toTable()}. */
    static final int TABLE_DECIMALS = 4;
    private static final String LABEL_HEADER = "label";
    private static final String MACRO_ROW = "macro avg";
    private static final String ACCURACY_ROW = "accuracy";
    private static final String CONFUSION_CORNER = "gold \\ predicted";
    private static final String COLUMN_GAP = "  ";

    private final List<String> labels;
    private final Map<String, Integer> index;
    private final LabelEvaluation tribuo;
    private final double[] precision;
    private final double[] recall;
    private final double[] f1;
    private final long[] support;
    private final long[][] confusion;
    private final long examples;

    /**
     * @param labels the label order to report in; must be exactly the evaluation's label domain
     */
    SentimentEvaluation(List<String> labels, LabelEvaluation tribuo) {
        this.labels = List.copyOf(labels);
        this.tribuo = Objects.requireNonNull(tribuo, "tribuo");
        int n = this.labels.size();
        Map<String, Integer> ids = new HashMap<>();
        precision = new double[n];
        recall = new double[n];
        f1 = new double[n];
        support = new long[n];
        confusion = new long[n][n];
        ConfusionMatrix<Label> cm = tribuo.getConfusionMatrix();
        if (cm.getDomain().size() != n) {
            throw new IllegalArgumentException("the Tribuo evaluation has " + cm.getDomain().size()
                    + " labels but " + n + " were given: " + this.labels);
        }
        for (int i = 0; i < n; i++) {
            Label label = new Label(this.labels.get(i));
            ids.put(this.labels.get(i), i);
            precision[i] = tribuo.precision(label);
            recall[i] = tribuo.recall(label);
            f1[i] = tribuo.f1(label);
            support[i] = Math.round(cm.support(label));
            for (int j = 0; j < n; j++) {
                // Tribuo's confusion() takes (predicted, true); ours is [gold][predicted].
                confusion[i][j] = Math.round(tribuo.confusion(new Label(this.labels.get(j)), label));
            }
        }
        this.index = Collections.unmodifiableMap(ids);
        this.examples = Math.round(cm.support());
    }

    /** @return the labels, in the order every result is reported in */
    public List<String> labels() {
        return labels;
    }

    /** @return the number of examples evaluated */
    public long examples() {
        return examples;
    }

    /** @return the fraction of examples whose most probable label is the true one */
    public double accuracy() {
        return tribuo.accuracy();
    }

    /** @return the unweighted mean of the per-label F1 scores */
    public double macroF1() {
        return tribuo.macroAveragedF1();
    }

    /** @return the unweighted mean of the per-label precisions */
    public double macroPrecision() {
        return tribuo.macroAveragedPrecision();
    }

    /** @return the unweighted mean of the per-label recalls */
    public double macroRecall() {
        return tribuo.macroAveragedRecall();
    }

    /**
     * @param label one of {@link #labels()}
     * @return the fraction of examples predicted as {@code label} that truly are; 0 if it was never predicted
     * @throws IllegalArgumentException if {@code label} is not one of {@link #labels()}
     */
    public double precision(String label) {
        return precision[id(label)];
    }

    /**
     * @param label one of {@link #labels()}
     * @return the fraction of examples truly {@code label} that were predicted as such; 0 if it has no examples
     * @throws IllegalArgumentException if {@code label} is not one of {@link #labels()}
     */
    public double recall(String label) {
        return recall[id(label)];
    }

    /**
     * @param label one of {@link #labels()}
     * @return the harmonic mean of precision and recall; 0 if both are 0
     * @throws IllegalArgumentException if {@code label} is not one of {@link #labels()}
     */
    public double f1(String label) {
        return f1[id(label)];
    }

    /**
     * @param label one of {@link #labels()}
     * @return the number of examples whose true label is {@code label}
     * @throws IllegalArgumentException if {@code label} is not one of {@link #labels()}
     */
    public long support(String label) {
        return support[id(label)];
    }

    /**
     * @return a fresh {@code [gold][predicted]} matrix of counts, indexed in {@link #labels()} order: entry
     *     {@code [i][j]} counts examples whose true label is {@code labels().get(i)} and whose predicted label is
     *     {@code labels().get(j)}
     */
    public long[][] confusionMatrix() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /**
     * @return the underlying Tribuo evaluation, for metrics not exposed here (AUC-ROC, averaged precision,
     *     micro averages, provenance). Its own internal label order may differ from {@link #labels()}.
     */
    public LabelEvaluation tribuo() {
        return tribuo;
    }

    /**
     * @return a fixed-width plain-text report: a row per label (precision, recall, F1, support), the macro-average
     *     and accuracy rows, then the confusion matrix with one row per gold label and one column per predicted
     *     label, both labelled; lines end with {@code \n}
     */
    public String toTable() {
        int nameWidth = Math.max(Math.max(LABEL_HEADER.length(), MACRO_ROW.length()), longestLabel());
        int supportWidth = Math.max("support".length(), Long.toString(examples).length());
        int metricWidth = Math.max("precision".length(), TABLE_DECIMALS + 2);
        String nameFormat = "%-" + nameWidth + "s";
        String metric = COLUMN_GAP + "%" + metricWidth + "." + TABLE_DECIMALS + "f";
        String blank = COLUMN_GAP + " ".repeat(metricWidth);
        String count = COLUMN_GAP + "%" + supportWidth + "d";

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, nameFormat, LABEL_HEADER));
        for (String column : List.of("precision", "recall", "f1")) {
            sb.append(COLUMN_GAP).append(String.format(Locale.ROOT, "%" + metricWidth + "s", column));
        }
        sb.append(COLUMN_GAP).append(String.format(Locale.ROOT, "%" + supportWidth + "s", "support")).append('\n');
        for (int i = 0; i < labels.size(); i++) {
            sb.append(String.format(Locale.ROOT, nameFormat + metric + metric + metric + count + "\n",
                    labels.get(i), precision[i], recall[i], f1[i], support[i]));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, nameFormat + metric + metric + metric + count + "\n",
                MACRO_ROW, macroPrecision(), macroRecall(), macroF1(), examples));
        sb.append(String.format(Locale.ROOT, nameFormat + blank + blank + metric + count + "\n",
                ACCURACY_ROW, accuracy(), examples));

        sb.append('\n').append("confusion matrix (rows: gold label, columns: predicted label)\n");
        int cornerWidth = Math.max(CONFUSION_CORNER.length(), longestLabel());
        long maxCount = 0;
        for (long[] row : confusion) {
            for (long c : row) {
                maxCount = Math.max(maxCount, c);
            }
        }
        int cellWidth = Math.max(longestLabel(), Long.toString(maxCount).length());
        sb.append(String.format(Locale.ROOT, "%-" + cornerWidth + "s", CONFUSION_CORNER));
        for (String label : labels) {
            sb.append(COLUMN_GAP).append(String.format(Locale.ROOT, "%" + cellWidth + "s", label));
        }
        sb.append('\n');
        for (int i = 0; i < labels.size(); i++) {
            sb.append(String.format(Locale.ROOT, "%-" + cornerWidth + "s", labels.get(i)));
            for (int j = 0; j < labels.size(); j++) {
                sb.append(COLUMN_GAP).append(String.format(Locale.ROOT, "%" + cellWidth + "d", confusion[i][j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * @return a JSON-ready map (insertion-ordered; values are {@link Double}, {@link Long}, {@link String},
     *     lists and maps, never NaN): {@code accuracy}, {@code macro_precision}, {@code macro_recall},
     *     {@code macro_f1}, {@code per_class} ({@code {label: {precision, recall, f1, support}}} in label order),
     *     {@code confusion_matrix} ({@code {labels: [...], matrix: [[...]]}}, rows gold, columns predicted) and
     *     {@code examples}
     */
    public Map<String, Object> toMap() {
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("precision", precision[i]);
            stats.put("recall", recall[i]);
            stats.put("f1", f1[i]);
            stats.put("support", support[i]);
            perClass.put(labels.get(i), Collections.unmodifiableMap(stats));
        }
        List<List<Long>> matrix = new ArrayList<>();
        for (long[] row : confusion) {
            List<Long> cells = new ArrayList<>(row.length);
            for (long c : row) {
                cells.add(c);
            }
            matrix.add(Collections.unmodifiableList(cells));
        }
        Map<String, Object> confusionMap = new LinkedHashMap<>();
        confusionMap.put("labels", labels);
        confusionMap.put("matrix", Collections.unmodifiableList(matrix));

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("accuracy", accuracy());
        map.put("macro_precision", macroPrecision());
        map.put("macro_recall", macroRecall());
        map.put("macro_f1", macroF1());
        map.put("per_class", Collections.unmodifiableMap(perClass));
        map.put("confusion_matrix", Collections.unmodifiableMap(confusionMap));
        map.put("examples", examples);
        return Collections.unmodifiableMap(map);
    }

    /** @return {@link #toTable()} */
    @Override
    public String toString() {
        return toTable();
    }

    private int id(String label) {
        Integer id = index.get(label);
        if (id == null) {
            throw new IllegalArgumentException("unknown label '" + label + "'; the labels are " + labels);
        }
        return id;
    }

    private int longestLabel() {
        int longest = 0;
        for (String label : labels) {
            longest = Math.max(longest, label.length());
        }
        return longest;
    }
}
