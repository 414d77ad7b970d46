package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentikit.model.ModelFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Holds {@link TextEncoder} to the reviewed golden vectors in {@value #RESOURCE}, the reference that every
 * implementation of {@link EncoderSpec#SCHEME_V1} (Java or not) must reproduce. See docs/model-format.md.
 */
class GoldenVectorsTest {

    private static final String RESOURCE = "golden-v1.json";
    /** The file was reviewed with this many cases; fewer means it was cut by accident. */
    private static final int REVIEWED_CASES = 74;
    private static final int REVIEWED_VOCABULARY_SIZE = 40;
    private static final List<String> SUITES = List.of("main", "short", "plain");

    private static JsonNode golden;
    private static Vocabulary vocabulary;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = GoldenVectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, "test resource dev/sentikit/text/" + RESOURCE + " is missing");
            golden = ModelFormat.json().readTree(in);
        }
        List<String> entries = new ArrayList<>();
        golden.get("vocabulary").forEach(e -> entries.add(e.asText()));
        vocabulary = Vocabulary.of(entries);
    }

    @Test
    void fileHoldsEveryReviewedSuiteAndCase() {
        List<String> names = new ArrayList<>();
        int cases = 0;
        for (JsonNode suite : golden.get("suites")) {
            names.add(suite.get("name").asText());
            cases += suite.get("cases").size();
        }
        assertEquals(SUITES, names);
        assertEquals(REVIEWED_CASES, cases);
        assertEquals(REVIEWED_VOCABULARY_SIZE, vocabulary.size());
    }

    @Test
    void caseNamesAreUniqueWithinASuite() {
        for (JsonNode suite : golden.get("suites")) {
            Set<String> seen = new HashSet<>();
            for (JsonNode c : suite.get("cases")) {
                assertTrue(seen.add(c.get("name").asText()),
                        "suite " + suite.get("name") + " has the case name " + c.get("name") + " twice");
            }
        }
    }

    @TestFactory
    List<DynamicNode> everyCaseGivesItsTokensAndIds() throws IOException {
        List<DynamicNode> suites = new ArrayList<>();
        for (JsonNode suite : golden.get("suites")) {
            EncoderSpec spec = ModelFormat.json().treeToValue(suite.get("encoder"), EncoderSpec.class);
            TextEncoder encoder = TextEncoder.of(spec, vocabulary);
            List<DynamicNode> tests = new ArrayList<>();
            for (JsonNode c : suite.get("cases")) {
                String name = c.get("name").asText();
                String text = c.get("text").asText();
                List<String> tokens = new ArrayList<>();
                c.get("tokens").forEach(t -> tokens.add(t.asText()));
                int[] ids = new int[c.get("ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = c.get("ids").get(i).asInt();
                }
                tests.add(dynamicTest(name, () -> {
                    assertEquals(tokens, encoder.tokenize(text), "tokens of " + name);
                    assertArrayEquals(ids, encoder.encode(text), "ids of " + name);
                    long[] row = encoder.encodeBatch(List.of(text)).row(0);
                    assertArrayEquals(toLongs(ids), row, "batch row of " + name);
                    for (int id : ids) {
                        assertTrue(id >= 1 && id < encoder.idSpace(),
                                "id " + id + " of " + name + " is outside 1.." + (encoder.idSpace() - 1));
                    }
                }));
            }
            suites.add(dynamicContainer(suite.get("name").asText(), tests));
        }
        return suites;
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
