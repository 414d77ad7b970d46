package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentikit.model.ModelFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The golden vectors of long texts, {@value #RESOURCE}: for both schemes and every truncation, the tokens, the ids
 * and the coverage of texts longer than the model reads, and their windows. Java's encoder (held to the plain
 * algorithm and to Hugging Face {@code tokenizers} by {@link LongTextTest}) writes them; every other
 * implementation (the JavaScript package's tests) must give the same. By default this test regenerates them and
 * fails when they differ from the committed file; with {@code -Dsentikit.golden.write=true} it writes the file:
 *
 * <pre>
 * mvn -o -q -B -pl sdk-api test -Dtest=LongTextGoldenVectorsTest -Dsentikit.golden.write=true
 * </pre>
 */
class LongTextGoldenVectorsTest {

    static final String RESOURCE = "golden-long-v1.json";
    static final String RESOURCE_PATH = "sdk-api/src/test/resources/dev/sentikit/text/" + RESOURCE;
    /** The window bounds every case is read with. */
    static final int[] MAX_WINDOWS = {2, 3, 1000};

    private static final List<String> WORDS_VOCABULARY = List.of("the", "movie", "was", "not", "good", "bad",
            "great", "ending", "loved", "it", "!", ".", "not good", "not bad", "the ending", "不", "好", "不 好");

    @Test
    void theCommittedFileIsWhatTheEncoderGives() throws IOException {
        String generated = generate();
        if (Boolean.getBoolean("sentikit.golden.write")) {
            Path file = repositoryRoot().resolve(RESOURCE_PATH);
            Files.writeString(file, generated, StandardCharsets.UTF_8);
            System.out.println("wrote " + file);
            return;
        }
        String committed;
        try (InputStream in = LongTextGoldenVectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, "test resource dev/sentikit/text/" + RESOURCE + " is missing");
            committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(committed, generated, RESOURCE + " is not what the encoder gives now: if the change is meant, "
                + "write it again with -Dsentikit.golden.write=true (see this class) and review the difference");
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("sdk-api"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    /** The file's text: stable key order, two-space indentation, one line per case field. */
    static String generate() throws IOException {
        ObjectMapper json = ModelFormat.json().copy().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("about", "Golden vectors of long texts (docs/model-format.md §4.8 and §8.7): for each suite's "
                + "encoder (its truncation, a small max_tokens and max_chars), each text's tokens and ids as the "
                + "model reads them once (TextEncoder.tokenize and encode), the coverage of that read "
                + "(tokens_read, tokens, windows, chars_cut), and, for each bound in 'max_windows', its windows' ids "
                + "and their coverage. Ids of sentikit-words-v1: 0 padding, 1..V the vocabulary, then the hash "
                + "buckets; of sentikit-wordpiece-v1: the vocabulary's entry k (from 0) has id k + 1, and 0 is "
                + "[PAD]. Written by LongTextGoldenVectorsTest from Java's encoder, which LongTextTest holds to the "
                + "plain algorithm and to Hugging Face tokenizers.");
        ArrayNode windowsBounds = root.putArray("max_windows");
        for (int w : MAX_WINDOWS) {
            windowsBounds.add(w);
        }
        ArrayNode suites = root.putArray("suites");

        List<String> wordTexts = new ArrayList<>(List.of("", "good", "the movie was not good",
                "one two three four five six", "the movie was slow and long but the ending was great !",
                "not good at all , not bad either , the ending was great and i loved it .",
                "the movie " + "x ".repeat(30) + "the ending was great",
                "不好 的 电影 , 但是 结局 很 好 , 好",
                "a😀b " + "long ".repeat(12) + "end 😀😀 the ending"));
        Random random = new Random(2026);
        for (int i = 0; i < 6; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(40); k >= 0; k--) {
                sb.append(WORDS_VOCABULARY.get(random.nextInt(WORDS_VOCABULARY.size()))).append(random.nextBoolean()
                        ? " " : "  ");
            }
            wordTexts.add(sb.toString());
        }
        EncoderSpec words = new EncoderSpec(EncoderSpec.SCHEME_V1, true, true, 6, 64, 50, null, Truncation.HEAD);
        for (Truncation t : List.of(Truncation.HEAD, Truncation.TAIL, Truncation.headTail(2))) {
            suites.add(suite(json, "words " + t, words.withTruncation(t), Vocabulary.of(WORDS_VOCABULARY),
                    WORDS_VOCABULARY, wordTexts));
        }
        suites.add(suite(json, "words without bigrams, head+tail:1",
                words.withBigrams(false).withMaxTokens(4).withTruncation(Truncation.headTail(1)),
                Vocabulary.of(WORDS_VOCABULARY), WORDS_VOCABULARY, wordTexts));

        List<String> pieceVocabulary = BertTokenizers.vocabulary(false);
        String tokenizerJson = BertTokenizers.tokenizerJson(pieceVocabulary, true, null, true, true);
        TextEncoder base = TokenizerJson.read(tokenizerJson, 10).encoder();
        List<String> pieceTexts = new ArrayList<>(List.of("", "the movie was good", "unbelievable playing films "
                + "were not bad at all", "[CLS] the film [SEP] was great [MASK] really", "不好很差电影 the end",
                "the " + "movie ".repeat(20) + "ending was great"));
        for (int i = 0; i < 6; i++) {
            pieceTexts.add(BertTokenizers.randomText(random).replace("[PAD]", "[PAD "));
        }
        EncoderSpec pieces = base.spec().withMaxTokens(10);
        EncoderSpec shortChars = new EncoderSpec(pieces.scheme(), pieces.lowercase(), false, 10, 48, 0,
                pieces.wordPiece(), Truncation.HEAD);
        for (Truncation t : List.of(Truncation.HEAD, Truncation.TAIL, Truncation.headTail(3))) {
            suites.add(suite(json, "wordpiece " + t, pieces.withTruncation(t), base.vocabulary(),
                    base.vocabulary().entries(), pieceTexts));
            suites.add(suite(json, "wordpiece " + t + ", max_chars 48", shortChars.withTruncation(t),
                    base.vocabulary(), base.vocabulary().entries(), pieceTexts));
        }
        return json.writeValueAsString(root) + "\n";
    }

    private static ObjectNode suite(ObjectMapper json, String name, EncoderSpec spec, Vocabulary vocabulary,
            List<String> entries, List<String> texts) {
        ObjectNode suite = json.createObjectNode();
        suite.put("name", name);
        suite.set("encoder", json.valueToTree(spec));
        ArrayNode v = suite.putArray("vocabulary");
        entries.forEach(v::add);
        TextEncoder encoder = TextEncoder.of(spec, vocabulary);
        ArrayNode cases = suite.putArray("cases");
        for (String text : texts) {
            ObjectNode c = cases.addObject();
            c.put("text", text);
            ArrayNode tokens = c.putArray("tokens");
            encoder.tokenize(text).forEach(tokens::add);
            ArrayNode ids = c.putArray("ids");
            for (int id : encoder.encode(text)) {
                ids.add(id);
            }
            c.set("coverage", coverage(json, encoder.read(text, 1).coverage()));
            ObjectNode windows = c.putObject("windows");
            for (int w : MAX_WINDOWS) {
                EncodedText read = encoder.read(text, w);
                ObjectNode one = windows.putObject(Integer.toString(w));
                ArrayNode rows = one.putArray("ids");
                for (int[] row : read.windows()) {
                    ArrayNode r = rows.addArray();
                    for (int id : row) {
                        r.add(id);
                    }
                }
                one.set("coverage", coverage(json, read.coverage()));
            }
        }
        return suite;
    }

    private static JsonNode coverage(ObjectMapper json, Coverage c) {
        ObjectNode o = json.createObjectNode();
        o.put("tokens_read", c.tokensRead());
        o.put("tokens", c.tokens());
        o.put("windows", c.windows());
        o.put("chars_cut", c.charsCut());
        return o;
    }
}
