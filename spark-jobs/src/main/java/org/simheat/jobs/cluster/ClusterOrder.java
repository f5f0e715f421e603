package org.simheat.jobs.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.input.PermutedMatrix;
import org.simheat.jobs.similarity.ClusterGrid;

/**
 * The cluster order of one axis: which input row sits at each position, the leaf of each position,
 * the cluster tree's nodes, and each leaf's sums of unit vectors and of raw rows (from which
 * cluster-pooled means follow by bilinearity).
 *
 * <p>Positions run leaf by leaf in the tree's order; inside a leaf, by cosine to the leaf's
 * centroid, descending, ties to the smaller input row. The mean cosine over a node's distinct
 * member pairs is exact, from the sum S of its members' unit vectors: Σ_{a≠b} u_a·u_b = ‖S‖² −
 * Σ‖u_a‖², over n(n − 1) pairs (a zero row's unit vector is 0, so its cosines count as 0).
 */
public final class ClusterOrder {
  private final int[] ids;
  private final int[] leafOfPosition;
  private final List<ClusterNode> nodes;
  private final double[][] unitSums;
  private final double[][] rawSums;
  private final long[] bounds;

  private ClusterOrder(
      int[] ids,
      int[] leafOfPosition,
      List<ClusterNode> nodes,
      double[][] unitSums,
      double[][] rawSums,
      long[] bounds) {
    this.ids = ids;
    this.leafOfPosition = leafOfPosition;
    this.nodes = nodes;
    this.unitSums = unitSums;
    this.rawSums = rawSums;
    this.bounds = bounds;
  }

  /**
   * Lays the rows out from the tree and the two passes.
   *
   * @param leafOfRow each input row's leaf
   * @param cosine each input row's cosine to its leaf's centroid
   * @param members the second pass's labels and radii
   * @param tokens tokens by input row, or null for row numbers
   */
  static ClusterOrder of(
      ClusterTree tree,
      int[] leafOfRow,
      double[] cosine,
      Membership.Part members,
      List<String> tokens) {
    int[] ids = rowsByPosition(leafOfRow, null, cosine);
    return laidOut(tree, leafOfRow, ids, members, tokens);
  }

  /**
   * The input row at each position, leaf by leaf: in each leaf the rows with a reference position
   * ({@code refPos[row] ≥ 0}, {@code --order-from}) by that position, then the others by cosine to
   * the leaf's centroid, descending; ties to the smaller row.
   *
   * @param refPos each row's position in the reference run, −1 for none; null when there is none
   */
  static int[] rowsByPosition(int[] leafOfRow, int[] refPos, double[] cosine) {
    int n = leafOfRow.length;
    Integer[] rows = new Integer[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    Arrays.sort(
        rows,
        (a, b) -> {
          int c = Integer.compare(leafOfRow[a], leafOfRow[b]);
          if (c != 0) {
            return c;
          }
          boolean ma = refPos != null && refPos[a] >= 0;
          boolean mb = refPos != null && refPos[b] >= 0;
          if (ma != mb) {
            return ma ? -1 : 1;
          }
          c = ma ? Integer.compare(refPos[a], refPos[b]) : Double.compare(cosine[b], cosine[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    return Arrays.stream(rows).mapToInt(Integer::intValue).toArray();
  }

  /**
   * The order of rows laid out by the caller: {@code ids} holds the input row at each position,
   * leaf by leaf in the tree's order (the leaves' sizes end to end).
   *
   * @param leafOfRow each input row's leaf
   * @param ids the input row at each position
   * @param members the second pass's labels and radii
   * @param tokens tokens by input row, or null for row numbers
   */
  static ClusterOrder laidOut(
      ClusterTree tree, int[] leafOfRow, int[] ids, Membership.Part members, List<String> tokens) {
    int n = ids.length;
    int[] leafOfPosition = new int[n];
    for (int p = 0; p < n; p++) {
      leafOfPosition[p] = leafOfRow[ids[p]];
    }
    List<ClusterNode> nodes = new ArrayList<>();
    for (int id = 0; id < tree.nodes(); id++) {
      nodes.add(node(tree, id, members, tokens));
    }
    double[][] unit = Arrays.copyOf(tree.unit, tree.leaves);
    return new ClusterOrder(ids, leafOfPosition, nodes, unit, tree.raw, tree.bounds());
  }

  private static ClusterNode node(
      ClusterTree tree, int id, Membership.Part members, List<String> tokens) {
    List<String> label = new ArrayList<>();
    for (int row : members.labelRows[id]) {
      label.add(tokens == null ? Integer.toString(row) : tokens.get(row));
    }
    long size = tree.size[id];
    Double mean = null;
    if (size > 1) {
      double s2 = 0;
      for (double v : tree.unit[id]) {
        s2 += v * v;
      }
      mean = (s2 - tree.nonZero[id]) / ((double) size * (size - 1));
    }
    return new ClusterNode(
        id,
        tree.parent[id],
        id < tree.leaves,
        tree.depth[id],
        tree.start[id],
        tree.end[id],
        List.copyOf(label),
        mean,
        Math.sqrt(Math.max(0, members.maxDist2[id])));
  }

  /** Leaf clusters K. */
  public int clusters() {
    return bounds.length - 1;
  }

  /** The input row at each position; not a copy. */
  public int[] ids() {
    return ids;
  }

  /** The leaf of each position; not a copy. */
  public int[] leafOfPosition() {
    return leafOfPosition;
  }

  /** Every node of the tree, by id. */
  public List<ClusterNode> nodes() {
    return nodes;
  }

  /** Leaf boundaries: leaf i covers positions {@code [bounds[i], bounds[i + 1])}; not a copy. */
  public long[] bounds() {
    return bounds;
  }

  /** Leaf i's sum of its members' unit vectors (zero rows add nothing). */
  public double[] unitSum(int leaf) {
    return unitSums[leaf];
  }

  /** Leaf i's sum of its members' raw rows. */
  public double[] rawSum(int leaf) {
    return rawSums[leaf];
  }

  /** Members of leaf i. */
  public long size(int leaf) {
    return bounds[leaf + 1] - bounds[leaf];
  }

  /** The matrix in this order: position p reads input row {@code ids()[p]}. */
  public MatrixSource view(MatrixSource input) {
    return new PermutedMatrix(input, ids);
  }

  /** Per-row values (input order) rearranged by position. */
  public double[] byPosition(double[] perRow) {
    double[] out = new double[ids.length];
    for (int p = 0; p < ids.length; p++) {
      out[p] = perRow[ids[p]];
    }
    return out;
  }

  /** The leaf grid of a symmetric run (the same clusters on both axes). */
  public ClusterGrid grid() {
    return new ClusterGrid(bounds, bounds);
  }
}
