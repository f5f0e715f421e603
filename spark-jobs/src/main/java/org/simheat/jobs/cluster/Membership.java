package org.simheat.jobs.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/**
 * The clustering's second pass over the rows, against the final tree's exact centroids (the mean of
 * each node's members' unit vectors, from the first pass): each row's cosine to its leaf's
 * centroid, which orders the leaf; for every node, its {@value #LABEL} members most similar to its
 * centroid (ties to the smaller row), which label it; and its radius, the largest distance from a
 * member's unit vector to the centroid.
 *
 * <p>For a unit vector u and a centroid c, cos = u·c/‖c‖ and ‖u − c‖² = 1 + ‖c‖² − 2·u·c; a zero
 * row has cosine 0 and distance ‖c‖. Cost: one read of the matrix and, per row, one dot product
 * with each node on its leaf's path to the root.
 */
final class Membership implements UnitRows.Fold<Membership.Part> {
  private static final long serialVersionUID = 1L;

  /** Members that label a node. */
  static final int LABEL = 3;

  private final Broadcast<Tree> tree;
  private final int nodes;

  /**
   * What every task needs to know of the tree.
   *
   * @param leafOfRow each row's leaf (input order)
   * @param centroids each node's centroid
   * @param centroidNorms each centroid's norm
   * @param paths each leaf's nodes, from the leaf up to its root
   */
  record Tree(int[] leafOfRow, double[][] centroids, double[] centroidNorms, int[][] paths)
      implements Serializable {
    /** The tree for the given rows' leaves, centroids and paths. */
    static Tree of(int[] leafOfRow, double[][] centroids, int[][] paths) {
      double[] norms = Arrays.stream(centroids).mapToDouble(c -> Math.sqrt(dot(c, c))).toArray();
      return new Tree(leafOfRow, centroids, norms, paths);
    }
  }

  /** The pass over a tree broadcast to every task. */
  Membership(Broadcast<Tree> tree) {
    this.tree = tree;
    this.nodes = tree.value().centroids().length;
  }

  /** Cosines to the leaf centroid of consecutive rows from {@code start}. */
  record Scores(long start, double[] cosine) implements Serializable {}

  /** What a range of rows adds up to. */
  static final class Part implements Serializable {
    private static final long serialVersionUID = 1L;

    final List<Scores> scores = new ArrayList<>();
    final double[] maxDist2;
    final int[][] labelRows;
    final double[][] labelCos;

    Part(int nodes) {
      maxDist2 = new double[nodes];
      labelRows = new int[nodes][0];
      labelCos = new double[nodes][0];
    }

    /** Each row's cosine to its leaf's centroid, by row. */
    double[] cosineOfRow(int n) {
      double[] out = new double[n];
      for (Scores s : scores) {
        System.arraycopy(s.cosine(), 0, out, (int) s.start(), s.cosine().length);
      }
      return out;
    }

    /** Offers row {@code row} with cosine {@code cos} as a label of node n. */
    void offer(int n, int row, double cos) {
      int[] rows = labelRows[n];
      double[] cs = labelCos[n];
      int at = rows.length;
      while (at > 0 && better(cos, row, cs[at - 1], rows[at - 1])) {
        at--;
      }
      if (at >= LABEL) {
        return;
      }
      int len = Math.min(LABEL, rows.length + 1);
      int[] r2 = new int[len];
      double[] c2 = new double[len];
      System.arraycopy(rows, 0, r2, 0, at);
      System.arraycopy(cs, 0, c2, 0, at);
      r2[at] = row;
      c2[at] = cos;
      System.arraycopy(rows, at, r2, at + 1, len - at - 1);
      System.arraycopy(cs, at, c2, at + 1, len - at - 1);
      labelRows[n] = r2;
      labelCos[n] = c2;
    }

    private static boolean better(double cos, int row, double otherCos, int otherRow) {
      return cos > otherCos || (cos == otherCos && row < otherRow);
    }
  }

  @Override
  public Part start(long from, long to) {
    Part p = new Part(nodes);
    p.scores.add(new Scores(from, new double[(int) (to - from)]));
    return p;
  }

  @Override
  public void row(Part acc, long row, double[] unit, float[] raw, int offset) {
    Tree t = tree.value();
    int leaf = t.leafOfRow()[(int) row];
    double unitSq = dot(unit, unit) > 0 ? 1 : 0;
    for (int n : t.paths()[leaf]) {
      double dot = dot(unit, t.centroids()[n]);
      double norm = t.centroidNorms()[n];
      double cos = norm > 0 ? dot / norm : 0;
      acc.maxDist2[n] = Math.max(acc.maxDist2[n], unitSq + norm * norm - 2 * dot);
      acc.offer(n, (int) row, cos);
      if (n == leaf) {
        Scores mine = acc.scores.get(0);
        mine.cosine()[(int) (row - mine.start())] = cos;
      }
    }
  }

  @Override
  public Part merge(Part a, Part b) {
    a.scores.addAll(b.scores);
    for (int n = 0; n < a.maxDist2.length; n++) {
      a.maxDist2[n] = Math.max(a.maxDist2[n], b.maxDist2[n]);
      for (int x = 0; x < b.labelRows[n].length; x++) {
        a.offer(n, b.labelRows[n][x], b.labelCos[n][x]);
      }
    }
    return a;
  }

  /** The dot product of two vectors of one length. */
  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
