package dev.sentikit.train.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One JSON object per line. The label may be a string or a number or boolean (used as its JSON text, e.g.
 * {@code 1}); the text must be a string. Blank lines are not rows.
 */
final class JsonlParser implements RecordParser {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private static final String TRAILING_TOKEN_MESSAGE = "Trailing token";

    private final String labelField;
    private final String textField;

    JsonlParser(String labelField, String textField) {
        this.labelField = Objects.requireNonNull(labelField, "labelField");
        this.textField = Objects.requireNonNull(textField, "textField");
    }

    @Override
    public void parse(Utf8LineReader lines, RowCollector rows) throws IOException, DataFormatException {
        Utf8LineReader.Line line;
        while ((line = lines.next()) != null) {
            if (!line.ok()) {
                rows.reject(line.number(), line.problemKind(), line.problem());
            } else if (line.text().isBlank()) {
                rows.blankLine();
            } else {
                parseObject(line.number(), line.text(), rows);
            }
        }
    }

    private void parseObject(long number, String text, RowCollector rows) throws DataFormatException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            rows.reject(number, BadRow.Kind.MALFORMED, describe(e));
            return;
        }
        if (!node.isObject()) {
            rows.reject(number, BadRow.Kind.MALFORMED,
                    "expected a JSON object, found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
            return;
        }
        JsonNode label = node.get(labelField);
        JsonNode value = node.get(textField);
        if (label == null || value == null) {
            rows.reject(number, BadRow.Kind.MISSING_FIELD, "no field '" + (label == null ? labelField : textField)
                    + "'; the object has fields " + fieldNames(node));
            return;
        }
        if (label.isContainerNode()) {
            rows.reject(number, BadRow.Kind.MALFORMED, "field '" + labelField + "' is a JSON "
                    + label.getNodeType().name().toLowerCase(Locale.ROOT) + "; expected a string or number");
            return;
        }
        if (!value.isTextual() && !value.isNull()) {
            rows.reject(number, BadRow.Kind.MALFORMED, "field '" + textField + "' is a JSON "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT) + "; expected a string");
            return;
        }
        rows.accept(number, label.isNull() ? null : label.asText(), value.isNull() ? null : value.asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Jackson's message without its source-location boilerplate, with the column where parsing stopped. */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        if (message.startsWith(TRAILING_TOKEN_MESSAGE)) {
            return "extra content after the JSON object; put exactly one object on each line";
        }
        for (String noise : new String[] {"\n", " (start marker at", " at [Source:"}) {
            int cut = message.indexOf(noise);
            if (cut >= 0) {
                message = message.substring(0, cut);
            }
        }
        JsonLocation location = e.getLocation();
        return location != null && location.getColumnNr() > 0
                ? "invalid JSON at column " + location.getColumnNr() + ": " + message
                : "invalid JSON: " + message;
    }
}
