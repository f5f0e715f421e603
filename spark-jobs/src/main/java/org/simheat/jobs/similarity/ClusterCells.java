package org.simheat.jobs.similarity;

import java.util.Arrays;

/**
 * Pooled values over pairs of clusters: for each (row cluster I, column cluster J) of a {@link
 * ClusterGrid}, the sum, max and min of the similarity values folded in so far, the K_r × K_c
 * counterpart of a tile's {@link CellBlock}.
 *
 * <p>The blocked pass folds into it while each panel of products is in cache ({@link
 * BlockProduct}): the panel's rows are cut at row-cluster boundaries as well as at cell boundaries,
 * and each segment's column statistics are reduced over the column clusters the block spans. A pair
 * that stands for its mirror image (a symmetric run computes each unordered block pair once) folds
 * into (J, I) as well. Accumulators of different tasks merge exactly (sums add, max of max, min of
 * min) through the pass's shuffle, so the whole K × K matrix costs no second pass.
 *
 * <p>Memory: 16 bytes per pair of clusters.
 */
public final class ClusterCells implements Partial {
  private static final long serialVersionUID = 1L;

  private final ClusterGrid grid;
  private final int cols;
  private final double[] sum;
  private final float[] max;
  private final float[] min;

  /** Empty pooled values over every pair of clusters of {@code grid}. */
  public ClusterCells(ClusterGrid grid) {
    this.grid = grid;
    this.cols = grid.colClusters();
    int n = Math.multiplyExact(grid.rowClusters(), cols);
    this.sum = new double[n];
    this.max = new float[n];
    this.min = new float[n];
    Arrays.fill(max, Float.NEGATIVE_INFINITY);
    Arrays.fill(min, Float.POSITIVE_INFINITY);
  }

  /** The clusters pooled over. */
  public ClusterGrid grid() {
    return grid;
  }

  /** Folds a partial aggregate of pairs of row cluster i and column cluster j in. */
  public void fold(int i, int j, double s, float hi, float lo) {
    int at = i * cols + j;
    sum[at] += s;
    if (hi > max[at]) {
      max[at] = hi;
    }
    if (lo < min[at]) {
      min[at] = lo;
    }
  }

  @Override
  public Partial mergeWith(Partial part) {
    ClusterCells o = (ClusterCells) part;
    if (o.sum.length != sum.length) {
      throw new IllegalArgumentException(
          "Cluster grids differ: " + o.sum.length + " vs " + sum.length);
    }
    for (int x = 0; x < sum.length; x++) {
      sum[x] += o.sum[x];
      max[x] = Math.max(max[x], o.max[x]);
      min[x] = Math.min(min[x], o.min[x]);
    }
    return this;
  }

  /** Sum of the values of pairs of row cluster i and column cluster j. */
  public double sum(int i, int j) {
    return sum[i * cols + j];
  }

  /** Largest value of pairs of (i, j); −∞ if none was folded in. */
  public float max(int i, int j) {
    return max[i * cols + j];
  }

  /** Smallest value of pairs of (i, j); +∞ if none was folded in. */
  public float min(int i, int j) {
    return min[i * cols + j];
  }
}
