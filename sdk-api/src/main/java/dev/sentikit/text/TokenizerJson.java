package dev.sentikit.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sentikit.model.ModelFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face {@code tokenizer.json} of the BERT layout into the {@link EncoderSpec} and
 * {@link Vocabulary} of an equivalent {@link EncoderSpec#SCHEME_WORDPIECE_V1} encoder, whose ids are those of
 * {@code tokenizers} for that file. Any other layout is refused with what was expected and what was found.
 *
 * <p>The layout: a {@code WordPiece} model whose vocabulary ids are 0 to size − 1 with the pad token at 0; a
 * {@code BertNormalizer}; a {@code BertPreTokenizer}; a {@code TemplateProcessing} post-processor of the form
 * {@code CLS $A SEP} (or a {@code BertProcessing} one); added tokens that are vocabulary entries matched as they are
 * ({@code normalized}, {@code lstrip}, {@code rstrip} and {@code single_word} all false; the pad token among them
 * is not matched in text, see {@link WordPieceSpec#specialTokens()}). The file's own
 * {@code truncation} and {@code padding} are ignored: {@code maxTokens} decides.
 */
public final class TokenizerJson {

    /** The encoder settings and vocabulary read from a file. */
    public record Imported(EncoderSpec spec, Vocabulary vocabulary) {

        /** The encoder they make. */
        public TextEncoder encoder() {
            return TextEncoder.of(spec, vocabulary);
        }
    }

    private TokenizerJson() {}

    /**
     * Reads {@code json}, the text of a {@code tokenizer.json}.
     *
     * @param maxTokens ids per text, {@code [CLS]} and {@code [SEP]} included
     * @throws IllegalArgumentException when the file is not JSON or not of the BERT WordPiece layout, saying what
     *     was expected and what was found
     */
    public static Imported read(String json, int maxTokens) {
        JsonNode root;
        try {
            root = ModelFormat.json().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a tokenizer.json: it is not valid JSON: " + e.getOriginalMessage(),
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a tokenizer.json: expected a JSON object");
        }
        JsonNode model = object(root, "model");
        expectType(model, "model", "WordPiece");
        JsonNode normalizer = object(root, "normalizer");
        expectType(normalizer, "normalizer", "BertNormalizer");
        JsonNode preTokenizer = object(root, "pre_tokenizer");
        expectType(preTokenizer, "pre_tokenizer", "BertPreTokenizer");

        JsonNode vocab = object(model, "model.vocab");
        int size = vocab.size();
        String[] byId = new String[size];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt()) {
                throw new IllegalArgumentException("tokenizer.json: model.vocab['" + e.getKey() + "'] is "
                        + e.getValue() + ", expected an integer id");
            }
            int id = e.getValue().asInt();
            if (id < 0 || id >= size) {
                throw new IllegalArgumentException("tokenizer.json: model.vocab gives '" + e.getKey() + "' the id "
                        + id + ", expected ids 0 to " + (size - 1) + " (one per entry)");
            }
            if (byId[id] != null) {
                throw new IllegalArgumentException("tokenizer.json: model.vocab gives the id " + id + " to both '"
                        + byId[id] + "' and '" + e.getKey() + "'");
            }
            byId[id] = e.getKey();
        }
        if (size < 2) {
            throw new IllegalArgumentException("tokenizer.json: model.vocab has " + size + " entries");
        }
        String pad = byId[0];
        JsonNode padding = root.get("padding");
        if (padding != null && padding.isObject() && padding.hasNonNull("pad_id") && padding.get("pad_id").asInt() != 0) {
            throw new IllegalArgumentException("tokenizer.json pads with id " + padding.get("pad_id").asInt()
                    + " ('" + text(padding, "pad_token", "padding.pad_token") + "'); Sentikit pads with id 0, so "
                    + "the pad token must have id 0");
        }

        boolean lowercase = bool(normalizer, "lowercase", "normalizer.lowercase");
        boolean cleanText = bool(normalizer, "clean_text", "normalizer.clean_text");
        boolean chinese = bool(normalizer, "handle_chinese_chars", "normalizer.handle_chinese_chars");
        JsonNode strip = normalizer.get("strip_accents");
        boolean stripAccents = strip == null || strip.isNull() ? lowercase : strip.asBoolean();

        String[] clsSep = template(root.get("post_processor"));
        List<String> specials = new ArrayList<>();
        JsonNode added = root.get("added_tokens");
        if (added != null && added.isArray()) {
            for (JsonNode t : added) {
                String content = text(t, "content", "added_tokens[].content");
                for (String flag : List.of("normalized", "lstrip", "rstrip", "single_word")) {
                    if (t.path(flag).asBoolean(false)) {
                        throw new IllegalArgumentException("tokenizer.json: the added token '" + content + "' has "
                                + flag + ": true; Sentikit supports added tokens matched as they are (normalized, "
                                + "lstrip, rstrip and single_word false)");
                    }
                }
                int id = t.path("id").asInt(-1);
                if (id < 0 || id >= size || !content.equals(byId[id])) {
                    throw new IllegalArgumentException("tokenizer.json: the added token '" + content + "' has id "
                            + id + ", but the vocabulary gives that id to "
                            + (id >= 0 && id < size ? "'" + byId[id] + "'" : "nothing")
                            + "; Sentikit supports added tokens that are vocabulary entries");
                }
                if (id != 0) { // the pad token: id 0 is padding, never matched in text (see WordPieceSpec)
                    specials.add(content);
                }
            }
        }
        WordPieceSpec wordPiece = new WordPieceSpec(cleanText, chinese, stripAccents,
                text(model, "unk_token", "model.unk_token"), clsSep[0], clsSep[1], pad,
                model.hasNonNull("continuing_subword_prefix") ? model.get("continuing_subword_prefix").asText() : "##",
                model.path("max_input_chars_per_word").asInt(WordPieceSpec.DEFAULT_MAX_INPUT_CHARS_PER_WORD),
                specials);
        List<String> entries = new ArrayList<>(size - 1);
        for (int id = 1; id < size; id++) {
            entries.add(byId[id]);
        }
        Vocabulary vocabulary;
        try {
            vocabulary = Vocabulary.of(entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokenizer.json: model.vocab: " + e.getMessage(), e);
        }
        EncoderSpec spec = EncoderSpec.wordPiece(lowercase, maxTokens, wordPiece);
        TextEncoder.of(spec, vocabulary); // the special tokens must all be there
        return new Imported(spec, vocabulary);
    }

    /** The [CLS] and [SEP] tokens of a post-processor of the form {@code CLS $A SEP}. */
    private static String[] template(JsonNode post) {
        if (post == null || post.isNull()) {
            throw new IllegalArgumentException("tokenizer.json has no post_processor: expected TemplateProcessing "
                    + "with single = [CLS] $A [SEP] (or BertProcessing)");
        }
        String type = post.path("type").asText("");
        if (type.equals("BertProcessing")) {
            return new String[] {post.path("cls").path(0).asText(), post.path("sep").path(0).asText()};
        }
        if (!type.equals("TemplateProcessing")) {
            throw new IllegalArgumentException("tokenizer.json: post_processor is " + type + ", expected "
                    + "TemplateProcessing with single = [CLS] $A [SEP] (or BertProcessing)");
        }
        JsonNode single = post.path("single");
        if (single.size() != 3 || !single.get(0).has("SpecialToken") || !single.get(1).has("Sequence")
                || !single.get(2).has("SpecialToken")) {
            throw new IllegalArgumentException("tokenizer.json: post_processor.single is " + single
                    + ", expected [SpecialToken, Sequence A, SpecialToken] (such as [CLS] $A [SEP])");
        }
        String[] tokens = new String[2];
        for (int k = 0; k < 2; k++) {
            String id = single.get(2 * k).get("SpecialToken").path("id").asText();
            JsonNode special = post.path("special_tokens").path(id);
            JsonNode list = special.path("tokens");
            if (list.size() != 1) {
                throw new IllegalArgumentException("tokenizer.json: post_processor special token '" + id
                        + "' should be one token, found " + special);
            }
            tokens[k] = list.get(0).asText();
        }
        return tokens;
    }

    private static JsonNode object(JsonNode parent, String field) {
        String name = field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field;
        JsonNode n = parent.get(name);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("tokenizer.json has no object '" + field + "'"
                    + (n == null ? "" : " (found " + abbreviate(n.toString()) + ")"));
        }
        return n;
    }

    private static void expectType(JsonNode node, String field, String expected) {
        String type = node.path("type").asText("");
        if (!type.equals(expected)) {
            throw new IllegalArgumentException("tokenizer.json: " + field + " is '" + type + "', expected " + expected
                    + " (Sentikit reads BERT WordPiece tokenizers: BertNormalizer, BertPreTokenizer, WordPiece)");
        }
    }

    private static boolean bool(JsonNode node, String name, String field) {
        JsonNode v = node.get(name);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException("tokenizer.json: " + field + " should be true or false, found " + v);
        }
        return v.asBoolean();
    }

    private static String text(JsonNode node, String name, String field) {
        JsonNode v = node.get(name);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("tokenizer.json: " + field + " should be a token, found " + v);
        }
        return v.asText();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
