package org.simheat.jobs.saliency;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.simheat.format.RunLayout;
import org.simheat.format.SaliencyDocument;

/**
 * {@code simheat saliency import}: validate → read → write to staging → move into place.
 *
 * <p>Everything is checked before anything is written: the options, the target (a run that exists,
 * a document id that is free unless {@code --force}) and the whole JSON file. The tables and then
 * {@code document.json} go to {@code OUT/_staging/saliency-<doc>-<nonce>/}, which is renamed to
 * {@code saliency/<doc>} in one step. A replaced document is first renamed aside into staging and
 * renamed back if the move fails, so a failed import leaves the previous document as it was. Any
 * failure deletes the staging directory (cleanup failures are attached as suppressed exceptions).
 * Renames are atomic on local disks and HDFS; on object stores they are copies, but a reader still
 * ignores a directory until its {@code document.json} exists.
 */
public final class SaliencyImport {
  /** Where a test may make an import fail: called with each step's name as it starts. */
  interface FaultPoint {
    void reached(String step) throws IOException;
  }

  /** What was written. */
  public record Result(SaliencyDocument document, Path dir, long heatRows) {}

  private final ImportSpec spec;
  private final Configuration conf;
  private final FaultPoint faults;

  /** An import of {@code spec}, reading and writing through Hadoop file systems. */
  public SaliencyImport(ImportSpec spec, Configuration conf) {
    this(spec, conf, step -> {});
  }

  SaliencyImport(ImportSpec spec, Configuration conf, FaultPoint faults) {
    this.spec = spec;
    this.conf = conf;
    this.faults = faults;
  }

  /**
   * Runs the import.
   *
   * @throws IllegalArgumentException for bad options or input (one line; nothing is written)
   * @throws UncheckedIOException if writing fails (nothing appears; a replaced document survives)
   */
  public Result run() {
    String doc = docId();
    if (spec.title() == null || spec.title().isBlank()) {
      throw new IllegalArgumentException("Cannot import saliency: --title is empty");
    }
    Path out = new Path(spec.out());
    try {
      FileSystem fs = out.getFileSystem(conf);
      out = fs.makeQualified(out);
      Path target = new Path(base(fs, out), RunLayout.saliencyDir(doc));
      checkFree(fs, target, doc);
      Path json = new Path(spec.json());
      SaliencyText text = TextualHeatmapReader.read(json, conf);
      List<String> titles = facetTitles(text.facets().size());
      boolean sparse = spec.sparse() || text.length() >= ImportSpec.SPARSE_TOKENS;
      SaliencyDocument d =
          document(doc, titles, text, json.getFileSystem(conf).makeQualified(json), sparse);
      return publish(fs, out, target, text, d);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot import saliency into " + out + ": " + e.getMessage(), e);
    }
  }

  /** The given document id, checked, or one derived from the title. */
  private String docId() {
    if (spec.doc() != null) {
      if (!RunLayout.isDocId(spec.doc())) {
        throw new IllegalArgumentException(
            "Cannot import saliency: --doc '"
                + spec.doc()
                + "' is not a document id (1 to 64 of a-z, 0-9 and '-', not starting with '-')");
      }
      return spec.doc();
    }
    String id = slug(spec.title() == null ? "" : spec.title());
    if (id.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot import saliency: the title '"
              + spec.title()
              + "' gives no document id; pass --doc");
    }
    return id;
  }

  /** Lowercase ASCII letters and digits of a title, other runs of characters as one dash. */
  static String slug(String title) {
    String ascii = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
    String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    s = s.replaceAll("^-+", "");
    s = s.substring(0, Math.min(64, s.length()));
    return s.replaceAll("-+$", "");
  }

  /** OUT itself, or {@code OUT/runs/<run>} for {@code --run} (checked to be a committed run). */
  private Path base(FileSystem fs, Path out) throws IOException {
    if (spec.run() == null) {
      return out;
    }
    String run = spec.run();
    if (run.equals("latest")) {
      run = latest(fs, out);
    } else if (!RunLayout.isRunId(run)) {
      throw new IllegalArgumentException(
          "Cannot import saliency into " + out + ": --run '" + run + "' is not a run id or latest");
    }
    Path runDir = new Path(out, RunLayout.runDir(run));
    if (!fs.exists(new Path(runDir, RunLayout.MANIFEST))) {
      throw new IllegalArgumentException(
          "Cannot import saliency into " + out + ": no committed run " + run);
    }
    return runDir;
  }

  private static String latest(FileSystem fs, Path out) throws IOException {
    try (FSDataInputStream in = fs.open(new Path(out, RunLayout.LATEST))) {
      String run = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!RunLayout.isRunId(run)) {
        throw new IllegalArgumentException(
            "Cannot import saliency into " + out + ": LATEST holds '" + run + "', not a run id");
      }
      return run;
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException(
          "Cannot import saliency into " + out + ": --run latest, but there is no LATEST run");
    }
  }

  private void checkFree(FileSystem fs, Path target, String doc) throws IOException {
    if (!spec.force() && fs.exists(target)) {
      throw new IllegalArgumentException(
          "Cannot import saliency: document '"
              + doc
              + "' already exists ("
              + target
              + "); --force replaces it");
    }
  }

  private List<String> facetTitles(int facets) {
    if (spec.facetTitles() == null) {
      List<String> titles = new ArrayList<>();
      for (int f = 1; f <= facets; f++) {
        titles.add("Facet " + f);
      }
      return titles;
    }
    if (spec.facetTitles().size() != facets) {
      throw new IllegalArgumentException(
          "Cannot import saliency from "
              + spec.json()
              + ": --facet-titles names "
              + spec.facetTitles().size()
              + " facets but the file has "
              + facets);
    }
    return List.copyOf(spec.facetTitles());
  }

  private SaliencyDocument document(
      String doc, List<String> titles, SaliencyText text, Path json, boolean sparse) {
    float[] range = text.heatRange();
    return new SaliencyDocument(
        SaliencyDocument.FORMAT_VERSION,
        doc,
        spec.title(),
        titles,
        text.length(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        new SaliencyDocument.Source(SaliencyDocument.IMPORT, json.toString()),
        range == null ? null : new SaliencyDocument.HeatRange(range[0], range[1]),
        sparse ? SaliencyDocument.SPARSE : SaliencyDocument.DENSE);
  }

  /** Writes staging, then moves it into place; on failure removes staging. */
  private Result publish(
      FileSystem fs, Path out, Path target, SaliencyText text, SaliencyDocument d)
      throws IOException {
    String nonce = UUID.randomUUID().toString().substring(0, 8);
    Path staging = new Path(out, RunLayout.saliencyStagingDir(d.doc(), nonce));
    try {
      checkDirectory(fs, out);
      if (!fs.mkdirs(staging)) {
        throw new IOException("cannot create " + staging);
      }
      faults.reached("tables");
      long heatRows = SaliencyTables.write(conf, staging, d.doc(), text, d.sparse());
      faults.reached("document");
      writeDocument(fs, staging, d);
      faults.reached("move");
      moveIntoPlace(fs, staging, target, new Path(staging + "-replaced"));
      return new Result(d, target, heatRows);
    } catch (IOException | RuntimeException e) {
      try {
        fs.delete(staging, true);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static void checkDirectory(FileSystem fs, Path out) throws IOException {
    try {
      FileStatus st = fs.getFileStatus(out);
      if (!st.isDirectory()) {
        throw new IllegalArgumentException(
            "Cannot import saliency into " + out + ": it is a file, not a directory");
      }
    } catch (FileNotFoundException e) {
      // Created with the staging directory below it.
    }
  }

  private static void writeDocument(FileSystem fs, Path dir, SaliencyDocument d)
      throws IOException {
    try (FSDataOutputStream os = fs.create(new Path(dir, RunLayout.SALIENCY_DOCUMENT), false)) {
      os.write(d.toJson().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Renames staging to the target. An existing target is first renamed aside and renamed back if
   * the move fails, then deleted once the new document is in place.
   */
  private void moveIntoPlace(FileSystem fs, Path staging, Path target, Path aside)
      throws IOException {
    boolean replacing = fs.exists(target);
    if (replacing && !fs.rename(target, aside)) {
      throw new IOException("cannot move the existing " + target + " aside");
    }
    try {
      faults.reached("rename");
      if (!fs.mkdirs(target.getParent()) || !fs.rename(staging, target)) {
        throw new IOException("cannot rename " + staging + " to " + target);
      }
    } catch (IOException | RuntimeException e) {
      if (replacing && !fs.rename(aside, target)) {
        e.addSuppressed(new IOException("cannot restore " + target + " from " + aside));
      }
      throw e;
    }
    if (replacing) {
      fs.delete(aside, true);
    }
  }
}
