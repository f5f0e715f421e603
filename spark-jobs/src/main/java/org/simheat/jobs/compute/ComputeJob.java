package org.simheat.jobs.compute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import org.apache.spark.util.LongAccumulator;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.cluster.AxisClustering;
import org.simheat.jobs.cluster.ClusterOrder;
import org.simheat.jobs.cluster.ClusterTables;
import org.simheat.jobs.input.CellSums;
import org.simheat.jobs.input.EmbeddingInputs;
import org.simheat.jobs.input.HadoopConf;
import org.simheat.jobs.input.MatrixScan;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.output.EmbeddingWriter;
import org.simheat.jobs.output.Fingerprint;
import org.simheat.jobs.output.RunCatalog;
import org.simheat.jobs.output.RunCommitter;
import org.simheat.jobs.output.RunTables;
import org.simheat.jobs.pyramid.MeanPyramid;
import org.simheat.jobs.pyramid.TilePyramid;
import org.simheat.jobs.similarity.BlockCache;
import org.simheat.jobs.similarity.ClusterCells;
import org.simheat.jobs.similarity.DenseKernel;
import org.simheat.jobs.similarity.PanelOps;
import org.simheat.jobs.similarity.PassConfig;
import org.simheat.jobs.similarity.PassProgress;
import org.simheat.jobs.similarity.TilePass;
import org.simheat.jobs.similarity.ValueRange;
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
   */
  public record Result(Manifest manifest, Path runDir, boolean upToDate) {}

  /**
   * Runs the job.
   *
   * @throws IllegalArgumentException for bad input or output, with one line naming the file
   */
  public Result run() {
    Path out = new Path(spec.out());
    EmbeddingInputs.Opened input = EmbeddingInputs.open(spark, spec.input());
    String fingerprint = Fingerprint.of(input.files(), spec.effectiveConfiguration(), conf);
    Optional<Manifest> existing =
        spec.force() ? Optional.empty() : RunCatalog.findByFingerprint(out, fingerprint, conf);
    if (existing.isPresent()) {
      return new Result(
          existing.get(), new Path(out, RunLayout.runDir(existing.get().runId())), true);
    }
    MatrixSource matrix = input.matrix();
    TileGeometry geometry = TileGeometry.of(matrix.rows(), matrix.rows());
    int storedZoom = storedZoom(geometry);
    Metric[] metrics = spec.metrics().toArray(Metric[]::new);
    PassConfig cfg =
        PassConfig.of(
            geometry,
            matrix.dim(),
            true,
            metrics,
            storedZoom,
            spec.neighbors(),
            spec.blockSize() > 0
                ? spec.blockSize()
                : PassConfig.blockRowsFor(matrix.dim(), memoryPerCore()));
    if (spec.order().clustered()) {
      spec.order().clustersFor(matrix.rows(), spec.input().uri()); // fails early on too many
    }
    Broadcast<MatrixSource> source = jsc.broadcast(matrix);
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
    MatrixScan.Result scan =
        MatrixScan.scan(
            jsc, source, cfg.blockSize(), input.tokens(), spec.order().clustered() ? null : sums);
    lap("read");
    Layout layout =
        spec.order().clustered()
            ? clusterOrder(source, scan, input, cfg.blockSize(), sums)
            : new Layout(source, scan.norms(), scan.sums(), null);
    RunCommitter committer = RunCommitter.begin(out, newRunId(fingerprint), conf);
    try {
      Broadcast<double[]> norms = jsc.broadcast(layout.norms());
      Pooled pooled =
          meansOnly
              ? computeMeans(layout.sums(), geometry, storedZoom, committer.staging())
              : compute(cfg, layout, norms, geometry, committer.staging());
      writeEmbeddings(layout, norms, input, cfg, committer.staging());
      lap("embeddings");
      if (layout.clusters() != null) {
        ClusterTables.write(
            conf,
            committer.staging(),
            layout.clusters(),
            spec.metrics(),
            spec.aggregations(),
            pooled.clusters());
      }
      RunTables.verify(
          spark,
          committer.staging(),
          geometry,
          storedZoom,
          spec.metrics(),
          true,
          spec.neighbors() > 0,
          layout.clusters() == null ? null : layout.clusters().tableCounts());
      lap("write");
      Manifest manifest =
          manifest(
              committer.runId(),
              input,
              fingerprint,
              geometry,
              storedZoom,
              pooled.ranges(),
              scan,
              layout.clusters());
      Path runDir = committer.commit(manifest);
      return new Result(manifest, runDir, false);
    } catch (RuntimeException | Error e) {
      committer.abort(e);
      throw e;
    }
  }

  /**
   * What the pass reads: the matrix by position, each position's norm, the mean fast path's cell
   * sums by position (or null), and the cluster order (null in input order).
   */
  private record Layout(
      Broadcast<MatrixSource> source, double[] norms, CellSums sums, ClusterOrder clusters) {}

  /** What pooling left besides the tiles: value ranges, and the pooled pairs of clusters. */
  private record Pooled(Map<String, Manifest.Range> ranges, ClusterCells[] clusters) {}

  /**
   * Clusters the rows and returns the matrix in cluster order; on the mean fast path the cell sums
   * are taken by position, in a second scan of the reordered matrix.
   */
  private Layout clusterOrder(
      Broadcast<MatrixSource> source,
      MatrixScan.Result scan,
      EmbeddingInputs.Opened input,
      int blockRows,
      CellSums.Spec sums) {
    ClusterOrder clusters =
        AxisClustering.run(
            jsc, source, scan.norms(), input.tokens(), spec.order(), blockRows, spec.input().uri());
    Broadcast<MatrixSource> view = jsc.broadcast(clusters.view(source.value()));
    CellSums cellSums =
        sums == null ? null : MatrixScan.scan(jsc, view, blockRows, null, sums).sums();
    lap("cluster");
    return new Layout(view, clusters.byPosition(scan.norms()), cellSums, clusters);
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

  /** The mean fast path: every stored level's means from the scan's cell sums. */
  private Pooled computeMeans(CellSums sums, TileGeometry g, int storedZoom, Path staging) {
    try (MeanPyramid pyramid = MeanPyramid.build(jsc, g, storedZoom, spec.metrics(), sums)) {
      RunTables.writeTiles(
          spark, pyramid.levels(), storedZoom, g, spec.metrics(), spec.aggregations(), staging);
      LOG.info(
          String.format(
              Locale.ROOT,
              "Mean pyramid: levels 0..%d, %.1f s of task time in the tile products (%s)",
              storedZoom,
              pyramid.tileSeconds(),
              DenseKernel.describe()));
      lap("pyramid");
      return new Pooled(pyramid.ranges(), null);
    }
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

  private int storedZoom(TileGeometry g) {
    return spec.storedZoom() != null
        ? Math.min(spec.storedZoom(), g.maxZoom())
        : g.storedZoomFor(spec.cellBudget(), true);
  }

  private Pooled compute(
      PassConfig cfg, Layout layout, Broadcast<double[]> norms, TileGeometry g, Path staging) {
    Broadcast<MatrixSource> source = layout.source();
    List<TilePass.Task> tasks = TilePass.plan(cfg, g, Math.max(4 * jsc.defaultParallelism(), 1));
    long pairs = tasks.stream().mapToLong(t -> TilePass.pairs(cfg, t)).sum();
    double flops = tasks.stream().mapToDouble(t -> TilePass.flops(cfg, t)).sum();
    LongAccumulator done = jsc.sc().longAccumulator("block pairs");
    LOG.info(
        "Similarity pass: {} × {} × d={}, {} tiles of level {} in {} tasks, {} block pairs of up to"
            + " {} rows, metrics {}, BLAS {}, panel loops {}",
        cfg.nRows(),
        cfg.nCols(),
        cfg.dim(),
        g.storedTiles(cfg.storedZoom(), true),
        cfg.storedZoom(),
        tasks.size(),
        pairs,
        cfg.blockSize(),
        spec.metrics(),
        DenseKernel.describe(),
        PanelOps.best().name());
    if (DenseKernel.threadWarning() != null) {
      LOG.warn(DenseKernel.threadWarning());
    }
    if (DenseKernel.isReferenceBlas()) {
      LOG.warn(
          "BLAS is the slow reference implementation ({}); install OpenBLAS or use the Vector API",
          DenseKernel.describe());
    }
    String scope = staging.toString();
    TilePass.Result result;
    double secs;
    try (PassProgress progress = new PassProgress(done, pairs, flops)) {
      result =
          TilePass.run(
              jsc,
              cfg,
              g,
              tasks,
              new TilePass.Inputs(
                  source,
                  source,
                  norms,
                  norms,
                  scope,
                  layout.clusters() == null ? null : layout.clusters().grid()),
              new TilePass.Sink(staging.toString(), new HadoopConf(conf), spec.aggregations()),
              done);
      secs = progress.elapsedSeconds();
    } finally {
      BlockCache.evict(scope);
    }
    LOG.info(
        String.format(
            Locale.ROOT,
            "Similarity pass done: %.1f GFLOP in %.2f s = %.1f GFLOP/s (%s)",
            flops / 1e9,
            secs,
            flops / 1e9 / secs,
            DenseKernel.describe()));
    lap("similarity");
    if (cfg.storedZoom() > 0) {
      try {
        TilePyramid.writeLevels(
            result.parents(),
            cfg.storedZoom() - 1,
            g,
            cfg.metrics(),
            true,
            conf,
            staging,
            spec.aggregations());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write tiles under " + staging, e);
      }
    }
    lap("pyramid");
    Map<String, Manifest.Range> ranges = new LinkedHashMap<>();
    for (int m = 0; m < cfg.metrics().length; m++) {
      ValueRange r = result.ranges()[m];
      ranges.put(
          cfg.metrics()[m].id(),
          new Manifest.Range(r.min(), r.max(), r.minOffDiagonal(), r.maxOffDiagonal()));
    }
    return new Pooled(ranges, result.clusters());
  }

  private void writeEmbeddings(
      Layout layout,
      Broadcast<double[]> norms,
      EmbeddingInputs.Opened input,
      PassConfig cfg,
      Path staging) {
    Broadcast<String[]> tokens =
        jsc.broadcast(input.tokens() == null ? null : input.tokens().toArray(String[]::new));
    ClusterOrder c = layout.clusters();
    Broadcast<EmbeddingWriter.Positions> positions =
        c == null
            ? null
            : jsc.broadcast(new EmbeddingWriter.Positions(c.ids(), c.leafOfPosition()));
    EmbeddingWriter.write(jsc, layout.source(), tokens, norms, positions, cfg.blockSize(), staging);
  }

  private static String newRunId(String fingerprint) {
    return RUN_TIME.format(Instant.now()) + "-" + fingerprint.substring(0, 8);
  }

  private Manifest manifest(
      String runId,
      EmbeddingInputs.Opened input,
      String fingerprint,
      TileGeometry g,
      int storedZoom,
      Map<String, Manifest.Range> ranges,
      MatrixScan.Result scan,
      ClusterOrder clusters) {
    long total = timings.values().stream().mapToLong(Long::longValue).sum();
    timings.put("total", total);
    return new Manifest(
        Manifest.FORMAT_VERSION,
        runId,
        Instant.now().toString(),
        new Manifest.Source(
            input.matrix().describe().equals(spec.input().uri())
                ? spec.input().uri()
                : spec.input().uri(),
            input.format(),
            spec.input().tensor(),
            input.vocab(),
            fingerprint),
        null,
        g.rows(),
        g.cols(),
        input.matrix().dim(),
        true,
        spec.metrics().stream().map(Metric::id).toList(),
        spec.aggregations().stream().map(Aggregation::id).toList(),
        g.tileSize(),
        g.maxZoom(),
        storedZoom,
        clusters == null
            ? new Manifest.Order(Manifest.Order.INPUT, 0)
            : new Manifest.Order(
                Manifest.Order.CLUSTER,
                clusters.clusters(),
                0,
                spec.order().algorithm().id(),
                spec.order().seed()),
        new Manifest.Neighbors(spec.neighbors()),
        ranges,
        scan.zeroRows(),
        new Manifest.SparkInfo(spark.version(), jsc.master()),
        DenseKernel.describe(),
        timings);
  }

  private void lap(String stage) {
    long now = System.nanoTime();
    timings.put(stage, (now - mark) / 1_000_000);
    mark = now;
    checkpoint.accept(stage);
  }
}
