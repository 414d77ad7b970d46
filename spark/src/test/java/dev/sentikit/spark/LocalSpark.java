package dev.sentikit.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of the test JVM, started on first use and stopped by Spark's own shutdown hook: starting a
 * session costs seconds, so the test classes share it. Two task threads ({@code local[2]}), so that tasks do run
 * concurrently against the shared analyzer; no web UI; bound to the loopback interface.
 */
public final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("sentikit-spark tests")
                    .master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }
}
