package org.simheat.jobs.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/**
 * The passes over the rows that place them in the leaves of another run's tree ({@link
 * ReferenceOrder}). Rows whose token that run holds come with their leaf; the first pass sums them
 * per leaf (size, non-zero rows, unit vectors and raw rows, as {@link Assignment} does). The second
 * pass, given each leaf's centroid (the mean of its matched members' unit vectors), puts every
 * other row in the leaf whose centroid is nearest by cosine (ties to the smaller leaf; a leaf with
 * no matched member takes none), records that cosine, and sums those rows per leaf.
 *
 * <p>For a unit vector u and a centroid c, cos = u·c/‖c‖ (0 when c is 0); a zero row has cosine 0
 * everywhere and so joins the first leaf with a centroid. Cost: one read of the matrix per pass;
 * the second computes K dot products per unmatched row.
 */
final class LeafPlacement implements UnitRows.Fold<LeafPlacement.Part> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<Plan> plan;
  private final int leaves;
  private final int dim;

  /**
   * What every task needs to know.
   *
   * @param leafOfRow each row's leaf when its token was matched, else −1
   * @param centroids each leaf's centroid (null for a leaf with no matched member), or null in the
   *     first pass
   * @param centroidNorms each centroid's norm
   */
  record Plan(int[] leafOfRow, double[][] centroids, double[] centroidNorms)
      implements Serializable {
    /** The first pass: sums of the matched rows. */
    static Plan matched(int[] leafOfRow) {
      return new Plan(leafOfRow, null, null);
    }

    /** The second pass: the other rows against the centroids. */
    static Plan unmatched(int[] leafOfRow, double[][] centroids) {
      double[] norms = new double[centroids.length];
      for (int c = 0; c < norms.length; c++) {
        norms[c] = centroids[c] == null ? 0 : Math.sqrt(Membership.dot(centroids[c], centroids[c]));
      }
      return new Plan(leafOfRow, centroids, norms);
    }

    boolean placing() {
      return centroids != null;
    }
  }

  /** A pass over a plan broadcast to every task, for a tree of {@code leaves} leaves. */
  LeafPlacement(Broadcast<Plan> plan, int leaves, int dim) {
    this.plan = plan;
    this.leaves = leaves;
    this.dim = dim;
  }

  /**
   * What a range of rows adds up to: the sums of the rows the pass takes and, in the second pass,
   * every row's leaf ({@code sums.labels}) and each placed row's cosine to it.
   */
  static final class Part implements Serializable {
    private static final long serialVersionUID = 1L;

    final Assignment.Part sums;
    final List<Membership.Scores> scores = new ArrayList<>();

    Part(int leaves, int dim) {
      sums = new Assignment.Part(leaves, dim);
    }

    /** Each row's cosine to its leaf's centroid (0 for matched rows), by row. */
    double[] cosineOfRow(int n) {
      double[] out = new double[n];
      for (Membership.Scores s : scores) {
        System.arraycopy(s.cosine(), 0, out, (int) s.start(), s.cosine().length);
      }
      return out;
    }

    /** Adds another part's sums into this one's. */
    void add(Part other) {
      Assignment.Part a = sums;
      Assignment.Part b = other.sums;
      for (int c = 0; c < a.size.length; c++) {
        a.size[c] += b.size[c];
        a.nonZero[c] += b.nonZero[c];
      }
      for (int x = 0; x < a.unit.length; x++) {
        a.unit[x] += b.unit[x];
        a.raw[x] += b.raw[x];
      }
    }
  }

  @Override
  public Part start(long from, long to) {
    Part p = new Part(leaves, dim);
    if (plan.value().placing()) {
      int count = (int) (to - from);
      p.sums.labels.add(new Assignment.Labels(from, new int[count]));
      p.scores.add(new Membership.Scores(from, new double[count]));
    }
    return p;
  }

  @Override
  public void row(Part acc, long row, double[] unit, float[] raw, int offset) {
    Plan t = plan.value();
    int leaf = t.leafOfRow()[(int) row];
    if (t.placing()) {
      int at = (int) (row - acc.sums.labels.get(0).start());
      if (leaf < 0) {
        leaf = nearest(t, unit);
        acc.scores.get(0).cosine()[at] = cosine(t, unit, leaf);
        add(acc.sums, leaf, unit, raw, offset);
      }
      acc.sums.labels.get(0).cluster()[at] = leaf;
    } else if (leaf >= 0) {
      add(acc.sums, leaf, unit, raw, offset);
    }
  }

  /** The leaf whose centroid is nearest by cosine, ties to the smaller leaf. */
  private static int nearest(Plan t, double[] unit) {
    int best = -1;
    double bestCos = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < t.centroids().length; c++) {
      if (t.centroids()[c] != null) {
        double cos = cosine(t, unit, c);
        if (cos > bestCos) {
          best = c;
          bestCos = cos;
        }
      }
    }
    return best;
  }

  private static double cosine(Plan t, double[] unit, int leaf) {
    double norm = t.centroidNorms()[leaf];
    return norm > 0 ? Membership.dot(unit, t.centroids()[leaf]) / norm : 0;
  }

  private void add(Assignment.Part sums, int leaf, double[] unit, float[] raw, int offset) {
    sums.size[leaf]++;
    boolean zero = true;
    int base = leaf * dim;
    for (int k = 0; k < dim; k++) {
      sums.unit[base + k] += unit[k];
      sums.raw[base + k] += raw[offset + k];
      zero &= unit[k] == 0;
    }
    if (!zero) {
      sums.nonZero[leaf]++;
    }
  }

  @Override
  public Part merge(Part a, Part b) {
    a.sums.labels.addAll(b.sums.labels);
    a.scores.addAll(b.scores);
    a.add(b);
    return a;
  }
}
