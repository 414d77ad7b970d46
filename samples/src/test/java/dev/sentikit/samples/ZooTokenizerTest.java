package dev.sentikit.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnx.proto.OnnxMl;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.TokenizerJson;
import dev.sentikit.text.Truncation;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transformer zoo models' encoders against Hugging Face {@code tokenizers} (DJL's binding, test scope) on the
 * base's own {@code tokenizer.json}, which each model file carries under {@code sentikit.tokenizer_json}: the
 * importer gives the card's encoder and vocabulary from it, and the ids are equal on every text (the fixture texts,
 * the probes, odd characters, and the shared corpora when {@code ../shared} is present). This checks the real base
 * vocabularies on a fresh clone, without the base jars.
 */
class ZooTokenizerTest {

    @ParameterizedTest
    @ValueSource(strings = {"en", "zh"})
    void theModelEncodesAsHuggingFaceTokenizers(String name, @TempDir Path dir) throws Exception {
        Map<String, String> props = new HashMap<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/sentikit/zoo/" + name
                + ".onnx")) {
            assertNotNull(in, "zoo model " + name + " is not on the class path");
            for (OnnxMl.StringStringEntryProto p : OnnxMl.ModelProto.parseFrom(in).getMetadataPropsList()) {
                props.put(p.getKey(), p.getValue());
            }
        }
        ModelFormat.Metadata metadata = ModelFormat.fromMetadataProps(props, name);
        String json = props.get(ModelFormat.KEY_TOKENIZER_JSON);
        assertNotNull(json, name + " carries no " + ModelFormat.KEY_TOKENIZER_JSON);
        int maxTokens = metadata.card().encoder().maxTokens();
        TokenizerJson.Imported imported = TokenizerJson.read(json, maxTokens);
        // A tokenizer.json cuts a long text at its end only; which tokens the model keeps (encoder.truncation, such as
        // en's head+tail) is held to tokenizers' overflow in LongTextTest. Here the pieces and ids: the card's
        // encoder with the head kept is the tokenizer.json's.
        EncoderSpec head = metadata.card().encoder().withTruncation(Truncation.HEAD);
        assertEquals(head, imported.spec(), "the card's encoder is the tokenizer.json's");
        assertEquals(metadata.vocabulary().entries(), imported.vocabulary().entries());

        List<String> texts = texts();
        TextEncoder ours = TextEncoder.of(head, metadata.vocabulary());
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        try (HuggingFaceTokenizer theirs = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(true).optTruncation(true).optPadding(false).optMaxLength(maxTokens).build()) {
            for (String text : texts) {
                long[] expected = theirs.encode(text).getIds();
                int[] got = ours.encode(text);
                long[] actual = new long[got.length];
                for (int i = 0; i < got.length; i++) {
                    actual[i] = got[i];
                }
                assertArrayEquals(expected, actual, () -> name + ": '" + text + "'");
            }
        }
    }

    private static List<String> texts() throws Exception {
        List<String> texts = new ArrayList<>();
        Path root = Path.of(System.getProperty("sentikit.root.dir", ".."));
        List<Path> files = new ArrayList<>(List.of(root.resolve("model-zoo/probes/en.tsv"),
                root.resolve("model-zoo/probes/zh.tsv"),
                root.resolve("samples/src/test/resources/fixtures/vader-sample-300.tsv")));
        Path shared = Path.of(System.getProperty("sentikit.shared.dir", "../shared")).resolve("datasets");
        for (String f : List.of("en/vader-3class-train.tsv", "en/imdb.tsv", "zh/online_shopping_9_cats.tsv",
                "zh/waimai_10k.tsv")) {
            if (Files.isRegularFile(shared.resolve(f))) {
                files.add(shared.resolve(f));
            }
        }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            Random random = new Random(7);
            int n = Math.min(lines.size(), f.startsWith(shared) ? 300 : lines.size());
            for (int i = 0; i < n; i++) {
                String line = f.startsWith(shared) ? lines.get(random.nextInt(lines.size())) : lines.get(i);
                texts.add(line.substring(line.indexOf('\t') + 1));
            }
        }
        texts.addAll(List.of("", "   ", "[CLS] not [SEP] good [MASK]", "Ünïcödé façade naïve café", "İstanbul ΣΊΣΥΦΟΣ",
                "emoji 😀👍🏽 ❤️ glued😀word", "zero\u200Bwidth\uFEFF bom\u00A0nbsp\u3000ideographic",
                "ctrl\u0007bell\u0000nul\uFFFDrepl", "中文，标点！混合English文本", "ﬁ ligature ① ² ½",
                "a".repeat(150), "supercalifragilisticexpialidocious antidisestablishmentarianism"));
        return texts;
    }
}
