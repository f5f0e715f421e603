package org.simheat.jobs.watch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.simheat.jobs.compute.ComputeJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, poll by poll, which checkpoints to compute: each new or changed one, once.
 *
 * <p>A checkpoint is taken when its state (sizes and times of its files) is the one the previous
 * poll saw, so a file still being written is left for a later poll; on a poll {@code asFound} (the
 * first poll of a watch, and {@code --once}) every checkpoint is taken as it is. Taken checkpoints
 * are computed oldest first. One that computed (or was up to date) is not computed again until its
 * state changes; one that failed is tried again at the next poll. Across restarts of the watch the
 * compute job's fingerprint makes repeats {@code up to date}.
 *
 * <p>With {@code --keep N} a poll computes only the N newest of the checkpoints due: the runs of
 * older ones would be deleted as soon as written (and, after a restart, computed again, since their
 * runs are gone). The older ones are reported as skipped and not considered again unless they
 * change.
 */
public final class CheckpointWatch {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointWatch.class);

  private final CheckpointScan scan;
  private final Function<String, ComputeJob.Result> compute;
  private final int newest;
  private Map<String, String> previous = Map.of();
  private final Map<String, String> done = new HashMap<>();

  /**
   * What computing one checkpoint gave: a result, or the failure.
   *
   * @param file the checkpoint's file
   * @param result the run written or found up to date, or null on failure
   * @param failure why it failed, or null
   */
  public record Outcome(String file, ComputeJob.Result result, Exception failure) {
    /** Whether it computed, was up to date or was skipped. */
    public boolean ok() {
      return failure == null;
    }

    /** Whether it was skipped as older than the newest checkpoints kept. */
    public boolean skipped() {
      return result == null && failure == null;
    }
  }

  /**
   * @param compute computes one file into the output (throws on failure)
   * @param newest compute at most this many of the newest checkpoints due per poll; 0 for all
   */
  public CheckpointWatch(
      CheckpointScan scan, Function<String, ComputeJob.Result> compute, int newest) {
    this.scan = scan;
    this.compute = compute;
    this.newest = newest;
  }

  /**
   * Lists the checkpoints and computes those due, reporting each as it ends.
   *
   * @param asFound take every checkpoint as it is, without waiting for it to stay unchanged
   * @param stop checked before each compute: when true the poll ends early
   * @return what each compute gave, in order
   * @throws java.io.UncheckedIOException if the checkpoints cannot be listed
   */
  public List<Outcome> poll(boolean asFound, BooleanSupplier stop, Consumer<Outcome> report) {
    List<CheckpointScan.Checkpoint> found = scan.scan();
    Map<String, String> seen = new HashMap<>();
    List<CheckpointScan.Checkpoint> due = new ArrayList<>();
    for (CheckpointScan.Checkpoint c : found) {
      seen.put(c.uri(), c.state());
      if (c.state().equals(done.get(c.uri()))) {
        continue;
      }
      if (asFound || c.state().equals(previous.get(c.uri()))) {
        due.add(c);
      } else {
        LOG.info("{} is new or changing: computing it once it stays unchanged", c.uri());
      }
    }
    previous = seen;
    done.keySet().retainAll(seen.keySet());
    due.sort(
        Comparator.comparingLong(CheckpointScan.Checkpoint::mtime)
            .thenComparing(CheckpointScan.Checkpoint::uri));
    List<Outcome> outcomes = new ArrayList<>();
    int skip = newest > 0 ? Math.max(0, due.size() - newest) : 0;
    for (CheckpointScan.Checkpoint c : due.subList(0, skip)) {
      done.put(c.uri(), c.state());
      Outcome o = new Outcome(c.uri(), null, null);
      outcomes.add(o);
      report.accept(o);
    }
    for (CheckpointScan.Checkpoint c : due.subList(skip, due.size())) {
      if (stop.getAsBoolean()) {
        break;
      }
      Outcome o = computeOne(c);
      if (o.ok()) {
        done.put(c.uri(), c.state());
      }
      outcomes.add(o);
      report.accept(o);
    }
    return outcomes;
  }

  private Outcome computeOne(CheckpointScan.Checkpoint c) {
    try {
      return new Outcome(c.uri(), compute.apply(c.uri()), null);
    } catch (Exception e) { // Spark throws checked exceptions undeclared
      return new Outcome(c.uri(), null, e);
    }
  }
}
