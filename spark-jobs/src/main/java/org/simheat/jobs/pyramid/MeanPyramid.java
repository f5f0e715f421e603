package org.simheat.jobs.pyramid;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.input.CellSums;
import org.simheat.jobs.similarity.CellBlock;
import org.simheat.jobs.similarity.DenseKernel;
import org.simheat.jobs.similarity.PartKey;
import scala.Tuple2;

/**
 * The mean pyramid without the N² pass, from per-cell sums of the rows.
 *
 * <p>Math: for a bilinear metric f(a, b) = a·b (dot on the rows, cosine on the rows divided by
 * their norms), the sum over the pairs of cells R × C is Σ_{a∈R} Σ_{b∈C} a·b = (Σ_{a∈R} a)·(Σ_{b∈C}
 * b) = S_R·S_C. So with S the C × d matrix of cell sums at a level, a tile's cell sums are a block
 * of S·Sᵀ, one DGEMM of T × d by d × T, and the mean of a cell is its sum over its pair count,
 * exactly as the full pass pools it. Coarser levels need no roll-up of tiles: a parent cell's sum
 * vector is the sum of its two children's, so each level's S is halved from the one below in O(C·d)
 * and its tiles are computed the same way. l2 is not bilinear (‖a − b‖ does not factor through the
 * sums) and needs the full pass.
 *
 * <p>Cost: O(N·d) to sum the rows (done in the matrix scan), then about (4/3)·C²·d multiply-adds
 * for C cells at the finest stored level, halved when symmetric; memory O(C·d) per metric, shared
 * with the executors by broadcast. Sums and products are in double precision; the stored means are
 * float, so they equal the full pass's up to float rounding.
 *
 * <p>Each tile's mean extremes are gathered while the tiles are written: {@link #ranges()} is the
 * range of the finest stored level's means, which bounds every coarser level's.
 */
public final class MeanPyramid implements AutoCloseable {
  private final List<JavaPairRDD<PartKey, CellBlock>> levels;
  private final List<Broadcast<double[][]>> broadcasts;
  private final List<Metric> metrics;
  private final ExtremesAccumulator[] extremes;
  private final LongAccumulator tileNanos;

  private MeanPyramid(
      List<JavaPairRDD<PartKey, CellBlock>> levels,
      List<Broadcast<double[][]>> broadcasts,
      List<Metric> metrics,
      ExtremesAccumulator[] extremes,
      LongAccumulator tileNanos) {
    this.levels = levels;
    this.broadcasts = broadcasts;
    this.metrics = metrics;
    this.extremes = extremes;
    this.tileNanos = tileNanos;
  }

  /** Whether the mean of {@code m} over a block of pairs is the product of the block's sums. */
  public static boolean isBilinear(Metric m) {
    return m == Metric.COSINE || m == Metric.DOT;
  }

  /**
   * The cell sums the metrics need at the finest stored level: raw rows for dot, unit rows for
   * cosine.
   *
   * @throws IllegalArgumentException if a metric is not bilinear
   */
  public static CellSums.Spec sumsFor(List<Metric> metrics, TileGeometry g, int storedZoom) {
    metrics.stream()
        .filter(m -> !isBilinear(m))
        .findFirst()
        .ifPresent(
            m -> {
              throw new IllegalArgumentException("The mean pyramid cannot compute " + m.id());
            });
    return new CellSums.Spec(
        g.span(storedZoom), metrics.contains(Metric.DOT), metrics.contains(Metric.COSINE));
  }

  /**
   * Plans every level's tiles, symmetric (tile_row ≤ tile_col), lazily: they are computed on the
   * executors when the levels are evaluated, typically by writing them.
   *
   * @param sums the whole matrix's cell sums at {@code storedZoom}, from {@link #sumsFor}
   */
  public static MeanPyramid build(
      JavaSparkContext jsc, TileGeometry g, int storedZoom, List<Metric> metrics, CellSums sums) {
    return build(jsc, g, storedZoom, metrics, sums, null);
  }

  /**
   * Plans every level's tiles lazily: a symmetric run's (tile_row ≤ tile_col) when {@code colSums}
   * is null, else a cross run's, every tile, with the rows' sums against the columns'.
   *
   * @param sums the rows' cell sums at {@code storedZoom}, from {@link #sumsFor}
   * @param colSums a cross run's columns' cell sums at {@code storedZoom}, or null
   */
  public static MeanPyramid build(
      JavaSparkContext jsc,
      TileGeometry g,
      int storedZoom,
      List<Metric> metrics,
      CellSums sums,
      CellSums colSums) {
    int d = sums.dim();
    double[][] rows = sumsByMetric(metrics, sums);
    double[][] cols = colSums == null ? null : sumsByMetric(metrics, colSums);
    ExtremesAccumulator[] extremes = new ExtremesAccumulator[metrics.size()];
    for (int m = 0; m < extremes.length; m++) {
      extremes[m] = new ExtremesAccumulator();
      jsc.sc().register(extremes[m], "mean range of " + metrics.get(m).id());
    }
    LongAccumulator nanos = jsc.sc().longAccumulator("mean tile nanoseconds");
    List<JavaPairRDD<PartKey, CellBlock>> levels = new ArrayList<>();
    List<Broadcast<double[][]>> broadcasts = new ArrayList<>();
    for (int z = storedZoom; z >= 0; z--) {
      if (z < storedZoom) {
        rows = halve(rows, d);
        cols = cols == null ? null : halve(cols, d);
      }
      Broadcast<double[][]> r = jsc.broadcast(rows);
      Broadcast<double[][]> c = cols == null ? r : jsc.broadcast(cols);
      broadcasts.add(r);
      if (c != r) {
        broadcasts.add(c);
      }
      LevelTiles level = new LevelTiles(g, z, d, r, c, z == storedZoom ? extremes : null, nanos);
      levels.add(tiles(jsc, level, cols == null));
    }
    return new MeanPyramid(levels, broadcasts, metrics, extremes, nanos);
  }

  private static double[][] sumsByMetric(List<Metric> metrics, CellSums sums) {
    double[][] level = new double[metrics.size()][];
    for (int m = 0; m < level.length; m++) {
      level[m] = metrics.get(m) == Metric.COSINE ? sums.unit() : sums.raw();
    }
    return level;
  }

  /** Sums of cells 2r and 2r + 1 for every r: the next coarser level's cell sums. */
  static double[][] halve(double[][] level, int d) {
    double[][] out = new double[level.length][];
    for (int m = 0; m < level.length; m++) {
      int cells = level[m].length / d;
      double[] parent = new double[(cells + 1) / 2 * d];
      for (int c = 0; c < cells; c++) {
        int to = c / 2 * d;
        for (int k = 0; k < d; k++) {
          parent[to + k] += level[m][c * d + k];
        }
      }
      out[m] = parent;
    }
    return out;
  }

  private static JavaPairRDD<PartKey, CellBlock> tiles(
      JavaSparkContext jsc, LevelTiles level, boolean symmetric) {
    List<long[]> keys = new ArrayList<>();
    long tileRows = level.g().tileRows(level.z());
    long tileCols = level.g().tileCols(level.z());
    for (int m = 0; m < level.rowSums().value().length; m++) {
      for (long i = 0; i < tileRows; i++) {
        for (long j = symmetric ? i : 0; j < tileCols; j++) {
          keys.add(new long[] {m, i, j});
        }
      }
    }
    int slices = Math.max(1, Math.min(keys.size(), 4 * jsc.defaultParallelism()));
    return jsc.parallelize(keys, slices)
        .mapToPair(k -> new Tuple2<>(PartKey.tile((int) k[0], k[1], k[2]), level.tile(k)));
  }

  /** Levels {@code storedZoom, …, 0}, the finest first, keyed by {@link PartKey#tile}. */
  public List<JavaPairRDD<PartKey, CellBlock>> levels() {
    return levels;
  }

  /**
   * Per metric, the range of the finest stored level's means, flagged {@link
   * Manifest.Range#OVER_MEAN_CELLS}; valid once the levels have been evaluated.
   *
   * @throws IllegalStateException if the finest level was never evaluated
   */
  public Map<String, Manifest.Range> ranges() {
    Map<String, Manifest.Range> out = new LinkedHashMap<>();
    for (int m = 0; m < metrics.size(); m++) {
      if (extremes[m].isZero()) {
        throw new IllegalStateException("The mean pyramid's tiles were never computed");
      }
      double[] mm = extremes[m].value();
      out.put(
          metrics.get(m).id(),
          new Manifest.Range(mm[0], mm[1], null, null, Manifest.Range.OVER_MEAN_CELLS));
    }
    return out;
  }

  /** Task time spent computing tiles so far, in seconds (retried tasks count again). */
  public double tileSeconds() {
    return tileNanos.value() / 1e9;
  }

  /** Releases the broadcast cell sums. */
  @Override
  public void close() {
    broadcasts.forEach(b -> b.destroy());
  }

  /**
   * The tiles of one level: a tile's cell sums are S_I·S_Jᵀ for its row and column cells.
   *
   * @param rowSums per metric, the rows' cell sums
   * @param colSums per metric, the columns' cell sums (the same broadcast when symmetric)
   * @param extremes per metric, where to gather the means' extremes, or null
   * @param nanos where to add the time spent
   */
  private record LevelTiles(
      TileGeometry g,
      int z,
      int d,
      Broadcast<double[][]> rowSums,
      Broadcast<double[][]> colSums,
      ExtremesAccumulator[] extremes,
      LongAccumulator nanos)
      implements Serializable {

    CellBlock tile(long[] key) {
      long start = System.nanoTime();
      double[] s = rowSums.value()[(int) key[0]];
      double[] sc = colSums.value()[(int) key[0]];
      int t = g.tileSize();
      long r0 = key[1] * t;
      long c0 = key[2] * t;
      int p = g.rowsInTile(z, key[1]);
      int q = g.colsInTile(z, key[2]);
      double[] cells = new double[p * q];
      // Row-major A·Bᵀ (p × q) seen column-major is B·Aᵀ: one dgemm("T", "N", q, p, d).
      DenseKernel.blas()
          .dgemm("T", "N", q, p, d, 1.0, sc, (int) c0 * d, d, s, (int) r0 * d, d, 0.0, cells, 0, q);
      if (extremes != null) {
        extremes[(int) key[0]].add(meanExtremes(cells, r0, c0, p, q));
      }
      CellBlock tile = CellBlock.ofSums(r0, c0, p, q, cells);
      nanos.add(System.nanoTime() - start);
      return tile;
    }

    private double[] meanExtremes(double[] cells, long r0, long c0, int p, int q) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < p; r++) {
        long rowPairs = g.rowExtent(z, r0 + r);
        for (int c = 0; c < q; c++) {
          double mean = cells[r * q + c] / (rowPairs * g.colExtent(z, c0 + c));
          lo = Math.min(lo, mean);
          hi = Math.max(hi, mean);
        }
      }
      return new double[] {lo, hi};
    }
  }
}
