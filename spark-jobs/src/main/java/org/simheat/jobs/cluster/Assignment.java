package org.simheat.jobs.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.linalg.Vectors;

/**
 * The clustering's first pass over the rows: each row's cluster as the trained model predicts it (a
 * zero row goes where the model puts the zero vector), and per model cluster its size, its non-zero
 * rows, and the sums of its members' unit vectors and raw rows, in double precision.
 *
 * <p>Cost: one read of the matrix and a prediction per row (O(K·d) for k-means, O(depth·d) for the
 * bisecting tree); the result holds one int per row and 2·m·d doubles for m model clusters.
 */
final class Assignment implements UnitRows.Fold<Assignment.Part> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<ClusterTraining.Predictor> predictor;
  private final int clusters;
  private final int dim;

  /**
   * @param clusters the model's cluster count m (its indices are 0…m − 1)
   */
  Assignment(Broadcast<ClusterTraining.Predictor> predictor, int clusters, int dim) {
    this.predictor = predictor;
    this.clusters = clusters;
    this.dim = dim;
  }

  /** Model clusters of consecutive rows from {@code start}. */
  record Labels(long start, int[] cluster) implements Serializable {}

  /** What a range of rows adds up to. */
  static final class Part implements Serializable {
    private static final long serialVersionUID = 1L;

    final List<Labels> labels = new ArrayList<>();
    final long[] size;
    final long[] nonZero;
    final double[] unit;
    final double[] raw;

    Part(int clusters, int dim) {
      size = new long[clusters];
      nonZero = new long[clusters];
      unit = new double[clusters * dim];
      raw = new double[clusters * dim];
    }

    /** Each row's model cluster, by row. */
    int[] clusterOfRow(int n) {
      int[] out = new int[n];
      for (Labels l : labels) {
        System.arraycopy(l.cluster(), 0, out, (int) l.start(), l.cluster().length);
      }
      return out;
    }
  }

  @Override
  public Part start(long from, long to) {
    Part p = new Part(clusters, dim);
    p.labels.add(new Labels(from, new int[(int) (to - from)]));
    return p;
  }

  @Override
  public void row(Part acc, long row, double[] unit, float[] raw, int offset) {
    int c = predictor.value().predict(Vectors.dense(unit));
    if (c < 0 || c >= clusters) {
      throw new IllegalStateException("The model predicted cluster " + c + " of " + clusters);
    }
    Labels mine = acc.labels.get(0);
    mine.cluster()[(int) (row - mine.start())] = c;
    acc.size[c]++;
    boolean zero = true;
    int base = c * dim;
    for (int k = 0; k < dim; k++) {
      acc.unit[base + k] += unit[k];
      acc.raw[base + k] += raw[offset + k];
      zero &= unit[k] == 0;
    }
    if (!zero) {
      acc.nonZero[c]++;
    }
  }

  @Override
  public Part merge(Part a, Part b) {
    a.labels.addAll(b.labels);
    for (int c = 0; c < clusters; c++) {
      a.size[c] += b.size[c];
      a.nonZero[c] += b.nonZero[c];
    }
    for (int x = 0; x < a.unit.length; x++) {
      a.unit[x] += b.unit[x];
      a.raw[x] += b.raw[x];
    }
    return a;
  }
}
