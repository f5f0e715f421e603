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
 * rows)·s, N)) and columns [j·T·s, …). Those vectors only are read (A: p × d from the rows'
 * embeddings, B: q × d from the columns', which are the rows' own in a symmetric run), their norms
 * taken in double precision, and D = A·Bᵀ computed by SGEMM. Each pair's value is cosine
 * D/(‖a‖·‖b‖) (0 if either row is zero), dot D, or l2 √max(0, ‖a‖² + ‖b‖² − 2D) (exactly 0 where
 * row and column are the same position of a symmetric run). Cell (r, c) pools the pairs with
 * ⌊row/s⌋ = r and ⌊col/s⌋ = c: the mean in double over its pair count, the max and min of the float
 * values, and the pair attaining the max (the first in row-major order on ties: a later pair
 * replaces it only if it is larger, or equal and lexicographically earlier, since blocks visit a
 * cell's pairs out of order).
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
   * Computes tile (z, i, j) of a run whose columns have vectors, at any level (callers check the
   * level and tile).
   *
   * @throws IOException if the embeddings cannot be read
   */
  TileData compute(OpenRun run, Metric metric, int z, long i, long j) throws IOException {
    return withPermit(() -> new Pass(run, metric, z, i, j).run());
  }

  /** Work that reads embeddings and multiplies. */
  @FunctionalInterface
  interface Work<T> {
    /** Does the work. */
    T run() throws IOException;
  }

  /**
   * Runs work that competes with live tiles for the cores, holding one of the permits.
   *
   * @throws IOException if the work fails, or the wait for a permit is interrupted
   */
  <T> T withPermit(Work<T> work) throws IOException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting to compute live");
    }
    try {
      return work.run();
    } finally {
      permits.release();
    }
  }

  /**
   * The value of one pair from its float inner product and its rows' norms: cosine D/(‖a‖·‖b‖) (0
   * if either row is zero), dot D, or l2 √max(0, ‖a‖² + ‖b‖² − 2D), exactly 0 for a self-pair.
   */
  static double pairValue(Metric metric, float dot, double na, double nb, boolean samePosition) {
    return switch (metric) {
      case DOT -> dot;
      case COSINE -> na == 0 || nb == 0 ? 0 : dot / (na * nb);
      case L2 -> samePosition ? 0 : Math.sqrt(Math.max(0, na * na + nb * nb - 2.0 * dot));
    };
  }

  /** The state of one tile's computation. */
  private static final class Pass {
    private final OpenRun run;
    private final Metric metric;
    private final EmbeddingStore embeddings;
    private final EmbeddingStore colEmbeddings;
    private final boolean symmetric;
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
    private final int[] maxRow;
    private final int[] maxCol;
    private float[] product = new float[0];

    Pass(OpenRun run, Metric metric, int z, long i, long j) {
      TileGeometry g = run.geometry();
      this.run = run;
      this.metric = metric;
      this.embeddings = run.embeddings();
      this.colEmbeddings = run.colEmbeddings();
      this.symmetric = run.manifest().symmetric();
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
      this.maxRow = new int[rows * cols];
      this.maxCol = new int[rows * cols];
      Arrays.fill(max, Float.NEGATIVE_INFINITY);
      Arrays.fill(min, Float.POSITIVE_INFINITY);
      Arrays.fill(maxRow, -1);
      Arrays.fill(maxCol, -1);
    }

    TileData run() throws IOException {
      long rowStart = rowCell0 * span;
      long colStart = colCell0 * span;
      VectorBlock fixedCols = colEnd - colStart <= BLOCK ? readCols(colStart, colEnd) : null;
      for (long r = rowStart; r < rowEnd; r += BLOCK) {
        VectorBlock a = VectorBlock.read(embeddings, r, Math.min(r + BLOCK, rowEnd));
        for (long c = colStart; c < colEnd; c += BLOCK) {
          VectorBlock b = fixedCols != null ? fixedCols : readCols(c, Math.min(c + BLOCK, colEnd));
          multiply(a, symmetric && b.samePositions(a) ? a : b);
        }
      }
      return finish();
    }

    private VectorBlock readCols(long from, long to) throws IOException {
      return VectorBlock.read(colEmbeddings, from, to);
    }

    private void multiply(VectorBlock a, VectorBlock b) {
      int n = a.count() * b.count();
      if (product.length < n) {
        product = new float[n];
      }
      DenseProduct.multiplyTransposed(
          a.vectors(), a.count(), b.vectors(), b.count(), embeddings.dim(), product);
      for (int x = 0; x < a.count(); x++) {
        long row = a.start() + x;
        int cellRow = (int) (row / span - rowCell0);
        foldRow(row, a.norms()[x], x * b.count(), cellRow * cols, b);
      }
    }

    /** Folds one row of products into its cells, a run of up to {@code span} columns at a time. */
    private void foldRow(long row, double na, int offset, int cellOffset, VectorBlock b) {
      long start = b.start();
      double[] norms = b.norms();
      int y = 0;
      while (y < b.count()) {
        long cell = (start + y) / span;
        int end = (int) Math.min(b.count(), (cell + 1) * span - start);
        double s = 0;
        float hi = Float.NEGATIVE_INFINITY;
        float lo = Float.POSITIVE_INFINITY;
        int at = -1;
        for (; y < end; y++) {
          double v =
              pairValue(metric, product[offset + y], na, norms[y], symmetric && row == start + y);
          s += v;
          float f = (float) v;
          if (f > hi) {
            hi = f;
            at = y;
          }
          lo = Math.min(lo, f);
        }
        int k = cellOffset + (int) (cell - colCell0);
        sum[k] += s;
        if (at >= 0) {
          offerMax(k, hi, row, start + at);
        }
        min[k] = Math.min(min[k], lo);
      }
    }

    /** Takes (row, col) as cell k's max pair if larger, or equal and earlier in row-major order. */
    private void offerMax(int k, float value, long row, long col) {
      boolean earlier = row < maxRow[k] || row == maxRow[k] && col < maxCol[k];
      if (value > max[k] || value == max[k] && (maxRow[k] < 0 || earlier)) {
        max[k] = value;
        maxRow[k] = (int) row;
        maxCol[k] = (int) col;
      }
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
          rows,
          cols,
          hasMean ? mean : null,
          hasMax ? max : null,
          hasMin ? min : null,
          hasMax ? maxRow : null,
          hasMax ? maxCol : null);
    }
  }
}
