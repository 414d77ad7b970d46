package dev.sentikit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentikit.ModelLoadException;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ModelFormatTest {

    private static final String SOURCE = "test.onnx";
    private static final int HASH_BUCKETS = 64;
    private static final List<String> LABELS = List.of("negative", "neutral", "positive");
    private static final List<String> ENTRIES = List.of("good", "bad", "not good", "\u597D");
    private static final EncoderSpec ENCODER = new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, 32, 1000,
            HASH_BUCKETS);
    private static final long ROWS = 1L + 4 + HASH_BUCKETS;

    private static final Provenance PROVENANCE = new Provenance("2025-01-02T03:04:05Z", "0.1.0", "DJL 0.33.0 / PyTorch 2.5.1",
            "data/train.csv", "ab".repeat(32), "10% of data/train.csv, seed 42", null, 42L,
            Map.of("embedding_dim", 64, "learning_rate", 0.01, "architecture", "bag"),
            "trainer train --data data/train.csv");

    private static ModelCard card() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validation", Map.of("accuracy", 0.875, "examples", 200));
        return new ModelCard(ModelFormat.FORMAT_VERSION, "en", "English reviews.", "bag", LABELS, ENCODER,
                ENTRIES.size(), ROWS, PROVENANCE, metrics, List.of("English only."));
    }

    private static Map<String, String> props() {
        return new LinkedHashMap<>(ModelFormat.toMetadataProps(card(), Vocabulary.of(ENTRIES)));
    }

    /** The props with one field of the card JSON replaced. */
    private static Map<String, String> withCardField(String field, JsonNode value) throws Exception {
        Map<String, String> props = props();
        ObjectNode json = (ObjectNode) ModelFormat.json().readTree(props.get(ModelFormat.KEY_CARD));
        json.set(field, value);
        props.put(ModelFormat.KEY_CARD, json.toString());
        return props;
    }

    private static ModelLoadException refused(Map<String, String> props) {
        return assertThrows(ModelLoadException.class, () -> ModelFormat.fromMetadataProps(props, SOURCE));
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    /** Format 2 says which tokens of a long text are kept; a file that keeps the first ones stays format 1. */
    @Test
    void aTruncationOtherThanHeadIsFormat2() throws Exception {
        ModelCard c = card();
        ModelCard tail = new ModelCard(ModelFormat.FORMAT_VERSION, c.name(), c.description(), c.architecture(),
                c.labels(), c.encoder().withTruncation(dev.sentikit.text.Truncation.TAIL), c.vocabularySize(),
                c.embeddingRows(), c.provenance(), c.metrics(), c.limitations());
        Map<String, String> props = new LinkedHashMap<>(ModelFormat.toMetadataProps(tail, Vocabulary.of(ENTRIES)));
        assertEquals("2", props.get(ModelFormat.KEY_FORMAT_VERSION));
        ModelFormat.Metadata read = ModelFormat.fromMetadataProps(props, SOURCE);
        assertEquals(dev.sentikit.text.Truncation.TAIL, read.card().encoder().truncation());
        assertEquals("1", props().get(ModelFormat.KEY_FORMAT_VERSION));
        assertEquals(dev.sentikit.text.Truncation.HEAD,
                ModelFormat.fromMetadataProps(props(), SOURCE).card().encoder().truncation());
        // A format-1 file that says it keeps the tail contradicts itself: older readers would read its head.
        ObjectNode json = (ObjectNode) ModelFormat.json().readTree(props.get(ModelFormat.KEY_CARD));
        json.put("format_version", 1);
        props.put(ModelFormat.KEY_CARD, json.toString());
        props.put(ModelFormat.KEY_FORMAT_VERSION, "1");
        assertContains(refused(props).getMessage(), "keeps 'tail' tokens", "format 1 cannot say");
    }

    @Test
    void propsHoldTheThreeKeysInAStableOrder() {
        Map<String, String> props = ModelFormat.toMetadataProps(card(), Vocabulary.of(ENTRIES));
        assertEquals(List.of("sentikit.format_version", "sentikit.card", "sentikit.vocabulary"),
                new ArrayList<>(props.keySet()));
        assertEquals("1", props.get(ModelFormat.KEY_FORMAT_VERSION));
        // ASCII: JNI hands metadata to Java in modified UTF-8 (see ModelFormat.toMetadataJson)
        assertEquals("[\"good\",\"bad\",\"not good\",\"\\u597D\"]", props.get(ModelFormat.KEY_VOCABULARY));
    }

    @Test
    void cardAndVocabularyRoundTrip() throws ModelLoadException {
        ModelFormat.Metadata metadata = ModelFormat.fromMetadataProps(props(), SOURCE);
        assertEquals(card(), metadata.card());
        assertEquals(ENTRIES, metadata.vocabulary().entries());
        assertEquals(ENCODER, metadata.encoder().spec());
        assertEquals(ROWS, metadata.encoder().idSpace());
    }

    @Test
    void aCardWithoutProvenanceOrMetricsRoundTrips() throws ModelLoadException {
        ModelCard bare = new ModelCard(ModelFormat.FORMAT_VERSION, null, null, "bag", LABELS, ENCODER, 0,
                1L + HASH_BUCKETS, null, null, null);
        Map<String, String> props = ModelFormat.toMetadataProps(bare, Vocabulary.of(List.of()));
        assertFalse(props.get(ModelFormat.KEY_CARD).contains("provenance"), "nulls are left out");
        ModelCard read = ModelFormat.fromMetadataProps(props, SOURCE).card();
        assertEquals(bare, read);
        assertEquals(Map.of(), read.metrics());
        assertEquals(List.of(), read.limitations());
    }

    @Test
    void cardJsonUsesTheDocumentedFieldNames() throws Exception {
        JsonNode json = ModelFormat.json().readTree(props().get(ModelFormat.KEY_CARD));
        assertEquals(names("format_version", "name", "description", "architecture", "labels", "encoder",
                "vocabulary_size", "embedding_rows", "provenance", "metrics", "limitations"), fieldNames(json));
        assertEquals(names("scheme", "lowercase", "bigrams", "max_tokens", "max_chars", "hash_buckets"),
                fieldNames(json.get("encoder")));
        // valid_sha256 is null in PROVENANCE, so it is left out.
        assertEquals(names("created_at", "sentikit_version", "engine", "train_data", "train_sha256", "valid_data",
                "seed", "hyperparameters", "command_line"), fieldNames(json.get("provenance")));
    }

    @Test
    void writingRejectsAVocabularyOfAnotherSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFormat.toMetadataProps(card(), Vocabulary.of(List.of("good"))));
        assertContains(e.getMessage(), "4", "1");
    }

    @Test
    void missingFormatVersionSaysItIsNotASentikitModel() {
        Map<String, String> props = props();
        props.remove(ModelFormat.KEY_FORMAT_VERSION);
        assertContains(refused(props).getMessage(), SOURCE, "not a Sentikit model", "sentikit.format_version");
        assertContains(refused(Map.of()).getMessage(), "not a Sentikit model");
    }

    @Test
    void newerFormatVersionSaysToUpgrade() {
        Map<String, String> props = props();
        props.put(ModelFormat.KEY_FORMAT_VERSION, Integer.toString(ModelFormat.NEWEST_FORMAT_VERSION + 1));
        assertContains(refused(props).getMessage(), "model format " + (ModelFormat.NEWEST_FORMAT_VERSION + 1), "upgrade Sentikit");
    }

    @Test
    void nonNumericOrNonPositiveFormatVersionIsRefused() {
        Map<String, String> props = props();
        props.put(ModelFormat.KEY_FORMAT_VERSION, "one");
        assertContains(refused(props).getMessage(), "'one'", "not a number");
        props.put(ModelFormat.KEY_FORMAT_VERSION, "0");
        assertContains(refused(props).getMessage(), "invalid model format version 0");
    }

    @Test
    void formatVersionMayHaveSurroundingWhitespace() throws ModelLoadException {
        Map<String, String> props = props();
        props.put(ModelFormat.KEY_FORMAT_VERSION, " 1\n");
        assertEquals(card(), ModelFormat.fromMetadataProps(props, SOURCE).card());
    }

    @Test
    void cardVersionMustMatchTheKey() throws Exception {
        Map<String, String> props = withCardField("format_version", ModelFormat.json().getNodeFactory().numberNode(0));
        assertContains(refused(props).getMessage(), "card says format 0");
    }

    @Test
    void missingCardOrVocabularyIsNamed() {
        Map<String, String> noCard = props();
        noCard.remove(ModelFormat.KEY_CARD);
        assertContains(refused(noCard).getMessage(), "no 'sentikit.card' entry");
        Map<String, String> noVocabulary = props();
        noVocabulary.remove(ModelFormat.KEY_VOCABULARY);
        assertContains(refused(noVocabulary).getMessage(), "no 'sentikit.vocabulary' entry");
    }

    @Test
    void badJsonIsRefusedNamingTheKey() {
        Map<String, String> props = props();
        props.put(ModelFormat.KEY_CARD, "{\"labels\": [");
        assertContains(refused(props).getMessage(), SOURCE, "'sentikit.card' is invalid");
        Map<String, String> vocabulary = props();
        vocabulary.put(ModelFormat.KEY_VOCABULARY, "{\"not\": \"an array\"}");
        assertContains(refused(vocabulary).getMessage(), "'sentikit.vocabulary' is invalid");
        Map<String, String> nullCard = props();
        nullCard.put(ModelFormat.KEY_CARD, "null");
        assertContains(refused(nullCard).getMessage(), "'sentikit.card' is null");
    }

    @Test
    void cardWithoutLabelsOrEncoderIsRefused() throws Exception {
        Map<String, String> props = props();
        ObjectNode json = (ObjectNode) ModelFormat.json().readTree(props.get(ModelFormat.KEY_CARD));
        json.remove("labels");
        props.put(ModelFormat.KEY_CARD, json.toString());
        assertContains(refused(props).getMessage(), "'sentikit.card' is invalid", "labels");
    }

    private static final List<String> REQUIRED_CARD_FIELDS = List.of("format_version", "architecture", "labels",
            "encoder", "vocabulary_size", "embedding_rows");
    private static final List<String> ENCODER_FIELDS = List.of("scheme", "lowercase", "bigrams", "max_tokens",
            "max_chars", "hash_buckets");

    /** The props with the card JSON changed by {@code change}. */
    private static Map<String, String> withCard(java.util.function.Consumer<ObjectNode> change) throws Exception {
        Map<String, String> props = props();
        ObjectNode json = (ObjectNode) ModelFormat.json().readTree(props.get(ModelFormat.KEY_CARD));
        change.accept(json);
        props.put(ModelFormat.KEY_CARD, json.toString());
        return props;
    }

    @Test
    void everyRequiredCardFieldThatIsMissingIsNamed() throws Exception {
        for (String field : REQUIRED_CARD_FIELDS) {
            Map<String, String> props = withCard(json -> json.remove(field));
            assertContains(refused(props).getMessage(), SOURCE, "'sentikit.card' is invalid",
                    "the required field '" + field + "' is missing");
        }
    }

    @Test
    void everyEncoderFieldIsRequiredNotReadAsFalseOrZero() throws Exception {
        for (String field : ENCODER_FIELDS) {
            Map<String, String> props = withCard(json -> ((ObjectNode) json.get("encoder")).remove(field));
            assertContains(refused(props).getMessage(), "'sentikit.card' is invalid",
                    "the required field 'encoder." + field + "' is missing");
        }
    }

    @Test
    void requiredFieldsThatAreNullAreNamed() throws Exception {
        for (String field : REQUIRED_CARD_FIELDS) {
            assertContains(refused(withCard(json -> json.putNull(field))).getMessage(),
                    "'sentikit.card' is invalid", "the field '" + field + "' is null");
        }
        for (String field : ENCODER_FIELDS) {
            Map<String, String> props = withCard(json -> ((ObjectNode) json.get("encoder")).putNull(field));
            assertContains(refused(props).getMessage(), "the field 'encoder." + field + "' is null");
        }
    }

    @Test
    void aMistypedFieldIsNamed() throws Exception {
        Map<String, String> props = withCard(json -> ((ObjectNode) json.get("encoder")).put("max_tokens", "many"));
        assertContains(refused(props).getMessage(), "'sentikit.card' is invalid", "the field 'encoder.max_tokens'");
    }

    @Test
    void optionalCardAndProvenanceFieldsMayBeLeftOutOrNull() throws Exception {
        List<String> optional = List.of("name", "description", "provenance", "metrics", "limitations");
        ModelCard bare = new ModelCard(ModelFormat.FORMAT_VERSION, null, null, "bag", LABELS, ENCODER,
                ENTRIES.size(), ROWS, null, null, null);
        assertEquals(bare, ModelFormat.fromMetadataProps(withCard(json -> optional.forEach(json::remove)), SOURCE)
                .card());
        assertEquals(bare, ModelFormat.fromMetadataProps(withCard(json -> optional.forEach(json::putNull)), SOURCE)
                .card());
        // Every provenance field is optional: an empty block reads as all nulls and seed 0.
        Provenance empty = new Provenance(null, null, null, null, null, null, null, 0L, null, null);
        Map<String, String> props = withCard(json -> json.putObject("provenance"));
        assertEquals(empty, ModelFormat.fromMetadataProps(props, SOURCE).card().provenance());
        Map<String, String> withValidHash = withCard(json -> ((ObjectNode) json.get("provenance"))
                .put("valid_sha256", "cd".repeat(32)).putNull("engine"));
        Provenance read = ModelFormat.fromMetadataProps(withValidHash, SOURCE).card().provenance();
        assertEquals("cd".repeat(32), read.validSha256());
        assertEquals(null, read.engine());
    }

    @Test
    void unknownEncoderSchemeIsNamed() throws Exception {
        ObjectNode encoder = (ObjectNode) ModelFormat.json().valueToTree(ENCODER);
        encoder.put("scheme", "sentikit-words-v9");
        assertContains(refused(withCardField("encoder", encoder)).getMessage(), "sentikit-words-v9",
                EncoderSpec.SCHEME_V1);
    }

    @Test
    void vocabularySizeMismatchIsRefused() {
        Map<String, String> props = props();
        props.put(ModelFormat.KEY_VOCABULARY, "[\"good\", \"bad\"]");
        assertContains(refused(props).getMessage(), "the vocabulary has 2 entries but the card says 4");
    }

    @Test
    void invalidVocabularyIsRefused() {
        Map<String, String> props = props();
        props.put(ModelFormat.KEY_VOCABULARY, "[\"good\", \"bad\", \"good\", \"x\"]");
        assertContains(refused(props).getMessage(), "invalid vocabulary", "'good' appears twice");
    }

    @Test
    void embeddingRowsMismatchIsRefused() throws Exception {
        Map<String, String> props = withCardField("embedding_rows",
                ModelFormat.json().getNodeFactory().numberNode(ROWS + 1));
        assertContains(refused(props).getMessage(), "70 rows", "1 + 4 entries + 64 hash buckets = 69");
    }

    @Test
    void duplicateLabelsAreRefused() throws Exception {
        ArrayNode labels = ModelFormat.json().createArrayNode().add("positive").add("negative").add("positive");
        assertContains(refused(withCardField("labels", labels)).getMessage(), "a label twice",
                "[positive, negative, positive]");
    }

    @Test
    void oneLabelIsRefused() throws Exception {
        ArrayNode labels = ModelFormat.json().createArrayNode().add("positive");
        assertContains(refused(withCardField("labels", labels)).getMessage(), "at least two labels", "[positive]");
    }

    @Test
    void unknownJsonFieldsAreIgnoredAtEveryLevel() throws Exception {
        Map<String, String> props = props();
        ObjectNode json = (ObjectNode) ModelFormat.json().readTree(props.get(ModelFormat.KEY_CARD));
        json.put("added_in_a_later_version", "x");
        ((ObjectNode) json.get("encoder")).put("future_option", true);
        ((ObjectNode) json.get("provenance")).putObject("future_block").put("a", 1);
        props.put(ModelFormat.KEY_CARD, json.toString());
        props.put("sentikit.some_future_key", "anything");
        assertEquals(card(), ModelFormat.fromMetadataProps(props, SOURCE).card());
    }

    @Test
    void withersKeepEveryOtherField() {
        ModelCard renamed = card().withName("reviews", "Product reviews.");
        assertEquals("reviews", renamed.name());
        assertEquals("Product reviews.", renamed.description());
        assertEquals(card().labels(), renamed.labels());
        assertEquals(card().provenance(), renamed.provenance());
        ModelCard measured = card().withMetrics(Map.of("test", Map.of("accuracy", 0.5)));
        assertEquals(Map.of("test", Map.of("accuracy", 0.5)), measured.metrics());
        assertEquals(card().name(), measured.name());
    }

    @Test
    void cardCopiesItsListsAndMaps() {
        List<String> labels = new ArrayList<>(LABELS);
        ModelCard c = new ModelCard(1, "x", null, "bag", labels, ENCODER, 0, 1L + HASH_BUCKETS, null, null, null);
        labels.add("other");
        assertEquals(LABELS, c.labels());
        assertThrows(UnsupportedOperationException.class, () -> c.labels().add("other"));
        assertThrows(UnsupportedOperationException.class, () -> c.metrics().put("k", 1));
    }

    private static Set<String> names(String... names) {
        return new TreeSet<>(List.of(names));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** ONNX Runtime's Java API reads metadata through JNI's modified UTF-8, which cuts a raw emoji short. */
    @Test
    void metadataIsAsciiAndReadsBackWithEmojiAndCjk() throws Exception {
        java.util.List<String> entries = java.util.List.of("good", "\uD83D\uDC4D", "##\uD83D\uDE02", "\u4E0D\u597D", "caf\u00E9");
        dev.sentikit.text.Vocabulary vocabulary = dev.sentikit.text.Vocabulary.of(entries);
        String json = ModelFormat.toMetadataJson(vocabulary.entries());
        assertTrue(json.chars().allMatch(c -> c < 0x80), json);
        assertEquals(entries, ModelFormat.json().readValue(json, java.util.List.class));
        String tokenizer = "{\"model\":{\"vocab\":{\"\uD83D\uDC4D\":5}}}";
        String ascii = ModelFormat.asciiJson(tokenizer);
        assertTrue(ascii.chars().allMatch(c -> c < 0x80), ascii);
        assertEquals(ModelFormat.json().readTree(tokenizer), ModelFormat.json().readTree(ascii));
    }
}
