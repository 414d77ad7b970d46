package dev.sentikit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Where a model came from, enough to retrain it: the data and its hash, the seed, the settings, the
 * software versions and the command line.
 *
 * @param createdAt when training ended, ISO-8601 UTC
 * @param sentikitVersion the trainer's version
 * @param engine the training engine and its version, such as {@code DJL 0.33.0 / PyTorch 2.5.1}
 * @param trainData the training file as given on the command line
 * @param trainSha256 SHA-256 of the training file's bytes
 * @param validData the validation file, or a description of the split taken from the training file
 * @param validSha256 SHA-256 of the validation file, or null when split from the training file
 * @param seed the random seed
 * @param hyperparameters architecture and optimizer settings
 * @param commandLine the command that trained the model
 * @param base the pretrained encoder the model was fine-tuned from, or null when it was trained from scratch
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("sentikit_version") String sentikitVersion,
        @JsonProperty("engine") String engine,
        @JsonProperty("train_data") String trainData,
        @JsonProperty("train_sha256") String trainSha256,
        @JsonProperty("valid_data") String validData,
        @JsonProperty("valid_sha256") String validSha256,
        @JsonProperty("seed") long seed,
        @JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
        @JsonProperty("command_line") String commandLine,
        @JsonProperty("base") BaseModel base) {

    /** Provenance of a model trained from scratch. */
    public Provenance(String createdAt, String sentikitVersion, String engine, String trainData, String trainSha256,
            String validData, String validSha256, long seed, Map<String, Object> hyperparameters, String commandLine) {
        this(createdAt, sentikitVersion, engine, trainData, trainSha256, validData, validSha256, seed, hyperparameters,
                commandLine, null);
    }
}
