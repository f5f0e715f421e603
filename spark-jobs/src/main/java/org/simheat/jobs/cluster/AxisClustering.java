package org.simheat.jobs.cluster;

import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.simheat.jobs.input.MatrixSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clusters one axis of a run (a matrix, its row norms and tokens) into its {@link ClusterOrder}:
 * train the MLlib model on a sample ({@link ClusterTraining}), assign every row and sum each
 * cluster ({@link Assignment}), build the tree ({@link ClusterTree}), then score every row against
 * its clusters' exact centroids ({@link Membership}) and lay the positions out.
 *
 * <p>Cost: the training, plus two reads of the matrix with O((depth + 1)·d) work per row (O(K·d)
 * per row to assign with k-means); the driver holds O(N) ints and doubles and O(K·d) sums.
 */
public final class AxisClustering {
  private static final Logger LOG = LoggerFactory.getLogger(AxisClustering.class);

  private AxisClustering() {}

  /**
   * Clusters the rows of {@code source}.
   *
   * @param norms each row's L2 norm (input order)
   * @param tokens tokens by row, or null for row numbers
   * @param blockRows rows read at a time
   * @param what the axis, for messages (e.g. the input file)
   * @throws IllegalArgumentException if more clusters are asked for than there are rows
   */
  public static ClusterOrder run(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      double[] norms,
      List<String> tokens,
      OrderSpec spec,
      int blockRows,
      String what) {
    return run(jsc, source, norms, tokens, spec, blockRows, what, ClusterTraining.SAMPLE_CAP);
  }

  /** {@link #run} training on at most {@code sampleCap} rows. */
  static ClusterOrder run(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      double[] norms,
      List<String> tokens,
      OrderSpec spec,
      int blockRows,
      String what,
      int sampleCap) {
    long start = System.nanoTime();
    int n = norms.length;
    int d = source.value().dim();
    int k = spec.clustersFor(n, what);
    ClusterTraining.Trained trained =
        ClusterTraining.train(jsc, source, norms, spec.algorithm(), k, spec.seed(), sampleCap);
    double trainSeconds = (System.nanoTime() - start) / 1e9;
    Broadcast<double[]> bNorms = jsc.broadcast(norms);
    Broadcast<ClusterTraining.Predictor> predictor = jsc.broadcast(trained.predictor());
    Broadcast<Membership.Tree> members = null;
    try {
      int modelClusters = trained.shape().leaves().size();
      Assignment.Part first =
          UnitRows.fold(
              jsc, source, bNorms, blockRows, new Assignment(predictor, modelClusters, d));
      ClusterTree tree =
          ClusterTree.build(trained.shape(), first, spec.algorithm() == ClusterAlgorithm.KMEANS, d);
      int[] leafOfRow = first.clusterOfRow(n);
      for (int i = 0; i < n; i++) {
        leafOfRow[i] = tree.leafOfModel[leafOfRow[i]];
      }
      members = jsc.broadcast(Membership.Tree.of(leafOfRow, centroids(tree), paths(tree)));
      Membership.Part second =
          UnitRows.fold(jsc, source, bNorms, blockRows, new Membership(members));
      ClusterOrder order = ClusterOrder.of(tree, leafOfRow, second.cosineOfRow(n), second, tokens);
      LOG.info(
          String.format(
              Locale.ROOT,
              "Cluster order: %s, K=%d leaves (%d asked), %d nodes, trained on %d of %d rows in"
                  + " %.1f s, %.1f s in all",
              spec.algorithm().id(),
              order.clusters(),
              k,
              order.nodes().size(),
              trained.trainingRows(),
              n,
              trainSeconds,
              (System.nanoTime() - start) / 1e9));
      return order;
    } finally {
      bNorms.destroy();
      predictor.destroy();
      if (members != null) {
        members.destroy();
      }
    }
  }

  /** Each node's centroid, by node id. */
  static double[][] centroids(ClusterTree tree) {
    double[][] c = new double[tree.nodes()][];
    for (int i = 0; i < c.length; i++) {
      c[i] = tree.centroid(i);
    }
    return c;
  }

  /** Each leaf's nodes, from the leaf up to its root. */
  static int[][] paths(ClusterTree tree) {
    int[][] p = new int[tree.leaves][];
    for (int leaf = 0; leaf < p.length; leaf++) {
      p[leaf] = tree.path(leaf);
    }
    return p;
  }
}
