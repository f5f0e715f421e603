package org.simheat.jobs.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster tree of an axis as the tables number it. Model clusters that no row fell into are
 * dropped, and a node left with a single child is replaced by that child. Leaves are clusters
 * 0…K−1, left to right (depth first), which is the display order; internal nodes are K… in
 * depth-first pre-order. A flat clustering (k-means) has leaves only, each a root of its own
 * (parent −1), in {@link CentroidChain} order.
 *
 * <p>Each node knows its parent, depth, size, non-zero rows, the sum of its members' unit vectors
 * (a node's sum is its children's), and, once the leaves' sizes are laid end to end, its positions
 * {@code [start, end)}, contiguous because a node's leaves are consecutive.
 */
final class ClusterTree {
  final int leaves;
  final int[] parent;
  final int[] depth;
  final long[] size;
  final long[] nonZero;
  final long[] start;
  final long[] end;
  final double[][] unit;
  final double[][] raw;
  final int[] leafOfModel;

  private ClusterTree(int leaves, int nodes, int modelClusters) {
    this.leaves = leaves;
    this.parent = new int[nodes];
    this.depth = new int[nodes];
    this.size = new long[nodes];
    this.nonZero = new long[nodes];
    this.start = new long[nodes];
    this.end = new long[nodes];
    this.unit = new double[nodes][];
    this.raw = new double[leaves][];
    this.leafOfModel = new int[modelClusters];
    Arrays.fill(leafOfModel, -1);
  }

  /**
   * The tree of a trained model and its first pass.
   *
   * @param flat the model has no tree (k-means): chain its clusters, and emit no root
   */
  static ClusterTree build(TreeShape shape, Assignment.Part part, boolean flat, int dim) {
    TreeShape pruned = prune(shape, part.size);
    if (flat && !pruned.isLeaf()) {
      pruned = chain(pruned, part, dim);
    }
    return layOut(pruned, part, flat, dim);
  }

  /**
   * The tree of a given shape in the shape's own order (a flat clustering's leaves are not
   * chained), with the sizes and sums of {@code part}: how a run keeps the tree of the run it takes
   * its order from.
   *
   * @param shape the tree; its leaves name clusters of {@code part}
   * @param flat the shape's root is not a node (its children are roots)
   * @throws IllegalArgumentException if no cluster of the shape has a member
   */
  static ClusterTree keeping(TreeShape shape, Assignment.Part part, boolean flat, int dim) {
    TreeShape pruned = prune(shape, part.size);
    if (pruned == null) {
      throw new IllegalArgumentException("No cluster of the tree has a member");
    }
    return layOut(pruned, part, flat, dim);
  }

  private static ClusterTree layOut(TreeShape pruned, Assignment.Part part, boolean flat, int dim) {
    List<TreeShape> leafNodes = new ArrayList<>();
    List<TreeShape> internal = new ArrayList<>();
    walk(pruned, leafNodes, internal, flat);
    Map<TreeShape, Integer> ids = new IdentityHashMap<>();
    leafNodes.forEach(l -> ids.put(l, ids.size()));
    internal.forEach(n -> ids.put(n, ids.size()));
    ClusterTree t = new ClusterTree(leafNodes.size(), ids.size(), part.size.length);
    t.fill(pruned, -1, 0, ids, part, dim, flat);
    t.layOut(pruned, ids, new long[1]);
    return t;
  }

  /** Drops empty leaves and collapses single-child nodes; null when nothing is left. */
  static TreeShape prune(TreeShape node, long[] size) {
    if (node.isLeaf()) {
      return size[node.leaf()] > 0 ? node : null;
    }
    List<TreeShape> kept = new ArrayList<>();
    for (TreeShape c : node.children()) {
      TreeShape p = prune(c, size);
      if (p != null) {
        kept.add(p);
      }
    }
    return kept.isEmpty() ? null : kept.size() == 1 ? kept.get(0) : TreeShape.of(kept);
  }

  private static TreeShape chain(TreeShape root, Assignment.Part part, int dim) {
    List<TreeShape> leaves = root.children();
    double[][] centroids = new double[leaves.size()][dim];
    for (int i = 0; i < centroids.length; i++) {
      int c = leaves.get(i).leaf();
      for (int k = 0; k < dim; k++) {
        centroids[i][k] = part.unit[c * dim + k] / part.size[c];
      }
    }
    List<TreeShape> ordered = new ArrayList<>();
    for (int i : CentroidChain.order(centroids)) {
      ordered.add(leaves.get(i));
    }
    return TreeShape.of(ordered);
  }

  /** Leaves in order; internal nodes in pre-order (a flat clustering's root is not a node). */
  private static void walk(
      TreeShape node, List<TreeShape> leaves, List<TreeShape> internal, boolean flat) {
    if (node.isLeaf()) {
      leaves.add(node);
      return;
    }
    if (!flat) {
      internal.add(node);
    }
    node.children().forEach(c -> walk(c, leaves, internal, flat));
  }

  /** Fills a node's parent, depth, size and sums (children first); returns its id. */
  private void fill(
      TreeShape node,
      int parentId,
      int level,
      Map<TreeShape, Integer> ids,
      Assignment.Part part,
      int dim,
      boolean flat) {
    Integer id = ids.get(node);
    if (id == null) {
      // A flat clustering's root: its leaves are roots.
      node.children().forEach(c -> fill(c, -1, 0, ids, part, dim, flat));
      return;
    }
    parent[id] = parentId;
    depth[id] = level;
    if (node.isLeaf()) {
      int c = node.leaf();
      leafOfModel[c] = id;
      size[id] = part.size[c];
      nonZero[id] = part.nonZero[c];
      unit[id] = slice(part.unit, c, dim);
      raw[id] = slice(part.raw, c, dim);
      return;
    }
    unit[id] = new double[dim];
    for (TreeShape child : node.children()) {
      fill(child, id, level + 1, ids, part, dim, flat);
      int cid = ids.get(child);
      size[id] += size[cid];
      nonZero[id] += nonZero[cid];
      for (int k = 0; k < dim; k++) {
        unit[id][k] += unit[cid][k];
      }
    }
  }

  private static double[] slice(double[] sums, int c, int dim) {
    double[] out = new double[dim];
    System.arraycopy(sums, c * dim, out, 0, dim);
    return out;
  }

  /** Positions: leaves end to end in order, a node spanning its leaves. */
  private void layOut(TreeShape node, Map<TreeShape, Integer> ids, long[] next) {
    Integer id = ids.get(node);
    long first = next[0];
    if (node.isLeaf()) {
      next[0] += size[id];
    } else {
      node.children().forEach(c -> layOut(c, ids, next));
    }
    if (id != null) {
      start[id] = first;
      end[id] = next[0];
    }
  }

  /** Number of nodes. */
  int nodes() {
    return parent.length;
  }

  /** Node ids from leaf {@code leaf} up to its root. */
  int[] path(int leaf) {
    List<Integer> up = new ArrayList<>();
    for (int n = leaf; n >= 0; n = parent[n]) {
      up.add(n);
    }
    return up.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The centroid of node n: the mean of its members' unit vectors (zero rows count as zero). */
  double[] centroid(int n) {
    double[] c = new double[unit[n].length];
    for (int k = 0; k < c.length; k++) {
      c[k] = unit[n][k] / size[n];
    }
    return c;
  }

  /** Leaf boundaries: leaf i covers positions [bounds[i], bounds[i + 1]). */
  long[] bounds() {
    long[] b = new long[leaves + 1];
    for (int i = 0; i < leaves; i++) {
      b[i + 1] = end[i];
    }
    return b;
  }
}
