package org.simheat.jobs.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a trained cluster tree: a leaf names the model's cluster index (what its {@code
 * predict} returns), an internal node lists its children left to right. A flat clustering (k-means)
 * is a root whose children are all leaves.
 *
 * @param leaf the model's cluster index of a leaf, or −1 for an internal node
 * @param children the children, left to right (empty for a leaf)
 */
public record TreeShape(int leaf, List<TreeShape> children) {
  /** A leaf for the model's cluster {@code index}. */
  public static TreeShape leaf(int index) {
    return new TreeShape(index, List.of());
  }

  /** An internal node. */
  public static TreeShape of(List<TreeShape> children) {
    return new TreeShape(-1, List.copyOf(children));
  }

  /** Whether this is a leaf. */
  public boolean isLeaf() {
    return children.isEmpty();
  }

  /** The model's cluster indices of the leaves, left to right (depth first). */
  public List<Integer> leaves() {
    List<Integer> out = new ArrayList<>();
    collect(this, out);
    return out;
  }

  private static void collect(TreeShape node, List<Integer> out) {
    if (node.isLeaf()) {
      out.add(node.leaf);
    }
    node.children.forEach(c -> collect(c, out));
  }
}
