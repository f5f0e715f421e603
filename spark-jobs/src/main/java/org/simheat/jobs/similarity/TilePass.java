package org.simheat.jobs.similarity;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.input.HadoopConf;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.output.TileFiles;
import scala.Tuple2;

/**
 * The blocked pass on Spark, one stored tile at a time.
 *
 * <p>A task owns whole tiles of the finest stored level: consecutive tiles of the stored triangle
 * in row-major order, grouped so that every task has about the same number of pairs. For each tile
 * it multiplies the tile's row blocks with its column blocks ({@link BlockProduct}), each block
 * read straight from the input ({@link MatrixSource}) through the executor's {@link BlockCache}, so
 * blocks cross no shuffle and an executor reads each block about once. A finished tile is written
 * at once into the task's own Parquet file of that level; its 2 × 2 pooled image goes on to the
 * next coarser level. What leaves the tasks is small: a quarter of the finest level, top-k lists,
 * ranges and, in cluster order, each task's pooled pairs of clusters ({@link ClusterCells}), merged
 * in one shuffle, whose reducers write the neighbour lists.
 *
 * <p>A symmetric run computes the block pairs of tile (i, j), i ≤ j, with column block ≥ row block
 * inside diagonal tiles: every unordered block pair once. Pairs below the diagonal are the mirror
 * images of pairs above it: in diagonal tiles their cells are the transposed cells, and everywhere
 * their top-k offers go to the column rows' lists.
 */
public final class TilePass {
  private TilePass() {}

  /**
   * Inputs of the pass, broadcast to every task; {@code scope} names their blocks in caches, and
   * {@code clusters}, when not null, are the clusters to pool every pair of ({@link ClusterCells}).
   */
  public record Inputs(
      Broadcast<MatrixSource> rows,
      Broadcast<MatrixSource> cols,
      Broadcast<double[]> rowNorms,
      Broadcast<double[]> colNorms,
      String scope,
      ClusterGrid clusters)
      implements Serializable {

    /** Inputs with no clusters to pool. */
    public Inputs(
        Broadcast<MatrixSource> rows,
        Broadcast<MatrixSource> cols,
        Broadcast<double[]> rowNorms,
        Broadcast<double[]> colNorms,
        String scope) {
      this(rows, cols, rowNorms, colNorms, scope, null);
    }
  }

  /** Where the pass writes: a run's staging directory, and the aggregations to store. */
  public record Sink(String staging, HadoopConf conf, List<Aggregation> aggregations)
      implements Serializable {}

  /**
   * What the pass leaves for the driver.
   *
   * @param parents the next coarser level's whole tiles (empty when the finest stored level is 0)
   * @param ranges per metric, the value range
   * @param pairs block pairs multiplied
   * @param clusters per metric, every pair of clusters pooled, or null when the inputs had none
   */
  public record Result(
      Map<PartKey, CellBlock> parents, ValueRange[] ranges, long pairs, ClusterCells[] clusters) {}

  /**
   * Runs the pass: writes the finest stored level's tiles and the neighbour lists under the sink's
   * staging directory, and returns the rest.
   */
  public static Result run(
      JavaSparkContext jsc,
      PassConfig cfg,
      TileGeometry g,
      List<TilePlan.Task> tasks,
      Inputs in,
      Sink sink,
      LongAccumulator pairsDone) {
    int partitions =
        (int)
            Math.max(
                jsc.defaultParallelism(),
                Math.min(512, g.tileRows(cfg.storedZoom()) * cfg.metrics().length));
    List<Tuple2<PartKey, Partial>> small =
        jsc.parallelize(tasks, Math.max(1, tasks.size()))
            .flatMapToPair(t -> new TaskRun(cfg, g, t, in, sink, pairsDone).run().iterator())
            .combineByKey(
                v -> v,
                Partial::mergeWith,
                Partial::mergeWith,
                new HashPartitioner(partitions),
                false,
                null)
            .mapPartitions(it -> writeNeighbors(it, cfg, sink))
            .collect();
    Map<PartKey, CellBlock> parents = new HashMap<>();
    ValueRange[] ranges = new ValueRange[cfg.metrics().length];
    ClusterCells[] clusters = in.clusters() == null ? null : new ClusterCells[ranges.length];
    for (Tuple2<PartKey, Partial> kv : small) {
      switch (kv._1().kind()) {
        case PartKey.TILE -> parents.put(kv._1(), (CellBlock) kv._2());
        case PartKey.CLUSTERS -> clusters[kv._1().metric()] = (ClusterCells) kv._2();
        default -> ranges[kv._1().metric()] = (ValueRange) kv._2();
      }
    }
    long pairs = tasks.stream().mapToLong(t -> TilePlan.pairs(cfg, t)).sum();
    return new Result(parents, ranges, pairs, clusters);
  }

  private static Iterator<Tuple2<PartKey, Partial>> writeNeighbors(
      Iterator<Tuple2<PartKey, Partial>> parts, PassConfig cfg, Sink sink) throws IOException {
    List<Tuple2<PartKey, Partial>> rest = new ArrayList<>();
    while (parts.hasNext()) {
      Tuple2<PartKey, Partial> kv = parts.next();
      if (kv._1().kind() == PartKey.NEIGHBORS) {
        Metric metric = cfg.metrics()[kv._1().metric()];
        Path dir =
            new Path(
                new Path(new Path(sink.staging()), RunLayout.NEIGHBORS),
                Columns.METRIC + "=" + metric.id());
        TileFiles.writeNeighbors(
            sink.conf().get(),
            new Path(dir, TileFiles.partName(kv._1().a())),
            metric,
            (TopK) kv._2());
      } else {
        rest.add(kv);
      }
    }
    return rest.iterator();
  }

  /** One task's work. */
  private static final class TaskRun {
    private final PassConfig cfg;
    private final TileGeometry g;
    private final TilePlan.Task task;
    private final Inputs in;
    private final Sink sink;
    private final LongAccumulator pairsDone;
    private final int metrics;
    private final long tileRows;
    private final BlockProduct product;
    private final Map<Integer, TopK[]> tops = new HashMap<>();
    private final ValueRange[] ranges;
    private final ClusterCells[] clusters;
    private final TopK[] none;

    TaskRun(
        PassConfig cfg,
        TileGeometry g,
        TilePlan.Task task,
        Inputs in,
        Sink sink,
        LongAccumulator done) {
      this.cfg = cfg;
      this.g = g;
      this.task = task;
      this.in = in;
      this.sink = sink;
      this.pairsDone = done;
      this.metrics = cfg.metrics().length;
      this.tileRows = cfg.tileSize() * cfg.span();
      this.product = new BlockProduct(cfg, PanelOps.best());
      this.ranges = new ValueRange[metrics];
      for (int m = 0; m < metrics; m++) {
        ranges[m] = new ValueRange();
      }
      this.none = new TopK[metrics];
      this.clusters = in.clusters() == null ? null : new ClusterCells[metrics];
      for (int m = 0; clusters != null && m < metrics; m++) {
        clusters[m] = new ClusterCells(in.clusters());
      }
    }

    List<Tuple2<PartKey, Partial>> run() throws IOException {
      List<Tuple2<PartKey, Partial>> out = new ArrayList<>();
      int z = cfg.storedZoom();
      TileFiles.TileWriter[] writers = new TileFiles.TileWriter[metrics];
      try {
        for (int m = 0; m < metrics; m++) {
          Path file =
              new Path(
                  TileFiles.levelDir(new Path(sink.staging()), cfg.metrics()[m], z),
                  TileFiles.partName(task.id()));
          writers[m] = new TileFiles.TileWriter(sink.conf().get(), file, g, z, sink.aggregations());
        }
        for (int x = 0; x < task.size(); x++) {
          CellBlock[] tile = tile(task.rows()[x], task.cols()[x]);
          for (int m = 0; m < metrics; m++) {
            writers[m].write(tile[m]);
            if (z > 0) {
              parents(m, tile[m], out);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        for (TileFiles.TileWriter w : writers) {
          if (w != null) {
            w.abandon();
          }
        }
        throw e;
      }
      for (TileFiles.TileWriter w : writers) {
        w.close();
      }
      for (Map.Entry<Integer, TopK[]> e : tops.entrySet()) {
        for (int m = 0; m < metrics; m++) {
          out.add(new Tuple2<>(PartKey.neighbors(m, e.getKey()), e.getValue()[m]));
        }
      }
      for (int m = 0; m < metrics; m++) {
        out.add(new Tuple2<>(PartKey.range(m), ranges[m]));
        if (clusters != null) {
          out.add(new Tuple2<>(PartKey.clusters(m), clusters[m]));
        }
      }
      return out;
    }

    private CellBlock[] tile(int ti, int tj) throws IOException {
      int z = cfg.storedZoom();
      int t = cfg.tileSize();
      boolean diagonal = cfg.symmetric() && ti == tj;
      CellBlock[] cells = new CellBlock[metrics];
      for (int m = 0; m < metrics; m++) {
        cells[m] =
            CellBlock.framed(
                (long) ti * t, (long) tj * t, g.rowsInTile(z, ti), g.colsInTile(z, tj));
      }
      TopK[] rowTop = tops(ti, cfg.nRows());
      TopK[] colTop = cfg.symmetric() ? tops(tj, cfg.nCols()) : none;
      long r0 = ti * tileRows;
      long r1 = Math.min(cfg.nRows(), r0 + tileRows);
      long c0 = tj * tileRows;
      long c1 = Math.min(cfg.nCols(), c0 + tileRows);
      for (long r = r0; r < r1; r += cfg.blockSize()) {
        Block a =
            block(in.rows(), in.rowNorms(), "rows", r, (int) Math.min(cfg.blockSize(), r1 - r));
        for (long c = diagonal ? r : c0; c < c1; c += cfg.blockSize()) {
          Block b =
              cfg.symmetric() && c == r
                  ? a
                  : block(
                      in.cols(), in.colNorms(), "cols", c, (int) Math.min(cfg.blockSize(), c1 - c));
          boolean mirrored = cfg.symmetric() && c != r;
          if (diagonal && mirrored) {
            // The pair and its mirror image both land in this tile.
            CellBlock[] pair = new CellBlock[metrics];
            for (int m = 0; m < metrics; m++) {
              pair[m] = cellsOf(a, b);
            }
            product.multiply(a, b, pair, rowTop, colTop, ranges, clusters, true);
            for (int m = 0; m < metrics; m++) {
              ranges[m].include(pair[m].minValue(), pair[m].maxValue(), true);
              cells[m].mergeWith(pair[m]);
              cells[m].mergeWith(pair[m].transpose());
            }
          } else {
            product.multiply(
                a, b, cells, rowTop, mirrored ? colTop : none, ranges, clusters, mirrored);
          }
          pairsDone.add(1);
        }
      }
      for (int m = 0; m < metrics; m++) {
        // Off-diagonal tiles hold no self pair; diagonal tiles' off-diagonal extremes came from
        // their pairs above.
        ranges[m].include(cells[m].minValue(), cells[m].maxValue(), !diagonal);
      }
      return cells;
    }

    private CellBlock cellsOf(Block a, Block b) {
      long s = cfg.span();
      long r0 = a.start() / s;
      long c0 = b.start() / s;
      return CellBlock.framed(
          r0,
          c0,
          (int) ((a.start() + a.count() - 1) / s - r0 + 1),
          (int) ((b.start() + b.count() - 1) / s - c0 + 1));
    }

    private TopK[] tops(int tile, long n) {
      if (cfg.k() <= 0) {
        return none;
      }
      return tops.computeIfAbsent(
          tile,
          i -> {
            TopK[] lists = new TopK[metrics];
            long start = i * tileRows;
            for (int m = 0; m < metrics; m++) {
              lists[m] = new TopK(cfg.k(), start, (int) Math.min(tileRows, n - start));
            }
            return lists;
          });
    }

    private Block block(
        Broadcast<MatrixSource> source, Broadcast<double[]> norms, String side, long start, int n)
        throws IOException {
      String scope = cfg.symmetric() ? in.scope() : in.scope() + ":" + side;
      return BlockCache.get(
          scope,
          start,
          n,
          () -> {
            MatrixSource m = source.value();
            try {
              return Block.of(
                  m.readRows(start, n), start, n, cfg.dim(), norms.value(), cfg.normalised());
            } catch (IOException e) {
              throw new UncheckedIOException("Cannot read rows of " + m.describe(), e);
            }
          });
    }

    private void parents(int m, CellBlock tile, List<Tuple2<PartKey, Partial>> out) {
      int t = cfg.tileSize();
      int parent = cfg.storedZoom() - 1;
      CellBlock half = tile.halve(t, g.cellRows(parent), g.cellCols(parent));
      long ti = tile.row0() / t;
      long tj = tile.col0() / t;
      PartKey key = PartKey.tile(m, ti / 2, tj / 2);
      out.add(new Tuple2<>(key, half));
      if (cfg.symmetric() && ti / 2 == tj / 2 && ti < tj) {
        out.add(new Tuple2<>(key, half.transpose()));
      }
    }
  }
}
