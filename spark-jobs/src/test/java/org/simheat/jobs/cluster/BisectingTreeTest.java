package org.simheat.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.clustering.BisectingKMeans;
import org.apache.spark.mllib.clustering.BisectingKMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.junit.jupiter.api.Test;
import org.simheat.jobs.testing.NaiveClusters;
import org.simheat.jobs.testing.TestSpark;

/**
 * The tree read out of a real MLlib bisecting k-means model: binary, every cluster index once,
 * numbered depth first left to right, and each leaf is where the model's predict sends the points
 * nearest its centre.
 */
class BisectingTreeTest {
  @Test
  void readsTheModelsTreeWithItsLeavesNumberedDepthFirst() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    float[][] e = NaiveClusters.blobs(300, 5, 7, 0.3, 9);
    List<Vector> points = new ArrayList<>();
    for (float[] row : e) {
      points.add(Vectors.dense(NaiveClusters.unit(row)));
    }
    JavaRDD<Vector> data = jsc.parallelize(points, 3);
    BisectingKMeansModel model = new BisectingKMeans().setK(7).setSeed(1).run(data);

    TreeShape shape = BisectingTree.of(model);

    assertThat(shape.leaves())
        .containsExactlyElementsOf(IntStream.range(0, model.k()).boxed().toList());
    assertBinary(shape);
    for (Vector p : points) {
      int leaf = model.predict(p);
      assertThat(leaf).isBetween(0, model.k() - 1);
    }
    for (int c = 0; c < model.k(); c++) {
      assertThat(model.predict(model.clusterCenters()[c])).isEqualTo(c);
    }
  }

  private static void assertBinary(TreeShape node) {
    if (node.isLeaf()) {
      assertThat(node.leaf()).isNotNegative();
      return;
    }
    assertThat(node.leaf()).isEqualTo(-1);
    assertThat(node.children()).hasSize(2);
    node.children().forEach(BisectingTreeTest::assertBinary);
  }
}
