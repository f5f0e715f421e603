package org.simheat.jobs.compute;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the tasks of a failed job to end. When one task fails, Spark fails the job at once but
 * lets the job's other running tasks finish (they are not interrupted); those tasks may still be
 * writing files under the run's staging directory, so deleting it before they end would leave their
 * files, and the directories above them, behind.
 */
final class TaskQuiescence {
  private static final Logger LOG = LoggerFactory.getLogger(TaskQuiescence.class);
  private static final long LIMIT_NANOS = TimeUnit.MINUTES.toNanos(2);
  private static final long POLL_MILLIS = 20;

  private TaskQuiescence() {}

  /** Returns once no executor runs a task, or after two minutes (logged). */
  static void await(JavaSparkContext jsc) {
    long deadline = System.nanoTime() + LIMIT_NANOS;
    // The status tracker learns of task starts and ends from the listener bus, which runs behind
    // the scheduler: a task started just before the job failed may not be counted yet. Let the
    // bus catch up first, so every task that runs is seen running.
    if (!jsc.sc().isStopped()) {
      try {
        jsc.sc().listenerBus().waitUntilEmpty(TimeUnit.NANOSECONDS.toMillis(LIMIT_NANOS));
      } catch (TimeoutException e) {
        LOG.warn("Spark's listener bus still has events after 2 minutes; cleaning up anyway");
        return;
      }
    }
    while (running(jsc) > 0) {
      if (System.nanoTime() > deadline) {
        LOG.warn("Tasks of the failed job still run after 2 minutes; cleaning up anyway");
        return;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static int running(JavaSparkContext jsc) {
    if (jsc.sc().isStopped()) {
      return 0;
    }
    int n = 0;
    for (SparkExecutorInfo e : jsc.sc().statusTracker().getExecutorInfos()) {
      n += e.numRunningTasks();
    }
    return n;
  }
}
