package org.simheat.viewer.service;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import org.simheat.format.Metric;
import org.simheat.viewer.service.BinAccumulator.DeferredCell;
import org.simheat.viewer.service.OffDiagonalScan.Extremes;
import org.simheat.viewer.spec.MaskState;
import org.simheat.viewer.store.OpenRun;

/**
 * Removes the self-pairs from the bins of a symmetric run's view: what the page calls "Hide
 * self-pairs".
 *
 * <p>At level span s, level cell (r, c) holds self-pairs exactly when r = c: the k positions p of
 * [r·s, min((r+1)·s, N)). Without them its sum is Σ − Σₚ diag(p) over pairs − k, where diag(p), the
 * metric of x_p with itself, follows from the stored norm: cosine 1 if ‖x_p‖ > 0 else 0, dot
 * ‖x_p‖², l2 0. So a bin's mean and pair count stay exact. A max or min cannot shed values, so the
 * pooler defers the extremes of diagonal cells and this recomputes them over the cells'
 * off-diagonal pairs ({@link OffDiagonalScan}, s²·d multiply-adds a cell) and offers them to their
 * bins. A bin whose pairs are all self-pairs (span 1, no further pooling) is left without pairs, so
 * without values.
 *
 * <p>Cost: the norms of the diagonal positions in view (none for l2), plus Σ s²·d over the diagonal
 * cells, about (diagonal positions in view)·s·d. When that exceeds the budget the deferred, pooled
 * extremes (self-pairs included) go back to their bins instead and the view is flagged {@link
 * MaskState#POOLED_EXTREMES}; means and counts stay exact either way.
 */
final class DiagonalMask {
  private final LiveTileComputer live;
  private final long maxMultiplyAdds;

  /** A mask that recomputes extremes under {@code live}'s permits, up to a budget per view. */
  DiagonalMask(LiveTileComputer live, long maxMultiplyAdds) {
    this.live = live;
    this.maxMultiplyAdds = maxMultiplyAdds;
  }

  /**
   * Removes the self-pairs of the deferred diagonal cells of span {@code span} from their bins.
   *
   * @return {@link MaskState#EXACT}, or {@link MaskState#POOLED_EXTREMES} when the extremes of
   *     diagonal bins were over budget
   * @throws IOException if the embeddings cannot be read
   */
  MaskState apply(OpenRun run, Metric metric, long span, BinAccumulator bins) throws IOException {
    List<DeferredCell> cells =
        bins.deferred().stream().sorted(Comparator.comparingLong(DeferredCell::cell)).toList();
    if (cells.isEmpty()) {
      return MaskState.EXACT;
    }
    long n = run.geometry().rows();
    removeSelfPairs(run, metric, span, cells, bins);
    if (!bins.hasExtremes()) {
      return MaskState.EXACT;
    }
    long c0 = cells.get(0).cell();
    long c1 = cells.get(cells.size() - 1).cell() + 1;
    int dim = run.manifest().dim();
    if (OffDiagonalScan.multiplyAdds(c0, c1, span, n, dim) > maxMultiplyAdds) {
      for (DeferredCell c : cells) {
        bins.offerMax(c.bin(), c.max(), c.maxRow(), c.maxCol());
        bins.offerMin(c.bin(), c.min());
      }
      return MaskState.POOLED_EXTREMES;
    }
    Extremes[] exact =
        live.withPermit(() -> new OffDiagonalScan(run.embeddings(), metric).cells(c0, c1, span, n));
    for (DeferredCell c : cells) {
      Extremes e = exact[(int) (c.cell() - c0)];
      if (e.any()) {
        bins.offerMax(c.bin(), e.max(), e.maxRow(), e.maxCol());
        bins.offerMin(c.bin(), e.min());
      }
    }
    return MaskState.EXACT;
  }

  private static void removeSelfPairs(
      OpenRun run, Metric metric, long span, List<DeferredCell> cells, BinAccumulator bins)
      throws IOException {
    long n = run.geometry().rows();
    long from = cells.get(0).cell() * span;
    long to = Math.min((cells.get(cells.size() - 1).cell() + 1) * span, n);
    float[] norms =
        metric == Metric.L2 || !bins.hasMean() ? null : run.embeddings().norms(from, to);
    for (DeferredCell c : cells) {
      long a = c.cell() * span;
      long b = Math.min(a + span, n);
      double diagonal = 0;
      for (long p = a; norms != null && p < b; p++) {
        diagonal += selfValue(metric, norms[(int) (p - from)]);
      }
      bins.removeSelfPairs(c.bin(), b - a, diagonal);
    }
  }

  /** The metric of a vector with itself, from its norm. */
  static double selfValue(Metric metric, float norm) {
    return switch (metric) {
      case COSINE -> norm > 0 ? 1 : 0;
      case DOT -> (double) norm * norm;
      case L2 -> 0;
    };
  }
}
