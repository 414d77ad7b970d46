package dev.sentikit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The pretrained encoder a model was fine-tuned from, in its card's provenance: enough to find the very file
 * again and to know what its licence allows.
 *
 * @param name the base's name, such as {@code minilm-l6}
 * @param upstream where the weights come from, such as a Hugging Face model page
 * @param coordinates the Maven coordinates of the jar that carried it ({@code group:artifact:version}), or null
 *     for a file
 * @param file the ONNX file the weights were read from (its name in the jar, or its path)
 * @param sha256 SHA-256 of that file's bytes
 * @param licence the base's licence, such as {@code Apache-2.0}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BaseModel(
        @JsonProperty("name") String name,
        @JsonProperty("upstream") String upstream,
        @JsonProperty("coordinates") String coordinates,
        @JsonProperty("file") String file,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("licence") String licence) {}
