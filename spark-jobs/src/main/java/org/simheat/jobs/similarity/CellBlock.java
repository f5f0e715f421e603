package org.simheat.jobs.similarity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pooled cells over a rectangle of one level's cell grid: for each cell the sum, max and min of the
 * similarity values folded into it so far.
 *
 * <p>A block lies inside a frame, the full cell rectangle of the tile that will hold it. Blocks of
 * the same frame merge exactly (sums add, max of max, min of min), so a cell split between two
 * block products, or between a product and its mirror image, pools the same as if computed at once.
 * The mean is the sum divided by the cell's pair count, which only the geometry knows, so sums stay
 * in double precision until the tile is written.
 *
 * <p>Memory: 16 bytes a cell.
 */
public final class CellBlock implements Partial {
  private static final long serialVersionUID = 1L;

  private final long row0;
  private final long col0;
  private final int rows;
  private final int cols;
  private final long frameRow0;
  private final long frameCol0;
  private final int frameRows;
  private final int frameCols;
  private final double[] sum;
  private final float[] max;
  private final float[] min;

  /** An empty block of {@code rows × cols} cells at (row0, col0) inside the given frame. */
  public CellBlock(
      long row0,
      long col0,
      int rows,
      int cols,
      long frameRow0,
      long frameCol0,
      int frameRows,
      int frameCols) {
    this.row0 = row0;
    this.col0 = col0;
    this.rows = rows;
    this.cols = cols;
    this.frameRow0 = frameRow0;
    this.frameCol0 = frameCol0;
    this.frameRows = frameRows;
    this.frameCols = frameCols;
    int n = Math.multiplyExact(rows, cols);
    this.sum = new double[n];
    this.max = new float[n];
    this.min = new float[n];
    Arrays.fill(max, Float.NEGATIVE_INFINITY);
    Arrays.fill(min, Float.POSITIVE_INFINITY);
  }

  /** An empty block that is its own frame. */
  public static CellBlock framed(long row0, long col0, int rows, int cols) {
    return new CellBlock(row0, col0, rows, cols, row0, col0, rows, cols);
  }

  /**
   * A block that is its own frame, holding the given cell sums (row-major {@code rows × cols}) and
   * no max or min: those read NaN. For pyramids that pool means only.
   */
  public static CellBlock ofSums(long row0, long col0, int rows, int cols, double[] sums) {
    CellBlock b = framed(row0, col0, rows, cols);
    System.arraycopy(sums, 0, b.sum, 0, b.sum.length);
    Arrays.fill(b.max, Float.NaN);
    Arrays.fill(b.min, Float.NaN);
    return b;
  }

  /**
   * Folds a partial aggregate (sum, max, min of some of its pairs) into cell (cellRow, cellCol), in
   * global cell coordinates; the cell must lie in this block.
   */
  public void foldCell(long cellRow, long cellCol, double s, float hi, float lo) {
    fold((int) ((cellRow - row0) * cols + (cellCol - col0)), s, hi, lo);
  }

  /**
   * Splits this block along tile boundaries ({@code tileSize} cells), each piece framed by its tile
   * clipped to {@code cellRows × cellCols}. With {@code upperOnly}, pieces in tiles below the
   * diagonal (tile row > tile column) are dropped.
   */
  public List<CellBlock> splitByTiles(
      int tileSize, long cellRows, long cellCols, boolean upperOnly) {
    List<CellBlock> pieces = new ArrayList<>();
    for (long ti = row0 / tileSize; ti * tileSize < row0 + rows; ti++) {
      for (long tj = col0 / tileSize; tj * tileSize < col0 + cols; tj++) {
        if (!upperOnly || ti <= tj) {
          pieces.add(piece(ti, tj, tileSize, cellRows, cellCols));
        }
      }
    }
    return pieces;
  }

  private CellBlock piece(long ti, long tj, int tileSize, long cellRows, long cellCols) {
    long fr0 = ti * tileSize;
    long fc0 = tj * tileSize;
    long r0 = Math.max(row0, fr0);
    long c0 = Math.max(col0, fc0);
    int pr = (int) (Math.min(row0 + rows, fr0 + tileSize) - r0);
    int pc = (int) (Math.min(col0 + cols, fc0 + tileSize) - c0);
    CellBlock p =
        new CellBlock(
            r0,
            c0,
            pr,
            pc,
            fr0,
            fc0,
            (int) Math.min(tileSize, cellRows - fr0),
            (int) Math.min(tileSize, cellCols - fc0));
    p.addFrom(this);
    return p;
  }

  /** The same cells seen from the other side of the diagonal: (r, c) becomes (c, r). */
  public CellBlock transpose() {
    CellBlock t = new CellBlock(col0, row0, cols, rows, frameCol0, frameRow0, frameCols, frameRows);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int from = r * cols + c;
        int to = c * rows + r;
        t.sum[to] = sum[from];
        t.max[to] = max[from];
        t.min[to] = min[from];
      }
    }
    return t;
  }

  /**
   * Pools 2 × 2 cells into one, for the next coarser level: cell (r, c) goes to (r/2, c/2). This
   * block's frame must start at even cells (tiles do); the result is framed by the parent tile.
   */
  public CellBlock halve(int tileSize, long parentCellRows, long parentCellCols) {
    long pr0 = row0 / 2;
    long pc0 = col0 / 2;
    int prs = (int) ((row0 + rows - 1) / 2 - pr0 + 1);
    int pcs = (int) ((col0 + cols - 1) / 2 - pc0 + 1);
    long fr0 = (frameRow0 / 2) / tileSize * tileSize;
    long fc0 = (frameCol0 / 2) / tileSize * tileSize;
    CellBlock p =
        new CellBlock(
            pr0,
            pc0,
            prs,
            pcs,
            fr0,
            fc0,
            (int) Math.min(tileSize, parentCellRows - fr0),
            (int) Math.min(tileSize, parentCellCols - fc0));
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int from = r * cols + c;
        int to = (int) ((row0 + r) / 2 - pr0) * pcs + (int) ((col0 + c) / 2 - pc0);
        p.fold(to, sum[from], max[from], min[from]);
      }
    }
    return p;
  }

  @Override
  public Partial mergeWith(Partial part) {
    CellBlock other = (CellBlock) part;
    if (contains(other)) {
      addFrom(other);
      return this;
    }
    if (other.contains(this)) {
      other.addFrom(this);
      return other;
    }
    CellBlock whole =
        new CellBlock(
            frameRow0, frameCol0, frameRows, frameCols, frameRow0, frameCol0, frameRows, frameCols);
    whole.addFrom(this);
    whole.addFrom(other);
    return whole;
  }

  private boolean contains(CellBlock o) {
    return o.row0 >= row0
        && o.col0 >= col0
        && o.row0 + o.rows <= row0 + rows
        && o.col0 + o.cols <= col0 + cols;
  }

  /** Folds every cell of {@code o} that lies in this block into it. */
  private void addFrom(CellBlock o) {
    long r0 = Math.max(row0, o.row0);
    long r1 = Math.min(row0 + rows, o.row0 + o.rows);
    long c0 = Math.max(col0, o.col0);
    long c1 = Math.min(col0 + cols, o.col0 + o.cols);
    for (long r = r0; r < r1; r++) {
      int to = (int) ((r - row0) * cols + (c0 - col0));
      int from = (int) ((r - o.row0) * o.cols + (c0 - o.col0));
      for (long c = c0; c < c1; c++, to++, from++) {
        fold(to, o.sum[from], o.max[from], o.min[from]);
      }
    }
  }

  private void fold(int at, double s, float hi, float lo) {
    sum[at] += s;
    if (hi > max[at]) {
      max[at] = hi;
    }
    if (lo < min[at]) {
      min[at] = lo;
    }
  }

  /** Whether this block covers its whole frame. */
  public boolean isWholeFrame() {
    return row0 == frameRow0 && col0 == frameCol0 && rows == frameRows && cols == frameCols;
  }

  /** Smallest pooled value, over every cell. */
  public float minValue() {
    float m = Float.POSITIVE_INFINITY;
    for (float x : min) {
      m = Math.min(m, x);
    }
    return m;
  }

  /** Largest pooled value, over every cell. */
  public float maxValue() {
    float m = Float.NEGATIVE_INFINITY;
    for (float x : max) {
      m = Math.max(m, x);
    }
    return m;
  }

  public long row0() {
    return row0;
  }

  public long col0() {
    return col0;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Sum of cell (r, c), local to this block. */
  public double sum(int r, int c) {
    return sum[r * cols + c];
  }

  /** Max of cell (r, c), local to this block; −∞ if nothing was pooled into it. */
  public float max(int r, int c) {
    return max[r * cols + c];
  }

  /** Min of cell (r, c), local to this block; +∞ if nothing was pooled into it. */
  public float min(int r, int c) {
    return min[r * cols + c];
  }
}
