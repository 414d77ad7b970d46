/**
 * Sentiment analysis on Apache Spark: {@link dev.sentikit.spark.SentimentScorer} scores a text column of a
 * DataFrame in batches, with one analyzer per executor JVM, and can register the same model as a SQL function.
 * See docs/spark.md for the dependency, deployment with spark-submit, and GPU executors.
 */
package dev.sentikit.spark;
