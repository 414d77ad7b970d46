package dev.sentikit.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training file whose rows know only some of the model's labels: its annotators chose among fewer labels, such as
 * shopping reviews rated negative or positive for a model that also says neutral. Part of a {@link TrainingConfig},
 * so that the model card's provenance ({@code hyperparameters.partial_data}) names it and a resumed run is checked
 * against it.
 *
 * <p>Its rows are trained by the cross-entropy of the softmax over their own labels only (the other labels' logits
 * are left out of the softmax, {@link Examples#labelSets()}): such a row teaches which of its labels fits, and leaves
 * the others alone. Trained as ordinary rows, a large two-label source teaches that no text is neutral, since none of
 * its rows is.
 *
 * @param file the file as given (for people)
 * @param sha256 the SHA-256 of its bytes
 * @param labels the labels its rows may take, in the model's order: those that occur in it
 */
public record PartialData(String file, String sha256, List<String> labels) {

    public PartialData {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        labels = List.copyOf(labels);
        if (labels.size() < 2) {
            throw new IllegalArgumentException(file + " has only the label(s) " + labels + ": a row that can take only "
                    + "one label teaches nothing; give it with --data, or leave it out");
        }
    }

    /** The bit set of {@link #labels()} over the indices of {@code all} (a model's labels), for {@link Examples}. */
    public long labelSet(List<String> all) {
        long set = 0;
        for (String label : labels) {
            int i = all.indexOf(label);
            if (i < 0) {
                throw new IllegalArgumentException(file + "'s label " + label + " is not one of " + all);
            }
            set |= 1L << i;
        }
        return set;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("sha256", sha256);
        m.put("labels", labels);
        return m;
    }

    static List<PartialData> fromList(Object o) {
        List<PartialData> list = new ArrayList<>();
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException("hyperparameters.partial_data is not a list: " + o);
        }
        for (Object item : l) {
            if (!(item instanceof Map<?, ?> m) || m.get("file") == null || m.get("sha256") == null
                    || !(m.get("labels") instanceof List<?> labels)) {
                throw new IllegalArgumentException("an entry of hyperparameters.partial_data needs file, sha256 and "
                        + "labels, got " + item);
            }
            list.add(new PartialData(m.get("file").toString(), m.get("sha256").toString(),
                    labels.stream().map(String::valueOf).toList()));
        }
        return list;
    }
}
