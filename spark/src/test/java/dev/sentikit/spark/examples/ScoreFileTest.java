package dev.sentikit.spark.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ScoreFile} end to end in local mode: CSV in, Parquet and CSV out. */
class ScoreFileTest {

    private static final double TOLERANCE = 1e-6;

    @Test
    void scoresACsvFileIntoParquetAndCsv(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.session();
        // A quoted field with a comma, a quote and a line break; an empty field, which Spark reads as null.
        Path csv = Files.writeString(dir.resolve("reviews.csv"), "id,review\n"
                + "1,I love this phone\n"
                + "2,\"The battery died, after \"\"two\"\" days\nand the screen cracked\"\n"
                + "3,\n"
                + "4,works as described\n");
        List<String> texts = List.of("I love this phone",
                "The battery died, after \"two\" days\nand the screen cracked", "works as described");
        List<Sentiment> expected;
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromZoo("en")) {
            expected = analyzer.analyzeAll(texts);
        }

        String parquet = dir.resolve("scored.parquet").toString();
        ScoreFile.run(spark, "--input", csv.toString(), "--column", "review", "--output", parquet,
                "--batch-size", "2", "--partitions", "3");
        List<Row> rows = spark.read().parquet(parquet).orderBy("id").collectAsList();
        assertEquals(4, rows.size());
        assertTrue(rows.get(2).isNullAt(rows.get(2).fieldIndex("label")), "an empty field scores null");
        int e = 0;
        for (Row row : rows) {
            if (row.isNullAt(row.fieldIndex("review"))) {
                continue;
            }
            Sentiment s = expected.get(e++);
            assertEquals(texts.get(e - 1), row.getString(row.fieldIndex("review")));
            assertEquals(s.label(), row.getString(row.fieldIndex("label")));
            assertEquals(s.score(), row.getDouble(row.fieldIndex("score")), TOLERANCE);
            Map<String, Double> p = row.getJavaMap(row.fieldIndex("probabilities"));
            s.scores().forEach((label, v) -> assertEquals(v, p.get(label), TOLERANCE, label));
        }

        String out = dir.resolve("scored-csv").toString();
        ScoreFile.run(spark, "--input", parquet, "--column", "review", "--output", out, "--prefix", "p_");
        List<Row> csvRows = spark.read().option("header", true).option("multiLine", true).option("escape", "\"")
                .csv(out).orderBy("id").collectAsList();
        assertEquals(4, csvRows.size());
        Row first = csvRows.get(0);
        assertEquals(expected.get(0).label(), first.getString(first.fieldIndex("p_label")));
        JsonNode json = new ObjectMapper().readTree(first.getString(first.fieldIndex("p_probabilities")));
        expected.get(0).scores().forEach((label, v) -> assertEquals(v, json.get(label).asDouble(), TOLERANCE, label));
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        SparkSession spark = LocalSpark.session();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScoreFile.run(spark, "--input", "x.csv"))
                .getMessage().contains("--input and --output are required"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ScoreFile.run(spark, "--input", "x.csv", "--output", "y", "--batch-size", "many"))
                .getMessage().contains("--batch-size needs a whole number, got 'many'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScoreFile.run(spark, "--colour", "red"))
                .getMessage().contains("unknown option '--colour'"));
    }
}
