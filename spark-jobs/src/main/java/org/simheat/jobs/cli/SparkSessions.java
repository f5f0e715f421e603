package org.simheat.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the job's Spark session. Under {@code spark-submit} the master and settings come from
 * Spark's own configuration; run directly (bin/simheat) the job embeds Spark in local mode, with
 * the driver on 127.0.0.1 and the UI off.
 */
final class SparkSessions {
  private SparkSessions() {}

  /** A session for the given master, unless spark-submit already chose one. */
  static SparkSession create(String appName, String master) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (!conf.contains("spark.master")) {
      b.master(master);
      if (master.startsWith("local")) {
        b.config("spark.ui.enabled", conf.get("spark.ui.enabled", "false"))
            .config("spark.driver.host", conf.get("spark.driver.host", "127.0.0.1"))
            .config("spark.driver.bindAddress", conf.get("spark.driver.bindAddress", "127.0.0.1"));
      }
    }
    b.config("spark.sql.shuffle.partitions", conf.get("spark.sql.shuffle.partitions", "16"));
    return b.getOrCreate();
  }
}
