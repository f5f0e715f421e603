package org.simheat.jobs.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit protocol of one run under an output directory, on any Hadoop file system.
 *
 * <ol>
 *   <li>{@link #begin}: check the output directory, create {@code _staging/<run>};
 *   <li>the job writes its tables under {@link #staging()} and verifies them;
 *   <li>{@link #commit}: rename staging to {@code runs/<run>}, write {@code manifest.json} (to a
 *       temporary name, then renamed), then replace {@code LATEST} by renaming a temporary file
 *       over it;
 *   <li>{@link #abort}: on any failure before {@code LATEST} names the run, delete staging and any
 *       moved run directory, its manifest first; the previous run and {@code LATEST} are never
 *       touched.
 * </ol>
 *
 * Renames are atomic on local file systems and HDFS. On object stores (s3a) a directory rename is a
 * copy: readers still never see a run before its manifest, which is written last.
 */
public final class RunCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommitter.class);

  private final FileSystem fs;
  private final Configuration conf;
  private final Path out;
  private final String runId;
  private final Path staging;
  private final Path runDir;
  private boolean committed;

  private RunCommitter(FileSystem fs, Configuration conf, Path out, String runId) {
    this.fs = fs;
    this.conf = conf;
    this.out = out;
    this.runId = runId;
    this.staging = new Path(out, RunLayout.stagingDir(runId));
    this.runDir = new Path(out, RunLayout.runDir(runId));
  }

  /**
   * Checks the output directory and creates the run's staging directory.
   *
   * @throws IllegalArgumentException if the output is a file, not writable, or already has this run
   */
  public static RunCommitter begin(Path out, String runId, Configuration conf) {
    try {
      FileSystem fs = out.getFileSystem(conf);
      checkOutput(fs, out);
      RunCommitter c = new RunCommitter(fs, conf, fs.makeQualified(out), runId);
      if (fs.exists(c.runDir)) {
        throw new IllegalArgumentException(
            "Cannot write run " + runId + ": it already exists (" + c.runDir + ")");
      }
      fs.delete(c.staging, true);
      if (!fs.mkdirs(c.staging)) {
        throw new IllegalArgumentException("Cannot write to " + out + ": cannot create staging");
      }
      return c;
    } catch (org.apache.hadoop.security.AccessControlException e) {
      throw new IllegalArgumentException("Cannot write to " + out + ": permission denied");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the staging directories of runs that never committed, which only a killed compute
   * leaves behind; call it while holding the output's {@link OutputLock}. Staging directories of
   * other writers (saliency imports) are left alone.
   *
   * @return the run ids whose staging was removed
   * @throws UncheckedIOException if the staging directory cannot be listed or cleaned
   */
  public static List<String> removeInterrupted(Path out, Configuration conf) {
    try {
      FileSystem fs = out.getFileSystem(conf);
      FileStatus[] staged;
      try {
        staged = fs.listStatus(new Path(out, RunLayout.STAGING));
      } catch (FileNotFoundException e) {
        return List.of();
      }
      List<String> removed = new ArrayList<>();
      for (FileStatus st : staged) {
        String name = st.getPath().getName();
        if (st.isDirectory() && RunLayout.isRunId(name)) {
          fs.delete(st.getPath(), true);
          LOG.info("Removed the staging of interrupted run {}", name);
          removed.add(name);
        }
      }
      return removed;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot clean the staging of " + out + ": " + e.getMessage(), e);
    }
  }

  private static void checkOutput(FileSystem fs, Path out) throws IOException {
    try {
      FileStatus st = fs.getFileStatus(out);
      if (!st.isDirectory()) {
        throw new IllegalArgumentException(
            "Cannot write to " + out + ": it is a file, not a directory");
      }
    } catch (FileNotFoundException e) {
      if (!fs.mkdirs(out)) {
        throw new IllegalArgumentException("Cannot write to " + out + ": cannot create it");
      }
    }
  }

  /** The staging directory the job writes its tables into. */
  public Path staging() {
    return staging;
  }

  /** The run id. */
  public String runId() {
    return runId;
  }

  /**
   * Moves staging into {@code runs/}, writes the manifest, then points {@code LATEST} at the run.
   * The run counts as committed once {@code LATEST} names it: a failure before that (the manifest
   * or {@code LATEST} cannot be written, say on a full disk) leaves it to {@link #abort}, which
   * removes it, so a failed compute never leaves a run that {@code LATEST} does not name.
   *
   * @throws UncheckedIOException naming the file if a step fails; the run is then not committed
   */
  public Path commit(Manifest manifest) {
    try {
      fs.mkdirs(new Path(out, RunLayout.RUNS));
      if (!fs.rename(staging, runDir)) {
        throw new IOException("rename " + staging + " to " + runDir + " failed");
      }
      Path manifestFile = new Path(runDir, RunLayout.MANIFEST);
      replace(writeTemporary(manifestFile, manifest.toJson()), manifestFile);
      Path latest = new Path(out, RunLayout.LATEST);
      Path latestTmp = writeTemporary(latest, runId + "\n");
      replace(latestTmp, latest);
      committed = true;
      LOG.info("Committed run {} ({})", runId, runDir);
      return runDir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot commit run " + runId + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code text} to a hidden temporary file beside {@code target}, through the raw stream
   * (see {@link RawOutputFile}: the checksummed one leaks its descriptors when a write fails).
   *
   * @throws IOException naming {@code target} if it cannot be written
   */
  private Path writeTemporary(Path target, String text) throws IOException {
    Path tmp = new Path(target.getParent(), "." + target.getName() + "." + runId + ".tmp");
    try (OutputStream os = RawOutputFile.create(fs, tmp, true)) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      deleteQuietly(tmp, e);
      throw FileWriteException.naming(target, e);
    }
    return tmp;
  }

  /**
   * Renames {@code tmp} over {@code target} atomically. The temporary file has no checksum (it was
   * written raw), so a checksum that an older writer left beside {@code target} goes first: it
   * would no longer match.
   */
  private void replace(Path tmp, Path target) throws IOException {
    try {
      fs.delete(new Path(target.getParent(), "." + target.getName() + ".crc"), false);
      FileContext.getFileContext(target.toUri(), conf)
          .rename(tmp, target, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      deleteQuietly(tmp, e);
      throw FileWriteException.naming(target, e);
    }
  }

  private void deleteQuietly(Path p, Throwable cause) {
    try {
      fs.delete(p, false);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Removes everything this run wrote, unless it was committed. Failures to clean up are attached
   * to {@code cause}.
   */
  public void abort(Throwable cause) {
    if (committed) {
      return;
    }
    // The manifest first: the run then vanishes at once for readers, not table by table.
    for (Path p : new Path[] {new Path(runDir, RunLayout.MANIFEST), staging, runDir}) {
      try {
        fs.delete(p, true);
      } catch (IOException | RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  }
}
