package dev.sentikit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a model's scores were calibrated. With temperature scaling the exported graph divides the logits by
 * {@code temperature} before the softmax (folded into the last linear layer), so that a score of 0.8 is right
 * about 80% of the time on data like the validation split.
 *
 * @param method {@code temperature}
 * @param temperature the fitted temperature T (logits / T); 1 means unchanged
 * @param fittedOn the data it was fitted on, such as {@code validation split}
 * @param eceBefore expected calibration error (15 equal-width confidence bins) before scaling
 * @param eceAfter expected calibration error after scaling
 * @param nllBefore mean negative log-likelihood before scaling
 * @param nllAfter mean negative log-likelihood after scaling
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Calibration(
        @JsonProperty("method") String method,
        @JsonProperty("temperature") double temperature,
        @JsonProperty("fitted_on") String fittedOn,
        @JsonProperty("ece_before") double eceBefore,
        @JsonProperty("ece_after") double eceAfter,
        @JsonProperty("nll_before") double nllBefore,
        @JsonProperty("nll_after") double nllAfter) {

    /** The method name of temperature scaling. */
    public static final String TEMPERATURE = "temperature";

    public Calibration {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
        }
    }
}
