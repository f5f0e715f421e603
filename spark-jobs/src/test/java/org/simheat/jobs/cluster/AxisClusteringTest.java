package org.simheat.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Metric;
import org.simheat.jobs.input.DenseMatrix;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.testing.NaiveClusters;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.TestSpark;

/**
 * One axis clustered with real MLlib on seeded blobs (with zero rows and duplicates): the order is
 * a permutation, leaves are contiguous and in tree order, each leaf descends by cosine to its
 * centroid, and every node's size, label, mean similarity and radius match the naive definitions;
 * the same seed gives the same order.
 */
class AxisClusteringTest {
  private static final int N = 420;
  private static final int D = 8;

  private final JavaSparkContext jsc =
      JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());

  /** Blobs, three zero rows and exact duplicates. */
  static float[][] matrix() {
    float[][] e = NaiveClusters.blobs(N, D, 6, 0.6, 5);
    e[4] = new float[D];
    e[200] = new float[D];
    e[N - 1] = new float[D];
    e[301] = e[7].clone();
    e[302] = e[7].clone();
    return e;
  }

  static List<String> tokens(int n) {
    return IntStream.range(0, n).mapToObj(i -> "w" + i).toList();
  }

  private ClusterOrder cluster(float[][] e, OrderSpec spec, int cap) {
    MatrixSource m = new DenseMatrix(NaiveSimilarity.flatten(e), e.length, e[0].length, "blobs");
    double[] norms = new double[e.length];
    for (int i = 0; i < e.length; i++) {
      norms[i] = Math.sqrt(NaiveSimilarity.value(Metric.DOT, e[i], e[i], true));
    }
    return AxisClustering.run(
        jsc, jsc.broadcast(m), norms, tokens(e.length), spec, 64, "blobs", cap);
  }

  @ParameterizedTest
  @EnumSource(ClusterAlgorithm.class)
  void theOrderIsAPermutationLaidOutLeafByLeafAndEachLeafByCentroidCosine(ClusterAlgorithm alg) {
    float[][] e = matrix();
    ClusterOrder order = cluster(e, new OrderSpec(true, 9, alg, 7), 100_000);
    assertThat(order.clusters()).isEqualTo(9);
    assertPermutation(order.ids());
    assertLeavesContiguous(order);
    assertTree(order, alg);
    assertLeafOrder(e, order);
    assertNodesMatchNaive(e, order);
  }

  @Test
  void theSameSeedGivesTheSameOrderAndAnotherSeedAnotherOne() {
    float[][] e = NaiveSimilarity.gaussian(300, 6, 3);
    OrderSpec spec = new OrderSpec(true, 12, ClusterAlgorithm.BISECTING_KMEANS, 11);
    ClusterOrder a = cluster(e, spec, 100_000);
    ClusterOrder b = cluster(e, spec, 100_000);
    assertThat(b.ids()).containsExactly(a.ids());
    assertThat(b.leafOfPosition()).containsExactly(a.leafOfPosition());
    assertThat(b.nodes()).isEqualTo(a.nodes());
    ClusterOrder other =
        cluster(e, new OrderSpec(true, 12, ClusterAlgorithm.BISECTING_KMEANS, 12), 100_000);
    assertThat(other.ids()).isNotEqualTo(a.ids());
  }

  @Test
  void theDefaultIsAboutRootNClusters() {
    assertThat(OrderSpec.defaultClusters(1)).isEqualTo(1);
    assertThat(OrderSpec.defaultClusters(3)).isEqualTo(2);
    assertThat(OrderSpec.defaultClusters(420)).isEqualTo(20);
    assertThat(OrderSpec.defaultClusters(30522)).isEqualTo(175);
    assertThat(OrderSpec.defaultClusters(1_000_000)).isEqualTo(256);
    ClusterOrder order = cluster(matrix(), OrderSpec.cluster(null), 100_000);
    assertThat(order.clusters()).isEqualTo(20);
    assertThatThrownBy(() -> OrderSpec.cluster(500).clustersFor(N, "blobs.npy"))
        .hasMessage("--clusters 500 is more than the 420 rows of blobs.npy");
  }

  @Test
  void aSampledModelStillPlacesEveryRow() {
    float[][] e = matrix();
    int[] sample = ClusterTraining.sample(norms(e), 3, 50);
    assertThat(sample).hasSize(50).isSorted().doesNotContain(4, 200, N - 1);
    assertThat(ClusterTraining.sample(norms(e), 3, 50)).containsExactly(sample);
    ClusterOrder order =
        cluster(e, new OrderSpec(true, 6, ClusterAlgorithm.BISECTING_KMEANS, 3), 50);
    assertPermutation(order.ids());
    assertLeavesContiguous(order);
    assertLeafOrder(e, order);
    assertNodesMatchNaive(e, order);
  }

  @Test
  void allZeroRowsMakeOneCluster() {
    float[][] e = new float[5][3];
    ClusterOrder order = cluster(e, OrderSpec.cluster(2), 100_000);
    assertThat(order.clusters()).isEqualTo(1);
    assertThat(order.ids()).containsExactly(0, 1, 2, 3, 4);
    ClusterNode root = order.nodes().get(0);
    assertThat(root.parent()).isEqualTo(-1);
    assertThat(root.meanSimilarity()).isEqualTo(0.0);
    assertThat(root.labelTokens()).containsExactly("w0", "w1", "w2");
  }

  private static double[] norms(float[][] e) {
    return Arrays.stream(e)
        .mapToDouble(r -> Math.sqrt(NaiveSimilarity.value(Metric.DOT, r, r, true)))
        .toArray();
  }

  static void assertPermutation(int[] ids) {
    int[] sorted = ids.clone();
    Arrays.sort(sorted);
    assertThat(sorted).containsExactly(IntStream.range(0, ids.length).toArray());
  }

  static void assertLeavesContiguous(ClusterOrder order) {
    long[] b = order.bounds();
    assertThat(b[0]).isZero();
    assertThat(b[order.clusters()]).isEqualTo(order.ids().length);
    for (int leaf = 0; leaf < order.clusters(); leaf++) {
      ClusterNode n = order.nodes().get(leaf);
      assertThat(n.leaf()).isTrue();
      assertThat(n.start()).isEqualTo(b[leaf]);
      assertThat(n.end()).isEqualTo(b[leaf + 1]).isGreaterThan(n.start());
      for (long p = n.start(); p < n.end(); p++) {
        assertThat(order.leafOfPosition()[(int) p]).isEqualTo(leaf);
      }
    }
  }

  /** Parents cover exactly their children, left to right; ids are in depth-first order. */
  private static void assertTree(ClusterOrder order, ClusterAlgorithm alg) {
    int k = order.clusters();
    List<ClusterNode> nodes = order.nodes();
    if (alg == ClusterAlgorithm.KMEANS) {
      assertThat(nodes).hasSize(k).allMatch(n -> n.parent() == -1 && n.depth() == 0);
      return;
    }
    assertThat(nodes).hasSize(2 * k - 1);
    assertThat(nodes.stream().filter(n -> n.parent() == -1).map(ClusterNode::id))
        .containsExactly(k);
    for (ClusterNode n : nodes.subList(k, nodes.size())) {
      assertThat(n.leaf()).isFalse();
      List<ClusterNode> children = new ArrayList<>();
      nodes.stream().filter(c -> c.parent() == n.id()).forEach(children::add);
      children.sort((x, y) -> Long.compare(x.start(), y.start()));
      assertThat(children).hasSize(2);
      assertThat(children.get(0).start()).isEqualTo(n.start());
      assertThat(children.get(0).end()).isEqualTo(children.get(1).start());
      assertThat(children.get(1).end()).isEqualTo(n.end());
      for (ClusterNode c : children) {
        assertThat(c.depth()).isEqualTo(n.depth() + 1);
        if (!c.leaf()) {
          assertThat(c.id()).as("pre-order ids").isGreaterThan(n.id());
        }
      }
      if (!children.get(0).leaf() && !children.get(1).leaf()) {
        assertThat(children.get(0).id()).isLessThan(children.get(1).id());
      }
    }
  }

  private static void assertLeafOrder(float[][] e, ClusterOrder order) {
    int[] ids = order.ids();
    for (int leaf = 0; leaf < order.clusters(); leaf++) {
      ClusterNode n = order.nodes().get(leaf);
      double[] c = NaiveClusters.centroid(e, members(order, n));
      for (long p = n.start(); p + 1 < n.end(); p++) {
        float[] a = e[ids[(int) p]];
        float[] b = e[ids[(int) p + 1]];
        assertThat(NaiveClusters.cosine(a, c))
            .as("leaf %d positions %d, %d", leaf, p, p + 1)
            .isGreaterThanOrEqualTo(NaiveClusters.cosine(b, c) - 1e-12);
        if (Arrays.equals(a, b)) {
          assertThat(ids[(int) p]).isLessThan(ids[(int) p + 1]);
        }
      }
    }
  }

  static int[] members(ClusterOrder order, ClusterNode n) {
    return Arrays.copyOfRange(order.ids(), (int) n.start(), (int) n.end());
  }

  static void assertNodesMatchNaive(float[][] e, ClusterOrder order) {
    for (ClusterNode n : order.nodes()) {
      int[] members = members(order, n);
      String at = "node " + n.id();
      assertThat(n.size()).as(at).isEqualTo(members.length);
      Double mean = NaiveClusters.meanSimilarity(e, members);
      if (mean == null) {
        assertThat(n.meanSimilarity()).as(at).isNull();
      } else {
        assertThat(n.meanSimilarity()).as(at).isCloseTo(mean, within(1e-9));
      }
      assertThat(n.radius()).as(at).isCloseTo(NaiveClusters.radius(e, members), within(1e-7));
      double[] c = NaiveClusters.centroid(e, members);
      List<Integer> want = NaiveClusters.label(e, members);
      assertThat(n.labelTokens()).as(at).hasSize(want.size());
      for (int x = 0; x < want.size(); x++) {
        int got = Integer.parseInt(n.labelTokens().get(x).substring(1));
        assertThat(NaiveClusters.cosine(e[got], c))
            .as(at + " label " + x)
            .isCloseTo(NaiveClusters.cosine(e[want.get(x)], c), within(1e-12));
      }
    }
  }
}
