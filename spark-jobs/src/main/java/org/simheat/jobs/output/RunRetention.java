package org.simheat.jobs.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --keep N}: deletes the oldest committed runs of an output until N remain, sparing the run
 * {@code LATEST} names and the run the compute just wrote or found up to date (so up to N + 2 may
 * stay when those two are among the oldest). Age is the manifest's {@code createdAt}, then the run
 * id (which starts with the UTC second it began): two runs begun in the same second are still told
 * apart. Call it while holding the output's {@link OutputLock}.
 *
 * <p>A run is deleted manifest first: from that instant it is no run (readers such as the viewer
 * list runs by their manifests), and a failure halfway leaves a directory that nothing reads.
 */
public final class RunRetention {
  private static final Logger LOG = LoggerFactory.getLogger(RunRetention.class);

  private RunRetention() {}

  /**
   * Deletes the oldest runs beyond the newest {@code keep}.
   *
   * @param keep runs to keep, at least 1
   * @param current the run just written or found up to date; never deleted
   * @return the ids of the deleted runs, oldest first
   * @throws UncheckedIOException if a run cannot be deleted
   */
  public static List<String> keepNewest(Path out, int keep, String current, Configuration conf) {
    if (keep < 1) {
      throw new IllegalArgumentException("--keep must be ≥ 1, got " + keep);
    }
    try {
      return keepNewest(out.getFileSystem(conf), out, keep, current, conf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete old runs in " + out + ": " + e.getMessage(), e);
    }
  }

  /** {@link #keepNewest(Path, int, String, Configuration)} deleting through the given fs. */
  static List<String> keepNewest(
      FileSystem fs, Path out, int keep, String current, Configuration conf) throws IOException {
    List<Manifest> runs = new ArrayList<>(RunCatalog.list(out, conf));
    runs.sort(Comparator.comparing(RunRetention::createdAt).thenComparing(Manifest::runId));
    String latest = latest(fs, out);
    int excess = runs.size() - keep;
    List<String> removed = new ArrayList<>();
    for (int i = 0; i < runs.size() && removed.size() < excess; i++) {
      String id = runs.get(i).runId();
      if (!id.equals(latest) && !id.equals(current)) {
        delete(fs, out, id);
        removed.add(id);
      }
    }
    return removed;
  }

  private static Instant createdAt(Manifest m) {
    try {
      return Instant.parse(m.createdAt());
    } catch (RuntimeException e) {
      return Instant.EPOCH; // unreadable: oldest, ordered by id
    }
  }

  private static void delete(FileSystem fs, Path out, String id) throws IOException {
    Path dir = new Path(out, RunLayout.runDir(id));
    fs.delete(new Path(dir, RunLayout.MANIFEST), false);
    fs.delete(dir, true);
    LOG.info("Removed run {} ({})", id, dir);
  }

  /**
   * The run id LATEST names, or null when there is none. Read past Hadoop's local checksums: LATEST
   * is plain text that other tools may write.
   */
  private static String latest(FileSystem fs, Path out) throws IOException {
    FileSystem raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    try (FSDataInputStream in = raw.open(new Path(out, RunLayout.LATEST))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (FileNotFoundException e) {
      return null;
    }
  }
}
