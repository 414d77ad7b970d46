package dev.sentikit.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.eval.SentimentEvaluation;
import dev.sentikit.eval.SentimentEvaluator;
import dev.sentikit.eval.TemperatureScaling;
import dev.sentikit.model.Calibration;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.model.Provenance;
import dev.sentikit.text.EncoderSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportWriterTest {

    /** Labels that must be escaped: markup, an ampersand, quotes. */
    static final List<String> LABELS = List.of("negative", "<b>", "pos & \"neutral\"");

    @TempDir
    Path dir;

    static ModelCard card(Calibration calibration) {
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("architecture", "bag");
        hyper.put("embedding_dim", 64);
        Provenance p = new Provenance("2025-01-02T03:04:05Z", "0.1.0-test", "DJL 0.33.0 / PyTorch 2.5.1",
                "data/<train>&.tsv", "ab12".repeat(16), "stratified 10% of data/<train>&.tsv, seed 42", null, 42,
                hyper, "trainer train --data 'data/<train>&.tsv' --labels \"<script>alert(1)</script>\"");
        return new ModelCard(ModelFormat.FORMAT_VERSION, "run<1>", "A test model & more.", "bag", LABELS,
                EncoderSpec.defaults(), 100, 1 + 100 + EncoderSpec.DEFAULT_HASH_BUCKETS, p, Map.of(), null,
                calibration);
    }

    record Data(int[] gold, float[][] before, float[][] after, SentimentEvaluation evaluation) {}

    /** 300 seeded examples: an overconfident model, and the same logits softened by T = 2. */
    static Data data() {
        Random random = new Random(3);
        int n = 300;
        int[] gold = new int[n];
        float[][] before = new float[n][];
        float[][] after = new float[n][];
        for (int i = 0; i < n; i++) {
            gold[i] = random.nextInt(3);
            int predicted = random.nextDouble() < 0.7 ? gold[i] : random.nextInt(3);
            float[] logits = new float[3];
            for (int l = 0; l < 3; l++) {
                logits[l] = (float) random.nextGaussian() + (l == predicted ? 4f : 0f);
            }
            before[i] = TemperatureScaling.softmax(logits, 1);
            after[i] = TemperatureScaling.softmax(logits, 2);
        }
        SentimentEvaluation evaluation = new SentimentEvaluator("test").evaluate(LABELS, gold, after);
        return new Data(gold, before, after, evaluation);
    }

    static List<EpochResult> epochs() {
        return List.of(new EpochResult(1, 1.02, 0.55, 0.50, 12000), new EpochResult(2, 0.81, 0.66, 0.63, 13000),
                new EpochResult(3, 0.70, 0.69, 0.67, 12500.5));
    }

    static ReportInput fullInput() {
        Data d = data();
        Calibration calibration = new Calibration(Calibration.TEMPERATURE, 2.0, "validation split (300 examples)",
                0.15, 0.03, 0.9, 0.7);
        return new ReportInput(card(calibration), epochs(), 3, d.evaluation(), d.gold(), d.before(), d.after());
    }

    static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** Parses the report as XML: it is written to be well-formed. */
    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b.parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void holdsEveryPartAndIsWellFormed() throws Exception {
        ReportInput input = fullInput();
        String html = ReportWriter.render(input);
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html"));

        // one <svg> per chart: loss, validation curves, confusion matrix, reliability diagram
        assertEquals(4, count(html, "<svg"));
        assertEquals(4, count(html, "</svg>"));
        Document doc = parse(html);
        assertEquals(4, doc.getElementsByTagName("svg").getLength());
        assertEquals(1, doc.getElementsByTagName("title").getLength() - svgTitles(doc), "one document <title>");

        // header: name, architecture, labels, data and its hash, seed, versions, command line
        assertTrue(html.contains("Training report: run&lt;1&gt;"));
        assertTrue(html.contains("A test model &amp; more."));
        assertTrue(html.contains("<code>data/&lt;train&gt;&amp;.tsv</code>"));
        assertTrue(html.contains("ab12".repeat(16)));
        assertTrue(html.contains("<code>42</code>"));
        assertTrue(html.contains("0.1.0-test") && html.contains("DJL 0.33.0 / PyTorch 2.5.1"));
        assertTrue(html.contains("--labels &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;"));
        assertTrue(html.contains("embedding_dim=64"));

        // every label is escaped everywhere; no markup from the data gets through
        assertTrue(html.contains("&lt;b&gt;"));
        assertTrue(html.contains("pos &amp; &quot;neutral&quot;"));
        assertFalse(html.contains("<b>"), "the label <b> must not become markup");
        assertFalse(html.contains("<script"), "no script, and none from the data");

        // self-contained: no network references of any kind
        assertFalse(html.contains("http://"));
        assertFalse(html.contains("https://"));
        assertFalse(html.contains("//"), "no protocol-relative references either");
        assertFalse(html.contains("<link") || html.contains("src=") || html.contains("@import")
                || html.contains("url("));
        assertFalse(html.contains("NaN") || html.contains("Infinity"));
    }

    private static int svgTitles(Document doc) {
        int n = 0;
        NodeList titles = doc.getElementsByTagName("title");
        for (int i = 0; i < titles.getLength(); i++) {
            if (!"head".equals(titles.item(i).getParentNode().getNodeName())) {
                n++;
            }
        }
        return n;
    }

    @Test
    void confusionMatrixShowsEveryCountWithLabelledAxes() throws Exception {
        ReportInput input = fullInput();
        String html = ReportWriter.render(input);
        Element matrix = svgWithLabel(parse(html), "Confusion matrix");
        String text = matrix.getTextContent();
        assertTrue(text.contains("predicted label") && text.contains("true label"));
        List<String> counts = new ArrayList<>();
        NodeList texts = matrix.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            if ("count".equals(t.getAttribute("class").split(" ")[0])) {
                counts.add(t.getTextContent());
            }
        }
        long[][] cm = input.validation().confusionMatrix();
        List<String> expected = new ArrayList<>();
        long total = 0;
        for (long[] row : cm) {
            for (long c : row) {
                expected.add(Long.toString(c));
                total += c;
            }
        }
        assertEquals(expected, counts, "row by row, true label by predicted label");
        assertEquals(300, total);
        // row and column labels: each label twice, escaped in the source
        for (String label : LABELS) {
            int seen = 0;
            for (int i = 0; i < texts.getLength(); i++) {
                if (label.equals(texts.item(i).getTextContent())) {
                    seen++;
                }
            }
            assertEquals(2, seen, label);
        }
        // the cell of row 0, column 0 has a tooltip naming the true and predicted labels
        assertTrue(html.contains("<title>true negative, predicted negative: " + cm[0][0]));
    }

    @Test
    void perClassTableCurvesAndCalibrationNumbers() throws Exception {
        ReportInput input = fullInput();
        String html = ReportWriter.render(input);
        SentimentEvaluation v = input.validation();
        for (String label : LABELS) {
            String row = "<tr><td><code>" + Html.escape(label) + "</code></td>" + "<td class=\"n\">"
                    + f4(v.precision(label)) + "</td><td class=\"n\">" + f4(v.recall(label)) + "</td><td class=\"n\">"
                    + f4(v.f1(label)) + "</td><td class=\"n\">" + v.support(label) + "</td></tr>";
            assertTrue(html.contains(row), row);
        }
        assertTrue(html.contains("<td>macro average</td><td class=\"n\">" + f4(v.macroPrecision())));

        Document doc = parse(html);
        Element loss = svgWithLabel(doc, "Training loss");
        assertEquals(3, loss.getElementsByTagName("circle").getLength(), "a point per epoch");
        assertEquals(1, loss.getElementsByTagName("polyline").getLength());
        assertTrue(loss.getTextContent().contains("epoch") && loss.getTextContent().contains("best"));
        Element curves = svgWithLabel(doc, "Validation accuracy");
        assertEquals(6, curves.getElementsByTagName("circle").getLength(), "two series of three epochs");
        assertTrue(curves.getTextContent().contains("accuracy") && curves.getTextContent().contains("macro-F1"));
        assertTrue(html.contains("macro-F1, epoch 2: 0.6300"));
        assertTrue(ticks(loss) >= 3, "y axis ticks");

        Element reliability = svgWithLabel(doc, "Reliability diagram");
        double eceBefore = Reliability.of(input.probabilitiesBefore(), input.gold()).ece();
        double eceAfter = Reliability.of(input.probabilitiesAfter(), input.gold()).ece();
        assertTrue(eceBefore > eceAfter, "softening an overconfident model helps");
        String legend = reliability.getTextContent();
        assertTrue(legend.contains("before calibration, ECE " + f4(eceBefore)), legend);
        assertTrue(legend.contains("after calibration (T = 2.000), ECE " + f4(eceAfter)), legend);
        assertTrue(legend.contains("perfect calibration"));
        assertTrue(html.contains("<td class=\"n\">0.1500</td><td class=\"n\">0.0300</td>"), "the card's ECE");
        // the diagonal runs from (0, 0) to (1, 1)
        assertTrue(reliability.getElementsByTagName("line").getLength() > 10);
        assertTrue(html.contains("stroke-dasharray=\"5 4\""));
    }

    private static int ticks(Element svg) {
        int n = 0;
        NodeList texts = svg.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            if ("tick".equals(((Element) texts.item(i)).getAttribute("class"))) {
                n++;
            }
        }
        return n;
    }

    private static Element svgWithLabel(Document doc, String prefix) {
        NodeList svgs = doc.getElementsByTagName("svg");
        for (int i = 0; i < svgs.getLength(); i++) {
            Element e = (Element) svgs.item(i);
            if (e.getAttribute("aria-label").startsWith(prefix)) {
                return e;
            }
        }
        throw new AssertionError("no <svg> labelled " + prefix);
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    @Test
    void rendersWithOnlyACard() throws Exception {
        ModelCard bare = new ModelCard(ModelFormat.FORMAT_VERSION, null, null, "bag", List.of("a", "b"),
                EncoderSpec.defaults(), 0, 1 + EncoderSpec.DEFAULT_HASH_BUCKETS, null, Map.of(), null);
        String html = ReportWriter.render(ReportInput.of(bare, List.of(), null));
        parse(html);
        assertEquals(0, count(html, "<svg"));
        assertTrue(html.contains("No epochs recorded."));
        assertTrue(html.contains("No validation evaluation given."));
        assertTrue(html.contains("none recorded"));
    }

    @Test
    void handlesOneEpochNaNAndAReliabilityDiagramWithOneCurve() throws Exception {
        Data d = data();
        ReportInput input = ReportInput.of(card(null), List.of(new EpochResult(1, Double.NaN, 0.5, 0.4, 10)),
                d.evaluation()).withReliability(d.gold(), null, d.after());
        String html = ReportWriter.render(input);
        Document doc = parse(html);
        assertEquals(4, doc.getElementsByTagName("svg").getLength());
        assertFalse(html.contains("NaN"));
        assertFalse(html.contains("before calibration"));
        assertTrue(html.contains("after calibration, ECE "));
        assertTrue(svgWithLabel(doc, "Training loss").getTextContent().contains("no values to plot")
                || svgWithLabel(doc, "Training loss").getElementsByTagName("circle").getLength() == 0);
        assertEquals(2, svgWithLabel(doc, "Validation accuracy").getElementsByTagName("circle").getLength());
    }

    @Test
    void manyLongLabelsAreShortenedWithTheFullNameInATooltip() throws Exception {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            labels.add("a rather long label name number " + i);
        }
        ModelCard c = new ModelCard(ModelFormat.FORMAT_VERSION, "many", null, "bag", labels, EncoderSpec.defaults(),
                0, 1 + EncoderSpec.DEFAULT_HASH_BUCKETS, null, Map.of(), null);
        Random random = new Random(5);
        int[] gold = new int[200];
        float[][] p = new float[200][12];
        for (int i = 0; i < gold.length; i++) {
            gold[i] = random.nextInt(12);
            p[i][random.nextDouble() < 0.5 ? gold[i] : random.nextInt(12)] = 1f;
        }
        SentimentEvaluation e = new SentimentEvaluator("many").evaluate(labels, gold, p);
        String html = ReportWriter.render(ReportInput.of(c, List.of(), e));
        parse(html);
        assertTrue(html.contains("a rather long label n…"));
        assertTrue(html.contains("<title>a rather long label name number 11</title>"));
        assertEquals(144, count(html, "class=\"count\""));
    }

    @Test
    void writesAtomicallyAndDeterministically() throws Exception {
        ReportInput input = fullInput();
        Path file = ReportWriter.writeTo(input, dir.resolve("run"));
        assertEquals(dir.resolve("run").resolve(ReportWriter.FILE), file);
        assertEquals(ReportWriter.render(input), Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(ReportWriter.render(fullInput()), ReportWriter.render(input), "same input, same bytes");
        assertFalse(Files.exists(file.resolveSibling(ReportWriter.FILE + ".tmp")));
    }

    @Test
    void inputIsImmutableAndChecked() {
        Data d = data();
        int[] gold = d.gold();
        float[][] after = d.after();
        ReportInput input = ReportInput.of(card(null), epochs(), d.evaluation()).withReliability(gold, null, after);
        int before = input.gold()[0];
        gold[0] = (gold[0] + 1) % 3;
        after[0][0] = 42f;
        assertEquals(before, input.gold()[0]);
        assertTrue(input.probabilitiesAfter()[0][0] <= 1f);
        input.gold()[1] = 99;
        assertTrue(input.gold()[1] < 3, "the accessor hands out a copy");

        assertThrows(IllegalArgumentException.class,
                () -> input.withReliability(new int[] {0, 1}, null, new float[3][3]), "rows differ from labels");
        assertThrows(IllegalArgumentException.class,
                () -> input.withReliability(new int[] {0}, null, new float[][] {{1f, 0f}}), "row width");
        assertThrows(IllegalArgumentException.class,
                () -> input.withReliability(new int[] {3}, null, new float[][] {{1f, 0f, 0f}}), "gold out of range");
        assertThrows(IllegalArgumentException.class, () -> input.withReliability(new int[] {0}, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ReportInput(card(null), List.of(), 0, null, null, new float[1][3], null));
        SentimentEvaluation other = new SentimentEvaluator("x").evaluate(List.of("x", "y"), new int[] {0, 1},
                new float[][] {{1f, 0f}, {0f, 1f}});
        assertThrows(IllegalArgumentException.class, () -> ReportInput.of(card(null), List.of(), other));
    }

    @Test
    void escapesTextForHtml() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Html.escape("<a href=\"x\">&'"));
        assertEquals("a\ufffdb\tc", Html.escape("a\u0001b\tc"));
        assertEquals("\ufffd", Html.escape("\ud800"));
        assertEquals("😀", Html.escape("😀"));
        assertEquals("", Html.escape(null));
    }

    /** Finds every number in the SVG coordinates: all finite, written with a dot. */
    @Test
    void coordinatesArePlainNumbers() {
        String html = ReportWriter.render(fullInput());
        Matcher m = Pattern.compile(" (?:x|y|x1|y1|x2|y2|cx|cy|r|width|height)=\"([^\"]*)\"").matcher(html);
        int n = 0;
        while (m.find()) {
            assertTrue(m.group(1).matches("-?\\d+(\\.\\d{1,2})?"), m.group(0));
            n++;
        }
        assertTrue(n > 100);
    }
}
