package org.simheat.jobs.cluster;

import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.jobs.similarity.ClusterCells;

/**
 * The cluster-pooled value of one metric over the pairs of a row leaf I and a column leaf J, the
 * pairs |I|·|J| (diagonal pairs included, as in tiles).
 *
 * <p>Means of the bilinear metrics are exact from the leaves' sums: mean dot = R_I·R_J / (|I|·|J|)
 * for raw sums R, and mean cosine = U_I·U_J / (|I|·|J|) for sums of unit vectors U (a zero row's
 * unit vector is 0, so its cosines count as 0). The mean of l2 (not bilinear), the max and the min
 * come from the blocked pass ({@link ClusterCells}).
 */
final class ClusterPooling {
  private final Metric metric;
  private final ClusterOrder rows;
  private final ClusterOrder cols;
  private final ClusterCells pass;

  /**
   * @param pass what the pass pooled, or null when there was none (then only the means of bilinear
   *     metrics exist)
   */
  ClusterPooling(Metric metric, ClusterOrder rows, ClusterOrder cols, ClusterCells pass) {
    this.metric = metric;
    this.rows = rows;
    this.cols = cols;
    this.pass = pass;
  }

  /** Pairs pooled in (i, j). */
  long pairs(int i, int j) {
    return rows.size(i) * cols.size(j);
  }

  /**
   * The pooled value.
   *
   * @throws IllegalStateException if it needs the pass and there was none
   */
  double value(Aggregation a, int i, int j) {
    if (a == Aggregation.MEAN && metric != Metric.L2) {
      double[] x = metric == Metric.COSINE ? rows.unitSum(i) : rows.rawSum(i);
      double[] y = metric == Metric.COSINE ? cols.unitSum(j) : cols.rawSum(j);
      double dot = 0;
      for (int k = 0; k < x.length; k++) {
        dot += x[k] * y[k];
      }
      return dot / pairs(i, j);
    }
    if (pass == null) {
      throw new IllegalStateException(
          "The " + a.id() + " of " + metric.id() + " over clusters needs the blocked pass");
    }
    return switch (a) {
      case MEAN -> pass.sum(i, j) / pairs(i, j);
      case MAX -> pass.max(i, j);
      case MIN -> pass.min(i, j);
    };
  }
}
