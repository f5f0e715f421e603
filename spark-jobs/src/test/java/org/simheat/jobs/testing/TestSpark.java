package org.simheat.jobs.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session every test in a JVM shares: {@code local[2]}, UI off, driver on 127.0.0.1,
 * few shuffle partitions. Spark stops it at JVM exit.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  /** The shared session, created on first use. */
  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .appName("simheat-tests")
              .master("local[2]")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.default.parallelism", "4")
              .getOrCreate();
    }
    return session;
  }
}
