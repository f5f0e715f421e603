package org.simheat.viewer.service;

import java.io.IOException;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.store.EmbeddingStore;
import org.simheat.viewer.store.OpenRun;
import org.simheat.viewer.store.TileData;

/**
 * The {@code mean} of a live tile of cosine or dot, by bilinearity, without the pairwise pass.
 *
 * <p>For cells R (rows) and C (columns), the mean over R × C of x·y is m_R·m_C, where m_R = (1/|R|)
 * Σ_{x∈R} x; for cosine take unit vectors x/‖x‖ (a zero row stays zero: cosine 0 with everything,
 * itself included, as the pairwise rule says). So a tile of r × c cells at span s costs one pass
 * over its (r + c)·s positions to form the cell means, in double precision, plus one r × c × d
 * SGEMM of the means rounded to float: O((r + c)·s·d + r·c·d) instead of O(r·c·s²·d). Self-pairs
 * are included, as stored levels include them. l2 is not bilinear and has no such path.
 *
 * <p>Invariant: the result equals the pairwise mean up to float rounding of the means' product
 * (relative error about d·ε). Memory: the two mean matrices, O((r + c)·d), plus one block of at
 * most {@value LiveTileComputer#BLOCK} vectors.
 */
final class LiveMeans {
  private LiveMeans() {}

  /** Whether a metric's mean is bilinear in the vectors. */
  static boolean applies(Metric metric) {
    return metric == Metric.COSINE || metric == Metric.DOT;
  }

  /** The multiply-adds that the mean of tile (z, i, j) takes: the cell means plus the product. */
  static double multiplyAdds(OpenRun run, int z, long i, long j) {
    TileGeometry g = run.geometry();
    long s = g.span(z);
    long t = g.tileSize();
    long rows = Math.min((i * t + g.rowsInTile(z, i)) * s, g.rows()) - i * t * s;
    long cols = Math.min((j * t + g.colsInTile(z, j)) * s, g.cols()) - j * t * s;
    double d = run.manifest().dim();
    return (rows + cols) * d + (double) g.rowsInTile(z, i) * g.colsInTile(z, j) * d;
  }

  /**
   * Computes the mean of tile (z, i, j) of cosine or dot of a run whose columns have vectors; max
   * and min are null.
   *
   * @throws IOException if the embeddings cannot be read
   */
  static TileData compute(OpenRun run, Metric metric, int z, long i, long j) throws IOException {
    TileGeometry g = run.geometry();
    long s = g.span(z);
    int rows = g.rowsInTile(z, i);
    int cols = g.colsInTile(z, j);
    long rowCell0 = i * g.tileSize();
    long colCell0 = j * g.tileSize();
    EmbeddingStore e = run.embeddings();
    boolean unit = metric == Metric.COSINE;
    float[] a = cellMeans(e, rowCell0, rows, s, g.rows(), unit);
    boolean same = i == j && run.manifest().symmetric();
    float[] b = same ? a : cellMeans(run.colEmbeddings(), colCell0, cols, s, g.cols(), unit);
    float[] mean = new float[rows * cols];
    DenseProduct.multiplyTransposed(a, rows, b, cols, e.dim(), mean);
    return new TileData(rows, cols, mean, null, null);
  }

  /**
   * The mean vectors of {@code cells} consecutive cells of span s from cell {@code cell0},
   * row-major (cell k at k·d), of unit vectors when {@code unit}; positions past n are not there.
   */
  static float[] cellMeans(EmbeddingStore e, long cell0, int cells, long s, long n, boolean unit)
      throws IOException {
    int d = e.dim();
    double[] sum = new double[cells * d];
    long from = cell0 * s;
    long to = Math.min((cell0 + cells) * s, n);
    for (long p0 = from; p0 < to; p0 += LiveTileComputer.BLOCK) {
      long p1 = Math.min(p0 + LiveTileComputer.BLOCK, to);
      float[] v = e.read(p0, p1);
      for (long p = p0; p < p1; p++) {
        int off = (int) (p - p0) * d;
        double scale = unit ? inverseNorm(v, off, d) : 1;
        int base = (int) (p / s - cell0) * d;
        for (int k = 0; k < d; k++) {
          sum[base + k] += v[off + k] * scale;
        }
      }
    }
    float[] out = new float[cells * d];
    for (int c = 0; c < cells; c++) {
      long extent = Math.min((cell0 + c + 1) * s, n) - (cell0 + c) * s;
      for (int k = 0; k < d; k++) {
        out[c * d + k] = (float) (sum[c * d + k] / extent);
      }
    }
    return out;
  }

  private static double inverseNorm(float[] v, int off, int d) {
    double s = 0;
    for (int k = off; k < off + d; k++) {
      s += (double) v[k] * v[k];
    }
    return s == 0 ? 0 : 1 / Math.sqrt(s);
  }
}
