package org.simheat.jobs.saliency;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.simheat.format.RunLayout;

/**
 * Moves staged documents ({@code <staging>/<doc>/}) into {@code <base>/saliency/<doc>} together: an
 * existing document is first renamed aside to {@code <staging>/_replaced/<doc>}; if any move fails,
 * every document already moved goes back to staging and every replaced one is renamed back, so the
 * call leaves either all new documents or none. Each step is one rename (atomic on local disks and
 * HDFS); the staging directory is deleted at the end either way by the caller.
 */
final class DocumentsCommit {
  private final FileSystem fs;
  private final Path staging;
  private final Path base;
  private final SaliencyImport.FaultPoint faults;
  private final List<String> moved = new ArrayList<>();
  private final List<String> replaced = new ArrayList<>();

  DocumentsCommit(FileSystem fs, Path staging, Path base, SaliencyImport.FaultPoint faults) {
    this.fs = fs;
    this.staging = staging;
    this.base = base;
    this.faults = faults;
  }

  /**
   * Moves every document into place, or none.
   *
   * @throws IOException if a move fails (after undoing the moves made so far)
   */
  void moveAll(List<String> docs) throws IOException {
    try {
      for (String doc : docs) {
        move(doc);
      }
    } catch (IOException | RuntimeException e) {
      undo(e);
      throw e;
    }
  }

  private void move(String doc) throws IOException {
    Path target = target(doc);
    if (fs.exists(target)) {
      Path aside = aside(doc);
      if (!fs.mkdirs(aside.getParent()) || !fs.rename(target, aside)) {
        throw new IOException("cannot move the existing " + target + " aside");
      }
      replaced.add(doc);
    }
    faults.reached("move " + doc);
    if (!fs.mkdirs(target.getParent()) || !fs.rename(new Path(staging, doc), target)) {
      throw new IOException("cannot rename " + new Path(staging, doc) + " to " + target);
    }
    moved.add(doc);
  }

  private void undo(Exception e) {
    for (String doc : moved) {
      attempt(e, target(doc), new Path(staging, doc));
    }
    for (String doc : replaced) {
      attempt(e, aside(doc), target(doc));
    }
  }

  private void attempt(Exception e, Path from, Path to) {
    try {
      if (!fs.rename(from, to)) {
        e.addSuppressed(new IOException("cannot rename " + from + " back to " + to));
      }
    } catch (IOException | RuntimeException again) {
      e.addSuppressed(again);
    }
  }

  private Path target(String doc) {
    return new Path(base, RunLayout.saliencyDir(doc));
  }

  private Path aside(String doc) {
    return new Path(staging, "_replaced/" + doc);
  }
}
