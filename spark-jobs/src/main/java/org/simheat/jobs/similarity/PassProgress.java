package org.simheat.jobs.similarity;

import java.util.Locale;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the blocked pass's progress every few seconds while it runs: block pairs done of total, the
 * rate in GFLOP/s and an ETA, from an accumulator that tasks bump as they finish each pair.
 */
public final class PassProgress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PassProgress.class);
  private static final long PERIOD_MS = 5000;

  private final LongAccumulator done;
  private final long total;
  private final double flopsPerPair;
  private final long startNanos = System.nanoTime();
  private final Thread thread;

  /** Starts logging; {@link #close()} stops. */
  public PassProgress(LongAccumulator done, long total, double flops) {
    this.done = done;
    this.total = total;
    this.flopsPerPair = flops / Math.max(1, total);
    this.thread = new Thread(this::loop, "simheat-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (true) {
        Thread.sleep(PERIOD_MS);
        log();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void log() {
    long d = done.value();
    double secs = (System.nanoTime() - startNanos) / 1e9;
    double eta = d == 0 ? Double.NaN : secs * (total - d) / d;
    LOG.info(
        String.format(
            Locale.ROOT,
            "blocks %d/%d (%.0f%%), %.1f GFLOP/s, ETA %s",
            d,
            total,
            100.0 * d / total,
            d * flopsPerPair / secs / 1e9,
            Double.isNaN(eta) ? "?" : String.format(Locale.ROOT, "%.0f s", eta)));
  }

  /** Seconds since the start. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
