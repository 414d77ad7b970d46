package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentikit.model.ModelFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class EncoderSpecTest {

    private static final String V1 = EncoderSpec.SCHEME_V1;
    private static final int TOKENS = 16;
    private static final int CHARS = 100;
    private static final int BUCKETS = 10;

    @Test
    void defaultsAreTheDocumentedValues() {
        EncoderSpec d = EncoderSpec.defaults();
        assertEquals("sentikit-words-v1", d.scheme());
        assertTrue(d.lowercase());
        assertTrue(d.bigrams());
        assertEquals(256, d.maxTokens());
        assertEquals(16_384, d.maxChars());
        assertEquals(4_096, d.hashBuckets());
    }

    @Test
    void maxSequenceLengthCountsBigramsOnlyWhenOn() {
        EncoderSpec spec = new EncoderSpec(V1, true, true, TOKENS, CHARS, BUCKETS);
        assertEquals(2 * TOKENS - 1, spec.maxSequenceLength());
        assertEquals(TOKENS, spec.withBigrams(false).maxSequenceLength());
    }

    @Test
    void withersChangeOneFieldOnly() {
        EncoderSpec spec = new EncoderSpec(V1, true, true, TOKENS, CHARS, BUCKETS);
        assertEquals(new EncoderSpec(V1, true, false, TOKENS, CHARS, BUCKETS), spec.withBigrams(false));
        assertEquals(new EncoderSpec(V1, true, true, 3, CHARS, BUCKETS), spec.withMaxTokens(3));
        assertEquals(new EncoderSpec(V1, true, true, TOKENS, CHARS, 7), spec.withHashBuckets(7));
    }

    @Test
    void unknownSchemeNamesItAndTheSupportedOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EncoderSpec("sentikit-words-v2", true, true, TOKENS, CHARS, BUCKETS));
        assertTrue(e.getMessage().contains("'sentikit-words-v2'"), e.getMessage());
        assertTrue(e.getMessage().contains(V1), e.getMessage());
        assertThrows(NullPointerException.class, () -> new EncoderSpec(null, true, true, TOKENS, CHARS, BUCKETS));
    }

    @Test
    void limitsBelowOneAreRejectedNamingTheValue() {
        assertMessage("max_tokens must be >= 1, got 0", () -> new EncoderSpec(V1, true, true, 0, CHARS, BUCKETS));
        assertMessage("max_chars must be >= 1, got -1", () -> new EncoderSpec(V1, true, true, TOKENS, -1, BUCKETS));
        assertMessage("hash_buckets must be >= 1, got 0", () -> new EncoderSpec(V1, true, true, TOKENS, CHARS, 0));
    }

    @Test
    void jsonUsesTheDocumentedSnakeCaseNames() throws Exception {
        EncoderSpec spec = new EncoderSpec(V1, false, true, TOKENS, CHARS, BUCKETS);
        JsonNode json = ModelFormat.json().readTree(ModelFormat.toJson(spec));
        Set<String> names = new TreeSet<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(List.of("scheme", "lowercase", "bigrams", "max_tokens", "max_chars",
                "hash_buckets")), names);
        assertFalse(json.get("lowercase").asBoolean());
        assertEquals(TOKENS, json.get("max_tokens").asInt());
        assertEquals(spec, ModelFormat.json().treeToValue(json, EncoderSpec.class));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
