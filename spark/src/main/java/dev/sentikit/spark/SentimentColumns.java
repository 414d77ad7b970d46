package dev.sentikit.spark;

import dev.sentikit.Sentiment;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The result columns and their Spark types, shared by the batched transform and the SQL function. */
final class SentimentColumns {

    static final String LABEL = "label";
    static final String SCORE = "score";
    static final String PROBABILITIES = "probabilities";
    static final String READ = "read";

    /** {@code map<string,double>}: the probability of every label of the model, in the model's label order. */
    static final MapType PROBABILITIES_TYPE = DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false);

    /**
     * How the text was read ({@code dev.sentikit.text.Coverage}): {@code struct<how:string, tokens_read:int,
     * tokens:int, windows:int, chars_cut:boolean>}, {@code how} being {@code whole}, {@code cut} or
     * {@code windows}.
     */
    static final StructType READ_TYPE = new StructType(new StructField[] {
        DataTypes.createStructField("how", DataTypes.StringType, false),
        DataTypes.createStructField("tokens_read", DataTypes.IntegerType, false),
        DataTypes.createStructField("tokens", DataTypes.IntegerType, false),
        DataTypes.createStructField("windows", DataTypes.IntegerType, false),
        DataTypes.createStructField("chars_cut", DataTypes.BooleanType, false),
    });

    /**
     * What the SQL function returns: {@code struct<label:string, score:double, probabilities:map<string,double>,
     * read:struct<…>>}.
     */
    static final StructType STRUCT = new StructType(fields(""));

    private SentimentColumns() {}

    /** The four result fields, named {@code prefix + label} and so on; nullable, since a null text scores null. */
    static StructField[] fields(String prefix) {
        return new StructField[] {
            DataTypes.createStructField(prefix + LABEL, DataTypes.StringType, true),
            DataTypes.createStructField(prefix + SCORE, DataTypes.DoubleType, true),
            DataTypes.createStructField(prefix + PROBABILITIES, PROBABILITIES_TYPE, true),
            DataTypes.createStructField(prefix + READ, READ_TYPE, true),
        };
    }

    /** How the text of {@code s} was read, as a {@link #READ_TYPE} value (null when the engine does not say). */
    static Row read(Sentiment s) {
        var c = s.coverage();
        return c == null ? null : RowFactory.create(c.how(), c.tokensRead(), c.tokens(), c.windows(), c.charsCut());
    }

    /** The probabilities as the Scala map a {@link Row} holds for a map column; Spark stores them in this order. */
    static scala.collection.Map<String, Double> probabilities(Sentiment s) {
        return scala.jdk.javaapi.CollectionConverters.asScala(s.scores());
    }

    /** The sentiment as a {@link #STRUCT} value. */
    static Row struct(Sentiment s) {
        return RowFactory.create(s.label(), s.score(), probabilities(s), read(s));
    }
}
