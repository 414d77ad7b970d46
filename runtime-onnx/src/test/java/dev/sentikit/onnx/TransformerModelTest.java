package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.Explanation;
import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Vocabulary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A fine-tuned transformer (a WordPiece encoder and a BERT-layout graph with {@code attention_mask}) runs through
 * the public API and gives what a plain-Java forward pass over the same weights gives, alone or in batches of any
 * make-up; the inputs the runtime feeds and refuses, and the metadata it refuses, are those documented in
 * {@link ModelInputs} and {@link ModelFormat}. The fixture is {@link TransformerModels}: 2 layers, hidden 32.
 */
class TransformerModelTest {

    /**
     * How far a probability may be from the reference: the graph runs in float32 (and ONNX Runtime fuses some of
     * its nodes), the reference in double; on this model they differ by at most a few 1e-7.
     */
    private static final double TOLERANCE = 1e-5;

    private static final AnalyzerOptions CPU = AnalyzerOptions.builder().optDevice(Device.CPU).build();

    /**
     * Texts that cover the encoder's cases: the empty text ([CLS] [SEP] only), words and punctuation, continuation
     * pieces, unknown words ([UNK]), accents and upper case, a special token in the text, a text that fills
     * max_tokens exactly and two that are cut.
     */
    private static final List<String> TEXTS = List.of(
            "",
            "The movie was great!",
            "I love it. Not boring, very fun.",
            "zebra quokka xylophone",
            "The acting was unbelievable, wonderful!",
            "the movie was good and the plot was great but the actors were bad and the film was very boring",
            "Café TERRIBLE films?",
            "[MASK] is good",
            "hated it",
            "bad");

    private static final Map<TransformerModels.Pooling, TransformerModels.Weights> WEIGHTS =
            new EnumMap<>(TransformerModels.Pooling.class);
    private static final Map<TransformerModels.Pooling, SentimentAnalyzer> ANALYZERS =
            new EnumMap<>(TransformerModels.Pooling.class);
    private static TextEncoder encoder;

    @BeforeAll
    static void load() throws ModelLoadException {
        encoder = TransformerModels.encoder();
        for (TransformerModels.Pooling pooling : TransformerModels.Pooling.values()) {
            TransformerModels.Weights w = TransformerModels.Weights.random(11L + pooling.ordinal(),
                    encoder.idSpace(), pooling);
            WEIGHTS.put(pooling, w);
            ANALYZERS.put(pooling, SentimentAnalyzer.fromBytes(
                    TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK), "tiny-" + pooling + ".onnx",
                    CPU));
        }
    }

    @AfterAll
    static void close() {
        ANALYZERS.values().forEach(SentimentAnalyzer::close);
        ANALYZERS.clear();
        WEIGHTS.clear();
    }

    private static void assertReference(TransformerModels.Weights w, String text, Sentiment actual) {
        double[] expected = w.probabilities(encoder.encode(text));
        for (int l = 0; l < expected.length; l++) {
            assertEquals(expected[l], actual.score(TransformerModels.LABELS.get(l)), TOLERANCE,
                    "label " + TransformerModels.LABELS.get(l) + " of \"" + text + "\" (" + w.pooling + " pooling)");
        }
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    // ------------------------------------------------------------------------------------------------ the fixture

    @Test
    void theReferenceErfIsPrecise() {
        // Values from Abramowitz and Stegun, table 7.1, and erf(x) = 1 - erfc(x) for the tails.
        assertEquals(0.0, TransformerModels.erf(0.0), 0.0);
        assertEquals(0.5204998778130465, TransformerModels.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, TransformerModels.erf(1.0), 1e-15);
        assertEquals(-0.9953222650189527, TransformerModels.erf(-2.0), 1e-15);
        assertEquals(1 - 2.209049699858544e-5, TransformerModels.erf(3.0), 1e-15);
        assertEquals(1 - 1.5374597944280349e-12, TransformerModels.erf(5.0), 1e-15);
        assertEquals(-1.0, TransformerModels.erf(-7.0), 0.0);
    }

    @Test
    void theTextsCoverTheEncodersCases() {
        // The expectations below rest on these encodings: if the fixture vocabulary changes, the cases must too.
        Vocabulary v = TransformerModels.VOCABULARY;
        int cls = v.id("[CLS]");
        int sep = v.id("[SEP]");
        int unk = v.id("[UNK]");
        assertEquals(List.of(cls, sep), boxed(encoder.encode("")));
        assertEquals(List.of(cls, unk, unk, unk, sep), boxed(encoder.encode("zebra quokka xylophone")));
        assertEquals(List.of(cls, v.id("[MASK]"), v.id("is"), v.id("good"), sep),
                boxed(encoder.encode("[MASK] is good")));
        assertTrue(boxed(encoder.encode("The acting was unbelievable, wonderful!")).contains(v.id("##believ")));
        assertEquals(TransformerModels.MAX_TOKENS, encoder.encode("I love it. Not boring, very fun.").length,
                "fills max_tokens exactly");
        for (String cut : List.of(TEXTS.get(4), TEXTS.get(5))) {
            int[] ids = encoder.encode(cut);
            assertEquals(TransformerModels.MAX_TOKENS, ids.length, "cut to max_tokens: " + cut);
            assertEquals(sep, ids[ids.length - 1], "[SEP] ends a cut text: " + cut);
        }
        assertTrue(TransformerModels.MAX_TOKENS < TransformerModels.POSITIONS);
    }

    @ParameterizedTest
    @EnumSource(TransformerModels.Pooling.class)
    void theWeightsGiveTextsDifferentResults(TransformerModels.Pooling pooling) {
        // Otherwise a model that ignored its input would pass the comparisons below.
        TransformerModels.Weights w = WEIGHTS.get(pooling);
        double lowest = 1;
        double highest = 0;
        for (String text : TEXTS) {
            double p = w.probabilities(encoder.encode(text))[0];
            lowest = Math.min(lowest, p);
            highest = Math.max(highest, p);
        }
        assertTrue(highest - lowest > 0.05, "p(negative) ranges over [" + lowest + ", " + highest + "]");
    }

    // ------------------------------------------------------------------------------------------------ loading

    @Test
    void loadsThroughThePublicApiWithDefaultOptions() throws ModelLoadException {
        TransformerModels.Weights w = WEIGHTS.get(TransformerModels.Pooling.MEAN);
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(
                TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK))) {
            assertEquals(TransformerModels.LABELS, analyzer.labels());
            assertEquals("transformer", analyzer.card().architecture());
            assertEquals(TransformerModels.SPEC, analyzer.card().encoder());
            assertReference(w, "The movie was great!", analyzer.analyze("The movie was great!"));
        }
    }

    /**
     * The load-time probe feeds the empty text as the encoder gives it ([CLS] [SEP]), not a row of padding only: a
     * CLS-pooling model's result for a row of padding only depends on the row's length (every key is masked, so
     * attention spreads over the padding), and the probe used to refuse such a model as one that does not ignore
     * padding.
     */
    @Test
    void aClsPoolingModelPassesTheProbe() throws ModelLoadException {
        TransformerModels.Weights w = TransformerModels.Weights.random(31L, encoder.idSpace(),
                TransformerModels.Pooling.CLS);
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(
                TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK), "cls.onnx", CPU)) {
            assertReference(w, "", analyzer.analyze(""));
        }
    }

    // ------------------------------------------------------------------------------------------------ inference

    @ParameterizedTest
    @EnumSource(TransformerModels.Pooling.class)
    void analyzeGivesTheReferenceProbabilities(TransformerModels.Pooling pooling) {
        SentimentAnalyzer analyzer = ANALYZERS.get(pooling);
        for (String text : TEXTS) {
            assertReference(WEIGHTS.get(pooling), text, analyzer.analyze(text));
        }
    }

    @ParameterizedTest
    @EnumSource(TransformerModels.Pooling.class)
    void analyzeAllGivesTheReferenceProbabilitiesInOrder(TransformerModels.Pooling pooling) {
        List<Sentiment> results = ANALYZERS.get(pooling).analyzeAll(TEXTS);
        assertEquals(TEXTS.size(), results.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertReference(WEIGHTS.get(pooling), TEXTS.get(i), results.get(i));
        }
    }

    /**
     * A text's result does not depend on its companions: the same texts in other orders, each alone, with many
     * short ones or many long ones, and in batches of 1 to 3. With 60 full-length and 60 empty texts, the runtime
     * cuts the batch into two groups by length (one run of 120 rows of 12 ids costs more than two runs: see
     * {@code OnnxSentimentAnalyzer.RUN_COST_IN_IDS}); with a few texts it pads them all into one.
     */
    @ParameterizedTest
    @EnumSource(TransformerModels.Pooling.class)
    void aTextsResultDoesNotDependOnItsBatch(TransformerModels.Pooling pooling) throws ModelLoadException {
        TransformerModels.Weights w = WEIGHTS.get(pooling);
        SentimentAnalyzer analyzer = ANALYZERS.get(pooling);
        List<Sentiment> alone = new ArrayList<>();
        for (String text : TEXTS) {
            alone.add(analyzer.analyze(text));
        }

        List<String> reversed = new ArrayList<>(TEXTS);
        Collections.reverse(reversed);
        List<Sentiment> results = analyzer.analyzeAll(reversed);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertSame(alone.get(i), results.get(TEXTS.size() - 1 - i), TEXTS.get(i));
        }

        for (String text : TEXTS) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                batch.add(TEXTS.get(5)); // cut to max_tokens: the longest row there is
                batch.add("");
            }
            batch.add(37, text);
            List<Sentiment> mixed = analyzer.analyzeAll(batch);
            assertSame(alone.get(TEXTS.indexOf(text)), mixed.get(37), text);
            assertReference(w, TEXTS.get(5), mixed.get(0));
            assertReference(w, "", mixed.get(120));
            assertSame(analyzer.analyzeAll(List.of(text, "")).get(0), alone.get(TEXTS.indexOf(text)), text);
            assertSame(analyzer.analyzeAll(List.of("bad", text)).get(1), alone.get(TEXTS.indexOf(text)), text);
        }

        List<String> random = mixedTexts(5L, 50);
        for (int maxBatchSize = 1; maxBatchSize <= 3; maxBatchSize++) {
            try (SentimentAnalyzer small = SentimentAnalyzer.fromBytes(
                    TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK), "tiny.onnx",
                    AnalyzerOptions.builder().optDevice(Device.CPU).optMaxBatchSize(maxBatchSize).build())) {
                List<Sentiment> batched = small.analyzeAll(random);
                for (int i = 0; i < random.size(); i++) {
                    assertReference(w, random.get(i), batched.get(i));
                }
            }
        }
        List<Sentiment> all = analyzer.analyzeAll(random);
        for (int i = 0; i < random.size(); i++) {
            assertReference(w, random.get(i), all.get(i));
        }
    }

    /** {@code count} texts of 0 to 14 words of the fixture's vocabulary and a few unknown ones, seeded. */
    private static List<String> mixedTexts(long seed, int count) {
        List<String> words = List.of("the", "movie", "was", "great", "not", "boring", "!", "acting", "unbelievable",
                "wonderful", "zebra", "films", ",", "HATE", "fun");
        Random r = new Random(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(15); k > 0; k--) {
                sb.append(words.get(r.nextInt(words.size()))).append(' ');
            }
            texts.add(sb.toString());
        }
        return texts;
    }

    private static void assertSame(Sentiment expected, Sentiment actual, String text) {
        for (String label : TransformerModels.LABELS) {
            assertEquals(expected.score(label), actual.score(label), TOLERANCE, label + " of \"" + text + "\"");
        }
    }

    // ------------------------------------------------------------------------------------------------ inputs

    @Test
    void tokenTypeIdsAreFedAsZeros() throws ModelLoadException {
        TransformerModels.Weights w = TransformerModels.Weights.random(23L, encoder.idSpace(),
                TransformerModels.Pooling.MEAN);
        // The test can tell: with token type 1 everywhere, the results would be others.
        double[] zeros = w.probabilities(encoder.encode(TEXTS.get(1)), 0);
        double[] ones = w.probabilities(encoder.encode(TEXTS.get(1)), 1);
        assertTrue(Math.abs(zeros[0] - ones[0]) > 1e-3, zeros[0] + " vs " + ones[0]);
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(
                TransformerModels.model(w, TransformerModels.Inputs.WITH_TOKEN_TYPES), "token-types.onnx", CPU)) {
            for (String text : TEXTS) {
                assertReference(w, text, analyzer.analyze(text));
            }
            List<Sentiment> all = analyzer.analyzeAll(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertReference(w, TEXTS.get(i), all.get(i));
            }
        }
    }

    /**
     * An int8 graph as {@code trainer export --quantize int8} writes it, each token's activations quantized with its
     * own scale, passes the check at load and gives a text the same probabilities alone and in any batch; they stay
     * near the float32 reference.
     */
    @Test
    void anInt8GraphWithAScalePerTokenIsBatchInvariant() throws ModelLoadException {
        TransformerModels.Weights w = WEIGHTS.get(TransformerModels.Pooling.MEAN);
        byte[] model = TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK, TransformerModels.props(),
                TransformerModels.Arithmetic.INT8_PER_TOKEN);
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromBytes(model, "per-token.onnx", CPU)) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(TEXTS.get(5));
                batch.add("");
            }
            double worst = 0;
            double reference = 0;
            for (String text : TEXTS) {
                Sentiment alone = analyzer.analyze(text);
                List<String> withOthers = new ArrayList<>(batch);
                withOthers.add(7, text);
                Sentiment inBatch = analyzer.analyzeAll(withOthers).get(7);
                double[] expected = w.probabilities(encoder.encode(text));
                for (int l = 0; l < expected.length; l++) {
                    String label = TransformerModels.LABELS.get(l);
                    worst = Math.max(worst, Math.abs(alone.score(label) - inBatch.score(label)));
                    reference = Math.max(reference, Math.abs(alone.score(label) - expected[l]));
                }
            }
            assertTrue(worst <= 1e-5, "a text's int8 probabilities moved by " + worst + " with its batch");
            assertTrue(reference <= 0.1, "int8 is " + reference + " from the float reference");
        }
    }

    /**
     * An int8 graph with one scale for the whole activation tensor (DynamicQuantizeLinear) gives a text other
     * probabilities in other batches: the check at load refuses it, as it refuses any model that reads padding.
     */
    @Test
    void anInt8GraphWithAScalePerTensorIsRefused() {
        TransformerModels.Weights w = WEIGHTS.get(TransformerModels.Pooling.MEAN);
        byte[] model = TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK, TransformerModels.props(),
                TransformerModels.Arithmetic.INT8_PER_TENSOR);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentimentAnalyzer.fromBytes(model, "per-tensor.onnx", CPU).close());
        assertContains(e.getMessage(), "per-tensor.onnx", "the model does not ignore padding");
    }

    @Test
    void anInputSentikitCannotFillIsRefused() {
        TransformerModels.Weights w = WEIGHTS.get(TransformerModels.Pooling.MEAN);
        byte[] model = TransformerModels.model(w, TransformerModels.Inputs.WITH_POSITION_IDS);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentimentAnalyzer.fromBytes(model, "position-ids.onnx", CPU).close());
        assertContains(e.getMessage(), "position-ids.onnx", "'" + TransformerModels.POSITION_IDS + "'",
                ModelFormat.INPUT_IDS, ModelFormat.INPUT_ATTENTION_MASK, ModelFormat.INPUT_TOKEN_TYPE_IDS);
    }

    // ------------------------------------------------------------------------------------------------ explain

    @ParameterizedTest
    @EnumSource(TransformerModels.Pooling.class)
    void explainLeavesOutOneWordOfTheBasicTokenizationAtATime(TransformerModels.Pooling pooling) {
        TransformerModels.Weights w = WEIGHTS.get(pooling);
        SentimentAnalyzer analyzer = ANALYZERS.get(pooling);
        String text = "The acting was NOT boring!";
        List<String> words = List.of("the", "acting", "was", "not", "boring", "!");
        assertEquals(words, TextEncoder.tokenize(text, TransformerModels.SPEC));

        double[] whole = w.probabilities(encoder.encode(text));
        for (String label : List.of("negative", "positive")) {
            Explanation explanation = analyzer.explain(text, label);
            assertEquals(label, explanation.label());
            int l = TransformerModels.LABELS.indexOf(label);
            assertEquals(whole[l], explanation.probability(), TOLERANCE);
            assertEquals(words.size(), explanation.contributions().size());
            for (int i = 0; i < words.size(); i++) {
                Explanation.TokenContribution c = explanation.contributions().get(i);
                assertEquals(i, c.index());
                assertEquals(words.get(i), c.token());
                List<String> rest = new ArrayList<>(words);
                rest.remove(i);
                double without = w.probabilities(encoder.encode(String.join(" ", rest)))[l];
                assertEquals(whole[l] - without, c.contribution(), 2 * TOLERANCE, "leaving out " + words.get(i));
            }
        }
        // Without a label: the predicted one.
        Explanation predicted = analyzer.explain(text);
        assertEquals(analyzer.analyze(text).label(), predicted.label());
        assertEquals(List.of(), analyzer.explain("").contributions());
    }

    // ------------------------------------------------------------------------------------------------ metadata

    @Test
    void aVocabularyWithoutTheUnknownTokenIsRefused() {
        List<String> entries = new ArrayList<>(TransformerModels.ENTRIES);
        entries.remove("[UNK]");
        Vocabulary vocabulary = Vocabulary.of(entries);
        TransformerModels.Weights w = TransformerModels.Weights.random(3L, 1 + vocabulary.size(),
                TransformerModels.Pooling.MEAN);
        byte[] model = TransformerModels.model(w, TransformerModels.Inputs.IDS_AND_MASK,
                ModelFormat.toMetadataProps(TransformerModels.card(vocabulary), vocabulary));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SentimentAnalyzer.fromBytes(model, "no-unk.onnx", CPU).close());
        assertContains(e.getMessage(), "no-unk.onnx", "unk_token", "'[UNK]'", "vocabulary");
    }

    // ------------------------------------------------------------------------------------------------ the probe

    @Test
    void theProbeOfATransformerIsLight() {
        // The fixture: every id once in rows, once alone; a BERT vocabulary: 512 of its 30,522 ids, ends included.
        assertEquals(encoder.idSpace() - 1, ModelChecks.probeIds(encoder.idSpace(),
                ModelChecks.PROBE_IDS_TRANSFORMER).length);
        long[] bert = ModelChecks.probeIds(30_523, ModelChecks.PROBE_IDS_TRANSFORMER);
        assertEquals(ModelChecks.PROBE_IDS_TRANSFORMER, bert.length);
        assertEquals(1, bert[0]);
        assertEquals(30_522, bert[bert.length - 1]);
        assertTrue(ModelChecks.PROBE_ROW_LENGTH_TRANSFORMER <= ModelChecks.PROBE_ROW_LENGTH);
    }

    private static List<Integer> boxed(int[] ids) {
        List<Integer> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }
}
