package org.simheat.viewer.service;

import java.io.IOException;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.spec.MaskState;
import org.simheat.viewer.spec.ViewAxis;
import org.simheat.viewer.spec.ViewCells;
import org.simheat.viewer.store.OpenRun;
import org.simheat.viewer.store.TileData;

/**
 * Pools a viewport of the similarity matrix into about {@code res} bins per side, exactly.
 *
 * <p>Level: along an axis of extent E the ideal span is the smallest power of two s with ⌈E/s⌉ ≤
 * res; the view takes the finer of the two axes' spans (so zooming one axis keeps its detail), then
 * coarsens while the level cells it would read exceed {@value #CELL_BUDGET}·res², or while a live
 * level would take more than {@code maxLiveMultiplyAdds} (pairs × d) for the tiles it touches (a
 * run whose columns have no vectors has no live levels). Bins: each axis groups f = ⌈cells/res⌉
 * level cells (f = 1 when the level already fits), aligned to multiples of S = s·f positions so
 * bins do not shift while panning; the covered range is the viewport widened to whole bins.
 *
 * <p>Pooling is exact: a bin's mean is Σ mean·pairs / Σ pairs over its level cells, its max and min
 * those of the cells, its pairs the product of its row and column extents. At live levels a bin
 * also keeps the pair attaining its max. A masked view of a symmetric run hands its diagonal cells
 * to {@link DiagonalMask}, which removes their self-pairs. Cost: reading the tiles that cover the
 * range, one at a time, plus O(cells) work; memory O(bins).
 */
final class ViewportPooler {
  static final int CELL_BUDGET = 4;

  private final TileSource tiles;
  private final DiagonalMask mask;
  private final long maxLiveMultiplyAdds;

  ViewportPooler(TileSource tiles, DiagonalMask mask, long maxLiveMultiplyAdds) {
    this.tiles = tiles;
    this.mask = mask;
    this.maxLiveMultiplyAdds = maxLiveMultiplyAdds;
  }

  /**
   * What a view pools: a matrix's geometry and levels, the cost of its live tiles and the tiles
   * themselves. A run's metric is one ({@link #of}); the difference of two aligned runs another.
   */
  interface Source {
    /** The matrix's geometry. */
    TileGeometry geometry();

    /** The finest stored level; finer levels are live. */
    int storedZoom();

    /** The multiply-adds that live tile (z, i, j) takes, or +∞ when it cannot be computed. */
    double liveCost(int z, long i, long j);

    /**
     * Tile (z, i, j); the caller has checked the level and the tile's place in the grid.
     *
     * @throws IOException if a table cannot be read
     */
    TileData tile(int z, long i, long j) throws IOException;
  }

  /** The source of a run's metric, its tiles from {@code tiles}. */
  static Source of(TileSource tiles, OpenRun run, Metric metric) {
    return new Source() {
      @Override
      public TileGeometry geometry() {
        return run.geometry();
      }

      @Override
      public int storedZoom() {
        return run.manifest().storedZoom();
      }

      @Override
      public double liveCost(int z, long i, long j) {
        return run.liveCapable()
            ? LiveTileComputer.multiplyAdds(run, z, i, j)
            : Double.POSITIVE_INFINITY;
      }

      @Override
      public TileData tile(int z, long i, long j) throws IOException {
        return tiles.tile(run, metric, z, i, j);
      }
    };
  }

  /**
   * Pools columns [x0, x1) × rows [y0, y1), already checked to lie inside the matrix, without the
   * self-pairs when {@code hideSelfPairs} and the run is symmetric.
   *
   * @throws IOException if a tile or the embeddings cannot be read
   */
  ViewCells pool(
      OpenRun run,
      Metric metric,
      long x0,
      long x1,
      long y0,
      long y1,
      int res,
      boolean hideSelfPairs)
      throws IOException {
    boolean symmetric = run.manifest().symmetric();
    if (hideSelfPairs && symmetric) {
      return pool(
          of(tiles, run, metric),
          new long[] {x0, x1, y0, y1},
          res,
          (s, bins) -> mask.apply(run, metric, s, bins),
          null);
    }
    MaskState state;
    if (symmetric) {
      state = MaskState.OFF;
    } else {
      state = hideSelfPairs ? MaskState.IGNORED : MaskState.NOT_APPLICABLE;
    }
    return pool(of(tiles, run, metric), new long[] {x0, x1, y0, y1}, res, null, state);
  }

  /** Removes the self-pairs of the deferred diagonal cells of span s from the bins. */
  @FunctionalInterface
  interface Masking {
    /**
     * Removes them.
     *
     * @return what was done
     * @throws IOException if the embeddings cannot be read
     */
    MaskState apply(long span, BinAccumulator bins) throws IOException;
  }

  /**
   * Pools the region {x0, x1, y0, y1} of a source, already checked to lie inside the matrix: with
   * {@code masking}, diagonal cells are deferred to it; without, the cells say {@code state}.
   *
   * @throws IOException if a tile cannot be read
   */
  ViewCells pool(Source src, long[] region, int res, Masking masking, MaskState state)
      throws IOException {
    long x0 = region[0];
    long x1 = region[1];
    long y0 = region[2];
    long y1 = region[3];
    TileGeometry g = src.geometry();
    int z = level(src, x0, x1, y0, y1, res);
    long s = g.span(z);
    ViewAxis cols = axis(x0, x1, s * factor(cells(x0, x1, s), res), g.cols());
    ViewAxis rows = axis(y0, y1, s * factor(cells(y0, y1, s), res), g.rows());
    boolean live = z > src.storedZoom();
    BinAccumulator bins = new BinAccumulator(rows.bins() * cols.bins(), live);
    long cr0 = rows.from() / s;
    long cr1 = ceilDiv(rows.to(), s);
    long cc0 = cols.from() / s;
    long cc1 = ceilDiv(cols.to(), s);
    int t = g.tileSize();
    for (long ti = cr0 / t; ti <= (cr1 - 1) / t; ti++) {
      for (long tj = cc0 / t; tj <= (cc1 - 1) / t; tj++) {
        TileData tile = src.tile(z, ti, tj);
        Window w =
            new Window(
                z,
                ti * t,
                tj * t,
                cr0,
                cr1,
                cc0,
                cc1,
                rows.binSpan() / s,
                cols.binSpan() / s,
                masking != null);
        fold(g, tile, w, cols.bins(), bins);
      }
    }
    MaskState done = masking != null ? masking.apply(s, bins) : state;
    return bins.finish(z, s, rows, cols, done);
  }

  /** The level a viewport is drawn from (see the class comment). */
  int level(OpenRun run, long x0, long x1, long y0, long y1, int res) {
    return level(of(tiles, run, null), x0, x1, y0, y1, res);
  }

  /** The level a viewport of a source is drawn from (see the class comment). */
  int level(Source src, long x0, long x1, long y0, long y1, int res) {
    TileGeometry g = src.geometry();
    long coarsest = 1L << g.maxZoom();
    long s = Math.min(idealSpan(x1 - x0, res, coarsest), idealSpan(y1 - y0, res, coarsest));
    while (s < coarsest && tooCostly(src, s, x0, x1, y0, y1, res)) {
      s <<= 1;
    }
    return g.maxZoom() - Long.numberOfTrailingZeros(s);
  }

  private boolean tooCostly(Source src, long s, long x0, long x1, long y0, long y1, int res) {
    long cx = cells(x0, x1, s);
    long cy = cells(y0, y1, s);
    if (cx * cy > (long) CELL_BUDGET * res * res) {
      return true;
    }
    TileGeometry g = src.geometry();
    int z = g.maxZoom() - Long.numberOfTrailingZeros(s);
    if (z <= src.storedZoom()) {
      return false;
    }
    long t = g.tileSize();
    double cost = 0;
    for (long ti = (y0 / s) / t; ti <= (ceilDiv(y1, s) - 1) / t; ti++) {
      for (long tj = (x0 / s) / t; tj <= (ceilDiv(x1, s) - 1) / t; tj++) {
        cost += src.liveCost(z, ti, tj);
        if (cost > maxLiveMultiplyAdds) {
          return true;
        }
      }
    }
    return false;
  }

  private static long idealSpan(long extent, int res, long coarsest) {
    long s = 1;
    while (s < coarsest && ceilDiv(extent, s) > res) {
      s <<= 1;
    }
    return s;
  }

  /** Level cells of span s that [lo, hi) touches. */
  private static long cells(long lo, long hi, long s) {
    return ceilDiv(hi, s) - lo / s;
  }

  private static long factor(long cells, int res) {
    return Math.max(1, ceilDiv(cells, res));
  }

  /** Bins of {@code binSpan} positions aligned to multiples of it, covering [lo, hi) within n. */
  private static ViewAxis axis(long lo, long hi, long binSpan, long n) {
    long from = lo / binSpan * binSpan;
    long to = Math.min(ceilDiv(hi, binSpan) * binSpan, n);
    int count = (int) ceilDiv(to - from, binSpan);
    long[] edges = new long[count + 1];
    for (int b = 0; b <= count; b++) {
      edges[b] = Math.min(from + b * binSpan, to);
    }
    return ViewAxis.of(binSpan, edges);
  }

  /**
   * The level cells of one tile that fall in the viewport's cell range, the grouping into bins, and
   * whether diagonal cells are deferred to the mask.
   */
  private record Window(
      int z,
      long tileRow0,
      long tileCol0,
      long cr0,
      long cr1,
      long cc0,
      long cc1,
      long fy,
      long fx,
      boolean masking) {}

  private static void fold(
      TileGeometry g, TileData tile, Window w, int binCols, BinAccumulator bins) {
    long rFrom = Math.max(w.cr0(), w.tileRow0());
    long rTo = Math.min(w.cr1(), w.tileRow0() + tile.rows());
    long cFrom = Math.max(w.cc0(), w.tileCol0());
    long cTo = Math.min(w.cc1(), w.tileCol0() + tile.cols());
    for (long r = rFrom; r < rTo; r++) {
      int binRow = (int) ((r - w.cr0()) / w.fy());
      long rowExtent = g.rowExtent(w.z(), r);
      int offset = (int) (r - w.tileRow0()) * tile.cols();
      for (long c = cFrom; c < cTo; c++) {
        int bin = binRow * binCols + (int) ((c - w.cc0()) / w.fx());
        int k = offset + (int) (c - w.tileCol0());
        long pairs = rowExtent * g.colExtent(w.z(), c);
        if (w.masking() && r == c) {
          bins.addDiagonal(bin, r, tile, k, pairs);
        } else {
          bins.add(bin, tile, k, pairs);
        }
      }
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
