package org.simheat.viewer.store;

/**
 * A run's cluster-pooled matrix of one metric: cell (r, c) pools every pair of row cluster r and
 * column cluster c, row-major {@code rows × cols}; an aggregation the run does not store is null.
 * Arrays are shared with a cache: never modify them.
 *
 * @param rows row clusters K
 * @param cols column clusters
 * @param pairs pairs pooled per cell
 * @param mean means
 * @param max maxima
 * @param min minima
 */
public record ClusterCells(
    int rows, int cols, long[] pairs, float[] mean, float[] max, float[] min) {

  /** Bytes held by the arrays, for cache accounting. */
  public long bytes() {
    long cells = (long) rows * cols;
    int floats = (mean != null ? 1 : 0) + (max != null ? 1 : 0) + (min != null ? 1 : 0);
    return 64 + cells * (8 + 4L * floats);
  }
}
