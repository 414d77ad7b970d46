package dev.sentikit.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;

/**
 * The SQL function: scores one text per call with this JVM's analyzer ({@link AnalyzerCache}). Simple to use from
 * SQL, but slower than {@link SentimentScorer#transform}, which scores texts in batches.
 */
final class SentimentUdf implements UDF1<String, Row> {

    private static final long serialVersionUID = 1L;

    private final ModelSource model;
    private final String device;

    SentimentUdf(ModelSource model, String device) {
        this.model = model;
        this.device = device;
    }

    @Override
    public Row call(String text) {
        return text == null ? null : SentimentColumns.struct(AnalyzerCache.get(model, device).analyze(text));
    }
}
