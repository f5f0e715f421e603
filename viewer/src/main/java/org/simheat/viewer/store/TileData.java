package org.simheat.viewer.store;

/**
 * The pooled cells of one tile, row-major {@code rows × cols}; an aggregation the run does not hold
 * is null. Arrays are shared with the tile cache: never modify them.
 *
 * @param rows cell rows
 * @param cols cell columns
 * @param mean means over each cell's pairs
 * @param max maxima
 * @param min minima
 * @param maxRow the row position of the pair attaining each cell's max (the first in row-major
 *     order on ties; −1 if none), or null when the tile does not know it (stored tiles)
 * @param maxCol the column position of that pair, null exactly when {@code maxRow} is
 */
public record TileData(
    int rows, int cols, float[] mean, float[] max, float[] min, int[] maxRow, int[] maxCol) {

  /** A tile without max pairs, as stored levels hold them. */
  public TileData(int rows, int cols, float[] mean, float[] max, float[] min) {
    this(rows, cols, mean, max, min, null, null);
  }

  /** Bytes held by the arrays, for cache accounting. */
  public long bytes() {
    long cells = (long) rows * cols;
    int arrays =
        (mean != null ? 1 : 0)
            + (max != null ? 1 : 0)
            + (min != null ? 1 : 0)
            + (maxRow != null ? 2 : 0);
    return 64 + 4 * cells * arrays;
  }

  /**
   * The transposed tile: what a symmetric run holds at (j, i) when this is (i, j). Max pairs are
   * swapped; on ties they stay the first in this tile's row-major order.
   */
  public TileData transpose() {
    return new TileData(
        cols,
        rows,
        transpose(mean),
        transpose(max),
        transpose(min),
        transpose(maxCol),
        transpose(maxRow));
  }

  private float[] transpose(float[] a) {
    if (a == null) {
      return null;
    }
    float[] t = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
    return t;
  }

  private int[] transpose(int[] a) {
    if (a == null) {
      return null;
    }
    int[] t = new int[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
    return t;
  }
}
