package org.simheat.jobs.cluster;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.mllib.clustering.BisectingKMeansModel;
import org.apache.spark.mllib.clustering.ClusteringTreeNode;

/**
 * Reads the tree out of an MLlib {@link BisectingKMeansModel}. MLlib keeps it behind Scala's {@code
 * private[clustering]} ({@code root}, {@code ClusteringTreeNode.children/index}), which the
 * bytecode makes public: this is the only class that touches them, so a Spark upgrade that moves
 * them breaks here and in its test, nowhere else.
 *
 * <p>MLlib numbers the leaves (the cluster indices {@code predict} returns) depth first, left to
 * right; internal nodes have index −1.
 */
public final class BisectingTree {
  private BisectingTree() {}

  /** The model's tree, leaves carrying the model's cluster indices. */
  public static TreeShape of(BisectingKMeansModel model) {
    return shape(model.root());
  }

  private static TreeShape shape(ClusteringTreeNode node) {
    ClusteringTreeNode[] children = node.children();
    if (children.length == 0) {
      return TreeShape.leaf(node.index());
    }
    List<TreeShape> shapes = new ArrayList<>(children.length);
    for (ClusteringTreeNode c : children) {
      shapes.add(shape(c));
    }
    return TreeShape.of(shapes);
  }
}
