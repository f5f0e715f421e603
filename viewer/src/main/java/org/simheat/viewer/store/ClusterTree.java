package org.simheat.viewer.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.simheat.format.Columns;

/**
 * The cluster tree of one axis of a run in cluster order, from its {@code clusters} (or {@code
 * col_clusters}) table: leaves 0…K−1 in display order, internal nodes K… in depth-first order,
 * every node covering the contiguous positions [start, end).
 *
 * <p>Invariants checked by {@link #problem}: node ids are 0…(nodes−1) without gaps; the leaves are
 * exactly 0…K−1 and tile [0, n) in id order; each node lies inside its parent; sizes equal their
 * ranges. A leaf of a position is found by binary search over the leaves' starts: O(log K).
 */
public final class ClusterTree {
  private static final List<String> COLUMNS =
      List.of(
          Columns.CLUSTER,
          Columns.PARENT,
          Columns.LEAF,
          Columns.DEPTH,
          Columns.START,
          Columns.END,
          Columns.SIZE,
          Columns.LABEL,
          Columns.LABEL_TOKENS,
          Columns.MEAN_SIMILARITY,
          Columns.RADIUS);

  private final List<Node> nodes;
  private final List<Node> leaves;

  /** A tree of these nodes, by id. */
  public ClusterTree(List<Node> nodes) {
    this.nodes = List.copyOf(nodes);
    this.leaves = this.nodes.stream().filter(Node::leaf).toList();
  }

  /**
   * One node of the tree.
   *
   * @param cluster its id
   * @param parent its parent's id, −1 for the root
   * @param leaf whether it is a leaf (a display cluster)
   * @param depth its depth, 0 at the root
   * @param start its first position
   * @param end the position past its last
   * @param size its members, {@code end − start}
   * @param label its 3 tokens nearest the centroid, joined by {@code " · "}
   * @param labelTokens those tokens
   * @param meanSimilarity mean cosine over distinct member pairs, null for a single member
   * @param radius largest distance from a member's unit vector to the centroid, or null
   */
  public record Node(
      int cluster,
      int parent,
      boolean leaf,
      int depth,
      long start,
      long end,
      long size,
      String label,
      List<String> labelTokens,
      Float meanSimilarity,
      Float radius) {}

  /**
   * Reads a whole tree table (it holds about 2K rows), nodes by id.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException if a file lacks a column
   */
  public static ClusterTree read(ParquetTable table) throws IOException {
    List<Node> nodes = new ArrayList<>();
    table.scan(
        COLUMNS,
        row -> {
          nodes.add(
              new Node(
                  row.intValue(0),
                  row.intValue(1),
                  row.booleanValue(2),
                  row.intValue(3),
                  row.longValue(4),
                  row.longValue(5),
                  row.longValue(6),
                  row.isNull(7) ? "" : row.string(7),
                  List.copyOf(row.stringList(8)),
                  row.isNull(9) ? null : row.floatValue(9),
                  row.isNull(10) ? null : row.floatValue(10)));
          return true;
        });
    nodes.sort(Comparator.comparingInt(Node::cluster));
    return new ClusterTree(nodes);
  }

  /**
   * One leaf covering the whole axis: how an axis in input order is shown beside a clustered one.
   */
  public static ClusterTree whole(long n, String label) {
    return new ClusterTree(
        List.of(new Node(0, -1, true, 0, 0, n, n, label, List.of(), null, null)));
  }

  /** Every node, by id. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The leaves, by id (which is display order). */
  public List<Node> leaves() {
    return leaves;
  }

  /** The number of leaves K. */
  public int leafCount() {
    return leaves.size();
  }

  /** The id of the leaf holding a position in [0, n). */
  public int leafAt(long position) {
    int lo = 0;
    int hi = leaves.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (leaves.get(mid).start() <= position) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return leaves.get(lo).cluster();
  }

  /**
   * Why this tree cannot describe an axis of {@code n} positions in {@code k} leaves, or null when
   * it can.
   */
  public String problem(long n, int k) {
    for (int id = 0; id < nodes.size(); id++) {
      if (nodes.get(id).cluster() != id) {
        return "its cluster ids are not 0.." + (nodes.size() - 1) + " (missing " + id + ")";
      }
    }
    if (leaves.size() != k) {
      return "it has " + leaves.size() + " leaf clusters where the manifest says " + k;
    }
    long next = 0;
    for (int id = 0; id < k; id++) {
      Node leaf = nodes.get(id);
      if (!leaf.leaf()) {
        return "its node " + id + " is not a leaf, but leaves are 0.." + (k - 1);
      }
      if (leaf.start() != next || leaf.end() <= leaf.start()) {
        return "its leaf "
            + id
            + " covers ["
            + leaf.start()
            + ", "
            + leaf.end()
            + ") after "
            + next;
      }
      next = leaf.end();
    }
    if (next != n) {
      return "its leaves cover positions 0.." + (next - 1) + " of 0.." + (n - 1);
    }
    return nodesProblem();
  }

  private String nodesProblem() {
    for (Node node : nodes) {
      if (node.size() != node.end() - node.start()) {
        return "its node " + node.cluster() + " has size " + node.size() + " ≠ end − start";
      }
      if (node.parent() < -1 || node.parent() >= nodes.size() || node.parent() == node.cluster()) {
        return "its node " + node.cluster() + " has parent " + node.parent();
      }
      Node parent = node.parent() < 0 ? null : nodes.get(node.parent());
      if (parent != null && (node.start() < parent.start() || node.end() > parent.end())) {
        return "its node " + node.cluster() + " lies outside its parent " + parent.cluster();
      }
    }
    return null;
  }
}
