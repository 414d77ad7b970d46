package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentikit.model.ModelFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link TextEncoder#encodeTokens} on every case of the golden vectors (words and WordPiece): the tokens of a text
 * read whole give the text's ids, and with one token left out they give what encoding the others joined by spaces
 * gives, which is how explain measured a token before it ran ids (and how the JavaScript package does).
 */
class EncodeTokensTest {

    @TestFactory
    List<DynamicTest> words() throws IOException {
        return cases("golden-v1.json");
    }

    @TestFactory
    List<DynamicTest> wordPiece() throws IOException {
        return cases("golden-wordpiece-v1.json");
    }

    private static List<DynamicTest> cases(String resource) throws IOException {
        JsonNode golden;
        try (InputStream in = EncodeTokensTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing");
            golden = ModelFormat.json().readTree(in);
        }
        List<String> entries = new ArrayList<>();
        golden.get("vocabulary").forEach(e -> entries.add(e.asText()));
        Vocabulary vocabulary = Vocabulary.of(entries);
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode suite : golden.get("suites")) {
            EncoderSpec spec = ModelFormat.json().treeToValue(suite.get("encoder"), EncoderSpec.class);
            TextEncoder encoder = TextEncoder.of(spec, vocabulary);
            for (JsonNode c : suite.get("cases")) {
                String name = suite.get("name").asText() + "/" + c.get("name").asText();
                String text = c.get("text").asText();
                tests.add(dynamicTest(name, () -> {
                    List<String> tokens = encoder.tokenize(text);
                    if ("whole".equals(encoder.read(text, 1).coverage().how())) {
                        assertArrayEquals(encoder.encode(text), encoder.encodeTokens(tokens), "all the tokens");
                    }
                    for (int i = 0; i < tokens.size(); i++) {
                        List<String> others = new ArrayList<>(tokens);
                        String out = others.remove(i);
                        assertArrayEquals(encoder.encode(String.join(" ", others)), encoder.encodeTokens(others),
                                "without token " + i + " '" + out + "' of " + tokens);
                    }
                }));
            }
        }
        assertEquals(tests.size(), tests.stream().map(DynamicTest::getDisplayName).distinct().count());
        return tests;
    }

    @Test
    void aNullTokenIsRefused() {
        TextEncoder encoder = TextEncoder.of(EncoderSpec.defaults(), Vocabulary.of(List.of("a")));
        assertThrows(NullPointerException.class, () -> encoder.encodeTokens(Arrays.asList("a", null)));
        assertThrows(NullPointerException.class, () -> encoder.encodeTokens(null));
    }
}
