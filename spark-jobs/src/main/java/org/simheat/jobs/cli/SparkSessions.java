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

  /**
   * A session for the command, closed when the command ends unless it was already running (as when
   * simheat is embedded in a notebook's or a test's Spark).
   */
  record Session(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }

  /** The running default session, or a new one for the given master. */
  static Session open(String appName, String master) {
    var running = SparkSession.getDefaultSession();
    if (running.isDefined() && !running.get().sparkContext().isStopped()) {
      return new Session(running.get(), false);
    }
    return new Session(create(appName, master), true);
  }

  /** A session for the given master, unless spark-submit already chose one. */
  private static SparkSession create(String appName, String master) {
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
    // A run's tables need no _SUCCESS markers: its manifest, written last, is the commit.
    b.config(
        "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs",
        conf.get("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false"));
    return b.getOrCreate();
  }
}
