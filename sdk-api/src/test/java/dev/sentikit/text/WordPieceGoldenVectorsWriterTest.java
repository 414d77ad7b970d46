package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sentikit.model.ModelFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the golden vectors of {@link EncoderSpec#SCHEME_WORDPIECE_V1}, {@code golden-wordpiece-v1.json}, which
 * {@link WordPieceGoldenVectorsTest} holds every implementation to. The ids come from the independent
 * implementation, Hugging Face {@code tokenizers} (Rust, through DJL's binding), on the {@code tokenizer.json} that
 * {@link BertTokenizers#tokenizerJson} makes of {@link #VOCABULARY} with each suite's settings; Sentikit's encoder
 * must give the same ids, or the file is not written and every disagreement is listed. The tokens (the words of
 * BERT's basic tokenization, which {@code tokenizers} does not expose) are Sentikit's, checked against the words
 * that the pieces of {@code tokenizers} spell.
 *
 * <p>Every build runs it in check mode: it computes the file again and fails unless the committed file is exactly
 * that, so the file can always be written again and no hand edit goes unnoticed. It writes the file only when asked,
 * since the file is reviewed by eye and committed:
 * <pre>
 * nice -n 10 mvn -o -q -B -pl sdk-api test -Dtest=WordPieceGoldenVectorsWriterTest -Dsentikit.golden.write=true
 * </pre>
 * It reads and writes {@code sdk-api/src/test/resources/dev/sentikit/text/golden-wordpiece-v1.json} under
 * {@code sentikit.root.dir} (set by the build), or the path in {@code sentikit.golden.out}. After a change,
 * update the reviewed counts in {@link WordPieceGoldenVectorsTest}.
 */
class WordPieceGoldenVectorsWriterTest {

    static final String WRITE_PROPERTY = "sentikit.golden.write";
    static final String RESOURCE_PATH = "sdk-api/src/test/resources/dev/sentikit/text/golden-wordpiece-v1.json";

    /** The tokenizer.json vocabulary in id order: [PAD] is id 0, so the file's vocabulary is the rest. */
    static final List<String> VOCABULARY = List.of(
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "the", "The", "movie", "was", "is", "it", "great", "good", "bad", "not", "very", "i", "don", "t", "like",
            "a", "un", "play", "hello", "world", "cls", "cafe", "café", "naive", "fine", "ﬁ", "straße", "οδοσ", "οδος",
            "aaaaaaaaaa", "12", "50",
            "不", "好", "很", "差", "电", "影", "我", "爱", "\uD840\uDC00",
            ".", ",", "!", "?", "'", "’", "$", "#", "@", "(", ")", "+", "=", "[", "]", "…", "—", "«", "»", "，", "。",
            "！",
            "😀", "❤", "👍",
            "##s", "##ing", "##ness", "##believ", "##able", "##a", "##aaaaaaaaaa", "##good", "##ne", "##😀", "##好",
            "##\u0307");

    /**
     * The encoder's special tokens: those of the tokenizer.json ({@link BertTokenizers#SPECIAL}) but the pad token,
     * which is id 0 and never matched in text (docs/model-format.md §8.4), as {@link TokenizerJson} reads them.
     */
    static final List<String> SPECIAL_TOKENS = BertTokenizers.SPECIAL.stream().filter(t -> !t.equals("[PAD]"))
            .toList();

    record Case(String name, String text) {}

    /** A suite: the BertNormalizer settings ({@code strip} null: as {@code lowercase}) and max_tokens. */
    record Suite(String name, String about, boolean lowercase, Boolean strip, boolean clean, boolean chinese,
            int maxTokens, List<Case> cases) {}

    static Case c(String name, String text) {
        return new Case(name, text);
    }

    static final String A100 = "a".repeat(100);

    static final List<Suite> SUITES = List.of(
            new Suite("uncased", "Lower-casing with accent stripping, as all-MiniLM-L6-v2 and bert-base-uncased "
                    + "(strip_accents null in their tokenizer.json, so it follows lowercase).",
                    true, null, true, true, 128, List.of(
                    c("plain English", "The movie was great."),
                    c("upper case is lower-cased", "THE MOVIE WAS GOOD"),
                    c("punctuation is split off", "Hello, world!!"),
                    c("ASCII symbols are punctuation too", "#great @movie (very+good=great) $12.50"),
                    c("contraction with U+0027", "I don't like it"),
                    c("contraction with U+2019", "I don\u2019t like it"),
                    c("negation", "Not very good, not bad."),
                    c("continuation pieces", "unbelievable"),
                    c("word and suffix pieces", "Playing movies, greatness"),
                    c("an unmatched suffix makes the whole word [UNK]", "played"),
                    c("pieces that run out make the whole word [UNK]", "unbelievabl"),
                    c("a word with no first piece is [UNK]", "xyz good"),
                    c("the longest piece wins", "aaaaaaaaaaa"),
                    c("a word of 100 code points is split", A100),
                    c("a word of 101 code points is [UNK]", A100 + "a"),
                    c("the limit counts code points, not UTF-16 units", "😀".repeat(10) + "a".repeat(90)),
                    c("the limit counts code points after accent stripping", A100 + "\u0301"),
                    c("precomposed accents are stripped", "Café naïve CAFÉ"),
                    c("combining accents are stripped", "cafe\u0301 nai\u0308ve"),
                    c("several marks on one letter", "cafe\u0301\u0323"),
                    c("U+08D4 (Unicode 9.0) and U+1ABF (Unicode 13) are not stripped: the marks are Unicode 8.0's",
                            "cafe\u08D4 cafe\u1ABF"),
                    c("U+0130 loses its dot when accents are stripped", "İ i"),
                    c("capital sigma becomes σ, final sigma stays ς", "ΟΔΟΣ οδος ΟΔΌΣ"),
                    c("ligatures are not decomposed", "ﬁne fine"),
                    c("Hangul syllables decompose into jamo", "안녕"),
                    c("Devanagari vowel signs and virama are stripped", "नमस्ते"),
                    c("Chinese characters are spaced", "电影很好"),
                    c("Chinese characters between Latin letters", "我爱NLP好"),
                    c("Chinese punctuation is split off", "不好，很差！"),
                    c("an ideograph of CJK extension B is spaced", "a\uD840\uDC00a"),
                    c("CJK extension E below U+2B920 is not spaced", "a\uD86E\uDC20a"),
                    c("kana are not spaced, and their voicing mark is stripped", "ひらがな"),
                    c("an emoji alone", "😀"),
                    c("emoji glued to a word or to each other", "great😀 😀😀"),
                    c("variation selector 16 is a stripped mark", "I ❤\uFE0F it"),
                    c("zero-width joiners are deleted", "👨\u200D👩\u200D👧"),
                    c("a skin-tone modifier stays in the word", "👍\uD83C\uDFFB 👍"),
                    c("zero-width space is deleted, not a separator", "not\u200Bgood"),
                    c("byte-order mark and soft hyphen are deleted", "\uFEFFun\u00ADbelievable"),
                    c("U+0000, BEL and U+FFFD are deleted", "not\u0000good\u0007! caf\uFFFDe"),
                    c("vertical tab, form feed and NEL are deleted", "was\u000Bgood was\fgood not\u0085good"),
                    c("U+180E is a format character, not whitespace", "not\u180Egood"),
                    c("tab, CR and LF separate", "good\tmovie\r\nwas\ngreat\r!"),
                    c("Unicode spaces and line separators separate",
                            "good\u00A0movie\u3000was\u2028great\u2029very\u2003good\u202F!\u1680."),
                    c("Unicode punctuation is split off", "good…great «very»—good"),
                    c("non-ASCII symbols are not punctuation", "good€ 5€ ©"),
                    c("U+2E43 (Unicode 9.0) and U+2E52 (Unicode 13) are not punctuation: the table is Unicode 8.0's",
                            "good\u2E43movie good\u2E52movie"),
                    c("U+08E2 (Unicode 9.0) is not deleted: the format characters are Unicode 8.0's", "not\u08E2good"),
                    c("[CLS] in the text", "[CLS]"),
                    c("[UNK] in a word", "good[UNK]movie"),
                    c("special tokens side by side", "[CLS][SEP][MASK]"),
                    c("a special token in brackets", "[[MASK]]"),
                    c("near miss: unclosed", "[CLS"),
                    c("near miss: spaced", "[ CLS ]"),
                    c("near miss: lower case", "[cls]"),
                    c("near miss: a zero-width space inside is deleted only later", "[CL\u200BS]"),
                    c("empty text", ""),
                    c("whitespace only", " \t\r\n\u00A0\u3000 "),
                    c("deleted characters only", "\u200B\uFEFF\u0000\u00AD"))),
            new Suite("cased", "No lower-casing and no accent stripping, as bge-small-zh-v1.5 (strip_accents null in "
                    + "its tokenizer.json, so it follows lowercase).",
                    false, null, true, true, 128, List.of(
                    c("case is kept", "The movie was GOOD"),
                    c("continuation pieces", "unbelievable UNBELIEVABLE"),
                    c("precomposed accent is kept", "café Café"),
                    c("combining accent is kept and not composed", "cafe\u0301"),
                    c("U+0130 is kept", "İ"),
                    c("variation selector 16 is kept", "❤\uFE0F ❤"),
                    c("sigma is kept", "ΟΔΟΣ οδος"),
                    c("Hangul is not decomposed", "안녕"),
                    c("Chinese characters are spaced", "电影很好。"),
                    c("special tokens are matched", "[CLS]good[SEP]"))),
            new Suite("raw", "clean_text and handle_chinese_chars false; lower-casing without accent stripping "
                    + "(strip_accents false in the tokenizer.json).",
                    true, false, false, false, 128, List.of(
                    c("lower-cased, accent kept", "CAFÉ café"),
                    c("U+0130 lower-cases to i and U+0307", "İ"),
                    c("U+0000 and U+FFFD stay", "not\u0000good \uFFFD"),
                    c("zero-width space stays in the word", "not\u200Bgood"),
                    c("byte-order mark stays", "\uFEFFgood"),
                    c("vertical tab and NEL still separate", "was\u000Bgood not\u0085good"),
                    c("Unicode spaces still separate", "good\u00A0movie\u3000great"),
                    c("Chinese characters are not spaced", "不好 很好 电影"),
                    c("Chinese punctuation is still split off", "不好，很差"),
                    c("101 code points with the mark kept is [UNK]", A100 + "\u0301"),
                    c("special tokens are matched", "[MASK]good"))),
            new Suite("short", "As uncased, with max_tokens 6: 4 pieces between [CLS] and [SEP].",
                    true, null, true, true, 6, List.of(
                    c("exactly four pieces", "unbelievable movie"),
                    c("the cut falls inside a word's pieces", "it was unbelievable"),
                    c("the cut falls after punctuation", "good, bad, good, bad"),
                    c("[UNK] is one piece", "played played played played played"),
                    c("special tokens count", "[MASK] [MASK] [MASK] [MASK] [MASK]"),
                    c("a special token after three words", "a a a [CLS] a"),
                    c("a long word's first pieces", A100),
                    c("Chinese characters", "电影很好不好"),
                    c("whitespace does not count", "   good   movie   "))));

    /**
     * The committed file is what Hugging Face {@code tokenizers} and Sentikit give today; with
     * {@code -Dsentikit.golden.write=true}, it is written instead.
     */
    @Test
    void theGoldenFileIsWhatTheWriterWrites(@TempDir Path dir) throws IOException {
        Path file = Path.of(System.getProperty("sentikit.golden.out",
                Path.of(System.getProperty("sentikit.root.dir", "..")).resolve(RESOURCE_PATH).toString()));
        String json = generate(dir);
        ModelFormat.json().readTree(json); // it must be valid JSON
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, json, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.isRegularFile(file), file + " is missing: write it with -D" + WRITE_PROPERTY + "=true");
        String committed = Files.readString(file, StandardCharsets.UTF_8);
        String difference = firstDifference(json, committed);
        if (difference != null) {
            fail(file + " is not what the writer gives today (" + difference + "): review the change, then write it "
                    + "again with -D" + WRITE_PROPERTY + "=true (see this class's javadoc)");
        }
    }

    /**
     * The golden file's text. Fails, listing every case, where Hugging Face {@code tokenizers} and Sentikit give
     * different ids or words.
     */
    static String generate(Path dir) throws IOException {
        Vocabulary vocabulary = Vocabulary.of(VOCABULARY.subList(1, VOCABULARY.size()));
        List<String> problems = new ArrayList<>();
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"about\": ").append(quote(about(vocabulary))).append(",\n");
        json.append("  \"vocabulary\": [");
        for (int i = 1; i < VOCABULARY.size(); i++) {
            json.append(i == 1 ? "\n    " : (i - 1) % 10 == 0 ? ",\n    " : ", ").append(quote(VOCABULARY.get(i)));
        }
        json.append("\n  ],\n  \"suites\": [\n");
        for (int s = 0; s < SUITES.size(); s++) {
            Suite suite = SUITES.get(s);
            String tokenizerJson = BertTokenizers.tokenizerJson(VOCABULARY, suite.lowercase(), suite.strip(),
                    suite.clean(), suite.chinese());
            EncoderSpec spec = EncoderSpec.wordPiece(suite.lowercase(), suite.maxTokens(), new WordPieceSpec(
                    suite.clean(), suite.chinese(), suite.strip() == null ? suite.lowercase() : suite.strip(),
                    "[UNK]", "[CLS]", "[SEP]", "[PAD]", "##", WordPieceSpec.DEFAULT_MAX_INPUT_CHARS_PER_WORD,
                    SPECIAL_TOKENS));
            assertEquals(spec, TokenizerJson.read(tokenizerJson, suite.maxTokens()).spec(),
                    "the importer reads the suite's tokenizer.json as its spec");
            TextEncoder ours = TextEncoder.of(spec, vocabulary);
            Path file = dir.resolve(suite.name() + "-tokenizer.json");
            Files.writeString(file, tokenizerJson, StandardCharsets.UTF_8);
            json.append("    {\n      \"name\": ").append(quote(suite.name())).append(",\n");
            json.append("      \"about\": ").append(quote(suite.about())).append(",\n");
            json.append("      \"encoder\": ").append(compact(ModelFormat.json().valueToTree(spec))).append(",\n");
            json.append("      \"cases\": [\n");
            try (HuggingFaceTokenizer theirs = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                    .optAddSpecialTokens(true).optTruncation(true).optPadding(false)
                    .optMaxLength(suite.maxTokens()).build()) {
                for (int k = 0; k < suite.cases().size(); k++) {
                    Case c = suite.cases().get(k);
                    assertTrue(c.text().length() <= spec.maxChars(), c.name() + ": longer than max_chars");
                    Encoding e = theirs.encode(c.text());
                    long[] expected = e.getIds();
                    int[] got = ours.encode(c.text());
                    List<String> tokens = ours.tokenize(c.text());
                    String where = suite.name() + " / " + c.name() + " " + codePoints(c.text());
                    if (!Arrays.equals(expected, Arrays.stream(got).asLongStream().toArray())) {
                        problems.add(where + ": tokenizers gives " + Arrays.toString(expected) + " "
                                + Arrays.toString(e.getTokens()) + ", Sentikit " + Arrays.toString(got));
                        continue;
                    }
                    String words = checkWords(e, tokens);
                    if (words != null) {
                        problems.add(where + ": " + words);
                    }
                    json.append("        {\"name\": ").append(quote(c.name())).append(",\n");
                    json.append("         \"text\": ").append(quote(c.text())).append(",\n");
                    json.append("         \"tokens\": [");
                    for (int t = 0; t < tokens.size(); t++) {
                        json.append(t == 0 ? "" : ", ").append(quote(tokens.get(t)));
                    }
                    json.append("],\n         \"ids\": ").append(Arrays.toString(expected)).append("}")
                            .append(k + 1 < suite.cases().size() ? ",\n" : "\n");
                }
            }
            json.append("      ]\n    }").append(s + 1 < SUITES.size() ? ",\n" : "\n");
        }
        json.append("  ]\n}\n");
        if (!problems.isEmpty()) {
            fail("Hugging Face tokenizers and Sentikit disagree (report it; only agreed cases belong in the file), "
                    + "nothing written:\n  " + String.join("\n  ", problems));
        }
        return json.toString();
    }

    /** Where two texts first differ, by line, or null when they are equal. */
    static String firstDifference(String actual, String expected) {
        if (actual.equals(expected)) {
            return null;
        }
        String[] a = actual.split("\n", -1);
        String[] e = expected.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, e.length); i++) {
            if (!a[i].equals(e[i])) {
                return "line " + (i + 1) + " is\n  " + a[i] + "\nin the file\n  " + e[i];
            }
        }
        return "the writer gives " + a.length + " lines, the file has " + e.length;
    }

    private static String about(Vocabulary vocabulary) {
        int n = vocabulary.size();
        return "Golden vectors of the sentikit-wordpiece-v1 text encoder, specified in docs/model-format.md. Every "
                + "implementation of the encoder must give these tokens and ids. Ids: 0 is the pad token [PAD] (the "
                + "encoder's wordpiece.pad_token), which is not in the vocabulary array; 1.." + n + " are the "
                + "vocabulary below, in order (entry k, counting from 0, has id k + 1); there are no hash buckets. "
                + "The ids were computed by Hugging Face tokenizers 0.21.0 (Rust, through DJL 0.33.0) on a BERT "
                + "tokenizer.json of this vocabulary ([PAD] at id 0) with each suite's normalizer settings, and "
                + "Sentikit gives the same. tokens are the words of BERT's basic tokenization (normalized, before "
                + "WordPiece) whose pieces are kept: TextEncoder.tokenize with this vocabulary. Every max_chars is "
                + "16384, which no text reaches. The character classes (control, punctuation, non-spacing mark) are "
                + "Unicode 8.0's, as in tokenizers; the cases named after a Unicode version show it. Invisible, "
                + "combining and space characters are written as \\uXXXX escapes. Written by "
                + "WordPieceGoldenVectorsWriterTest; checked by WordPieceGoldenVectorsTest.";
    }

    /**
     * Whether the pieces of {@code tokenizers}, grouped by word, spell {@code tokens}: the same number of words, and
     * each word that is not [UNK] is its pieces joined (continuations without their prefix). Null when they do.
     */
    private static String checkWords(Encoding e, List<String> tokens) {
        String[] pieces = e.getTokens();
        long[] wordIds = e.getWordIds();
        long[] special = e.getSpecialTokenMask();
        List<String> words = new ArrayList<>();
        long current = Long.MIN_VALUE;
        StringBuilder word = null;
        for (int i = 1; i < pieces.length - 1; i++) { // [CLS] and [SEP] of the template are not words
            if (word != null && wordIds[i] == current && special[i] == 0) {
                word.append(pieces[i].startsWith("##") ? pieces[i].substring(2) : pieces[i]);
                continue;
            }
            if (word != null) {
                words.add(word.toString());
            }
            current = wordIds[i];
            word = new StringBuilder(pieces[i]);
        }
        if (word != null) {
            words.add(word.toString());
        }
        if (words.size() != tokens.size()) {
            return "tokenizers' pieces " + Arrays.toString(pieces) + " (word ids " + Arrays.toString(wordIds)
                    + ") make " + words + ", Sentikit's words are " + tokens;
        }
        for (int i = 0; i < words.size(); i++) {
            boolean cut = i == words.size() - 1 && tokens.get(i).startsWith(words.get(i)); // its last pieces cut
            if (!words.get(i).equals("[UNK]") && !words.get(i).equals(tokens.get(i)) && !cut) {
                return "tokenizers' word " + i + " is '" + words.get(i) + "', Sentikit's '" + tokens.get(i) + "'";
            }
        }
        return null;
    }

    private static String codePoints(String s) {
        return s.codePoints().limit(40).mapToObj(cp -> String.format("U+%04X", cp)).toList().toString();
    }

    /** A JSON value on one line, with a space after each colon and comma. */
    static String compact(JsonNode node) {
        if (node.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                sb.append(quote(f.getKey())).append(": ").append(compact(f.getValue()));
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            return sb.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(compact(node.get(i)));
            }
            return sb.append(']').toString();
        }
        return node.isTextual() ? quote(node.asText()) : node.toString();
    }

    /**
     * A JSON string. Characters a reader cannot see or tell apart by eye are written as escapes: controls, format
     * and private-use characters, spaces other than U+0020, line and paragraph separators, marks, conjoining jamo
     * and U+FFFD.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (invisible(cp)) {
                        for (char ch : Character.toChars(cp)) {
                            sb.append(String.format("\\u%04X", (int) ch));
                        }
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static final Set<Integer> INVISIBLE_TYPES = new LinkedHashSet<>(List.of((int) Character.CONTROL,
            (int) Character.FORMAT, (int) Character.PRIVATE_USE, (int) Character.SURROGATE,
            (int) Character.UNASSIGNED, (int) Character.SPACE_SEPARATOR, (int) Character.LINE_SEPARATOR,
            (int) Character.PARAGRAPH_SEPARATOR, (int) Character.NON_SPACING_MARK, (int) Character.ENCLOSING_MARK,
            (int) Character.COMBINING_SPACING_MARK));

    private static boolean invisible(int cp) {
        return cp != ' ' && (INVISIBLE_TYPES.contains(Character.getType(cp)) || (cp >= 0x1100 && cp <= 0x11FF)
                || cp == 0xFFFD);
    }
}
