package org.simheat.viewer.service;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import org.simheat.format.Metric;
import org.simheat.viewer.service.BinAccumulator.DeferredCell;
import org.simheat.viewer.spec.MaskState;
import org.simheat.viewer.store.OpenRun;

/**
 * Removes the self-pairs from the bins of a drift view of two symmetric runs, as {@link
 * DiagonalMask} does for one run.
 *
 * <p>A self-pair's Δ is diag_A(p) − diag_B(p), each from its run's stored norm (cosine 1 or 0, dot
 * ‖x‖², l2 0; dot's is rarely 0, so masking matters most there), so a diagonal bin's mean Δ and
 * pair count stay exact. At live levels the bins also hold max |Δ|, which cannot shed values: the
 * max |Δ| of each diagonal cell's off-diagonal pairs is recomputed from both runs' embeddings (one
 * product per cell and run, the values of {@link LiveTileComputer#pairValue}) when the cells are at
 * most {@value LiveTileComputer#BLOCK} positions and the work fits the budget; otherwise the pooled
 * values (self-pairs included) go back and the view says {@link MaskState#POOLED_EXTREMES}.
 *
 * <p>Cost: the norms of the diagonal positions in view, plus Σ s²·(d_A + d_B) over the diagonal
 * cells at live levels.
 */
final class DriftMask implements ViewportPooler.Masking {
  private final OpenRun a;
  private final OpenRun b;
  private final Metric metric;
  private final LiveTileComputer live;
  private final long maxMultiplyAdds;

  DriftMask(OpenRun a, OpenRun b, Metric metric, LiveTileComputer live, long maxMultiplyAdds) {
    this.a = a;
    this.b = b;
    this.metric = metric;
    this.live = live;
    this.maxMultiplyAdds = maxMultiplyAdds;
  }

  @Override
  public MaskState apply(long span, BinAccumulator bins) throws IOException {
    List<DeferredCell> cells =
        bins.deferred().stream().sorted(Comparator.comparingLong(DeferredCell::cell)).toList();
    if (cells.isEmpty()) {
      return MaskState.EXACT;
    }
    long n = a.geometry().rows();
    long from = cells.get(0).cell() * span;
    long to = Math.min((cells.get(cells.size() - 1).cell() + 1) * span, n);
    float[] normsA = metric == Metric.L2 ? null : a.embeddings().norms(from, to);
    float[] normsB = metric == Metric.L2 ? null : b.embeddings().norms(from, to);
    for (DeferredCell c : cells) {
      long p0 = c.cell() * span;
      long p1 = Math.min(p0 + span, n);
      double delta = 0;
      for (long p = p0; normsA != null && p < p1; p++) {
        int k = (int) (p - from);
        delta +=
            DiagonalMask.selfValue(metric, normsA[k]) - DiagonalMask.selfValue(metric, normsB[k]);
      }
      bins.removeSelfPairs(c.bin(), p1 - p0, delta);
    }
    if (!bins.hasExtremes()) {
      return MaskState.EXACT;
    }
    double cost = (double) span * span * cells.size() * (a.manifest().dim() + b.manifest().dim());
    if (span > LiveTileComputer.BLOCK || cost > maxMultiplyAdds) {
      for (DeferredCell c : cells) {
        bins.offerMax(c.bin(), c.max(), c.maxRow(), c.maxCol());
      }
      return MaskState.POOLED_EXTREMES;
    }
    live.withPermit(
        () -> {
          for (DeferredCell c : cells) {
            long p0 = c.cell() * span;
            offDiagonal(c, p0, Math.min(p0 + span, n), bins);
          }
          return null;
        });
    return MaskState.EXACT;
  }

  /** Offers the largest |Δ| of cell c's off-diagonal pairs, the first in row-major on ties. */
  private void offDiagonal(DeferredCell c, long p0, long p1, BinAccumulator bins)
      throws IOException {
    VectorBlock va = VectorBlock.read(a.embeddings(), p0, p1);
    VectorBlock vb = VectorBlock.read(b.embeddings(), p0, p1);
    int k = va.count();
    float[] pa = new float[k * k];
    float[] pb = new float[k * k];
    DenseProduct.multiplyTransposed(va.vectors(), k, va.vectors(), k, a.embeddings().dim(), pa);
    DenseProduct.multiplyTransposed(vb.vectors(), k, vb.vectors(), k, b.embeddings().dim(), pb);
    float best = -1;
    long row = -1;
    long col = -1;
    for (int x = 0; x < k; x++) {
      for (int y = 0; y < k; y++) {
        if (x == y) {
          continue;
        }
        double da =
            LiveTileComputer.pairValue(metric, pa[x * k + y], va.norms()[x], va.norms()[y], false);
        double db =
            LiveTileComputer.pairValue(metric, pb[x * k + y], vb.norms()[x], vb.norms()[y], false);
        float v = (float) Math.abs(da - db);
        if (v > best) {
          best = v;
          row = p0 + x;
          col = p0 + y;
        }
      }
    }
    if (row >= 0) {
      bins.offerMax(c.bin(), best, row, col);
    }
  }
}
