package org.simheat.jobs.cluster;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.simheat.jobs.input.MatrixSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lays out one axis of a new run in the order of an axis of another run ({@code compute
 * --order-from}), by token identity.
 *
 * <p>Matching: the k-th occurrence of token t among the new rows (in row order) takes the position
 * of the k-th occurrence of t in the other run (in its position order); the other rows are
 * unmatched. In input order the matched rows come first, by the position they took (compacted: the
 * other run's tokens that the new input lacks leave no gap), then the unmatched rows in row order.
 *
 * <p>In cluster order the new axis keeps the other run's tree. A matched row keeps its leaf; an
 * unmatched row joins the leaf whose centroid (the mean unit vector of the leaf's matched rows, in
 * the new data) is nearest by cosine ({@link LeafPlacement}). Inside a leaf the matched rows keep
 * the other run's order and the unmatched ones follow by that cosine, descending (ties to the
 * smaller row). Leaves left empty are dropped as {@link ClusterTree} prunes, and every statistic
 * (sizes, ranges, labels, mean similarity, radius, the sums behind cluster tiles) comes from the
 * new data, as for a fresh cluster order.
 *
 * <p>Cost: O(N) on the driver to match, then in cluster order three reads of the matrix (sums of
 * the matched rows, placement of the others with K dot products each, then {@link Membership}).
 */
public final class ReferenceOrder {
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceOrder.class);

  private ReferenceOrder() {}

  /**
   * The new axis's order.
   *
   * @param ids the input row at each position
   * @param clusters the cluster order (whose {@code ids()} are {@code ids}), or null in input order
   */
  public record Followed(int[] ids, ClusterOrder clusters) {}

  /**
   * Orders the rows of {@code source} as the reference axis orders its tokens.
   *
   * @param norms each row's L2 norm (input order)
   * @param tokens tokens by row, or null for row numbers
   * @param reference the other run's axis
   * @param runId the other run's id, for messages
   * @param what the new axis (its input), for messages
   * @throws IllegalArgumentException in cluster order, if no token of the input is in the other run
   */
  public static Followed follow(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      double[] norms,
      List<String> tokens,
      ReferenceRun.Axis reference,
      int blockRows,
      String runId,
      String what) {
    int[] refPos = match(reference.tokens(), tokens, norms.length);
    long matched = Arrays.stream(refPos).filter(q -> q >= 0).count();
    LOG.info(
        String.format(
            Locale.ROOT,
            "Order of run %s for %s: %d of %d tokens at its positions, %d after them",
            runId,
            what,
            matched,
            norms.length,
            norms.length - matched));
    if (!reference.clustered()) {
      return new Followed(inputOrder(refPos, reference.tokens().length), null);
    }
    if (matched == 0) {
      throw new IllegalArgumentException(
          "Cannot take the order of run " + runId + ": it has none of the tokens of " + what);
    }
    ClusterOrder order = clusterOrder(jsc, source, norms, tokens, reference, refPos, blockRows);
    LOG.info(
        "Cluster order of run {} for {}: {} leaves of its {}",
        runId,
        what,
        order.clusters(),
        reference.shape().leaves().size());
    return new Followed(order.ids(), order);
  }

  /**
   * The position in the reference that each new row takes, or −1: the k-th occurrence of a token
   * among the rows takes its k-th position in the reference.
   *
   * @param tokens tokens by row, or null for row numbers
   */
  static int[] match(String[] reference, List<String> tokens, int n) {
    int[] next = new int[reference.length];
    Map<String, Integer> head = new HashMap<>();
    for (int q = reference.length - 1; q >= 0; q--) {
      Integer first = head.put(reference[q], q);
      next[q] = first == null ? -1 : first;
    }
    int[] refPos = new int[n];
    for (int i = 0; i < n; i++) {
      String t = tokens == null ? Integer.toString(i) : tokens.get(i);
      Integer q = head.get(t);
      if (q == null || q < 0) {
        refPos[i] = -1;
      } else {
        refPos[i] = q;
        head.put(t, next[q]);
      }
    }
    return refPos;
  }

  /** Matched rows by the position they took, then the others in row order. */
  static int[] inputOrder(int[] refPos, int referenceRows) {
    int[] rowAt = new int[referenceRows];
    Arrays.fill(rowAt, -1);
    for (int i = 0; i < refPos.length; i++) {
      if (refPos[i] >= 0) {
        rowAt[refPos[i]] = i;
      }
    }
    int[] ids = new int[refPos.length];
    int p = 0;
    for (int row : rowAt) {
      if (row >= 0) {
        ids[p++] = row;
      }
    }
    for (int i = 0; i < refPos.length; i++) {
      if (refPos[i] < 0) {
        ids[p++] = i;
      }
    }
    return ids;
  }

  private static ClusterOrder clusterOrder(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      double[] norms,
      List<String> tokens,
      ReferenceRun.Axis reference,
      int[] refPos,
      int blockRows) {
    int n = norms.length;
    int d = source.value().dim();
    int leaves = reference.shape().leaves().size();
    int[] refLeaf = new int[n];
    for (int i = 0; i < n; i++) {
      refLeaf[i] = refPos[i] < 0 ? -1 : reference.leafOfPosition()[refPos[i]];
    }
    Broadcast<double[]> bNorms = jsc.broadcast(norms);
    try {
      LeafPlacement.Part sums =
          pass(jsc, source, bNorms, blockRows, LeafPlacement.Plan.matched(refLeaf), leaves, d);
      int[] leafOfRow = refLeaf;
      double[] cosine = new double[n];
      if (Arrays.stream(refPos).anyMatch(q -> q < 0)) {
        LeafPlacement.Plan plan = LeafPlacement.Plan.unmatched(refLeaf, centroids(sums, d));
        LeafPlacement.Part placed = pass(jsc, source, bNorms, blockRows, plan, leaves, d);
        leafOfRow = placed.sums.clusterOfRow(n);
        cosine = placed.cosineOfRow(n);
        sums.add(placed);
      }
      ClusterTree tree = ClusterTree.keeping(reference.shape(), sums.sums, reference.flat(), d);
      for (int i = 0; i < n; i++) {
        leafOfRow[i] = tree.leafOfModel[leafOfRow[i]];
      }
      Membership.Part members = membership(jsc, source, bNorms, blockRows, tree, leafOfRow);
      int[] ids = ClusterOrder.rowsByPosition(leafOfRow, refPos, cosine);
      return ClusterOrder.laidOut(tree, leafOfRow, ids, members, tokens);
    } finally {
      bNorms.destroy();
    }
  }

  private static LeafPlacement.Part pass(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      Broadcast<double[]> norms,
      int blockRows,
      LeafPlacement.Plan plan,
      int leaves,
      int d) {
    Broadcast<LeafPlacement.Plan> b = jsc.broadcast(plan);
    try {
      return UnitRows.fold(jsc, source, norms, blockRows, new LeafPlacement(b, leaves, d));
    } finally {
      b.destroy();
    }
  }

  /** Each leaf's centroid from its matched rows' unit vectors, null for a leaf with none. */
  private static double[][] centroids(LeafPlacement.Part matched, int d) {
    Assignment.Part s = matched.sums;
    double[][] c = new double[s.size.length][];
    for (int leaf = 0; leaf < c.length; leaf++) {
      if (s.size[leaf] > 0) {
        c[leaf] = new double[d];
        for (int k = 0; k < d; k++) {
          c[leaf][k] = s.unit[leaf * d + k] / s.size[leaf];
        }
      }
    }
    return c;
  }

  private static Membership.Part membership(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      Broadcast<double[]> norms,
      int blockRows,
      ClusterTree tree,
      int[] leafOfRow) {
    Broadcast<Membership.Tree> members =
        jsc.broadcast(
            Membership.Tree.of(
                leafOfRow, AxisClustering.centroids(tree), AxisClustering.paths(tree)));
    try {
      return UnitRows.fold(jsc, source, norms, blockRows, new Membership(members));
    } finally {
      members.destroy();
    }
  }
}
