package org.simheat.jobs.compute;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.cluster.ClusterTables;
import org.simheat.jobs.cluster.ReferenceRun;
import org.simheat.jobs.input.CellSums;
import org.simheat.jobs.input.EmbeddingInputs;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.output.EmbeddingWriter;
import org.simheat.jobs.output.Fingerprint;
import org.simheat.jobs.output.OutputBusyException;
import org.simheat.jobs.output.OutputLock;
import org.simheat.jobs.output.RunCatalog;
import org.simheat.jobs.output.RunCommitter;
import org.simheat.jobs.output.RunRetention;
import org.simheat.jobs.output.RunTables;
import org.simheat.jobs.pyramid.MeanPyramid;
import org.simheat.jobs.similarity.DenseKernel;
import org.simheat.jobs.similarity.PassConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes one run: validate → compute → write → commit.
 *
 * <p>Validation opens the input's headers and vocabulary on the driver and scans the matrix for
 * non-finite values on the executors; nothing is written before it passes. An input whose
 * fingerprint matches a committed run is not recomputed unless forced.
 */
public final class ComputeJob {
  private static final Logger LOG = LoggerFactory.getLogger(ComputeJob.class);
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final ComputeSpec spec;
  private final Configuration conf;
  private final Consumer<String> checkpoint;
  private final Map<String, Long> timings = new LinkedHashMap<>();
  private long mark = System.nanoTime();
  private ReferenceRun reference;

  public ComputeJob(SparkSession spark, ComputeSpec spec) {
    this(spark, spec, stage -> {});
  }

  /**
   * A job that calls {@code checkpoint} with each stage's name as it completes ({@code read},
   * {@code cluster} (cluster order only), {@code similarity} (full pass only), {@code pyramid},
   * {@code embeddings}, {@code write}); tests inject failures there.
   */
  ComputeJob(SparkSession spark, ComputeSpec spec, Consumer<String> checkpoint) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.spec = spec;
    this.conf = spark.sparkContext().hadoopConfiguration();
    this.checkpoint = checkpoint;
  }

  /**
   * What a run of the job did.
   *
   * @param manifest the committed (or already existing) run's manifest
   * @param runDir its directory
   * @param upToDate true when an identical run existed and nothing was computed
   * @param removed the runs {@code --keep} deleted afterwards, oldest first
   */
  public record Result(Manifest manifest, Path runDir, boolean upToDate, List<String> removed) {
    public Result(Manifest manifest, Path runDir, boolean upToDate) {
      this(manifest, runDir, upToDate, List.of());
    }
  }

  /**
   * Runs the job holding the output's lock: cleans the staging left by interrupted runs, computes
   * (or finds the run up to date), then applies {@code --keep}.
   *
   * @throws IllegalArgumentException for bad input or output, with one line naming the file
   * @throws OutputBusyException if another compute holds the output's lock
   */
  public Result run() {
    Path out = new Path(spec.out());
    try (OutputLock lock = OutputLock.acquire(out, conf, "compute")) {
      RunCommitter.removeInterrupted(out, conf);
      Result r = compute(out);
      if (spec.keep() == 0) {
        return r;
      }
      List<String> removed = RunRetention.keepNewest(out, spec.keep(), r.manifest().runId(), conf);
      return new Result(r.manifest(), r.runDir(), r.upToDate(), removed);
    }
  }

  /** Computes the run, or finds it up to date; the caller holds the lock. */
  private Result compute(Path out) {
    EmbeddingInputs.Opened rowsIn = EmbeddingInputs.open(spark, spec.input());
    EmbeddingInputs.Opened colsIn =
        spec.cross() ? EmbeddingInputs.open(spark, spec.colsInput()) : null;
    if (colsIn != null) {
      checkSameDimension(rowsIn, colsIn);
    }
    reference = referenceRun(out);
    Fingerprint.Files hashed = Fingerprint.files(files(rowsIn, colsIn), conf);
    String fingerprint =
        hashed.with(spec.effectiveConfiguration(reference == null ? null : reference.runId()));
    List<Manifest> runs = spec.force() ? List.of() : RunCatalog.list(out, conf);
    Optional<Manifest> existing = RunCatalog.findByFingerprint(runs, fingerprint);
    if (existing.isEmpty()) {
      existing = alignedEarlier(runs, hashed);
    }
    if (existing.isPresent()) {
      return new Result(
          existing.get(), new Path(out, RunLayout.runDir(existing.get().runId())), true);
    }
    boolean symmetric = colsIn == null;
    long nCols = symmetric ? rowsIn.matrix().rows() : colsIn.matrix().rows();
    TileGeometry geometry = TileGeometry.of(rowsIn.matrix().rows(), nCols);
    int storedZoom = storedZoom(geometry, symmetric);
    PassConfig cfg = passConfig(geometry, rowsIn.matrix().dim(), symmetric, storedZoom);
    checkClusterCounts(geometry, symmetric);
    boolean meansOnly = meanFastPath(spec);
    LOG.info(
        meansOnly
            ? "Mean fast path: cell sum vectors, no N² pass (only mean pooling of {}, no neighbours)"
            : "Full blocked pass: {} with {} pooling and {} neighbours",
        spec.metrics(),
        spec.aggregations(),
        spec.neighbors());
    CellSums.Spec sums =
        meansOnly ? MeanPyramid.sumsFor(spec.metrics(), geometry, storedZoom) : null;
    Axes axes = readAxes(rowsIn, colsIn, cfg.blockSize(), sums);
    RunCommitter committer = RunCommitter.begin(out, newRunId(fingerprint), conf);
    try {
      Path staging = committer.staging();
      PoolingStage pooling = new PoolingStage(spark, jsc, spec, this::lap);
      PoolingStage.Pooled pooled =
          meansOnly
              ? pooling.means(axes.rows(), axes.cols(), geometry, storedZoom, staging)
              : pooling.pass(cfg, axes.rows(), axes.cols(), geometry, staging);
      writeTables(axes, pooled, cfg, staging);
      RunTables.verify(
          spark,
          staging,
          geometry,
          storedZoom,
          spec.metrics(),
          symmetric,
          spec.neighbors() > 0,
          moreTables(axes.rows(), axes.cols()));
      lap("write");
      Manifest manifest =
          manifest(
              committer.runId(),
              axes.rows(),
              axes.cols(),
              fingerprint,
              geometry,
              storedZoom,
              pooled);
      Path runDir = committer.commit(manifest);
      return new Result(manifest, runDir, false);
    } catch (Throwable e) {
      // Throwable, not RuntimeException: a failed Spark job throws SparkException, which is checked
      // in Java's eyes but undeclared by Scala, so it passes any catch of unchecked exceptions.
      TaskQuiescence.await(jsc);
      committer.abort(e);
      Optional<UncheckedIOException> described = WriteFailure.describe(e, committer.runId(), out);
      if (described.isPresent()) {
        throw described.get();
      }
      throw e;
    }
  }

  /**
   * The run whose order this run takes ({@code --order-from}), or null for its own order (also when
   * {@code latest} names no run yet).
   *
   * @throws IllegalArgumentException if the run cannot be found or read, or does not fit
   */
  private ReferenceRun referenceRun(Path out) {
    if (spec.orderFrom() == null) {
      return null;
    }
    ReferenceRun r = ReferenceRun.resolve(out, spec.orderFrom(), spec.cross(), conf).orElse(null);
    if (r != null && spec.order().clustered()) {
      LOG.info(
          "--order-from {}: the order of run {}, not --order cluster", spec.orderFrom(), r.runId());
    }
    return r;
  }

  /**
   * With {@code --order-from latest}: an earlier run of the same files and settings, in its own
   * order or in the order of any run. Each run of a chain made with {@code --order-from latest}
   * moves {@code latest} on, so a checkpoint computed before would otherwise never be up to date
   * again (a restarted {@code watch} would recompute every one); that earlier run is aligned with
   * its own predecessor already, and taking the latest run's order from the latest run's own files
   * gives that run again.
   *
   * @param runs the committed runs, oldest first
   */
  private Optional<Manifest> alignedEarlier(List<Manifest> runs, Fingerprint.Files hashed) {
    if (reference == null || !reference.latest()) {
      return Optional.empty();
    }
    Map<String, String> byFrom = new HashMap<>();
    for (int i = runs.size() - 1; i >= 0; i--) {
      Manifest m = runs.get(i);
      String from = m.order() == null ? null : m.order().from();
      String expected =
          byFrom.computeIfAbsent(
              String.valueOf(from), f -> hashed.with(spec.effectiveConfiguration(from)));
      if (m.source() != null && expected.equals(m.source().fingerprint())) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The rows and the columns as the pass reads them (the same axis twice when symmetric). */
  private record Axes(RunAxis rows, RunAxis cols) {}

  /**
   * Scans each axis and, in cluster order, clusters it; the cell sums of the mean fast path are
   * taken in the final order.
   */
  private Axes readAxes(
      EmbeddingInputs.Opened rowsIn,
      EmbeddingInputs.Opened colsIn,
      int blockRows,
      CellSums.Spec sums) {
    boolean clustered = reference == null && spec.order().clustered();
    CellSums.Spec inputOrderSums = clustered || reference != null ? null : sums;
    RunAxis rows = RunAxis.scan(jsc, rowsIn, blockRows, inputOrderSums);
    RunAxis cols = colsIn == null ? rows : RunAxis.scan(jsc, colsIn, blockRows, inputOrderSums);
    lap("read");
    if (reference != null) {
      String id = reference.runId();
      RunAxis r = rows.following(jsc, reference.rows(), blockRows, sums, id, spec.input().uri());
      cols =
          cols == rows
              ? r
              : cols.following(jsc, reference.cols(), blockRows, sums, id, spec.colsInput().uri());
      rows = r;
      lap(reference.clustered() ? "cluster" : "order");
    } else if (clustered) {
      RunAxis r = rows.clustered(jsc, spec.order(), blockRows, sums, spec.input().uri());
      cols =
          cols == rows
              ? r
              : cols.clustered(jsc, spec.order(), blockRows, sums, spec.colsInput().uri());
      rows = r;
      lap("cluster");
    }
    return new Axes(rows, cols);
  }

  /**
   * Fails early, before any Spark work, when an axis has fewer rows than the clusters asked for.
   */
  private void checkClusterCounts(TileGeometry g, boolean symmetric) {
    if (reference == null && spec.order().clustered()) {
      spec.order().clustersFor(g.rows(), spec.input().uri());
      if (!symmetric) {
        spec.order().clustersFor(g.cols(), spec.colsInput().uri());
      }
    }
  }

  /** The embeddings of each axis and, in cluster order, the cluster tables. */
  private void writeTables(Axes axes, PoolingStage.Pooled pooled, PassConfig cfg, Path staging) {
    boolean symmetric = axes.rows() == axes.cols();
    writeEmbeddings(axes.rows(), cfg, staging, RunLayout.EMBEDDINGS);
    if (!symmetric) {
      writeEmbeddings(axes.cols(), cfg, staging, RunLayout.COL_EMBEDDINGS);
    }
    lap("embeddings");
    if (axes.rows().clusters() != null) {
      ClusterTables.write(
          conf,
          staging,
          axes.rows().clusters(),
          symmetric ? null : axes.cols().clusters(),
          spec.metrics(),
          spec.aggregations(),
          pooled.clusters());
    }
  }

  /**
   * Checks that a cross run's two matrices have the same d.
   *
   * @throws IllegalArgumentException naming both files and both dimensions
   */
  static void checkSameDimension(EmbeddingInputs.Opened rows, EmbeddingInputs.Opened cols) {
    if (rows.matrix().dim() != cols.matrix().dim()) {
      throw new IllegalArgumentException(
          "Cannot compute a cross run: the rows have d = "
              + rows.matrix().dim()
              + " ("
              + rows.matrix().describe()
              + ") but the columns have d = "
              + cols.matrix().dim()
              + " ("
              + cols.matrix().describe()
              + ")");
    }
  }

  /** The tables beyond tiles, neighbours and embeddings that a run writes, with their rows. */
  private Map<String, Long> moreTables(RunAxis rows, RunAxis cols) {
    Map<String, Long> more = new LinkedHashMap<>();
    if (cols != rows) {
      more.put(RunLayout.COL_EMBEDDINGS, cols.source().value().rows());
    }
    if (rows.clusters() != null) {
      more.put(RunLayout.CLUSTERS, (long) rows.clusters().nodes().size());
      if (cols != rows) {
        more.put(RunLayout.COL_CLUSTERS, (long) cols.clusters().nodes().size());
      }
      long pairs = (long) rows.leaves() * cols.leaves();
      spec.metrics().forEach(m -> more.put(RunLayout.clusterTilesDir(m), pairs));
    }
    return more;
  }

  /** Every file the run depends on: the rows' files, then the columns'. */
  private static List<String> files(EmbeddingInputs.Opened rows, EmbeddingInputs.Opened cols) {
    List<String> files = new ArrayList<>(rows.files());
    if (cols != null) {
      files.addAll(cols.files());
    }
    return files;
  }

  private PassConfig passConfig(TileGeometry g, int dim, boolean symmetric, int storedZoom) {
    return PassConfig.of(
        g,
        dim,
        symmetric,
        spec.metrics().toArray(Metric[]::new),
        storedZoom,
        spec.neighbors(),
        spec.blockSize() > 0 ? spec.blockSize() : PassConfig.blockRowsFor(dim, memoryPerCore()));
  }

  /**
   * Whether a run takes the mean fast path, which pools means from per-cell row sums and skips the
   * N² pass: only when it stores {@code mean} pooling alone, of bilinear metrics only (cosine, dot;
   * l2 is not bilinear), and no neighbours. Max, min and neighbours come only from the full pass.
   */
  static boolean meanFastPath(ComputeSpec spec) {
    return spec.neighbors() == 0
        && spec.aggregations().stream().allMatch(a -> a == Aggregation.MEAN)
        && spec.metrics().stream().allMatch(MeanPyramid::isBilinear);
  }

  /**
   * An executor's memory over its cores: in local mode this JVM's heap over the task slots,
   * otherwise {@code spark.executor.memory} over {@code spark.executor.cores}.
   */
  private long memoryPerCore() {
    var sc = spark.sparkContext();
    if (sc.isLocal()) {
      return Runtime.getRuntime().maxMemory() / Math.max(1, jsc.defaultParallelism());
    }
    long memory = sc.getConf().getSizeAsBytes("spark.executor.memory", "1g");
    return memory / Math.max(1, sc.getConf().getInt("spark.executor.cores", 1));
  }

  private int storedZoom(TileGeometry g, boolean symmetric) {
    return spec.storedZoom() != null
        ? Math.min(spec.storedZoom(), g.maxZoom())
        : g.storedZoomFor(spec.cellBudget(), symmetric);
  }

  private void writeEmbeddings(RunAxis axis, PassConfig cfg, Path staging, String table) {
    List<String> tokens = axis.input().tokens();
    Broadcast<String[]> broadcast =
        jsc.broadcast(tokens == null ? null : tokens.toArray(String[]::new));
    EmbeddingWriter.Positions p = axis.positions();
    EmbeddingWriter.write(
        jsc,
        axis.source(),
        broadcast,
        axis.norms(),
        p == null ? null : jsc.broadcast(p),
        cfg.blockSize(),
        staging,
        table);
  }

  private static String newRunId(String fingerprint) {
    return RUN_TIME.format(Instant.now()) + "-" + fingerprint.substring(0, 8);
  }

  private Manifest manifest(
      String runId,
      RunAxis rows,
      RunAxis cols,
      String fingerprint,
      TileGeometry g,
      int storedZoom,
      PoolingStage.Pooled pooled) {
    long total = timings.values().stream().mapToLong(Long::longValue).sum();
    timings.put("total", total);
    boolean symmetric = rows == cols;
    return new Manifest(
        Manifest.FORMAT_VERSION,
        runId,
        Instant.now().toString(),
        source(spec.input(), rows.input(), fingerprint),
        symmetric ? null : source(spec.colsInput(), cols.input(), fingerprint),
        g.rows(),
        g.cols(),
        rows.input().matrix().dim(),
        symmetric,
        spec.metrics().stream().map(Metric::id).toList(),
        spec.aggregations().stream().map(Aggregation::id).toList(),
        g.tileSize(),
        g.maxZoom(),
        storedZoom,
        order(rows, cols),
        new Manifest.Neighbors(spec.neighbors()),
        pooled.ranges(),
        rows.zeroRows(),
        new Manifest.SparkInfo(spark.version(), jsc.master()),
        DenseKernel.describe(),
        timings);
  }

  private Manifest.Order order(RunAxis rows, RunAxis cols) {
    if (reference != null) {
      return reference.order(rows.leaves(), cols == rows ? 0 : cols.leaves());
    }
    if (rows.clusters() == null) {
      return new Manifest.Order(Manifest.Order.INPUT, 0);
    }
    return new Manifest.Order(
        Manifest.Order.CLUSTER,
        rows.leaves(),
        cols == rows ? 0 : cols.leaves(),
        spec.order().algorithm().id(),
        spec.order().seed());
  }

  private static Manifest.Source source(
      InputSpec spec, EmbeddingInputs.Opened input, String fingerprint) {
    return new Manifest.Source(
        spec.uri(), input.format(), spec.tensor(), input.vocab(), fingerprint);
  }

  private void lap(String stage) {
    long now = System.nanoTime();
    timings.put(stage, (now - mark) / 1_000_000);
    mark = now;
    checkpoint.accept(stage);
  }
}
