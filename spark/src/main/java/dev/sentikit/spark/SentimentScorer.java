package dev.sentikit.spark;

import dev.sentikit.AnalyzerOptions;
import dev.sentikit.Device;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.spi.ZooModels;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a text column of a Spark DataFrame with a Sentikit model, appending four columns:
 *
 * <ul>
 *   <li>{@code label} (string): the most probable label;
 *   <li>{@code score} (double): its probability;
 *   <li>{@code probabilities} (map&lt;string,double&gt;): the probability of every label of the model (stored in
 *       the model's label order);
 *   <li>{@code read} (struct&lt;how:string, tokens_read:int, tokens:int, windows:int, chars_cut:boolean&gt;): how
 *       much of the text the model read, {@code how} being {@code whole}, or {@code cut} when the text is longer
 *       than the model reads (as its truncation says).
 * </ul>
 *
 * A row whose text is null gets null in all four. {@link Builder#optOutputPrefix} puts a prefix before the four
 * names, for data that already has such a column.
 *
 * <pre>{@code
 * SentimentScorer scorer = SentimentScorer.builder()
 *         .setInputColumn("review")
 *         .optZooModel("en")               // the default; or optModelFile("hdfs:///models/reviews.onnx")
 *         .build();
 * Dataset<Row> scored = scorer.transform(reviews);   // review, ..., label, score, probabilities, read
 * }</pre>
 *
 * <p><b>How it runs.</b> {@link #transform} is lazy, like any Spark transformation: it adds a
 * {@code mapPartitions} step to the plan. Each task reads its partition {@link Builder#optBatchSize batch size}
 * rows at a time and scores the texts of a batch with one {@link SentimentAnalyzer#analyzeAll} call, so a task
 * holds one batch, whatever the size of its partition. Each executor JVM loads the model once, when its first
 * task needs it, and every task and task thread of that executor shares that one analyzer until the JVM exits
 * (a shutdown hook closes it). Each call runs on its task's thread (one ONNX Runtime thread per call), so an
 * executor scores as many batches at once as it has task slots ({@code spark.executor.cores}).
 *
 * <p><b>How the model reaches the executors.</b>
 *
 * <ul>
 *   <li>{@link Builder#optZooModel zoo model}: each executor loads it from its class path, so the zoo artifact
 *       must be shipped with the job ({@code --jars} or {@code --packages}); nothing is sent per job.
 *   <li>{@link Builder#optModelFile model file}: the driver reads the file (any path or URI Hadoop can read:
 *       {@code file:}, {@code hdfs:}, {@code s3a:}, …) and broadcasts its bytes once per scorer and Spark context;
 *       executors load the model from the broadcast. Only the driver needs to reach the file. This is the default
 *       for files because it needs nothing from the cluster: a model of 8 to 15 MB is a small broadcast.
 *   <li>{@link Builder#optSparkFile Spark file}: a file the job added with {@code SparkContext.addFile} or
 *       {@code spark-submit --files}, read on each executor from its {@code SparkFiles} copy.
 * </ul>
 *
 * <p>A scorer's settings are fixed when it is built; it is thread-safe and may score any number of DataFrames
 * (the broadcast of a model file is made once per Spark context and reused). The scorer itself is not serialized
 * into tasks: they carry only the model's source and the settings.
 */
public final class SentimentScorer {

    /** Rows per {@link SentimentAnalyzer#analyzeAll} call by default: the analyzer's own largest batch. */
    public static final int DEFAULT_BATCH_SIZE = AnalyzerOptions.DEFAULT_MAX_BATCH_SIZE;

    /** The model used when the builder names none: the English zoo model, {@link SentimentAnalyzer#defaultModel}. */
    public static final String DEFAULT_ZOO_MODEL = "en";

    private enum ModelKind { ZOO, FILE, SPARK_FILE }

    private final String inputColumn;
    private final String outputPrefix;
    private final int batchSize;
    private final String device;
    private final ModelKind modelKind;
    private final String model;

    /** The broadcast model file, for {@link ModelKind#FILE}, and the Spark context it belongs to. */
    private SparkContext broadcastContext;
    private ModelSource broadcastSource;

    private SentimentScorer(Builder b) {
        this.inputColumn = b.inputColumn;
        this.outputPrefix = b.outputPrefix;
        this.batchSize = b.batchSize;
        this.device = b.device;
        this.modelKind = b.modelKind;
        this.model = b.model;
    }

    /** Starts a scorer: {@link Builder#setInputColumn} is required, the rest is optional. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns {@code dataset} with the columns {@code label}, {@code score}, {@code probabilities} and {@code read} (each after
     * the {@link Builder#optOutputPrefix prefix}) appended. Lazy: nothing is scored until an action runs, and the
     * partitioning of {@code dataset} is kept. For a model file, reads the file on the driver and broadcasts it
     * (the first time for this scorer and Spark context).
     *
     * @throws IllegalArgumentException if the input column is missing or not a string, or if an output column
     *     already exists (see {@link #transformSchema})
     * @throws UncheckedIOException if the model file cannot be read on the driver
     */
    public Dataset<Row> transform(Dataset<Row> dataset) {
        Objects.requireNonNull(dataset, "dataset");
        StructType schema = transformSchema(dataset.schema());
        ScorePartition scoring = new ScorePartition(source(dataset.sparkSession()), device, batchSize,
                dataset.schema().fieldIndex(inputColumn));
        return dataset.mapPartitions(scoring, Encoders.row(schema));
    }

    /**
     * Returns the schema {@link #transform} produces from {@code schema}: the same fields, then the three result
     * fields, all nullable.
     *
     * @throws IllegalArgumentException if the input column is missing or not a string, or if an output column
     *     already exists (Spark compares column names without case by default, so this does too)
     */
    public StructType transformSchema(StructType schema) {
        Objects.requireNonNull(schema, "schema");
        StructField input = Arrays.stream(schema.fields()).filter(f -> f.name().equals(inputColumn)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no column '" + inputColumn + "' to score; the "
                        + "columns are " + Arrays.toString(schema.fieldNames()) + ". Name a top-level string column "
                        + "with setInputColumn (select a nested field into a column of its own first)."));
        if (!input.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("column '" + inputColumn + "' is " + input.dataType().simpleString()
                    + ", not string; cast it first: dataset.withColumn(\"" + inputColumn + "\", col(\""
                    + inputColumn + "\").cast(\"string\"))");
        }
        StructField[] added = SentimentColumns.fields(outputPrefix);
        for (StructField field : added) {
            for (String existing : schema.fieldNames()) {
                if (existing.toLowerCase(Locale.ROOT).equals(field.name().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("the data already has a column '" + existing + "', which "
                            + "the result column '" + field.name() + "' would duplicate; set an output prefix, "
                            + "such as optOutputPrefix(\"sentiment_\"), or drop or rename that column");
                }
            }
        }
        StructType out = schema;
        for (StructField field : added) {
            out = out.add(field);
        }
        return out;
    }

    /**
     * Registers the SQL function {@code name(text)}, which returns
     * {@code struct<label:string, score:double, probabilities:map<string,double>, read:struct<…>>} (null for a null
     * text), and
     * returns it for use with the DataFrame API as well:
     *
     * <pre>{@code
     * scorer.registerUdf(spark, "sentiment");
     * spark.sql("SELECT id, sentiment(review).label AS label FROM reviews");
     * }</pre>
     *
     * The function uses the scorer's model and device (not its input column, prefix or batch size) and the same
     * analyzer per executor as {@link #transform}, but scores one text per call: prefer {@link #transform} for
     * large data. For a model file, reads and broadcasts it now.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws UncheckedIOException if the model file cannot be read on the driver
     */
    public UserDefinedFunction registerUdf(SparkSession spark, String name) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the function needs a name, such as \"sentiment\"");
        }
        UserDefinedFunction udf = functions.udf(new SentimentUdf(source(spark), device), SentimentColumns.STRUCT)
                .withName(name);
        spark.udf().register(name, udf);
        return udf;
    }

    private ModelSource source(SparkSession spark) {
        switch (modelKind) {
            case ZOO:
                return ModelSource.zoo(model);
            case SPARK_FILE:
                return ModelSource.sparkFile(model);
            default:
                return broadcast(spark.sparkContext());
        }
    }

    /** Reads the model file on the driver and broadcasts it, once per Spark context. */
    private synchronized ModelSource broadcast(SparkContext context) {
        if (broadcastSource == null || broadcastContext != context) {
            byte[] bytes = readModelFile(context.hadoopConfiguration());
            String sha256 = sha256(bytes);
            broadcastSource = ModelSource.broadcast(model, JavaSparkContext.fromSparkContext(context).broadcast(bytes),
                    sha256);
            broadcastContext = context;
        }
        return broadcastSource;
    }

    private byte[] readModelFile(Configuration hadoop) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(model);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            FileStatus status = fs.getFileStatus(path);
            if (status.isDirectory()) {
                throw new IllegalArgumentException("the model file " + status.getPath() + " is a directory; name the "
                        + ".onnx file itself");
            }
            if (status.getLen() == 0 || status.getLen() > ModelFormat.MAX_MODEL_BYTES) {
                throw new IllegalArgumentException("the model file " + status.getPath() + " has " + status.getLen()
                        + " bytes; a model file has 1 to " + ModelFormat.MAX_MODEL_BYTES);
            }
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("model file not found: " + model + " (read on the driver, through "
                    + "Hadoop's FileSystem: a path without a scheme is on the default file system, fs.defaultFS; "
                    + "write file:///... for a file on the driver's disk)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model file " + model + " on the driver: " + e, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must have", e);
        }
    }

    @Override
    public String toString() {
        return "SentimentScorer[input " + inputColumn + ", " + modelKind.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + " " + model + ", device " + device + ", batches of " + batchSize
                + (outputPrefix.isEmpty() ? "" : ", prefix " + outputPrefix) + "]";
    }

    /**
     * Builds a {@link SentimentScorer}; {@link #setInputColumn} is required, the rest is optional. Each setting is
     * checked when it is set. Of {@link #optZooModel}, {@link #optModelFile} and {@link #optSparkFile}, the last
     * one called wins; without any, the scorer uses the zoo model {@value SentimentScorer#DEFAULT_ZOO_MODEL}.
     */
    public static final class Builder {
        private String inputColumn;
        private String outputPrefix = "";
        private int batchSize = DEFAULT_BATCH_SIZE;
        private String device = Device.AUTO.toString();
        private ModelKind modelKind = ModelKind.ZOO;
        private String model = DEFAULT_ZOO_MODEL;

        private Builder() {}

        /** The top-level string column holding the texts. Required. */
        public Builder setInputColumn(String column) {
            Objects.requireNonNull(column, "column");
            if (column.isEmpty()) {
                throw new IllegalArgumentException("the input column name is empty; name the string column to score");
            }
            this.inputColumn = column;
            return this;
        }

        /**
         * A model-zoo model, such as {@code en} or {@code zh}, loaded on each executor from its class path (ship
         * {@code dev.sentikit.zoo:sentikit-model-NAME} with the job).
         *
         * @throws IllegalArgumentException if {@code name} is not a valid zoo name
         */
        public Builder optZooModel(String name) {
            Objects.requireNonNull(name, "name");
            ZooModels.resourceOf(name);
            this.modelKind = ModelKind.ZOO;
            this.model = name;
            return this;
        }

        /**
         * A model file ({@code .onnx}) that the driver reads through Hadoop's FileSystem and broadcasts to the
         * executors: {@code hdfs://…}, {@code s3a://…}, {@code file:///…}, or a path on the default file system
         * ({@code fs.defaultFS}, the local disk in local mode).
         */
        public Builder optModelFile(String pathOrUri) {
            Objects.requireNonNull(pathOrUri, "pathOrUri");
            if (pathOrUri.isBlank()) {
                throw new IllegalArgumentException("the model file's path is empty");
            }
            this.modelKind = ModelKind.FILE;
            this.model = pathOrUri;
            return this;
        }

        /** A model file on the driver's own disk, read and broadcast to the executors as {@link #optModelFile(String)}. */
        public Builder optModelFile(Path file) {
            Objects.requireNonNull(file, "file");
            return optModelFile(file.toAbsolutePath().toUri().toString());
        }

        /**
         * A model file that the job added with {@code SparkContext.addFile(path)} or {@code spark-submit --files},
         * given by its file name (such as {@code reviews.onnx}); each executor loads its own copy
         * ({@code SparkFiles.get(name)}).
         *
         * @throws IllegalArgumentException if {@code name} is a path rather than a file name
         */
        public Builder optSparkFile(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("'" + name + "' is not a file name: give the name under which "
                        + "SparkContext.addFile added the model, such as reviews.onnx, not its path");
            }
            this.modelKind = ModelKind.SPARK_FILE;
            this.model = name;
            return this;
        }

        /**
         * Put {@code prefix} before the names of the result columns ({@code prefix + "label"} and so on), for data
         * that already has a column of one of those names. Default: none.
         */
        public Builder optOutputPrefix(String prefix) {
            this.outputPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Rows read, and texts analyzed in one {@link SentimentAnalyzer#analyzeAll} call, at a time (default
         * {@value SentimentScorer#DEFAULT_BATCH_SIZE}). A task holds one batch of rows in memory. The analyzer runs
         * a call in tensors of at most {@link AnalyzerOptions#DEFAULT_MAX_BATCH_SIZE} texts, so a larger batch
         * mostly costs memory.
         */
        public Builder optBatchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** Where executors run the model: {@code auto} (the default), {@code cpu}, {@code cuda} or {@code cuda:N}. */
        public Builder optDevice(String device) {
            return optDevice(Device.parse(device));
        }

        /** Where executors run the model (default {@link Device#AUTO}). */
        public Builder optDevice(Device device) {
            this.device = Objects.requireNonNull(device, "device").toString();
            return this;
        }

        /**
         * Builds the scorer.
         *
         * @throws IllegalStateException if {@link #setInputColumn} was not called
         */
        public SentimentScorer build() {
            if (inputColumn == null) {
                throw new IllegalStateException("setInputColumn is required: name the string column to score");
            }
            return new SentimentScorer(this);
        }
    }
}
