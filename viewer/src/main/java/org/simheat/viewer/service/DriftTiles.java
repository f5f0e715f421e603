package org.simheat.viewer.service;

import java.io.IOException;
import java.util.Arrays;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.store.OpenRun;
import org.simheat.viewer.store.TileCache;
import org.simheat.viewer.store.TileData;

/**
 * The tiles of Δ = A − B for two aligned runs (same geometry, same tokens at every position).
 *
 * <p>At levels both runs store (z ≤ the smaller stored zoom) a cell's mean Δ is A's stored mean
 * minus B's: the mean of differences is the difference of means, so this is exact. Max |Δ| cannot
 * be had from stored extremes, so those tiles have none. At finer levels every pair of the tile is
 * computed in both runs, as {@link LiveTileComputer} computes one run's (each run's vectors, norms
 * in double, one SGEMM per block, {@link LiveTileComputer#pairValue}), and each cell pools Δ = vA −
 * vB of its pairs: the mean in double and the max of |Δ| as a float, with the pair attaining it
 * (the first in row-major order on ties). The runs' dimensions may differ.
 *
 * <p>Results come as {@link TileData}: {@code mean} the mean Δ, {@code max} the max |Δ| (null at
 * stored levels), {@code min} null. Live tiles share the viewer's tile cache under the key of the
 * pair "A~B". Cost of a live tile: the two runs' {@link LiveTileComputer#multiplyAdds} together;
 * memory O(BLOCK·(BLOCK + d)) per run plus the tile.
 */
final class DriftTiles {
  private final TileSource tiles;
  private final TileCache cache;
  private final LiveTileComputer live;

  DriftTiles(TileSource tiles, TileCache cache, LiveTileComputer live) {
    this.tiles = tiles;
    this.cache = cache;
    this.live = live;
  }

  /** The finest level both runs store: levels past it are live in a drift view. */
  static int storedZoom(OpenRun a, OpenRun b) {
    return Math.min(a.manifest().storedZoom(), b.manifest().storedZoom());
  }

  /** The multiply-adds a live Δ tile takes, +∞ if a run's columns have no vectors. */
  static double multiplyAdds(OpenRun a, OpenRun b, int z, long i, long j) {
    if (!a.liveCapable() || !b.liveCapable()) {
      return Double.POSITIVE_INFINITY;
    }
    return LiveTileComputer.multiplyAdds(a, z, i, j) + LiveTileComputer.multiplyAdds(b, z, i, j);
  }

  /**
   * Δ tile (z, i, j) of a metric both runs computed; the caller has checked the level, the tile and
   * the cost.
   *
   * @throws IOException if a table cannot be read
   * @throws ApiException 404 when a stored level lacks means in either run
   */
  TileData tile(OpenRun a, OpenRun b, Metric metric, int z, long i, long j) throws IOException {
    if (z > storedZoom(a, b)) {
      TileCache.Key key =
          new TileCache.Key(a.runId() + "~" + b.runId(), metric.id(), z, i, j, true);
      return cache.get(key, () -> live.withPermit(() -> new Pass(a, b, metric, z, i, j).run()));
    }
    TileData ta = tiles.tile(a, metric, z, i, j);
    TileData tb = tiles.tile(b, metric, z, i, j);
    float[] ma = means(a, ta);
    float[] mb = means(b, tb);
    float[] mean = new float[ma.length];
    for (int k = 0; k < mean.length; k++) {
      mean[k] = (float) ((double) ma[k] - mb[k]);
    }
    return new TileData(ta.rows(), ta.cols(), mean, null, null);
  }

  private static float[] means(OpenRun run, TileData t) {
    if (t.mean() == null) {
      throw ApiException.notFound(
          "run " + run.runId() + " stores no mean tiles, so its drift has no stored levels");
    }
    return t.mean();
  }

  /** The pairwise computation of one live Δ tile. */
  private static final class Pass {
    private final OpenRun a;
    private final OpenRun b;
    private final Metric metric;
    private final boolean symmetric;
    private final int z;
    private final long span;
    private final int rows;
    private final int cols;
    private final long rowCell0;
    private final long colCell0;
    private final long rowEnd;
    private final long colEnd;
    private final double[] sum;
    private final float[] maxAbs;
    private final int[] maxRow;
    private final int[] maxCol;
    private float[] productA = new float[0];
    private float[] productB = new float[0];

    Pass(OpenRun a, OpenRun b, Metric metric, int z, long i, long j) {
      TileGeometry g = a.geometry();
      this.a = a;
      this.b = b;
      this.metric = metric;
      this.symmetric = a.manifest().symmetric();
      this.z = z;
      this.span = g.span(z);
      this.rows = g.rowsInTile(z, i);
      this.cols = g.colsInTile(z, j);
      this.rowCell0 = i * g.tileSize();
      this.colCell0 = j * g.tileSize();
      this.rowEnd = Math.min((rowCell0 + rows) * span, g.rows());
      this.colEnd = Math.min((colCell0 + cols) * span, g.cols());
      this.sum = new double[rows * cols];
      this.maxAbs = new float[rows * cols];
      this.maxRow = new int[rows * cols];
      this.maxCol = new int[rows * cols];
      Arrays.fill(maxAbs, -1f);
      Arrays.fill(maxRow, -1);
      Arrays.fill(maxCol, -1);
    }

    TileData run() throws IOException {
      int block = LiveTileComputer.BLOCK;
      for (long r = rowCell0 * span; r < rowEnd; r += block) {
        long r1 = Math.min(r + block, rowEnd);
        VectorBlock ra = VectorBlock.read(a.embeddings(), r, r1);
        VectorBlock rb = VectorBlock.read(b.embeddings(), r, r1);
        for (long c = colCell0 * span; c < colEnd; c += block) {
          long c1 = Math.min(c + block, colEnd);
          VectorBlock ca = VectorBlock.read(a.colEmbeddings(), c, c1);
          VectorBlock cb = VectorBlock.read(b.colEmbeddings(), c, c1);
          productA = multiply(ra, ca, a.embeddings().dim(), productA);
          productB = multiply(rb, cb, b.embeddings().dim(), productB);
          fold(ra, rb, ca, cb);
        }
      }
      return finish();
    }

    private static float[] multiply(VectorBlock rows, VectorBlock cols, int d, float[] out) {
      int n = rows.count() * cols.count();
      float[] product = out.length < n ? new float[n] : out;
      DenseProduct.multiplyTransposed(
          rows.vectors(), rows.count(), cols.vectors(), cols.count(), d, product);
      return product;
    }

    private void fold(VectorBlock ra, VectorBlock rb, VectorBlock ca, VectorBlock cb) {
      int q = ca.count();
      for (int x = 0; x < ra.count(); x++) {
        long row = ra.start() + x;
        int cellRow = (int) (row / span - rowCell0);
        for (int y = 0; y < q; y++) {
          long col = ca.start() + y;
          boolean self = symmetric && row == col;
          int e = x * q + y;
          double va =
              LiveTileComputer.pairValue(metric, productA[e], ra.norms()[x], ca.norms()[y], self);
          double vb =
              LiveTileComputer.pairValue(metric, productB[e], rb.norms()[x], cb.norms()[y], self);
          double delta = va - vb;
          int k = cellRow * cols + (int) (col / span - colCell0);
          sum[k] += delta;
          offer(k, (float) Math.abs(delta), row, col);
        }
      }
    }

    /** Takes (row, col) as cell k's max |Δ| pair if larger, or equal and earlier in row-major. */
    private void offer(int k, float value, long row, long col) {
      boolean earlier = row < maxRow[k] || row == maxRow[k] && col < maxCol[k];
      if (value > maxAbs[k] || value == maxAbs[k] && (maxRow[k] < 0 || earlier)) {
        maxAbs[k] = value;
        maxRow[k] = (int) row;
        maxCol[k] = (int) col;
      }
    }

    private TileData finish() {
      TileGeometry g = a.geometry();
      float[] mean = new float[rows * cols];
      for (int r = 0; r < rows; r++) {
        long rowExtent = g.rowExtent(z, rowCell0 + r);
        for (int c = 0; c < cols; c++) {
          long pairs = rowExtent * g.colExtent(z, colCell0 + c);
          mean[r * cols + c] = (float) (sum[r * cols + c] / pairs);
        }
      }
      return new TileData(rows, cols, mean, maxAbs, null, maxRow, maxCol);
    }
  }
}
