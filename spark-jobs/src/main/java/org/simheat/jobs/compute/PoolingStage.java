package org.simheat.jobs.compute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.simheat.format.Manifest;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.input.CellSums;
import org.simheat.jobs.input.HadoopConf;
import org.simheat.jobs.output.RunTables;
import org.simheat.jobs.pyramid.MeanPyramid;
import org.simheat.jobs.pyramid.TilePyramid;
import org.simheat.jobs.similarity.BlockCache;
import org.simheat.jobs.similarity.ClusterCells;
import org.simheat.jobs.similarity.ClusterGrid;
import org.simheat.jobs.similarity.DenseKernel;
import org.simheat.jobs.similarity.PanelOps;
import org.simheat.jobs.similarity.PassConfig;
import org.simheat.jobs.similarity.PassProgress;
import org.simheat.jobs.similarity.TilePass;
import org.simheat.jobs.similarity.TilePlan;
import org.simheat.jobs.similarity.ValueRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooling stage of a run, which writes every stored level's tiles into the staging directory:
 * either the full blocked pass ({@link TilePass}, then the coarser levels by {@link TilePyramid}),
 * or the mean fast path ({@link MeanPyramid} from the axes' cell sums).
 */
final class PoolingStage {
  private static final Logger LOG = LoggerFactory.getLogger(PoolingStage.class);

  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final ComputeSpec spec;
  private final Configuration conf;
  private final Consumer<String> lap;

  /**
   * What pooling left besides the tiles.
   *
   * @param ranges per metric, the value range
   * @param clusters per metric, the pass's pooled pairs of clusters (null off the pass or in input
   *     order)
   */
  record Pooled(Map<String, Manifest.Range> ranges, ClusterCells[] clusters) {}

  /** A stage of the job {@code spec}, which calls {@code lap} with each sub-stage it completes. */
  PoolingStage(SparkSession spark, JavaSparkContext jsc, ComputeSpec spec, Consumer<String> lap) {
    this.spark = spark;
    this.jsc = jsc;
    this.spec = spec;
    this.conf = spark.sparkContext().hadoopConfiguration();
    this.lap = lap;
  }

  private void lap(String stage) {
    lap.accept(stage);
  }

  /** The mean fast path: every stored level's means from the scans' cell sums. */
  Pooled means(RunAxis rows, RunAxis cols, TileGeometry g, int storedZoom, Path staging) {
    CellSums colSums = cols == rows ? null : cols.sums();
    try (MeanPyramid pyramid =
        MeanPyramid.build(jsc, g, storedZoom, spec.metrics(), rows.sums(), colSums)) {
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

  Pooled pass(PassConfig cfg, RunAxis rows, RunAxis cols, TileGeometry g, Path staging) {
    List<TilePlan.Task> tasks = TilePlan.plan(cfg, g, Math.max(4 * jsc.defaultParallelism(), 1));
    long pairs = tasks.stream().mapToLong(t -> TilePlan.pairs(cfg, t)).sum();
    double flops = tasks.stream().mapToDouble(t -> TilePlan.flops(cfg, t)).sum();
    LongAccumulator done = jsc.sc().longAccumulator("block pairs");
    LOG.info(
        "Similarity pass: {} × {} × d={}, {} tiles of level {} in {} tasks, {} block pairs of up to"
            + " {} rows, metrics {}, BLAS {}, panel loops {}",
        cfg.nRows(),
        cfg.nCols(),
        cfg.dim(),
        g.storedTiles(cfg.storedZoom(), cfg.symmetric()),
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
                  rows.source(),
                  cols.source(),
                  rows.norms(),
                  cols.norms(),
                  scope,
                  rows.clusters() == null
                      ? null
                      : new ClusterGrid(rows.clusters().bounds(), cols.clusters().bounds())),
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
            cfg.symmetric(),
            conf,
            staging,
            spec.aggregations());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot write tiles under " + staging + ": " + e.getMessage(), e);
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
}
