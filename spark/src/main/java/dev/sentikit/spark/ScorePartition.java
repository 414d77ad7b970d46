package dev.sentikit.spark;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition: reads its rows {@code batchSize} at a time, analyzes the texts of a batch with one
 * {@link SentimentAnalyzer#analyzeAll} call, and hands the rows on with the three result columns appended. Rows
 * are pulled as Spark asks for them, so a task holds at most one batch whatever the size of its partition. A
 * partition without texts never loads the model.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final ModelSource model;
    private final String device;
    private final int batchSize;
    /** The position of the text column in the input rows. */
    private final int textIndex;

    ScorePartition(ModelSource model, String device, int batchSize, int textIndex) {
        this.model = model;
        this.device = device;
        this.batchSize = batchSize;
        this.textIndex = textIndex;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Batches(rows);
    }

    /** The input row with label, score, probabilities and read appended (all null when {@code s} is null). */
    static Row append(Row row, Sentiment s) {
        int n = row.length();
        Object[] values = new Object[n + 4];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        if (s != null) {
            values[n] = s.label();
            values[n + 1] = s.score();
            values[n + 2] = SentimentColumns.probabilities(s);
            values[n + 3] = SentimentColumns.read(s);
        }
        return RowFactory.create(values);
    }

    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> input;
        private final List<Row> batch = new ArrayList<>(batchSize);
        private final List<String> texts = new ArrayList<>(batchSize);
        private Iterator<Row> output = Collections.emptyIterator();
        private SentimentAnalyzer analyzer;

        Batches(Iterator<Row> input) {
            this.input = input;
        }

        @Override
        public boolean hasNext() {
            while (!output.hasNext() && input.hasNext()) {
                output = next(batch()).iterator();
            }
            return output.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return output.next();
        }

        /** Reads the next batch of rows and the non-null texts among them. */
        private List<Row> batch() {
            batch.clear();
            texts.clear();
            while (batch.size() < batchSize && input.hasNext()) {
                Row row = input.next();
                batch.add(row);
                if (!row.isNullAt(textIndex)) {
                    texts.add(row.getString(textIndex));
                }
            }
            return batch;
        }

        /** Scores the texts of {@code rows} and returns the rows with their results. */
        private List<Row> next(List<Row> rows) {
            List<Sentiment> results = texts.isEmpty() ? List.of() : analyzer().analyzeAll(texts);
            List<Row> out = new ArrayList<>(rows.size());
            int t = 0;
            for (Row row : rows) {
                out.add(append(row, row.isNullAt(textIndex) ? null : results.get(t++)));
            }
            return out;
        }

        private SentimentAnalyzer analyzer() {
            if (analyzer == null) {
                analyzer = AnalyzerCache.get(model, device);
            }
            return analyzer;
        }
    }
}
