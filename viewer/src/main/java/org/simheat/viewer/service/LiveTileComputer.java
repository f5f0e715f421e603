package org.simheat.viewer.service;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.store.EmbeddingStore;
import org.simheat.viewer.store.OpenRun;
import org.simheat.viewer.store.TileData;

/**
 * Computes a tile exactly from the embeddings, with the rule of the stored levels.
 *
 * <p>Tile (z, i, j) with span s = 2^(Z−z) and tile size T covers matrix rows [i·T·s, min((i·T +
 * rows)·s, N)) and columns [j·T·s, …). Those vectors only are read (A: p × d, B: q × d), their
 * norms taken in double precision, and D = A·Bᵀ computed by SGEMM. Each pair's value is cosine
 * D/(‖a‖·‖b‖) (0 if either row is zero), dot D, or l2 √max(0, ‖a‖² + ‖b‖² − 2D) (exactly 0 where
 * row and column are the same position). Cell (r, c) pools the pairs with ⌊row/s⌋ = r and ⌊col/s⌋ =
 * c: the mean in double over its pair count, the max and min of the float values.
 *
 * <p>Invariant: the result equals a stored tile of the same level up to float rounding of D (l2 of
 * near-identical rows is off by about √(ε·‖a‖²), as in the job). Cost: 2·p·q·d flops; products are
 * taken in blocks of at most {@value #BLOCK} × {@value #BLOCK} (one SGEMM for a tile up to span 4),
 * so memory is O(BLOCK·(BLOCK + d)) plus the tile, whatever N. A semaphore bounds how many tiles
 * are computed at once.
 */
final class LiveTileComputer {
  static final int BLOCK = 1024;

  private final Semaphore permits;

  /** A computer running at most {@code threads} tiles at once. */
  LiveTileComputer(int threads) {
    this.permits = new Semaphore(Math.max(1, threads));
  }

  /** The multiply-adds (pairs × d) that tile (z, i, j) takes to compute live. */
  static double multiplyAdds(OpenRun run, int z, long i, long j) {
    TileGeometry g = run.geometry();
    long s = g.span(z);
    long t = g.tileSize();
    long rows = Math.min((i * t + g.rowsInTile(z, i)) * s, g.rows()) - i * t * s;
    long cols = Math.min((j * t + g.colsInTile(z, j)) * s, g.cols()) - j * t * s;
    return (double) rows * cols * run.manifest().dim();
  }

  /**
   * Computes tile (z, i, j) of a symmetric run at any level (callers check the level and tile).
   *
   * @throws IOException if the embeddings cannot be read
   */
  TileData compute(OpenRun run, Metric metric, int z, long i, long j) throws IOException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting to compute a live tile");
    }
    try {
      return new Pass(run, metric, z, i, j).run();
    } finally {
      permits.release();
    }
  }

  /** The state of one tile's computation. */
  private static final class Pass {
    private final OpenRun run;
    private final Metric metric;
    private final EmbeddingStore embeddings;
    private final long span;
    private final int rows;
    private final int cols;
    private final long rowCell0;
    private final long colCell0;
    private final long rowEnd;
    private final long colEnd;
    private final double[] sum;
    private final float[] max;
    private final float[] min;
    private float[] product = new float[0];

    Pass(OpenRun run, Metric metric, int z, long i, long j) {
      TileGeometry g = run.geometry();
      this.run = run;
      this.metric = metric;
      this.embeddings = run.embeddings();
      this.span = g.span(z);
      this.rows = g.rowsInTile(z, i);
      this.cols = g.colsInTile(z, j);
      this.rowCell0 = i * g.tileSize();
      this.colCell0 = j * g.tileSize();
      this.rowEnd = Math.min((rowCell0 + rows) * span, g.rows());
      this.colEnd = Math.min((colCell0 + cols) * span, g.cols());
      this.sum = new double[rows * cols];
      this.max = new float[rows * cols];
      this.min = new float[rows * cols];
      Arrays.fill(max, Float.NEGATIVE_INFINITY);
      Arrays.fill(min, Float.POSITIVE_INFINITY);
    }

    TileData run() throws IOException {
      long rowStart = rowCell0 * span;
      long colStart = colCell0 * span;
      Block fixedCols = colEnd - colStart <= BLOCK ? read(colStart, colEnd) : null;
      for (long r = rowStart; r < rowEnd; r += BLOCK) {
        Block a = read(r, Math.min(r + BLOCK, rowEnd));
        for (long c = colStart; c < colEnd; c += BLOCK) {
          Block b = fixedCols != null ? fixedCols : read(c, Math.min(c + BLOCK, colEnd));
          multiply(a, b.start == a.start && b.count == a.count ? a : b);
        }
      }
      return finish();
    }

    private Block read(long from, long to) throws IOException {
      float[] v = embeddings.read(from, to);
      int d = embeddings.dim();
      int count = (int) (to - from);
      double[] norms = new double[count];
      for (int x = 0; x < count; x++) {
        double s = 0;
        for (int k = x * d, e = k + d; k < e; k++) {
          s += (double) v[k] * v[k];
        }
        norms[x] = Math.sqrt(s);
      }
      return new Block(from, count, v, norms);
    }

    private void multiply(Block a, Block b) {
      int n = a.count * b.count;
      if (product.length < n) {
        product = new float[n];
      }
      DenseProduct.multiplyTransposed(
          a.vectors, a.count, b.vectors, b.count, embeddings.dim(), product);
      for (int x = 0; x < a.count; x++) {
        long row = a.start + x;
        int cellRow = (int) (row / span - rowCell0);
        foldRow(row, a.norms[x], x * b.count, cellRow * cols, b);
      }
    }

    /** Folds one row of products into its cells, a run of up to {@code span} columns at a time. */
    private void foldRow(long row, double na, int offset, int cellOffset, Block b) {
      int y = 0;
      while (y < b.count) {
        long col = b.start + y;
        long cell = col / span;
        int end = (int) Math.min(b.count, (cell + 1) * span - b.start);
        double s = 0;
        float hi = Float.NEGATIVE_INFINITY;
        float lo = Float.POSITIVE_INFINITY;
        for (; y < end; y++) {
          double v = value(product[offset + y], na, b.norms[y], row == b.start + y);
          s += v;
          float f = (float) v;
          hi = Math.max(hi, f);
          lo = Math.min(lo, f);
        }
        int k = cellOffset + (int) (cell - colCell0);
        sum[k] += s;
        max[k] = Math.max(max[k], hi);
        min[k] = Math.min(min[k], lo);
      }
    }

    private double value(float dot, double na, double nb, boolean samePosition) {
      return switch (metric) {
        case DOT -> dot;
        case COSINE -> na == 0 || nb == 0 ? 0 : dot / (na * nb);
        case L2 -> samePosition ? 0 : Math.sqrt(Math.max(0, na * na + nb * nb - 2.0 * dot));
      };
    }

    private TileData finish() {
      TileGeometry g = run.geometry();
      int z = g.maxZoom() - Long.numberOfTrailingZeros(span);
      float[] mean = new float[rows * cols];
      for (int r = 0; r < rows; r++) {
        long rowExtent = g.rowExtent(z, rowCell0 + r);
        for (int c = 0; c < cols; c++) {
          long pairs = rowExtent * g.colExtent(z, colCell0 + c);
          mean[r * cols + c] = (float) (sum[r * cols + c] / pairs);
        }
      }
      boolean hasMean = run.aggregations().contains(Aggregation.MEAN);
      boolean hasMax = run.aggregations().contains(Aggregation.MAX);
      boolean hasMin = run.aggregations().contains(Aggregation.MIN);
      return new TileData(
          rows, cols, hasMean ? mean : null, hasMax ? max : null, hasMin ? min : null);
    }
  }

  /** Consecutive positions' vectors and norms. */
  private record Block(long start, int count, float[] vectors, double[] norms) {}
}
