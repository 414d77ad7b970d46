package dev.sentikit.spark.examples;

import dev.sentikit.spark.SentimentScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores the text column of a CSV or Parquet file (or folder of files) with {@link SentimentScorer} and writes the
 * result, with the columns {@code label}, {@code score} and {@code probabilities} added, as Parquet or CSV.
 *
 * <pre>
 * spark-submit --class dev.sentikit.spark.examples.ScoreFile \
 *     --jars sentikit-model-en-0.2.0.jar sentikit-spark-0.2.0-all.jar \
 *     --input hdfs:///data/reviews.csv --column review --output hdfs:///data/reviews-scored.parquet
 * </pre>
 *
 * <p>The input is Parquet when its path ends in {@code .parquet}, otherwise CSV with a header row (quoted fields
 * may span lines). The output is the same: Parquet keeps {@code probabilities} as a map; CSV, which has no map
 * type, gets it (and any other map, struct or array column) as JSON, such as
 * {@code {"negative":0.1,"neutral":0.2,"positive":0.7}}. Spark writes a folder of part files, replacing what was
 * there. {@code --model} is a zoo name ({@code en}, the default, or
 * {@code zh}; its jar must reach the executors) or a model file's path or URI (anything with a {@code /} or
 * ending in {@code .onnx}), which the driver reads and broadcasts. Run without spark-submit, it uses
 * {@code local[*]}.
 */
public final class ScoreFile {

    private static final String USAGE = "usage: ScoreFile --input FILE.csv|FILE.parquet --output DIR[.parquet] "
            + "[--column text] [--model en|zh|FILE.onnx] [--batch-size 256] [--device auto|cpu|cuda:N] "
            + "[--partitions N] [--prefix TEXT]";

    private ScoreFile() {}

    /** Scores a file as the arguments say; prints the usage and exits with status 2 when they are not valid. */
    public static void main(String[] args) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("sentikit ScoreFile");
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            run(spark, a);
            System.out.println("wrote " + a.output);
        } finally {
            spark.stop();
        }
    }

    /**
     * Scores {@code args} with {@code spark}, which it leaves running.
     *
     * @throws IllegalArgumentException if the arguments are not valid, with the usage
     */
    public static void run(SparkSession spark, String... args) {
        run(spark, Arguments.parse(args));
    }

    private static void run(SparkSession spark, Arguments a) {
        Dataset<Row> input = isParquet(a.input) ? spark.read().parquet(a.input)
                : spark.read().option("header", true).option("multiLine", true).option("escape", "\"").csv(a.input);
        if (a.partitions > 0) {
            input = input.repartition(a.partitions);
        }
        SentimentScorer.Builder scorer = SentimentScorer.builder().setInputColumn(a.column)
                .optBatchSize(a.batchSize).optDevice(a.device).optOutputPrefix(a.prefix);
        if (a.model.contains("/") || a.model.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            scorer.optModelFile(a.model);
        } else {
            scorer.optZooModel(a.model);
        }
        Dataset<Row> scored = scorer.build().transform(input);
        if (isParquet(a.output)) {
            scored.write().mode(SaveMode.Overwrite).parquet(a.output);
        } else {
            // CSV has no map type: probabilities (and any other map, struct or array column) become JSON text.
            for (StructField field : scored.schema().fields()) {
                DataType type = field.dataType();
                if (type instanceof MapType || type instanceof StructType || type instanceof ArrayType) {
                    scored = scored.withColumn(field.name(), functions.to_json(functions.col(field.name())));
                }
            }
            scored.write().mode(SaveMode.Overwrite).option("header", true).option("escape", "\"").csv(a.output);
        }
    }

    private static boolean isParquet(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".parquet") || p.endsWith(".parquet/");
    }

    /** The command line, checked as it is read. */
    private static final class Arguments {
        String input;
        String output;
        String column = "text";
        String model = SentimentScorer.DEFAULT_ZOO_MODEL;
        int batchSize = SentimentScorer.DEFAULT_BATCH_SIZE;
        String device = "auto";
        int partitions;
        String prefix = "";

        static Arguments parse(String... args) {
            Arguments a = new Arguments();
            List<String> rest = new ArrayList<>(List.of(args));
            while (!rest.isEmpty()) {
                String option = rest.remove(0);
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value"
                            : "unexpected argument '" + option + "'");
                }
                String value = rest.remove(0);
                switch (option) {
                    case "--input": a.input = value; break;
                    case "--output": a.output = value; break;
                    case "--column": a.column = value; break;
                    case "--model": a.model = value; break;
                    case "--batch-size": a.batchSize = integer(option, value); break;
                    case "--device": a.device = value; break;
                    case "--partitions": a.partitions = integer(option, value); break;
                    case "--prefix": a.prefix = value; break;
                    default: throw new IllegalArgumentException("unknown option '" + option + "'");
                }
            }
            if (a.input == null || a.output == null) {
                throw new IllegalArgumentException("--input and --output are required");
            }
            return a;
        }

        private static int integer(String option, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'");
            }
        }
    }
}
