package org.simheat.viewer.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;

/**
 * The cluster tables of a run in cluster order: the row axis's tree ({@code clusters}), the column
 * axis's tree of a clustered cross run ({@code col_clusters}), and the K × K cluster-pooled
 * matrices ({@code cluster_tiles/metric=<m>}). Trees are small and read once; matrices are read
 * whole on demand (K² rows) and cached by the caller.
 */
public final class ClusterStore {
  private final Path runDir;
  private final FooterCache footers;
  private final Map<String, ClusterTree> trees = new ConcurrentHashMap<>();
  private final Map<Metric, ParquetTable> tiles = new ConcurrentHashMap<>();

  /** The cluster tables of the run in {@code runDir}. */
  public ClusterStore(Path runDir, FooterCache footers) {
    this.runDir = runDir;
    this.footers = footers;
  }

  /** The tree table of the rows ({@code columns} false) or of a cross run's columns. */
  public ParquetTable treeTable(boolean columns) {
    return new ParquetTable(
        runDir.resolve(columns ? RunLayout.COL_CLUSTERS : RunLayout.CLUSTERS), footers);
  }

  /** The cluster-pooled table of a metric. */
  public ParquetTable tilesTable(Metric metric) {
    return tiles.computeIfAbsent(
        metric, m -> new ParquetTable(runDir.resolve(RunLayout.clusterTilesDir(m)), footers));
  }

  /**
   * The tree of the rows or of a cross run's columns, read once.
   *
   * @throws IOException if the table cannot be read
   */
  public ClusterTree tree(boolean columns) throws IOException {
    String key = columns ? RunLayout.COL_CLUSTERS : RunLayout.CLUSTERS;
    ClusterTree t = trees.get(key);
    if (t == null) {
      t = ClusterTree.read(treeTable(columns));
      trees.put(key, t);
    }
    return t;
  }

  /**
   * Reads the whole cluster-pooled matrix of a metric: {@code rows × cols} cells, each exactly
   * once.
   *
   * @param aggregations the aggregations the run stores
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException if a cell is missing, repeated or outside the matrix
   */
  public ClusterCells read(Metric metric, int rows, int cols, List<Aggregation> aggregations)
      throws IOException {
    List<String> columns = new ArrayList<>(List.of(Columns.CLUSTER_ROW, Columns.CLUSTER_COL));
    columns.add(Columns.PAIRS);
    aggregations.forEach(a -> columns.add(a.id()));
    int cells = Math.multiplyExact(rows, cols);
    long[] pairs = new long[cells];
    Arrays.fill(pairs, -1);
    float[][] values = new float[Aggregation.values().length][];
    for (Aggregation a : aggregations) {
      values[a.ordinal()] = new float[cells];
    }
    tilesTable(metric)
        .scan(
            columns,
            row -> {
              int k = cell(row.intValue(0), row.intValue(1), rows, cols, pairs, metric);
              pairs[k] = row.longValue(2);
              for (int a = 0; a < aggregations.size(); a++) {
                values[aggregations.get(a).ordinal()][k] = row.floatValue(3 + a);
              }
              return true;
            });
    for (int k = 0; k < cells; k++) {
      if (pairs[k] < 0) {
        throw new IllegalStateException(
            "The cluster tiles of "
                + metric.id()
                + " miss cell ("
                + k / cols
                + ", "
                + k % cols
                + ")");
      }
    }
    return new ClusterCells(
        rows,
        cols,
        pairs,
        values[Aggregation.MEAN.ordinal()],
        values[Aggregation.MAX.ordinal()],
        values[Aggregation.MIN.ordinal()]);
  }

  private static int cell(int r, int c, int rows, int cols, long[] pairs, Metric metric) {
    if (r < 0 || r >= rows || c < 0 || c >= cols) {
      throw new IllegalStateException(
          String.format(
              "The cluster tiles of %s hold cell (%d, %d) outside %d × %d clusters",
              metric.id(), r, c, rows, cols));
    }
    int k = r * cols + c;
    if (pairs[k] >= 0) {
      throw new IllegalStateException(
          "The cluster tiles of " + metric.id() + " hold cell (" + r + ", " + c + ") twice");
    }
    return k;
  }
}
