package dev.sentikit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentikit.ModelLoadException;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.Vocabulary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 6: metadata of a model file is untrusted input; sizes are bounded and JSON never picks Java classes. */
class HardeningMetadataTest {

    private static final String SOURCE = "hostile.onnx";
    private static final List<String> ENTRIES = List.of("good", "bad");
    private static final EncoderSpec SPEC = new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, 16, 100, 8);

    private static Map<String, String> props(EncoderSpec spec, long embeddingRows) {
        ModelCard card = new ModelCard(ModelFormat.FORMAT_VERSION, "t", null, "bag", List.of("neg", "pos"), spec,
                ENTRIES.size(), embeddingRows, null, null, null);
        return new LinkedHashMap<>(ModelFormat.toMetadataProps(card, Vocabulary.of(ENTRIES)));
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void aValueLongerThanTheLimitIsRefusedBeforeItIsParsed() {
        String tooLong = " ".repeat(ModelFormat.MAX_METADATA_CHARS + 1);
        for (String key : List.of(ModelFormat.KEY_CARD, ModelFormat.KEY_VOCABULARY)) {
            Map<String, String> props = props(SPEC, 1 + 2 + 8);
            props.put(key, tooLong);
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ModelFormat.fromMetadataProps(props, SOURCE));
            assertContains(e.getMessage(), SOURCE, "'" + key + "'", (ModelFormat.MAX_METADATA_CHARS + 1)
                    + " characters", "more than the limit of " + ModelFormat.MAX_METADATA_CHARS);
        }
    }

    @Test
    void aValueOfExactlyTheLimitIsParsed() {
        // Whitespace only: within the limit, so Jackson reads it, and it is not a card.
        Map<String, String> props = props(SPEC, 1 + 2 + 8);
        props.put(ModelFormat.KEY_CARD, " ".repeat(ModelFormat.MAX_METADATA_CHARS));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFormat.fromMetadataProps(props,
                SOURCE));
        assertFalse(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void anIdSpaceBeyondIntIsRefused() {
        // 1 + 2 entries + (2^31 - 1) buckets does not fit an int id: the ids of hash buckets would wrap.
        EncoderSpec huge = new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, 16, 100, Integer.MAX_VALUE);
        long rows = 1L + ENTRIES.size() + Integer.MAX_VALUE;
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelFormat.fromMetadataProps(props(huge, rows), SOURCE));
        assertContains(e.getMessage(), SOURCE, rows + " rows", "more than the 2147483647 ids");
    }

    @Test
    void jsonTypeHintsAreDataNotClasses() throws Exception {
        // No default typing: "@class" and ["java.class", …] stay plain JSON values in the open-ended fields.
        Map<String, String> props = props(SPEC, 1 + 2 + 8);
        ObjectNode card = (ObjectNode) ModelFormat.json().readTree(props.get(ModelFormat.KEY_CARD));
        card.set("metrics", ModelFormat.json().readTree("{\"validation\": {\"@class\": \"java.net.URL\", "
                + "\"protocol\": \"file\", \"host\": \"\", \"file\": \"/etc/passwd\"}, \"list\": "
                + "[\"java.util.ArrayList\", [1, 2]]}"));
        props.put(ModelFormat.KEY_CARD, card.toString());
        ModelCard read = ModelFormat.fromMetadataProps(props, SOURCE).card();
        Object validation = read.metrics().get("validation");
        assertInstanceOf(Map.class, validation);
        assertEquals("java.net.URL", ((Map<?, ?>) validation).get("@class"));
        assertEquals(List.of("java.util.ArrayList", List.of(1, 2)), read.metrics().get("list"));
        assertNull(ModelFormat.json().getDeserializationConfig().getDefaultTyper(null),
                "the shared mapper has no default typing");
    }

    @Test
    void deeplyNestedJsonIsRefusedNotAStackOverflow() {
        // Jackson 2.15+ limits nesting to 1000 levels; the error is a ModelLoadException naming the key.
        Map<String, String> props = props(SPEC, 1 + 2 + 8);
        props.put(ModelFormat.KEY_VOCABULARY, "[".repeat(100_000) + "]".repeat(100_000));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelFormat.fromMetadataProps(props, SOURCE));
        assertContains(e.getMessage(), SOURCE, "'" + ModelFormat.KEY_VOCABULARY + "' is invalid");
    }
}
