package dev.sentikit.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a student learns from a teacher (knowledge distillation, Hinton et al. 2015; Tang et al. 2019): the loss and
 * where its soft targets came from. Part of a {@link TrainingConfig}, so it is recorded in the model card's
 * provenance ({@code hyperparameters.distillation}) and compared when a run is resumed.
 *
 * <p>The loss of a row with a gold label {@code y}, the teacher's probabilities {@code p} and the student's logits
 * {@code z}, at temperature {@code T}:
 *
 * <pre>
 *   alpha * CE(y, softmax(z)) + (1 - alpha) * T^2 * CE(p_T, softmax(z / T)),    p_T = softmax(log(p) / T)
 * </pre>
 *
 * and of a row without a label (an unlabelled text) the second term alone, with weight 1: {@code T^2 * CE(p_T,
 * softmax(z / T))}. The soft cross-entropy differs from {@code KL(p_T || softmax(z / T))} by the teacher's entropy
 * alone, a constant, so both have the same gradients; the {@code T^2} keeps the soft term's gradients at the same
 * scale whatever the temperature (Hinton et al.). At {@code T = 1} the row's loss is the cross-entropy against one
 * target distribution, {@code alpha * onehot(y) + (1 - alpha) * p}. The batch's loss is the mean over its rows.
 *
 * @param alpha weight of the gold label's cross-entropy on rows that have one, in [0, 1]; 0 learns from the
 *     teacher alone, 1 ignores it on labelled rows
 * @param temperature the temperature {@code T} of the soft term, > 0
 * @param teacher the teacher's model file as given (for people)
 * @param teacherSha256 the SHA-256 of the teacher's file
 * @param unlabelled where the unlabelled texts came from, in order
 * @param excluded files whose texts were kept out of the unlabelled ones (the test split), in order
 */
public record Distillation(double alpha, double temperature, String teacher, String teacherSha256,
        List<Source> unlabelled, List<Source> excluded) {

    /** The default weight of the gold label: measured on the English zoo student (docs/benchmarks.md). */
    public static final double DEFAULT_ALPHA = 0.5;
    /** The default temperature: measured on the English zoo student (docs/benchmarks.md). */
    public static final double DEFAULT_TEMPERATURE = 1.0;

    /**
     * A file of texts.
     *
     * @param file the file as given
     * @param sha256 the SHA-256 of its bytes
     * @param limit at most this many texts were taken from it (a seeded sample); 0 all
     */
    public record Source(String file, String sha256, int limit) {
        public Source {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(sha256, "sha256");
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0 (0: all), got " + limit);
            }
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file);
            m.put("sha256", sha256);
            m.put("limit", limit);
            return m;
        }

        static Source fromMap(Object o) {
            if (!(o instanceof Map<?, ?> m) || m.get("file") == null || m.get("sha256") == null) {
                throw new IllegalArgumentException("a distillation source needs file and sha256, got " + o);
            }
            return new Source(m.get("file").toString(), m.get("sha256").toString(),
                    m.get("limit") instanceof Number n ? n.intValue() : 0);
        }
    }

    public Distillation {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha (the gold label's weight) must be in [0, 1], got " + alpha);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("the distillation temperature must be a positive number, got "
                    + temperature);
        }
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(teacherSha256, "teacherSha256");
        unlabelled = List.copyOf(unlabelled);
        excluded = List.copyOf(excluded);
    }

    /** The settings as a JSON-ready map, for {@link TrainingConfig#toMap()}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", alpha);
        m.put("temperature", temperature);
        m.put("teacher", teacher);
        m.put("teacher_sha256", teacherSha256);
        m.put("unlabelled", unlabelled.stream().map(Source::toMap).toList());
        m.put("excluded", excluded.stream().map(Source::toMap).toList());
        return m;
    }

    /** The settings {@link #toMap()} wrote. */
    public static Distillation fromMap(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("hyperparameters.distillation is not an object: " + o);
        }
        for (String key : List.of("alpha", "temperature", "teacher", "teacher_sha256")) {
            if (m.get(key) == null) {
                throw new IllegalArgumentException("hyperparameters.distillation has no " + key);
            }
        }
        return new Distillation(((Number) m.get("alpha")).doubleValue(), ((Number) m.get("temperature")).doubleValue(),
                m.get("teacher").toString(), m.get("teacher_sha256").toString(), sources(m.get("unlabelled")),
                sources(m.get("excluded")));
    }

    private static List<Source> sources(Object o) {
        List<Source> list = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object item : l) {
                list.add(Source.fromMap(item));
            }
        }
        return list;
    }
}
