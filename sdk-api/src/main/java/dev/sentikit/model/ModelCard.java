package dev.sentikit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.sentikit.text.EncoderSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a model file says about itself except its vocabulary: the labels in output order, how text is
 * encoded, the architecture, provenance and evaluation metrics. Stored as JSON under
 * {@link ModelFormat#KEY_CARD} in the ONNX file's {@code metadata_props}.
 *
 * <p>In JSON, {@code format_version}, {@code architecture}, {@code labels}, {@code encoder},
 * {@code vocabulary_size} and {@code embedding_rows} are required and must not be {@code null}; a card that
 * leaves one out is refused. The others are optional.
 *
 * @param formatVersion the model-file format version ({@link ModelFormat#FORMAT_VERSION})
 * @param name a short model name, such as {@code en}
 * @param description one or two sentences for people
 * @param architecture the network, such as {@code bag}
 * @param labels the labels, in the order of the model's outputs
 * @param encoder how text becomes ids
 * @param vocabularySize the number of vocabulary entries (checked against the stored vocabulary)
 * @param embeddingRows rows of the embedding table: 1 + vocabularySize + hash buckets
 * @param provenance where the model came from; may be null for hand-made test models
 * @param metrics evaluation results keyed by split name (such as {@code validation}); may be empty
 * @param limitations known limits, for people
 * @param calibration how the scores were calibrated; null when they were not
 * @param scripts the share of each writing system among the letters of the training texts
 *     ({@link dev.sentikit.text.Scripts#profile}), largest first; null when the trainer did not record it. Runtimes
 *     flag a text mostly in a script the model hardly saw ({@link dev.sentikit.text.Coverage#scriptKnown()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
        @JsonProperty(value = "format_version", required = true) @JsonSetter(nulls = Nulls.FAIL) int formatVersion,
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty(value = "architecture", required = true) @JsonSetter(nulls = Nulls.FAIL) String architecture,
        @JsonProperty(value = "labels", required = true) @JsonSetter(nulls = Nulls.FAIL) List<String> labels,
        @JsonProperty(value = "encoder", required = true) @JsonSetter(nulls = Nulls.FAIL) EncoderSpec encoder,
        @JsonProperty(value = "vocabulary_size", required = true) @JsonSetter(nulls = Nulls.FAIL) int vocabularySize,
        @JsonProperty(value = "embedding_rows", required = true) @JsonSetter(nulls = Nulls.FAIL) long embeddingRows,
        @JsonProperty("provenance") Provenance provenance,
        @JsonProperty("metrics") Map<String, Object> metrics,
        @JsonProperty("limitations") List<String> limitations,
        @JsonProperty("calibration") Calibration calibration,
        @JsonProperty("scripts") Map<String, Double> scripts) {

    public ModelCard {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(encoder, "encoder");
        labels = List.copyOf(labels);
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        limitations = limitations == null ? List.of() : List.copyOf(limitations);
        scripts = scripts == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scripts));
    }

    /** A card without a record of its training texts' scripts. */
    public ModelCard(int formatVersion, String name, String description, String architecture, List<String> labels,
            EncoderSpec encoder, int vocabularySize, long embeddingRows, Provenance provenance,
            Map<String, Object> metrics, List<String> limitations, Calibration calibration) {
        this(formatVersion, name, description, architecture, labels, encoder, vocabularySize, embeddingRows,
                provenance, metrics, limitations, calibration, null);
    }

    /** A card without calibration. */
    public ModelCard(int formatVersion, String name, String description, String architecture, List<String> labels,
            EncoderSpec encoder, int vocabularySize, long embeddingRows, Provenance provenance,
            Map<String, Object> metrics, List<String> limitations) {
        this(formatVersion, name, description, architecture, labels, encoder, vocabularySize, embeddingRows,
                provenance, metrics, limitations, null);
    }

    /** Returns a copy with other metrics. */
    public ModelCard withMetrics(Map<String, Object> newMetrics) {
        return new ModelCard(formatVersion, name, description, architecture, labels, encoder, vocabularySize,
                embeddingRows, provenance, newMetrics, limitations, calibration, scripts);
    }

    /** Returns a copy with another name and description. */
    public ModelCard withName(String newName, String newDescription) {
        return new ModelCard(formatVersion, newName, newDescription, architecture, labels, encoder, vocabularySize,
                embeddingRows, provenance, metrics, limitations, calibration, scripts);
    }

    /** Returns a copy with other known limits. */
    public ModelCard withLimitations(List<String> newLimitations) {
        return new ModelCard(formatVersion, name, description, architecture, labels, encoder, vocabularySize,
                embeddingRows, provenance, metrics, newLimitations, calibration, scripts);
    }

    /** Returns a copy with a calibration. */
    public ModelCard withCalibration(Calibration newCalibration) {
        return new ModelCard(formatVersion, name, description, architecture, labels, encoder, vocabularySize,
                embeddingRows, provenance, metrics, limitations, newCalibration, scripts);
    }

    /** Returns a copy with another format version. */
    public ModelCard withFormatVersion(int version) {
        return new ModelCard(version, name, description, architecture, labels, encoder, vocabularySize,
                embeddingRows, provenance, metrics, limitations, calibration, scripts);
    }

    /** Returns a copy with a record of the training texts' scripts. */
    public ModelCard withScripts(Map<String, Double> newScripts) {
        return new ModelCard(formatVersion, name, description, architecture, labels, encoder, vocabularySize,
                embeddingRows, provenance, metrics, limitations, calibration, newScripts);
    }

    /** The temperature the logits are divided by: the calibration's, or 1. */
    public double temperature() {
        return calibration == null ? 1.0 : calibration.temperature();
    }
}
