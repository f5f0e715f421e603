package org.simheat.jobs.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;

/**
 * The committed runs under an output directory: those whose directory holds a readable {@code
 * manifest.json}. Anything else in {@code runs/} (a half-moved directory, a hand-edited manifest)
 * is not a run.
 */
public final class RunCatalog {
  private RunCatalog() {}

  /** Committed runs, oldest first. */
  public static List<Manifest> list(Path out, Configuration conf) {
    try {
      FileSystem fs = out.getFileSystem(conf);
      FileStatus[] dirs;
      try {
        dirs = fs.listStatus(new Path(out, RunLayout.RUNS));
      } catch (FileNotFoundException e) {
        return List.of();
      }
      List<Manifest> runs = new ArrayList<>();
      for (FileStatus d : dirs) {
        if (d.isDirectory() && RunLayout.isRunId(d.getPath().getName())) {
          read(fs, new Path(d.getPath(), RunLayout.MANIFEST)).ifPresent(runs::add);
        }
      }
      runs.sort(Comparator.comparing(Manifest::runId));
      return runs;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list runs in " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * The newest of {@code runs} (oldest first, as {@link #list} gives them) with this fingerprint.
   */
  public static Optional<Manifest> findByFingerprint(List<Manifest> runs, String fingerprint) {
    for (int i = runs.size() - 1; i >= 0; i--) {
      Manifest m = runs.get(i);
      if (m.source() != null && fingerprint.equals(m.source().fingerprint())) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static Optional<Manifest> read(FileSystem fs, Path manifest) throws IOException {
    try (FSDataInputStream in = fs.open(manifest)) {
      return Optional.of(Manifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (FileNotFoundException | ChecksumException | IllegalArgumentException e) {
      // A manifest edited by hand fails its Hadoop checksum: not a run, like a malformed one.
      return Optional.empty();
    }
  }
}
