/** Runnable programs to start from: {@link dev.sentikit.spark.examples.ScoreFile} scores a CSV or Parquet file. */
package dev.sentikit.spark.examples;
