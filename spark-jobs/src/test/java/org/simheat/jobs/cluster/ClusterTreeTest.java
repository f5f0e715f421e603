package org.simheat.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Numbering, pruning and layout of a tree from a hand-made model and first pass. */
class ClusterTreeTest {
  /** Model clusters 0..4 of sizes {3, 0, 2, 1, 4} in the shape ((0, 1), (2, (3, 4))). */
  private static Assignment.Part part() {
    Assignment.Part p = new Assignment.Part(5, 2);
    long[] sizes = {3, 0, 2, 1, 4};
    for (int c = 0; c < 5; c++) {
      p.size[c] = sizes[c];
      p.nonZero[c] = sizes[c];
      p.unit[2 * c] = c + 1;
      p.unit[2 * c + 1] = 1;
      p.raw[2 * c] = 10 * (c + 1);
    }
    return p;
  }

  private static TreeShape shape() {
    return TreeShape.of(
        List.of(
            TreeShape.of(List.of(TreeShape.leaf(0), TreeShape.leaf(1))),
            TreeShape.of(
                List.of(
                    TreeShape.leaf(2),
                    TreeShape.of(List.of(TreeShape.leaf(3), TreeShape.leaf(4)))))));
  }

  @Test
  void dropsEmptyLeavesCollapsesSingleChildNodesAndNumbersDepthFirst() {
    ClusterTree t = ClusterTree.build(shape(), part(), false, 2);
    // ((0), (2, (3, 4))) → leaves 0 (model 0), 1 (2), 2 (3), 3 (4); internal: root 4, then 5, 6.
    assertThat(t.leaves).isEqualTo(4);
    assertThat(t.nodes()).isEqualTo(7);
    assertThat(t.leafOfModel).containsExactly(0, -1, 1, 2, 3);
    assertThat(t.parent).containsExactly(4, 5, 6, 6, -1, 4, 5);
    assertThat(t.depth).containsExactly(1, 2, 3, 3, 0, 1, 2);
    assertThat(t.start).containsExactly(0, 3, 5, 6, 0, 3, 5);
    assertThat(t.end).containsExactly(3, 5, 6, 10, 10, 10, 10);
    assertThat(t.size).containsExactly(3, 2, 1, 4, 10, 7, 5);
    assertThat(t.unit[5]).containsExactly(3 + 4 + 5, 3);
    assertThat(t.raw[3]).containsExactly(50, 0);
    assertThat(t.bounds()).containsExactly(0, 3, 5, 6, 10);
    assertThat(t.path(2)).containsExactly(2, 6, 5, 4);
  }

  @Test
  void aFlatClusteringIsChainedAndHasNoRoot() {
    Assignment.Part p = part();
    TreeShape flat = TreeShape.of(List.of(0, 1, 2, 3, 4).stream().map(TreeShape::leaf).toList());
    ClusterTree t = ClusterTree.build(flat, p, true, 2);
    assertThat(t.leaves).isEqualTo(4);
    assertThat(t.nodes()).isEqualTo(4);
    assertThat(t.parent).containsOnly(-1);
    assertThat(t.depth).containsOnly(0);
    // Centroids (1/3, 1/3), (3/2, 1/2), (4, 1), (5/4, 1/4) chained by cosine.
    int[] chain = CentroidChain.order(new double[][] {{1, 1}, {3, 1}, {4, 1}, {5, 1}});
    int[] models = {0, 2, 3, 4};
    for (int leaf = 0; leaf < 4; leaf++) {
      assertThat(t.leafOfModel[models[chain[leaf]]]).isEqualTo(leaf);
    }
  }
}
