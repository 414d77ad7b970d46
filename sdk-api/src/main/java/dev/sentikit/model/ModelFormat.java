package dev.sentikit.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sentikit.ModelLoadException;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Vocabulary;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Sentikit model-file format: the names of the graph's input and outputs, and how the card and the
 * vocabulary are stored in the ONNX file's {@code metadata_props}. Specified in {@code docs/model-format.md}.
 */
public final class ModelFormat {

    /**
     * The format of a file whose encoder keeps the first tokens of a long text: what every card starts with, and
     * what older readers take. The writer gives a file the oldest format that holds its card
     * ({@link #formatVersionFor}).
     */
    public static final int FORMAT_VERSION = 1;

    /**
     * The newest format this version reads and writes. A file with a larger number needs a newer Sentikit. Format 2
     * adds {@code encoder.truncation} (a file that keeps the first tokens stays format 1).
     */
    public static final int NEWEST_FORMAT_VERSION = 2;

    /** The format of a file whose encoder is {@code encoder}: 1 when it keeps the first tokens, else 2. */
    public static int formatVersionFor(dev.sentikit.text.EncoderSpec encoder) {
        return encoder.truncation().isHead() ? 1 : 2;
    }

    /** {@code metadata_props} key of the format version, a decimal integer. */
    public static final String KEY_FORMAT_VERSION = "sentikit.format_version";
    /** {@code metadata_props} key of the {@link ModelCard}, as JSON. */
    public static final String KEY_CARD = "sentikit.card";
    /** {@code metadata_props} key of the vocabulary, a JSON array of strings in id order (the first has id 1). */
    public static final String KEY_VOCABULARY = "sentikit.vocabulary";
    /**
     * {@code metadata_props} key of the base encoder's Hugging Face {@code tokenizer.json}, verbatim, in models of
     * the {@code sentikit-wordpiece-v1} scheme: any runtime with a Hugging Face tokenizer (Python {@code tokenizers},
     * transformers.js) reproduces the ids from it without Sentikit's code. Optional; Sentikit itself encodes from
     * the card and the vocabulary.
     */
    public static final String KEY_TOKENIZER_JSON = "sentikit.tokenizer_json";

    /** The graph's input: int64 ids, shape [batch, sequence], padded with {@link Vocabulary#PAD_ID}. */
    public static final String INPUT_IDS = "input_ids";
    /**
     * An optional input, in transformer graphs: int64 [batch, sequence], 1 where {@code input_ids} holds a token and
     * 0 where it holds padding.
     */
    public static final String INPUT_ATTENTION_MASK = "attention_mask";
    /** An optional input, in BERT-layout graphs: int64 [batch, sequence], all 0 (Sentikit encodes one segment). */
    public static final String INPUT_TOKEN_TYPE_IDS = "token_type_ids";
    /** The graph's output: float32 scores before softmax, shape [batch, labels]. */
    public static final String OUTPUT_LOGITS = "logits";
    /** The graph's output: float32 softmax of the logits, shape [batch, labels]. */
    public static final String OUTPUT_PROBABILITIES = "probabilities";

    /** Refuse metadata values longer than this (64 M characters): no real vocabulary comes close. */
    public static final int MAX_METADATA_CHARS = 64 << 20;

    /**
     * Refuse model files larger than this (2 GiB less 8 bytes, about the largest Java array): an ONNX protobuf
     * cannot exceed 2 GiB, and larger weights would have to be external data, which Sentikit does not load.
     */
    public static final int MAX_MODEL_BYTES = Integer.MAX_VALUE - 8;

    // No default typing: the metadata of a model file is untrusted input. Required card and encoder fields are
    // marked on the records themselves (@JsonProperty(required = true), @JsonSetter(nulls = Nulls.FAIL)), so that
    // the optional ones stay optional.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final ObjectMapper METADATA_JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    private ModelFormat() {}

    /** The metadata of a model file: its card and the vocabulary its encoder needs. */
    public record Metadata(ModelCard card, Vocabulary vocabulary) {

        /** The encoder that this model's inputs were made with. */
        public TextEncoder encoder() {
            return TextEncoder.of(card.encoder(), vocabulary);
        }
    }

    /** The {@code metadata_props} entries that describe a model, in a stable order. */
    public static Map<String, String> toMetadataProps(ModelCard card, Vocabulary vocabulary) {
        if (card.vocabularySize() != vocabulary.size()) {
            throw new IllegalArgumentException("card says " + card.vocabularySize() + " vocabulary entries, vocabulary has "
                    + vocabulary.size());
        }
        // The oldest format that holds the card: older readers keep reading what they can read right.
        card = card.withFormatVersion(formatVersionFor(card.encoder()));
        Map<String, String> props = new LinkedHashMap<>();
        props.put(KEY_FORMAT_VERSION, Integer.toString(card.formatVersion()));
        props.put(KEY_CARD, toMetadataJson(card));
        props.put(KEY_VOCABULARY, toMetadataJson(vocabulary.entries()));
        return props;
    }

    /** Writes a card as JSON. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Writes a metadata value as JSON in ASCII, every other character as a {@code \\uXXXX} escape (a supplementary
     * one as its surrogate pair). ONNX Runtime's Java API hands metadata strings to Java through JNI's modified
     * UTF-8, which has no four-byte sequences: a raw emoji in a vocabulary cut the value short there. Every JSON
     * reader decodes the escapes to the same text.
     */
    public static String toMetadataJson(Object value) {
        try {
            return METADATA_JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * The same JSON document, in ASCII (see {@link #toMetadataJson}): for a file such as a {@code tokenizer.json} that
     * is stored in the metadata as it is.
     *
     * @throws IllegalArgumentException when {@code json} is not JSON
     */
    public static String asciiJson(String json) {
        try {
            return METADATA_JSON.writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The shared JSON mapper (no polymorphic typing). */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Reads and checks the metadata of a model file.
     *
     * @param props the file's {@code metadata_props}
     * @param source the file, for messages
     * @throws ModelLoadException naming what is missing or inconsistent, such as a required card field
     */
    public static Metadata fromMetadataProps(Map<String, String> props, String source) throws ModelLoadException {
        String version = props.get(KEY_FORMAT_VERSION);
        if (version == null) {
            throw new ModelLoadException(source + " is an ONNX model but not a Sentikit model: its metadata has no '"
                    + KEY_FORMAT_VERSION + "' entry. Export models with `trainer export --format onnx`.");
        }
        int v;
        try {
            v = Integer.parseInt(version.trim());
        } catch (NumberFormatException e) {
            throw new ModelLoadException(source + ": '" + KEY_FORMAT_VERSION + "' is '" + abbreviate(version)
                    + "', not a number");
        }
        if (v > NEWEST_FORMAT_VERSION) {
            throw new ModelLoadException(source + " has model format " + v + ", newer than the formats 1 to "
                    + NEWEST_FORMAT_VERSION + " this Sentikit reads: upgrade Sentikit to load it");
        }
        if (v < 1) {
            throw new ModelLoadException(source + ": invalid model format version " + v);
        }
        ModelCard card = readValue(props, KEY_CARD, new TypeReference<ModelCard>() {}, source);
        List<String> entries = readValue(props, KEY_VOCABULARY, new TypeReference<List<String>>() {}, source);
        if (card.formatVersion() != v) {
            throw new ModelLoadException(source + ": the card says format " + card.formatVersion() + " but '"
                    + KEY_FORMAT_VERSION + "' says " + v);
        }
        if (v < formatVersionFor(card.encoder())) {
            throw new ModelLoadException(source + ": the encoder keeps '" + card.encoder().truncation()
                    + "' tokens of a long text, which format " + v + " cannot say (format "
                    + formatVersionFor(card.encoder()) + " can): the file is inconsistent");
        }
        if (card.labels().size() < 2) {
            throw new ModelLoadException(source + ": a model needs at least two labels, the card lists "
                    + card.labels());
        }
        if (new HashSet<>(card.labels()).size() != card.labels().size()) {
            throw new ModelLoadException(source + ": the card lists a label twice: " + card.labels());
        }
        Vocabulary vocabulary;
        try {
            vocabulary = Vocabulary.of(entries);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(source + ": invalid vocabulary: " + e.getMessage(), e);
        }
        if (vocabulary.size() != card.vocabularySize()) {
            throw new ModelLoadException(source + ": the vocabulary has " + vocabulary.size()
                    + " entries but the card says " + card.vocabularySize());
        }
        long rows = 1L + vocabulary.size() + card.encoder().hashBuckets();
        if (card.embeddingRows() != rows) {
            throw new ModelLoadException(source + ": the card says the embedding table has " + card.embeddingRows()
                    + " rows, but 1 + " + vocabulary.size() + " entries + " + card.encoder().hashBuckets()
                    + " hash buckets = " + rows);
        }
        if (rows > Integer.MAX_VALUE) {
            throw new ModelLoadException(source + ": the embedding table would have " + rows + " rows (1 + "
                    + vocabulary.size() + " entries + " + card.encoder().hashBuckets() + " hash buckets), more than "
                    + "the " + Integer.MAX_VALUE + " ids an int can hold");
        }
        try {
            TextEncoder.of(card.encoder(), vocabulary);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(source + ": the encoder cannot run on this vocabulary: " + e.getMessage(), e);
        }
        return new Metadata(card, vocabulary);
    }

    private static <T> T readValue(Map<String, String> props, String key, TypeReference<T> type, String source)
            throws ModelLoadException {
        String value = props.get(key);
        if (value == null) {
            throw new ModelLoadException(source + ": the model's metadata has no '" + key + "' entry");
        }
        if (value.length() > MAX_METADATA_CHARS) {
            throw new ModelLoadException(source + ": metadata entry '" + key + "' has " + value.length()
                    + " characters, more than the limit of " + MAX_METADATA_CHARS);
        }
        try {
            T t = JSON.readValue(value, type);
            if (t == null) {
                throw new ModelLoadException(source + ": metadata entry '" + key + "' is null");
            }
            return t;
        } catch (MismatchedInputException e) {
            throw new ModelLoadException(source + ": metadata entry '" + key + "' is invalid: " + describe(e), e);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new ModelLoadException(source + ": metadata entry '" + key + "' is invalid: "
                    + rootMessage(e), e);
        }
    }

    /** Names the JSON field at fault, such as {@code encoder.lowercase}, without Jackson's class names. */
    private static String describe(MismatchedInputException e) {
        String field = fieldPath(e.getPath());
        String message = String.valueOf(e.getOriginalMessage());
        if (field.isEmpty()) {
            return abbreviate(message);
        }
        if (e instanceof InvalidNullException) {
            return "the field '" + field + "' is null";
        }
        if (message.startsWith("Missing required creator property")) {
            return "the required field '" + field + "' is missing";
        }
        return "the field '" + field + "': " + abbreviate(message);
    }

    private static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return abbreviate(String.valueOf(t.getMessage()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
