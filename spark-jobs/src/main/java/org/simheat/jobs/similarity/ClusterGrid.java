package org.simheat.jobs.similarity;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The clusters of each axis as contiguous ranges of positions: row cluster I covers rows {@code
 * [rowBounds[I], rowBounds[I + 1])}, column cluster J columns {@code [colBounds[J], colBounds[J +
 * 1])}. Bounds start at 0, rise strictly and end at the axis's length. A symmetric run has the same
 * bounds on both axes; a cross run may have different ones.
 *
 * @param rowBounds K_r + 1 row boundaries
 * @param colBounds K_c + 1 column boundaries
 */
public record ClusterGrid(long[] rowBounds, long[] colBounds) implements Serializable {
  /**
   * Checks the bounds.
   *
   * @throws IllegalArgumentException if an axis has no cluster or its bounds do not rise from 0
   */
  public ClusterGrid {
    check(rowBounds, "row");
    check(colBounds, "column");
  }

  private static void check(long[] bounds, String axis) {
    if (bounds.length < 2 || bounds[0] != 0) {
      throw new IllegalArgumentException("The " + axis + " clusters must start at position 0");
    }
    for (int i = 1; i < bounds.length; i++) {
      if (bounds[i] <= bounds[i - 1]) {
        throw new IllegalArgumentException(
            "The " + axis + " clusters must be non-empty ranges, got " + Arrays.toString(bounds));
      }
    }
  }

  /** Row clusters K_r. */
  public int rowClusters() {
    return rowBounds.length - 1;
  }

  /** Column clusters K_c. */
  public int colClusters() {
    return colBounds.length - 1;
  }

  /** The row cluster that holds row {@code position}. */
  public int rowCluster(long position) {
    return clusterOf(rowBounds, position);
  }

  /** The column cluster that holds column {@code position}. */
  public int colCluster(long position) {
    return clusterOf(colBounds, position);
  }

  private static int clusterOf(long[] bounds, long position) {
    int at = Arrays.binarySearch(bounds, position);
    return at >= 0 ? at : -at - 2;
  }
}
