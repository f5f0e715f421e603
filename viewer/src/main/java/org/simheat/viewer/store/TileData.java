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
 */
public record TileData(int rows, int cols, float[] mean, float[] max, float[] min) {

  /** Bytes held by the arrays, for cache accounting. */
  public long bytes() {
    long cells = (long) rows * cols;
    int arrays = (mean != null ? 1 : 0) + (max != null ? 1 : 0) + (min != null ? 1 : 0);
    return 64 + 4 * cells * arrays;
  }

  /** The transposed tile: what a symmetric run holds at (j, i) when this is (i, j). */
  public TileData transpose() {
    return new TileData(cols, rows, transpose(mean), transpose(max), transpose(min));
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
}
