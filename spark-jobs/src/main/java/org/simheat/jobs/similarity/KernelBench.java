package org.simheat.jobs.similarity;

import java.util.Random;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;

/**
 * The fused kernel against plain SGEMM on one thread, on the same blocks: a row block times a
 * column block ({@code b × d} each) as the pass multiplies them, panel by panel, once with every
 * value folded into pooled cells, top-k lists (rows and mirrored columns) and ranges, once with the
 * products only. Runs alternate so that a noisy machine slows both alike.
 */
public final class KernelBench {
  private KernelBench() {}

  /**
   * Rates measured.
   *
   * @param sgemm GFLOP/s of the panel products alone
   * @param fused GFLOP/s of the fused kernel
   */
  public record Rates(double sgemm, double fused) {
    /** fused / sgemm. */
    public double ratio() {
      return fused / sgemm;
    }
  }

  /**
   * Measures for about {@code seconds} in all.
   *
   * @param n rows of the matrix whose tiles set the cell span (30522 gives span 8 at level 4)
   */
  public static Rates measure(long n, int d, int block, Metric[] metrics, double seconds) {
    TileGeometry g = TileGeometry.of(n, n);
    int z = g.storedZoomFor(16L << 20, true);
    PassConfig cfg = PassConfig.of(g, d, true, metrics, z, 10, block);
    int b = cfg.blockSize();
    Random r = new Random(7);
    double[] norms = new double[(int) Math.min(n, 2L * b)];
    float[] a0 = new float[b * d];
    float[] b0 = new float[b * d];
    for (int x = 0; x < a0.length; x++) {
      a0[x] = (float) r.nextGaussian();
      b0[x] = (float) r.nextGaussian();
    }
    for (int i = 0; i < norms.length; i++) {
      float[] src = i < b ? a0 : b0;
      int off = (i % b) * d;
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += (double) src[off + k] * src[off + k];
      }
      norms[i] = Math.sqrt(s);
    }
    Block a = Block.of(a0, 0, b, d, norms, cfg.normalised());
    Block bb = Block.of(b0, b, b, d, norms, cfg.normalised());
    BlockProduct product = new BlockProduct(cfg, PanelOps.best());
    float[] dot = new float[cfg.panelRows() * b];
    double flops = 2.0 * b * b * d;
    long fusedNs = 0;
    long sgemmNs = 0;
    int runs = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (runs < 3 || System.nanoTime() < end) {
      long t0 = System.nanoTime();
      for (int p = 0; p < b; p += cfg.panelRows()) {
        int h = Math.min(cfg.panelRows(), b - p);
        DenseKernel.multiplyTransposed(a.data(), p * d, h, bb.data(), b, d, dot);
      }
      long t1 = System.nanoTime();
      int m = metrics.length;
      CellBlock[] cells = new CellBlock[m];
      TopK[] rows = new TopK[m];
      TopK[] cols = new TopK[m];
      ValueRange[] ranges = new ValueRange[m];
      for (int x = 0; x < m; x++) {
        long span = cfg.span();
        cells[x] =
            CellBlock.framed(
                0,
                b / span,
                (int) ((b + span - 1) / span),
                (int) ((2L * b - 1) / span - b / span + 1));
        rows[x] = new TopK(10, 0, b);
        cols[x] = new TopK(10, b, b);
        ranges[x] = new ValueRange();
      }
      product.multiply(a, bb, cells, rows, cols, ranges);
      long t2 = System.nanoTime();
      if (runs > 0) {
        sgemmNs += t1 - t0;
        fusedNs += t2 - t1;
      }
      runs++;
    }
    int measured = runs - 1;
    return new Rates(flops * measured / sgemmNs, flops * measured / fusedNs);
  }
}
