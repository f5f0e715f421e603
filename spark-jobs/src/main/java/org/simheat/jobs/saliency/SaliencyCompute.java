package org.simheat.jobs.saliency;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.jobs.input.HadoopConf;

/**
 * {@code simheat saliency compute}: validate → read the run's vocabulary → tokenise, compute and
 * write every document on the executors into one staging directory → move them all into {@code
 * runs/<run>/saliency/} together.
 *
 * <p>The options, the run, its metric and the corpus's existence are checked before any Spark
 * action. Documents are spread over the cluster as the corpus's partitions are (lines of a file, or
 * files of a directory); each executor writes whole documents into {@code
 * OUT/_staging/saliency-compute-<nonce>/<doc>/}. The driver then checks the result (a non-empty
 * corpus, ids free unless {@code --force}) and commits through {@link DocumentsCommit}; any failure
 * deletes the staging directory, so a failed call adds nothing and keeps existing documents.
 */
public final class SaliencyCompute {
  /** What was written: the run directory and one entry per document, in id order. */
  public record Result(Path runDir, List<ComputedDocument> documents) {}

  private final SparkSession spark;
  private final ComputeSaliencySpec spec;
  private final SaliencyImport.FaultPoint faults;

  /** A job computing {@code spec} with {@code spark}. */
  public SaliencyCompute(SparkSession spark, ComputeSaliencySpec spec) {
    this(spark, spec, step -> {});
  }

  SaliencyCompute(SparkSession spark, ComputeSaliencySpec spec, SaliencyImport.FaultPoint faults) {
    this.spark = spark;
    this.spec = spec;
    this.faults = faults;
  }

  /**
   * Runs the job.
   *
   * @throws IllegalArgumentException for bad options, a missing run or metric, or an empty corpus
   *     (one line; nothing is written)
   * @throws UncheckedIOException if writing fails (nothing appears; existing documents survive)
   */
  public Result run() {
    if (spec.window() < 0) {
      throw error("--window must be 0 or more, not " + spec.window());
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path out = new Path(spec.out());
    try {
      FileSystem fs = out.getFileSystem(conf);
      out = fs.makeQualified(out);
      Path runDir = runDir(fs, out);
      Manifest m = manifest(fs, runDir);
      Metric metric = metric(m);
      Corpus corpus = Corpus.open(spec, conf);
      checkIds(fs, runDir, corpus.knownIds());
      RunVocabulary vocab =
          RunVocabulary.load(
              spark, runDir, (int) m.n(), metric, hasNeighbors(fs, runDir, m, metric));
      return compute(fs, out, runDir, corpus, vocab, metric, conf);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot compute saliency into " + out + ": " + e.getMessage(), e);
    }
  }

  private Result compute(
      FileSystem fs,
      Path out,
      Path runDir,
      Corpus corpus,
      RunVocabulary vocab,
      Metric metric,
      Configuration conf)
      throws IOException {
    String nonce = UUID.randomUUID().toString().substring(0, 8);
    Path staging = new Path(out, RunLayout.STAGING + "/saliency-compute-" + nonce);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<RunVocabulary> shared = jsc.broadcast(vocab);
    try {
      JavaRDD<CorpusDocument> docs = corpus.documents(jsc);
      DocumentSaliency job =
          new DocumentSaliency(
              shared,
              new HadoopConf(conf),
              staging.toString(),
              metric,
              spec.window(),
              spec.causal());
      List<ComputedDocument> written = new ArrayList<>(docs.map(job).collect());
      written.sort((a, b) -> a.doc().compareTo(b.doc()));
      List<String> ids = written.stream().map(ComputedDocument::doc).toList();
      if (ids.isEmpty()) {
        throw error(spec.corpus() + " has no text (every document is blank)");
      }
      checkIds(fs, runDir, ids);
      faults.reached("commit");
      new DocumentsCommit(fs, staging, runDir, faults).moveAll(ids);
      return new Result(runDir, written);
    } finally {
      shared.destroy();
      deleteQuietly(fs, staging);
    }
  }

  private static void deleteQuietly(FileSystem fs, Path staging) throws IOException {
    if (fs.exists(staging)) {
      fs.delete(staging, true);
    }
  }

  /** {@code OUT/runs/<run>}, checked to be a committed run. */
  private Path runDir(FileSystem fs, Path out) throws IOException {
    String run = spec.run();
    if ("latest".equals(run)) {
      run = latest(fs, out);
    } else if (!RunLayout.isRunId(run)) {
      throw error("--run '" + run + "' is not a run id or latest");
    }
    Path runDir = new Path(out, RunLayout.runDir(run));
    if (!fs.exists(new Path(runDir, RunLayout.MANIFEST))) {
      throw error("no committed run " + run + " in " + out);
    }
    return runDir;
  }

  private static String latest(FileSystem fs, Path out) throws IOException {
    try (FSDataInputStream in = fs.open(new Path(out, RunLayout.LATEST))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (FileNotFoundException e) {
      throw error("--run latest, but " + out + " has no LATEST run");
    }
  }

  private static Manifest manifest(FileSystem fs, Path runDir) throws IOException {
    try (FSDataInputStream in = fs.open(new Path(runDir, RunLayout.MANIFEST))) {
      Manifest m = Manifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      if (!m.symmetric()) {
        throw error("run " + m.runId() + " is a cross run; saliency needs one vocabulary");
      }
      return m;
    }
  }

  /** The requested metric, checked against the run's; the run's first when none is given. */
  private Metric metric(Manifest m) {
    if (spec.metric() == null) {
      return Metric.parse(m.metrics().get(0));
    }
    Metric metric = Metric.parse(spec.metric());
    if (!m.metrics().contains(metric.id())) {
      throw error(
          "--metric "
              + metric.id()
              + ": run "
              + m.runId()
              + " has only "
              + String.join(", ", m.metrics()));
    }
    return metric;
  }

  private static boolean hasNeighbors(FileSystem fs, Path runDir, Manifest m, Metric metric)
      throws IOException {
    return m.neighbors() != null
        && m.neighbors().k() > 0
        && fs.exists(new Path(runDir, RunLayout.neighborsDir(metric)));
  }

  /** Checks the ids are distinct and, unless {@code --force}, not taken in the run. */
  private void checkIds(FileSystem fs, Path runDir, List<String> ids) throws IOException {
    Set<String> seen = new HashSet<>();
    for (String doc : ids) {
      if (!seen.add(doc)) {
        throw error("two documents have the id '" + doc + "'");
      }
      if (spec.force()) {
        continue;
      }
      Path target = new Path(runDir, RunLayout.saliencyDir(doc));
      if (fs.exists(target)) {
        throw error("document '" + doc + "' already exists (" + target + "); --force replaces it");
      }
    }
  }

  static IllegalArgumentException error(String why) {
    return new IllegalArgumentException("Cannot compute saliency: " + why);
  }

  /** Lists a doc-per-file corpus's files (for their ids) without reading them. */
  static List<FileStatus> textFiles(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir)) {
      if (st.isFile() && st.getPath().getName().endsWith(".txt")) {
        files.add(st);
      }
    }
    files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    return files;
  }
}
