package org.simheat.jobs.compute;

import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;

/**
 * Waits for the tasks of a failed job to end. When one task fails, Spark fails the job at once but
 * lets the job's other running tasks finish (they are not interrupted); those tasks may still be
 * writing files under the run's staging directory, so deleting it before they end would leave their
 * files, and the directories above them, behind.
 *
 * <p>The count comes from the task scheduler, which drops a task only once its executor reports it
 * finished. Spark's status tracker is no substitute: it hears of task starts through the listener
 * bus and stores them at most every {@code spark.ui.liveUpdate.period}, so a task started just
 * before the job failed can still read as none running (a fresh-clone CI run met a stream still
 * open under the deleted staging that way).
 */
final class TaskQuiescence {
  private static final Logger LOG = LoggerFactory.getLogger(TaskQuiescence.class);
  private static final long LIMIT_NANOS = TimeUnit.MINUTES.toNanos(2);
  private static final long POLL_MILLIS = 20;

  private TaskQuiescence() {}

  /** Returns once no executor runs a task, or after two minutes (logged). */
  static void await(JavaSparkContext jsc) {
    long deadline = System.nanoTime() + LIMIT_NANOS;
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
    if (jsc.sc().taskScheduler() instanceof TaskSchedulerImpl scheduler) {
      for (Iterator<Object> it = scheduler.runningTasksByExecutors().values().iterator();
          it.hasNext(); ) {
        n += (Integer) it.next();
      }
      return n;
    }
    for (SparkExecutorInfo e : jsc.sc().statusTracker().getExecutorInfos()) {
      n += e.numRunningTasks();
    }
    return n;
  }
}
