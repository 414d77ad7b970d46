package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoded training data and its cache: same result as encoding, keyed by everything that decides it. */
class EncodedDataTest {

    private static List<String> texts;
    private static final EncoderSpec SPEC = EncoderSpec.defaults();

    @BeforeAll
    static void data() throws Exception {
        texts = Fixtures.vaderExamples().texts();
    }

    private static long files(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".skenc")).count();
        }
    }

    @Test
    void theParallelVocabularyIsTheSequentialOne() {
        Map<String, Long> counts = new HashMap<>();
        for (String text : texts) {
            List<String> tokens = TextEncoder.tokenize(text, SPEC);
            for (int i = 0; i < tokens.size(); i++) {
                counts.merge(tokens.get(i), 1L, Long::sum);
                if (i + 1 < tokens.size()) {
                    counts.merge(tokens.get(i) + ' ' + tokens.get(i + 1), 1L, Long::sum);
                }
            }
        }
        Vocabulary sequential = Vocabulary.fromCounts(counts, 2, 5_000);
        assertEquals(sequential.entries(), EncodedData.buildVocabulary(texts, SPEC, 2, 5_000).entries());
        assertTrue(sequential.size() > 1_000, "the fixture gives " + sequential.size() + " entries");
    }

    @Test
    void aSecondLoadComesFromTheCacheAndIsTheSame(@TempDir Path cache) throws Exception {
        List<String> warnings = new ArrayList<>();
        EncodedData built = EncodedData.load(texts, SPEC, 2, 5_000, cache, warnings::add);
        EncodedData cached = EncodedData.load(texts, SPEC, 2, 5_000, cache, warnings::add);
        assertFalse(built.fromCache());
        assertTrue(cached.fromCache());
        assertEquals(List.of(), warnings);
        assertEquals(built.vocabulary().entries(), cached.vocabulary().entries());
        assertEquals(built.ids().length, cached.ids().length);
        TextEncoder encoder = TextEncoder.of(SPEC, built.vocabulary());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(encoder.encode(texts.get(i)), cached.ids()[i], "text " + i);
        }
        assertEquals(1, files(cache));
    }

    @Test
    void theKeyCoversTheTextsAndEveryEncoderSetting() {
        String base = EncodedData.key(texts, SPEC, 2, 5_000);
        assertEquals(base, EncodedData.key(new ArrayList<>(texts), SPEC, 2, 5_000));
        List<String> changed = new ArrayList<>(texts);
        changed.set(700, changed.get(700) + "!");
        assertNotEquals(base, EncodedData.key(changed, SPEC, 2, 5_000));
        assertNotEquals(base, EncodedData.key(texts.subList(0, texts.size() - 1), SPEC, 2, 5_000));
        assertNotEquals(base, EncodedData.key(texts, SPEC.withBigrams(false), 2, 5_000));
        assertNotEquals(base, EncodedData.key(texts, SPEC.withMaxTokens(64), 2, 5_000));
        assertNotEquals(base, EncodedData.key(texts, SPEC.withHashBuckets(1_000), 2, 5_000));
        assertNotEquals(base, EncodedData.key(texts, SPEC, 3, 5_000));
        assertNotEquals(base, EncodedData.key(texts, SPEC, 2, 4_000));
        // moving a character between neighbouring texts changes the key (texts are length-prefixed)
        assertNotEquals(EncodedData.key(List.of("ab", "c"), SPEC, 2, 5_000),
                EncodedData.key(List.of("a", "bc"), SPEC, 2, 5_000));
    }

    @Test
    void aDamagedCacheFileIsRebuiltWithAWarning(@TempDir Path cache) throws Exception {
        EncodedData built = EncodedData.load(texts, SPEC, 2, 5_000, cache, m -> {});
        Path file;
        try (var s = Files.list(cache)) {
            file = s.filter(p -> p.toString().endsWith(".skenc")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        List<String> warnings = new ArrayList<>();
        EncodedData again = EncodedData.load(texts, SPEC, 2, 5_000, cache, warnings::add);
        assertFalse(again.fromCache());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("cannot be used"), warnings.get(0));
        assertEquals(built.vocabulary().entries(), again.vocabulary().entries());
        assertTrue(EncodedData.load(texts, SPEC, 2, 5_000, cache, m -> {}).fromCache(), "rewritten");
    }

    @Test
    void anUnwritableCacheOnlyWarns(@TempDir Path dir) throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        List<String> warnings = new ArrayList<>();
        EncodedData data = EncodedData.load(texts, SPEC, 2, 5_000, notADirectory, warnings::add);
        assertEquals(texts.size(), data.ids().length);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("training goes on without it"), warnings.get(0));
    }

    @Test
    void onlyTheMostRecentlyUsedFilesAreKept(@TempDir Path cache) throws Exception {
        List<String> small = texts.subList(0, 50);
        for (int min = 1; min <= EncodedData.KEEP + 3; min++) {
            EncodedData.load(small, SPEC, min, 5_000, cache, m -> {});
            Thread.sleep(5); // distinct modification times
        }
        assertEquals(EncodedData.KEEP, files(cache));
        // the newest survives
        assertTrue(EncodedData.load(small, SPEC, EncodedData.KEEP + 3, 5_000, cache, m -> {}).fromCache());
        assertFalse(EncodedData.load(small, SPEC, 1, 5_000, cache, m -> {}).fromCache());
    }

    @Test
    void trainingFromTheCacheGivesTheSameParameters(@TempDir Path dir) throws Exception {
        Split split = Split.stratified(Fixtures.vaderExamples(), 0.2, 1);
        TrainingConfig config = Fixtures.smallConfig().optEpochs(1).build();
        SentimentTrainer.DataSources sources = new SentimentTrainer.DataSources("fixture", "0".repeat(64), "split",
                null, "test");
        List<String> messages = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void message(String message) {
                messages.add(message);
            }
        };
        Path cache = dir.resolve("cache");
        new SentimentTrainer(config, new Device[] {Device.cpu()}, listener).train(split.train(), split.heldOut(),
                sources, dir.resolve("none"));
        new SentimentTrainer(config, new Device[] {Device.cpu()}, listener).optCacheDir(cache)
                .train(split.train(), split.heldOut(), sources, dir.resolve("first"));
        new SentimentTrainer(config, new Device[] {Device.cpu()}, listener).optCacheDir(cache)
                .train(split.train(), split.heldOut(), sources, dir.resolve("cached"));
        assertTrue(messages.get(0).startsWith("encoded"), messages.toString());
        assertTrue(messages.get(1).startsWith("encoded"), messages.toString());
        assertTrue(messages.get(2).startsWith("read the encoded"), messages.toString());
        byte[] none = Files.readAllBytes(dir.resolve("none").resolve(Checkpoint.PARAMETERS));
        assertArrayEquals(none, Files.readAllBytes(dir.resolve("first").resolve(Checkpoint.PARAMETERS)));
        assertArrayEquals(none, Files.readAllBytes(dir.resolve("cached").resolve(Checkpoint.PARAMETERS)));
    }
}
