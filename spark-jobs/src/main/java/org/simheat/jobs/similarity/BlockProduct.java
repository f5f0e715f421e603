package org.simheat.jobs.similarity;

import org.simheat.format.Metric;

/**
 * The fused work of one block pair: product, metrics, pooling, neighbours and ranges, without ever
 * holding more than one panel of products.
 *
 * <p>For a row block A and a column block B, each panel of {@code h} rows of A is multiplied with B
 * in one SGEMM, giving dot products {@code D = A·Bᵀ} (h × |B|). Every metric derives from D and the
 * norms: cosine {@code D/(‖a‖·‖b‖)} (0 for a zero row; or D itself when the blocks hold normalised
 * rows), l2 {@code √max(0, ‖a‖² + ‖b‖² − 2D)} (exactly 0 on the diagonal). Like every Gram-matrix
 * distance, l2 loses precision for near-identical rows: its absolute error is about {@code
 * √(ε·(‖a‖² + ‖b‖²))} with ε the float rounding of D. While the panel is in cache each value is
 * then folded, by {@link PanelOps}' vector loops, into
 *
 * <ul>
 *   <li>the pooled cells: rows of the panel that share a cell row are reduced column-wise first
 *       (sum, max, min), then each cell's columns, so a cell of span s costs one scalar step per s²
 *       values;
 *   <li>the rows' top-k lists: one vector comparison of each value with the row's current k-th
 *       best, and an insertion only where a value can enter;
 *   <li>when the pair stands for its mirror too (symmetric runs, A ≠ B), the columns' top-k lists,
 *       against per-column thresholds;
 *   <li>the value range, off the diagonal included;
 *   <li>in cluster order, the pooled pairs of clusters ({@link ClusterCells}): the panel's rows are
 *       also cut at row-cluster boundaries, and each segment's column statistics are reduced over
 *       the column clusters the block spans (one scalar step per column and segment).
 * </ul>
 *
 * Cost: 2·|A|·|B|·d flops for the product plus a few vector operations per value and metric.
 */
public final class BlockProduct {
  private final PassConfig cfg;
  private final PanelOps ops;
  private final float[] dot;
  private final float[] values;
  private final float[] colSum;
  private final float[] colMax;
  private final float[] colMin;
  private final float[] colThr;
  private final float[] gSum;
  private final float[] gMax;
  private final float[] gMin;

  /** Buffers for blocks of up to {@code cfg.blockSize()} rows. */
  public BlockProduct(PassConfig cfg, PanelOps ops) {
    this.cfg = cfg;
    this.ops = ops;
    int q = cfg.blockSize();
    this.dot = new float[cfg.panelRows() * q];
    this.values = cfg.metrics().length == 1 && cfg.normalised() ? null : new float[dot.length];
    this.colSum = new float[q];
    this.colMax = new float[q];
    this.colMin = new float[q];
    this.colThr = new float[q];
    this.gSum = new float[q];
    this.gMax = new float[q];
    this.gMin = new float[q];
  }

  /**
   * Multiplies block a with block b and folds every value in.
   *
   * @param cells per metric, the pooled cells that hold every cell the pair touches
   * @param rowTop per metric, top-k lists covering a's rows (or null entries for none)
   * @param colTop per metric, top-k lists covering b's rows, fed with the mirrored pairs (or null
   *     entries when the pair has no mirror)
   * @param ranges per metric, the value range off the diagonal, which only a self pair (a = b)
   *     updates here: every other pair's range comes from its pooled cells' extremes
   */
  public void multiply(
      Block a, Block b, CellBlock[] cells, TopK[] rowTop, TopK[] colTop, ValueRange[] ranges) {
    multiply(a, b, cells, rowTop, colTop, ranges, null, false);
  }

  /**
   * Multiplies block a with block b and folds every value in, into the pooled clusters too.
   *
   * @param clusters per metric, the pooled pairs of clusters, or null for none
   * @param mirrored the pair stands for its mirror image too: cluster pair (I, J) also folds into
   *     (J, I)
   * @see #multiply(Block, Block, CellBlock[], TopK[], TopK[], ValueRange[])
   */
  public void multiply(
      Block a,
      Block b,
      CellBlock[] cells,
      TopK[] rowTop,
      TopK[] colTop,
      ValueRange[] ranges,
      ClusterCells[] clusters,
      boolean mirrored) {
    int d = cfg.dim();
    int q = b.count();
    boolean self = cfg.symmetric() && a.start() == b.start();
    Metric[] metrics = cfg.metrics();
    for (int p = 0; p < a.count(); p += cfg.panelRows()) {
      int h = Math.min(cfg.panelRows(), a.count() - p);
      DenseKernel.multiplyTransposed(a.data(), p * d, h, b.data(), q, d, dot);
      for (int m = 0; m < metrics.length; m++) {
        float[] v = metricValues(metrics[m], a, b, p, h, q, self);
        long gr0 = a.start() + p;
        float sign = metrics[m].higherIsBetter() ? 1f : -1f;
        pool(cells[m], clusters == null ? null : clusters[m], mirrored, v, gr0, h, b.start(), q);
        if (rowTop[m] != null) {
          offerRows(rowTop[m], v, sign, gr0, h, b.start(), q, self);
        }
        if (colTop[m] != null) {
          offerCols(colTop[m], v, sign, gr0, h, b.start(), q);
        }
        if (self) {
          includeOffDiagonal(ranges[m], v, p, h, q);
        }
      }
    }
  }

  private float[] metricValues(Metric metric, Block a, Block b, int p, int h, int q, boolean self) {
    if (metric == Metric.DOT || (metric == Metric.COSINE && a.normalised())) {
      return dot;
    }
    if (metric == Metric.COSINE) {
      ops.cosine(dot, a.invNorm(), p, b.invNorm(), h, q, values);
    } else {
      ops.l2(dot, a.sqNorm(), p, b.sqNorm(), h, q, values);
      if (self) {
        for (int i = 0; i < h; i++) {
          values[i * q + p + i] = 0f;
        }
      }
    }
    return values;
  }

  /**
   * Pools a panel: its rows are cut where a cell row ends and, when clusters are pooled too, where
   * a row cluster ends, and each segment's column statistics fold into the cells and the clusters.
   */
  private void pool(
      CellBlock cells,
      ClusterCells clusters,
      boolean mirrored,
      float[] v,
      long gr0,
      int h,
      long gc0,
      int q) {
    long span = cfg.span();
    int i = 0;
    while (i < h) {
      long cellRow = (gr0 + i) / span;
      int end = (int) Math.min(h, (cellRow + 1) * span - gr0);
      int rowCluster = -1;
      if (clusters != null) {
        rowCluster = clusters.grid().rowCluster(gr0 + i);
        end = (int) Math.min(end, clusters.grid().rowBounds()[rowCluster + 1] - gr0);
      }
      ops.columnStats(v, i, end, q, colSum, colMax, colMin);
      foldColumns(cells, cellRow, gc0, q, span);
      if (clusters != null) {
        foldClusters(clusters, rowCluster, mirrored, gc0, q);
      }
      i = end;
    }
  }

  /**
   * Folds the column statistics of one segment of row cluster {@code rowCluster} into its pairs
   * with each column cluster the block spans (and the mirrored pairs).
   */
  private void foldClusters(
      ClusterCells clusters, int rowCluster, boolean mirrored, long gc0, int q) {
    ClusterGrid grid = clusters.grid();
    int j = 0;
    for (int col = grid.colCluster(gc0); j < q; col++) {
      int to = (int) Math.min(q, grid.colBounds()[col + 1] - gc0);
      double s = 0;
      float hi = Float.NEGATIVE_INFINITY;
      float lo = Float.POSITIVE_INFINITY;
      for (int x = j; x < to; x++) {
        s += colSum[x];
        hi = Math.max(hi, colMax[x]);
        lo = Math.min(lo, colMin[x]);
      }
      clusters.fold(rowCluster, col, s, hi, lo);
      if (mirrored) {
        clusters.fold(col, rowCluster, s, hi, lo);
      }
      j = to;
    }
  }

  /**
   * Folds the column statistics of one cell row into its cells: a partial group of columns at each
   * end, whole groups of {@code span} columns reduced by the vector loops in between.
   */
  private void foldColumns(CellBlock cells, long cellRow, long gc0, int q, long span) {
    long cell = gc0 / span;
    long firstEdge = (cell + 1) * span - gc0;
    int j = 0;
    if (gc0 % span != 0 || firstEdge > q) {
      j = (int) Math.min(q, firstEdge);
      foldRange(cells, cellRow, cell, 0, j);
      cell++;
    }
    int groups = (int) ((q - j) / span);
    if (groups > 0) {
      ops.groupStats(colSum, colMax, colMin, j, groups, (int) span, gSum, gMax, gMin);
      for (int g = 0; g < groups; g++) {
        cells.foldCell(cellRow, cell + g, gSum[g], gMax[g], gMin[g]);
      }
      cell += groups;
      j += (int) (groups * span);
    }
    if (j < q) {
      foldRange(cells, cellRow, cell, j, q);
    }
  }

  private void foldRange(CellBlock cells, long cellRow, long cell, int from, int to) {
    double s = 0;
    float hi = Float.NEGATIVE_INFINITY;
    float lo = Float.POSITIVE_INFINITY;
    for (int x = from; x < to; x++) {
      s += colSum[x];
      hi = Math.max(hi, colMax[x]);
      lo = Math.min(lo, colMin[x]);
    }
    cells.foldCell(cellRow, cell, s, hi, lo);
  }

  private void offerRows(
      TopK top, float[] v, float sign, long gr0, int h, long gc0, int q, boolean self) {
    for (int i = 0; i < h; i++) {
      long gr = gr0 + i;
      int li = (int) (gr - top.rowStart());
      int base = i * q;
      int end = base + q;
      float thr = top.threshold(li);
      int x = ops.firstAtLeast(v, base, end, sign, thr);
      while (x >= 0) {
        long gc = gc0 + (x - base);
        if (!(self && gc == gr)) {
          top.offer(li, sign * v[x], (int) gc);
          thr = top.threshold(li);
        }
        x = x + 1 < end ? ops.firstAtLeast(v, x + 1, end, sign, thr) : -1;
      }
    }
  }

  private void offerCols(TopK top, float[] v, float sign, long gr0, int h, long gc0, int q) {
    int lj0 = (int) (gc0 - top.rowStart());
    for (int j = 0; j < q; j++) {
      colThr[j] = top.threshold(lj0 + j);
    }
    for (int i = 0; i < h; i++) {
      int gr = (int) (gr0 + i);
      int base = i * q;
      int j = ops.firstAtLeastEach(v, base, 0, q, sign, colThr);
      while (j >= 0) {
        top.offer(lj0 + j, sign * v[base + j], gr);
        colThr[j] = top.threshold(lj0 + j);
        j = j + 1 < q ? ops.firstAtLeastEach(v, base, j + 1, q, sign, colThr) : -1;
      }
    }
  }

  /** The range of a self pair's values off the diagonal: panel row i's self column is p + i. */
  private void includeOffDiagonal(ValueRange range, float[] v, int p, int h, int q) {
    float[] lohi = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int i = 0; i < h; i++) {
      int base = i * q;
      ops.extremes(v, base, base + p + i, lohi);
      ops.extremes(v, base + p + i + 1, base + q, lohi);
    }
    if (lohi[0] <= lohi[1]) {
      range.includeOffDiagonal(lohi[0], lohi[1]);
    }
  }
}
