package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentikit.model.ModelFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Holds {@link TextEncoder} to the reviewed golden vectors in {@value #RESOURCE}, the reference that every
 * implementation of {@link EncoderSpec#SCHEME_WORDPIECE_V1} (Java or not) must reproduce. Their ids are those of
 * Hugging Face {@code tokenizers} ({@link WordPieceGoldenVectorsWriterTest} wrote them). See docs/model-format.md.
 */
class WordPieceGoldenVectorsTest {

    private static final String RESOURCE = "golden-wordpiece-v1.json";
    /** The file was reviewed with this many cases; fewer means it was cut by accident. */
    private static final int REVIEWED_CASES = 89;
    private static final int REVIEWED_VOCABULARY_SIZE = 82;
    private static final List<String> SUITES = List.of("uncased", "cased", "raw", "short");

    private static JsonNode golden;
    private static Vocabulary vocabulary;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = WordPieceGoldenVectorsTest.class.getResourceAsStream(RESOURCE)) {
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
    void everySuiteIsWordPieceWithThePadTokenOutsideTheVocabulary() throws IOException {
        for (JsonNode suite : golden.get("suites")) {
            EncoderSpec spec = spec(suite);
            assertEquals(EncoderSpec.SCHEME_WORDPIECE_V1, spec.scheme(), suite.get("name").asText());
            assertEquals(0, spec.hashBuckets());
            assertEquals(-1, vocabulary.id(spec.wordPiece().padToken()),
                    "the pad token has id 0, so it is not a vocabulary entry");
            assertEquals(1 + vocabulary.size(), TextEncoder.of(spec, vocabulary).idSpace());
        }
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
            EncoderSpec spec = spec(suite);
            TextEncoder encoder = TextEncoder.of(spec, vocabulary);
            int cls = vocabulary.id(spec.wordPiece().clsToken());
            int sep = vocabulary.id(spec.wordPiece().sepToken());
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
                    List<String> words = TextEncoder.tokenize(text, spec);
                    if (ids.length < spec.maxTokens()) {
                        assertEquals(tokens, words, "words without a vocabulary, " + name);
                    } else { // cut: the words without a vocabulary may go past the last piece kept
                        assertEquals(tokens, words.subList(0, Math.min(words.size(), tokens.size())),
                                "words without a vocabulary, " + name);
                    }
                    assertArrayEquals(ids, encoder.encode(text), "ids of " + name);
                    long[] out = new long[3 + ids.length];
                    assertEquals(ids.length, encoder.encodeInto(text, out, 3), "encodeInto count of " + name);
                    assertArrayEquals(toLongs(ids), Arrays.copyOfRange(out, 3, out.length), "encodeInto of " + name);
                    assertEquals(-ids.length, encoder.encodeInto(text, new long[ids.length - 1], 0),
                            "encodeInto with one place too few, " + name);
                    assertArrayEquals(toLongs(ids), encoder.encodeBatch(List.of(text)).row(0), "batch row of " + name);
                    assertTrue(ids.length >= 2 && ids.length <= spec.maxTokens(), name + " has " + ids.length + " ids");
                    assertEquals(cls, ids[0], name + " starts with " + spec.wordPiece().clsToken());
                    assertEquals(sep, ids[ids.length - 1], name + " ends with " + spec.wordPiece().sepToken());
                    for (int id : ids) {
                        assertTrue(id >= 1 && id < encoder.idSpace(),
                                "id " + id + " of " + name + " is outside 1.." + (encoder.idSpace() - 1));
                    }
                }));
            }
            tests.add(dynamicTest("the suite as one batch", () -> {
                List<String> texts = new ArrayList<>();
                suite.get("cases").forEach(c -> texts.add(c.get("text").asText()));
                EncodedBatch batch = encoder.encodeBatch(texts);
                for (int r = 0; r < texts.size(); r++) {
                    assertArrayEquals(toLongs(encoder.encode(texts.get(r))), batch.row(r), "row " + r);
                    for (int col = batch.lengths()[r]; col < batch.sequenceLength(); col++) {
                        assertEquals(Vocabulary.PAD_ID, batch.ids()[r * batch.sequenceLength() + col], "padding");
                    }
                }
            }));
            suites.add(dynamicContainer(suite.get("name").asText(), tests));
        }
        return suites;
    }

    @Test
    void noCaseHoldsALoneSurrogate() {
        // Hugging Face tokenizers (Rust strings) cannot take one; Sentikit reads it as U+FFFD (tested elsewhere).
        for (JsonNode suite : golden.get("suites")) {
            for (JsonNode c : suite.get("cases")) {
                String text = c.get("text").asText();
                assertFalse(text.codePoints().anyMatch(cp -> cp >= Character.MIN_SURROGATE
                        && cp <= Character.MAX_SURROGATE), c.get("name").asText());
            }
        }
    }

    private static EncoderSpec spec(JsonNode suite) throws IOException {
        return ModelFormat.json().treeToValue(suite.get("encoder"), EncoderSpec.class);
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
