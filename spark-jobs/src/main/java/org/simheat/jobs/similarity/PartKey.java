package org.simheat.jobs.similarity;

import java.io.Serializable;

/**
 * The shuffle key of a {@link Partial}: its kind, the metric (an index into the run's metrics) and
 * two coordinates, a tile's (row, column) at the finest stored level or a row block's index.
 *
 * @param kind {@link #TILE}, {@link #NEIGHBORS}, {@link #RANGE} or {@link #CLUSTERS}
 * @param metric index of the metric in the run's metric list
 * @param a tile row, or row-block index
 * @param b tile column, or 0
 */
public record PartKey(int kind, int metric, long a, long b) implements Serializable {
  public static final int TILE = 0;
  public static final int NEIGHBORS = 1;
  public static final int RANGE = 2;
  public static final int CLUSTERS = 3;

  public static PartKey tile(int metric, long tileRow, long tileCol) {
    return new PartKey(TILE, metric, tileRow, tileCol);
  }

  public static PartKey neighbors(int metric, long block) {
    return new PartKey(NEIGHBORS, metric, block, 0);
  }

  public static PartKey range(int metric) {
    return new PartKey(RANGE, metric, 0, 0);
  }

  public static PartKey clusters(int metric) {
    return new PartKey(CLUSTERS, metric, 0, 0);
  }
}
