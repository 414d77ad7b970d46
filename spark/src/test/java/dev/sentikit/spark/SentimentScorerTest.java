package dev.sentikit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.ModelLoadException;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.spi.ZooModels;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SentimentScorer} on Spark in local mode ({@link LocalSpark}) with the zoo model {@code en}: every result
 * must be what {@link SentimentAnalyzer#analyzeAll} gives for the same texts outside Spark.
 */
class SentimentScorerTest {

    /**
     * Spark's results against one analyzeAll call outside Spark. Spark cuts the batches elsewhere, so texts are padded
     * to other lengths; with the en model the probabilities came out identical (largest difference 0.0), and the
     * tolerance leaves room for a float rounding step on other hardware.
     */
    private static final double TOLERANCE = 1e-6;

    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, true);

    private static final List<String> TEXTS = List.of(
            "I love this phone",
            "The battery died after two days",
            "It is a phone.",
            "Absolutely terrible customer service, never again",
            "not bad at all",
            "best purchase ever!!!",
            "meh",
            "",
            "The screen is fine but the speaker is awful",
            "Delivery was on time and the box was intact",
            "I want my money back",
            "works as described",
            // Longer than the model reads: its "read" says it was cut.
            "The first hour drags on and on. ".repeat(30) + "But the ending is wonderful and I loved it.");

    private static SparkSession spark;
    private static SentimentAnalyzer direct;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws ModelLoadException {
        spark = LocalSpark.session();
        direct = SentimentAnalyzer.fromZoo("en");
    }

    @AfterAll
    static void closeDirect() {
        direct.close();
    }

    /** Rows (id, text) with ids 0.. in order; null entries of {@code texts} become null texts. */
    private static Dataset<Row> frame(List<String> texts) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(i, texts.get(i)));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** The scored rows by id. */
    private static Map<Integer, Row> byId(Dataset<Row> scored) {
        Map<Integer, Row> rows = new HashMap<>();
        for (Row row : scored.collectAsList()) {
            assertNull(rows.put(row.getInt(0), row), "id " + row.getInt(0) + " came out twice");
        }
        return rows;
    }

    private static void assertSentiment(Sentiment expected, Row row, String prefix) {
        String text = row.getString(row.fieldIndex("text"));
        assertEquals(expected.label(), row.getString(row.fieldIndex(prefix + "label")), text);
        assertEquals(expected.score(), row.getDouble(row.fieldIndex(prefix + "score")), TOLERANCE, text);
        Map<String, Double> probabilities = row.getJavaMap(row.fieldIndex(prefix + "probabilities"));
        assertEquals(expected.scores().keySet(), probabilities.keySet(), text);
        for (Map.Entry<String, Double> e : expected.scores().entrySet()) {
            assertEquals(e.getValue(), probabilities.get(e.getKey()), TOLERANCE, text + ": " + e.getKey());
        }
        Row read = row.getStruct(row.fieldIndex(prefix + "read"));
        assertEquals(expected.coverage().how(), read.getString(0), text);
        assertEquals(expected.coverage().tokensRead(), read.getInt(1), text);
        assertEquals(expected.coverage().tokens(), read.getInt(2), text);
        assertEquals(expected.coverage().windows(), read.getInt(3), text);
        assertEquals(expected.coverage().charsCut(), read.getBoolean(4), text);
    }

    /** Scores {@code texts} (nulls allowed) and checks every row against the direct analyzer. */
    private static void assertScoredLikeAnalyzeAll(List<String> texts, Dataset<Row> scored, String prefix) {
        List<String> present = new ArrayList<>();
        for (String t : texts) {
            if (t != null) {
                present.add(t);
            }
        }
        List<Sentiment> expected = direct.analyzeAll(present);
        Map<Integer, Row> rows = byId(scored);
        assertEquals(texts.size(), rows.size());
        int e = 0;
        for (int id = 0; id < texts.size(); id++) {
            Row row = rows.get(id);
            assertNotNull(row, "row " + id + " is missing");
            assertEquals(texts.get(id), row.getString(1));
            if (texts.get(id) == null) {
                assertTrue(row.isNullAt(row.fieldIndex(prefix + "label")), "null text, label " + row);
                assertTrue(row.isNullAt(row.fieldIndex(prefix + "score")), "null text, score " + row);
                assertTrue(row.isNullAt(row.fieldIndex(prefix + "probabilities")), "null text, probabilities " + row);
                assertTrue(row.isNullAt(row.fieldIndex(prefix + "read")), "null text, read " + row);
            } else {
                assertSentiment(expected.get(e++), row, prefix);
            }
        }
    }

    @Test
    void scoresLikeAnalyzeAllAndAppendsTypedColumns() {
        Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").optZooModel("en").optBatchSize(4)
                .build().transform(frame(TEXTS).repartition(3));
        StructType schema = scored.schema();
        assertEquals(List.of("id", "text", "label", "score", "probabilities", "read"), List.of(schema.fieldNames()));
        assertEquals(DataTypes.StringType, schema.apply("label").dataType());
        assertEquals(DataTypes.DoubleType, schema.apply("score").dataType());
        assertEquals(DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false),
                schema.apply("probabilities").dataType());
        assertScoredLikeAnalyzeAll(TEXTS, scored, "");
        // The model does not say the same thing about everything: the check above compares real results.
        assertTrue(byId(scored).values().stream().map(r -> r.getString(2)).distinct().count() > 1);
    }

    @Test
    void nullTextsGetNullResults() {
        List<String> texts = new ArrayList<>(TEXTS);
        texts.add(3, null);
        texts.add(0, null);
        texts.add(null);
        Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").optBatchSize(3).build()
                .transform(frame(texts).repartition(2));
        assertScoredLikeAnalyzeAll(texts, scored, "");
    }

    @Test
    void partitionsWithoutTextsDoNotLoadTheModel() {
        AnalyzerCache.closeAll();
        int before = AnalyzerCache.loads();
        List<String> nulls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            nulls.add(null);
        }
        Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").build().transform(frame(nulls));
        assertScoredLikeAnalyzeAll(nulls, scored, "");
        assertEquals(before, AnalyzerCache.loads());
    }

    @Test
    void morePartitionsThanRows() {
        List<String> texts = TEXTS.subList(0, 3);
        Dataset<Row> input = frame(texts).repartition(8);
        assertEquals(8, input.rdd().getNumPartitions());
        Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").build().transform(input);
        assertEquals(8, scored.rdd().getNumPartitions());
        assertScoredLikeAnalyzeAll(texts, scored, "");
    }

    @Test
    void batchesSmallerThanAPartition() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            texts.add(i % 11 == 5 ? null : TEXTS.get(i % TEXTS.size()) + (i % 2 == 0 ? "" : " " + i));
        }
        Dataset<Row> input = frame(texts).coalesce(1);
        assertEquals(1, input.rdd().getNumPartitions());
        Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").optBatchSize(7).build().transform(input);
        assertScoredLikeAnalyzeAll(texts, scored, "");
    }

    @Test
    void aPartitionIsReadOneBatchAtATime() throws Exception {
        int[] pulled = {0};
        java.util.Iterator<Row> input = new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return pulled[0] < 1000;
            }

            @Override
            public Row next() {
                return RowFactory.create(pulled[0], TEXTS.get(pulled[0]++ % TEXTS.size()));
            }
        };
        java.util.Iterator<Row> out = new ScorePartition(ModelSource.zoo("en"), "cpu", 3, 1).call(input);
        Row first = out.next();
        assertEquals(3, pulled[0], "the first row must need one batch of 3 rows, not the whole partition");
        Sentiment expected = direct.analyze(TEXTS.get(0));
        assertEquals(List.of(0, TEXTS.get(0), expected.label()), List.of(first.get(0), first.get(1), first.get(2)));
        assertEquals(expected.score(), first.getDouble(3), TOLERANCE);
        assertEquals(expected.scores().keySet(), first.getJavaMap(4).keySet());
        for (int i = 1; i < 4; i++) {
            out.next();
        }
        assertEquals(6, pulled[0]);
        int n = 4;
        while (out.hasNext()) {
            assertEquals(n++, out.next().getInt(0));
        }
        assertEquals(1000, n);
    }

    @Test
    void oneAnalyzerPerJvmAcrossTasksAndScorers() {
        AnalyzerCache.closeAll();
        int before = AnalyzerCache.loads();
        Dataset<Row> input = frame(TEXTS).repartition(16);
        for (int run = 0; run < 2; run++) {
            // A new scorer each time: the analyzer belongs to the JVM, not to a scorer or a task.
            Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").optBatchSize(2).optDevice("cpu")
                    .build().transform(input);
            assertEquals(TEXTS.size(), scored.filter(functions.col("label").isNotNull()).count());
        }
        assertEquals(1, AnalyzerCache.loads() - before, "16 partitions on 2 task threads, twice, share one analyzer");
        // Another device is another analyzer.
        SentimentScorer.builder().setInputColumn("text").optDevice("auto").build().transform(input).count();
        assertEquals(2, AnalyzerCache.loads() - before);
    }

    @Test
    void modelFileIsBroadcastFromTheDriver() throws Exception {
        Path file = zooModelFile("broadcast.onnx");
        AnalyzerCache.closeAll();
        int before = AnalyzerCache.loads();
        for (int run = 0; run < 2; run++) {
            Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").optModelFile(file).optBatchSize(5)
                    .build().transform(frame(TEXTS).repartition(4));
            assertScoredLikeAnalyzeAll(TEXTS, scored, "");
        }
        assertEquals(1, AnalyzerCache.loads() - before, "the same bytes, broadcast twice, are one model");
        // A path given as a string (a URI here) works the same way.
        Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").optModelFile(file.toUri().toString())
                .build().transform(frame(TEXTS));
        assertScoredLikeAnalyzeAll(TEXTS, scored, "");
    }

    @Test
    void modelFileAddedWithAddFile() throws Exception {
        // Not in a @TempDir: a file added to the shared session must outlive this class (tasks check their copy).
        Path file = Files.createTempDirectory("sentikit-spark-test").resolve("spark-file.onnx");
        writeZooModel(file);
        file.toFile().deleteOnExit();
        file.getParent().toFile().deleteOnExit();
        spark.sparkContext().addFile(file.toString());
        Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").optSparkFile("spark-file.onnx").build()
                .transform(frame(TEXTS).repartition(3));
        assertScoredLikeAnalyzeAll(TEXTS, scored, "");
    }

    @Test
    void outputPrefixAndSqlFunction() {
        Dataset<Row> input = frame(TEXTS).withColumnRenamed("id", "label_id").withColumn("label", functions.lit("x"));
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> SentimentScorer.builder().setInputColumn("text").build().transform(input));
        assertTrue(clash.getMessage().contains("already has a column 'label'"), clash.getMessage());
        assertTrue(clash.getMessage().contains("optOutputPrefix"), clash.getMessage());

        List<String> texts = new ArrayList<>(TEXTS);
        texts.add(null);
        Dataset<Row> scored = SentimentScorer.builder().setInputColumn("text").optOutputPrefix("sentiment_").build()
                .transform(frame(texts));
        assertEquals(List.of("id", "text", "sentiment_label", "sentiment_score", "sentiment_probabilities", "sentiment_read"),
                List.of(scored.schema().fieldNames()));
        assertScoredLikeAnalyzeAll(texts, scored, "sentiment_");

        UserDefinedFunction udf = SentimentScorer.builder().setInputColumn("unused").build()
                .registerUdf(spark, "sentiment");
        frame(texts).createOrReplaceTempView("reviews");
        List<Row> rows = spark.sql("SELECT id, text, sentiment(text) AS s FROM reviews ORDER BY id").collectAsList();
        assertEquals(texts.size(), rows.size());
        for (Row row : rows) {
            String text = row.getString(1);
            if (text == null) {
                assertTrue(row.isNullAt(2));
                continue;
            }
            Row s = row.getStruct(2);
            Sentiment expected = direct.analyze(text);
            assertEquals(expected.label(), s.getString(0), text);
            assertEquals(expected.score(), s.getDouble(1), TOLERANCE, text);
            Map<String, Double> p = s.getJavaMap(2);
            assertEquals(expected.scores().keySet(), p.keySet());
            expected.scores().forEach((label, v) -> assertEquals(v, p.get(label), TOLERANCE, text + ": " + label));
        }
        List<Row> labels = frame(TEXTS).select(functions.col("id"), udf.apply(functions.col("text")).getField("label"))
                .orderBy("id").collectAsList();
        for (Row row : labels) {
            assertEquals(direct.analyze(TEXTS.get(row.getInt(0))).label(), row.getString(1));
        }
    }

    @Test
    void badInputColumnsAreClearErrors() {
        SentimentScorer scorer = SentimentScorer.builder().setInputColumn("review").build();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> scorer.transform(frame(TEXTS)));
        assertTrue(missing.getMessage().contains("no column 'review'"), missing.getMessage());
        assertTrue(missing.getMessage().contains("[id, text]"), missing.getMessage());

        IllegalArgumentException notText = assertThrows(IllegalArgumentException.class,
                () -> SentimentScorer.builder().setInputColumn("id").build().transform(frame(TEXTS)));
        assertTrue(notText.getMessage().contains("column 'id' is int, not string"), notText.getMessage());
        assertTrue(notText.getMessage().contains("cast(\"string\")"), notText.getMessage());
    }

    @Test
    void modelsThatCannotBeLoadedAreClearErrors(@TempDir Path dir) throws Exception {
        Exception noZoo = assertThrows(Exception.class, () -> SentimentScorer.builder().setInputColumn("text")
                .optZooModel("xx").build().transform(frame(TEXTS)).count());
        assertTrue(noZoo.getMessage().contains("no zoo model 'xx'"), noZoo.getMessage());
        assertTrue(noZoo.getMessage().contains("present: [en]"), noZoo.getMessage());

        UncheckedIOException noFile = assertThrows(UncheckedIOException.class, () -> SentimentScorer.builder()
                .setInputColumn("text").optModelFile(dir.resolve("absent.onnx")).build().transform(frame(TEXTS)));
        assertTrue(noFile.getMessage().contains("model file not found"), noFile.getMessage());

        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        Exception notAModel = assertThrows(Exception.class, () -> SentimentScorer.builder().setInputColumn("text")
                .optModelFile(junk).build().transform(frame(TEXTS)).count());
        assertTrue(notAModel.getMessage().contains("cannot load the sentiment model, model file " + junk.toUri()),
                notAModel.getMessage());

        Exception noSparkFile = assertThrows(Exception.class, () -> SentimentScorer.builder().setInputColumn("text")
                .optSparkFile("never-added.onnx").build().transform(frame(TEXTS)).count());
        assertTrue(noSparkFile.getMessage().contains("the Spark file 'never-added.onnx' is not in this JVM"),
                noSparkFile.getMessage());
    }

    @Test
    void builderChecksEachSetting() {
        assertTrue(assertThrows(IllegalStateException.class, () -> SentimentScorer.builder().build())
                .getMessage().contains("setInputColumn is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SentimentScorer.builder().optBatchSize(0))
                .getMessage().contains("batchSize must be >= 1, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SentimentScorer.builder().optDevice("tpu"))
                .getMessage().contains("expected auto, cpu, cuda or cuda:N"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SentimentScorer.builder().optZooModel("EN!"))
                .getMessage().contains("invalid zoo model name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SentimentScorer.builder().optSparkFile("a/b.onnx"))
                .getMessage().contains("not a file name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SentimentScorer.builder().setInputColumn(""))
                .getMessage().contains("empty"));
    }

    /** Writes the bytes of the zoo model en to a file of its own. */
    private static Path zooModelFile(String name) throws Exception {
        return writeZooModel(tmp.resolve(name));
    }

    private static Path writeZooModel(Path file) throws Exception {
        try (InputStream in = SentimentScorerTest.class.getClassLoader()
                .getResourceAsStream(ZooModels.resourceOf("en"))) {
            Files.copy(in, file);
        }
        return file;
    }
}
