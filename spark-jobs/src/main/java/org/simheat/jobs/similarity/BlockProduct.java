package org.simheat.jobs.similarity;

import java.util.ArrayList;
import java.util.List;
import org.simheat.format.Metric;
import scala.Tuple2;

/**
 * The fused work of one row block against a run of column blocks: product, metrics, pooling,
 * neighbours and ranges, without ever holding more than one panel of products.
 *
 * <p>For a row block I (rows a, norms) and a column block J, each panel of {@code h} rows of I is
 * multiplied with J in one SGEMM, giving dot products {@code D = A·Bᵀ} (h × |J|). Every metric
 * derives from D and the norms (kept in double precision): cosine {@code D/(‖a‖·‖b‖)} (0 for a zero
 * row), l2 {@code √max(0, ‖a‖² + ‖b‖² − 2D)} (exactly 0 on the diagonal). Like every Gram-matrix
 * distance, l2 loses precision for near-identical rows: its absolute error is about {@code
 * √(ε·(‖a‖² + ‖b‖²))} with ε the float rounding of D. Each value is then folded, while the panel is
 * in cache, into the pooled cells of the finest stored level, into row I's top-k lists and, when
 * symmetric and J ≠ I, into J's top-k lists (the mirrored pairs of the block J×I that is never
 * computed). Cost: 2·|I|·|J|·d flops for the product plus O(|I|·|J|) per metric.
 *
 * <p>Symmetric runs visit only J ≥ I. The stored triangle (tile row ≤ tile column) then gets every
 * cell: pairs of an off-diagonal block land above the diagonal, and where they fall in a diagonal
 * tile their transpose is emitted too, to stand in for the block J×I.
 */
public final class BlockProduct {
  private final PassConfig cfg;
  private final double[] rowNorms;
  private final double[] colNorms;
  private final int row;
  private final long rowStart;
  private final int rowCount;
  private final float[] rows;
  private final TopK[] rowTop;
  private final ValueRange[] ranges;
  private final float[] dot;
  private final float[] values;

  /**
   * Starts row block {@code row} whose data (row-major, rowsInBlock × d) is {@code rows}.
   *
   * @param rowNorms L2 norms of every row of the row set
   * @param colNorms L2 norms of every row of the column set (the same array when symmetric)
   */
  public BlockProduct(PassConfig cfg, int row, float[] rows, double[] rowNorms, double[] colNorms) {
    this.cfg = cfg;
    this.row = row;
    this.rowStart = (long) row * cfg.blockSize();
    this.rowCount = cfg.rowsInBlock(row);
    this.rows = rows;
    this.rowNorms = rowNorms;
    this.colNorms = colNorms;
    int m = cfg.metrics().length;
    this.rowTop = new TopK[m];
    this.ranges = new ValueRange[m];
    for (int x = 0; x < m; x++) {
      rowTop[x] = cfg.k() > 0 ? new TopK(cfg.k(), rowStart, rowCount) : null;
      ranges[x] = new ValueRange();
    }
    this.dot = new float[cfg.panelRows() * cfg.blockSize()];
    this.values = new float[dot.length];
  }

  /** Multiplies this row block with column block j and returns the parts it completes. */
  public List<Tuple2<PartKey, Partial>> multiply(int col, float[] cols) {
    long colStart = (long) col * cfg.blockSize();
    int colCount = cfg.colsInBlock(col);
    boolean diagonal = cfg.symmetric() && col == row;
    boolean mirror = cfg.symmetric() && !diagonal;
    Metric[] metrics = cfg.metrics();
    CellBlock[] cells = new CellBlock[metrics.length];
    TopK[] colTop = new TopK[metrics.length];
    for (int m = 0; m < metrics.length; m++) {
      cells[m] = cellsFor(colStart, colCount);
      colTop[m] = mirror && cfg.k() > 0 ? new TopK(cfg.k(), colStart, colCount) : null;
    }
    for (int p = 0; p < rowCount; p += cfg.panelRows()) {
      int h = Math.min(cfg.panelRows(), rowCount - p);
      DenseKernel.multiplyTransposed(rows, p * cfg.dim(), h, cols, colCount, cfg.dim(), dot);
      for (int m = 0; m < metrics.length; m++) {
        float[] v = metricValues(metrics[m], p, h, colStart, colCount);
        cells[m].pool(v, h, colCount, rowStart + p, colStart, cfg.span());
        float sign = metrics[m].higherIsBetter() ? 1f : -1f;
        if (rowTop[m] != null) {
          offerRows(rowTop[m], v, sign, p, h, colStart, colCount);
        }
        if (colTop[m] != null) {
          offerCols(colTop[m], v, sign, p, h, colCount);
        }
        if (diagonal) {
          includeOffDiagonal(ranges[m], v, p, h, colStart, colCount);
        }
      }
    }
    return emit(cells, colTop, col, diagonal);
  }

  /** The parts that only complete once every column block was seen: row top-k and ranges. */
  public List<Tuple2<PartKey, Partial>> finish() {
    List<Tuple2<PartKey, Partial>> out = new ArrayList<>();
    for (int m = 0; m < cfg.metrics().length; m++) {
      if (rowTop[m] != null) {
        out.add(new Tuple2<>(PartKey.neighbors(m, row), rowTop[m]));
      }
      out.add(new Tuple2<>(PartKey.range(m), ranges[m]));
    }
    return out;
  }

  private CellBlock cellsFor(long colStart, int colCount) {
    long s = cfg.span();
    long r0 = rowStart / s;
    long c0 = colStart / s;
    int nr = (int) ((rowStart + rowCount - 1) / s - r0 + 1);
    int nc = (int) ((colStart + colCount - 1) / s - c0 + 1);
    return CellBlock.framed(r0, c0, nr, nc);
  }

  private float[] metricValues(Metric metric, int p, int h, long colStart, int q) {
    if (metric == Metric.DOT) {
      return dot;
    }
    for (int i = 0; i < h; i++) {
      long gr = rowStart + p + i;
      double na = rowNorms[(int) gr];
      if (metric == Metric.COSINE) {
        double inv = na == 0 ? 0 : 1 / na;
        for (int j = 0, x = i * q; j < q; j++, x++) {
          double nb = colNorms[(int) (colStart + j)];
          values[x] = nb == 0 ? 0f : (float) (dot[x] * inv / nb);
        }
      } else {
        double na2 = na * na;
        for (int j = 0, x = i * q; j < q; j++, x++) {
          double nb = colNorms[(int) (colStart + j)];
          values[x] = (float) Math.sqrt(Math.max(0, na2 + nb * nb - 2.0 * dot[x]));
        }
        if (cfg.symmetric() && gr >= colStart && gr < colStart + q) {
          values[i * q + (int) (gr - colStart)] = 0f;
        }
      }
    }
    return values;
  }

  private void offerRows(TopK top, float[] v, float sign, int p, int h, long colStart, int q) {
    boolean selfPossible = cfg.symmetric();
    for (int i = 0; i < h; i++) {
      int li = p + i;
      long gr = rowStart + li;
      float thr = top.threshold(li);
      for (int j = 0, x = i * q; j < q; j++, x++) {
        float key = sign * v[x];
        if (key >= thr && !(selfPossible && colStart + j == gr)) {
          top.offer(li, key, (int) (colStart + j));
          thr = top.threshold(li);
        }
      }
    }
  }

  private void offerCols(TopK top, float[] v, float sign, int p, int h, int q) {
    for (int i = 0; i < h; i++) {
      int gr = (int) (rowStart + p + i);
      for (int j = 0, x = i * q; j < q; j++, x++) {
        float key = sign * v[x];
        if (key >= top.threshold(j)) {
          top.offer(j, key, gr);
        }
      }
    }
  }

  private void includeOffDiagonal(ValueRange range, float[] v, int p, int h, long colStart, int q) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < h; i++) {
      long gr = rowStart + p + i;
      for (int j = 0, x = i * q; j < q; j++, x++) {
        if (colStart + j != gr) {
          lo = Math.min(lo, v[x]);
          hi = Math.max(hi, v[x]);
        }
      }
    }
    if (lo <= hi) {
      range.includeOffDiagonal(lo, hi);
    }
  }

  private List<Tuple2<PartKey, Partial>> emit(
      CellBlock[] cells, TopK[] colTop, int col, boolean diagonal) {
    List<Tuple2<PartKey, Partial>> out = new ArrayList<>();
    int t = cfg.tileSize();
    for (int m = 0; m < cells.length; m++) {
      ranges[m].include(cells[m].minValue(), cells[m].maxValue(), !diagonal);
      for (CellBlock piece :
          cells[m].splitByTiles(t, cfg.cellRows(), cfg.cellCols(), cfg.symmetric())) {
        long ti = piece.row0() / t;
        long tj = piece.col0() / t;
        out.add(new Tuple2<>(PartKey.tile(m, ti, tj), piece));
        if (cfg.symmetric() && !diagonal && ti == tj) {
          out.add(new Tuple2<>(PartKey.tile(m, ti, tj), piece.transpose()));
        }
      }
      if (colTop[m] != null) {
        out.add(new Tuple2<>(PartKey.neighbors(m, col), colTop[m]));
      }
    }
    return out;
  }
}
