package org.simheat.jobs.compute;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.simheat.jobs.cluster.AxisClustering;
import org.simheat.jobs.cluster.ClusterOrder;
import org.simheat.jobs.cluster.OrderSpec;
import org.simheat.jobs.cluster.ReferenceOrder;
import org.simheat.jobs.cluster.ReferenceRun;
import org.simheat.jobs.input.CellSums;
import org.simheat.jobs.input.EmbeddingInputs;
import org.simheat.jobs.input.MatrixScan;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.input.PermutedMatrix;
import org.simheat.jobs.output.EmbeddingWriter;

/**
 * One axis of a run as the pass reads it: the rows, or a cross run's columns, by position. In input
 * order position p is row p of the input; in cluster order the matrix, the norms and the cell sums
 * are views through the axis's {@link ClusterOrder}, and in an input order taken from another run
 * through its permutation {@code ids}.
 *
 * @param input the opened input
 * @param source the matrix by position, broadcast
 * @param norms the L2 norm of each position, broadcast
 * @param sums the mean fast path's cell sums by position, or null off that path
 * @param zeroRows input rows that are all zeros
 * @param clusters the cluster order, or null in input order
 * @param ids the input row at each position when the positions are not the input's rows and there
 *     is no cluster order (input order taken from another run), else null
 */
record RunAxis(
    EmbeddingInputs.Opened input,
    Broadcast<MatrixSource> source,
    Broadcast<double[]> norms,
    CellSums sums,
    List<Long> zeroRows,
    ClusterOrder clusters,
    int[] ids) {

  /**
   * Scans an input (finite values, norms and, when {@code sums} is given, cell sums) in input
   * order.
   *
   * @throws IllegalArgumentException if a value is NaN or infinite, naming the rows and the file
   */
  static RunAxis scan(
      JavaSparkContext jsc, EmbeddingInputs.Opened input, int blockRows, CellSums.Spec sums) {
    Broadcast<MatrixSource> source = jsc.broadcast(input.matrix());
    MatrixScan.Result scan = MatrixScan.scan(jsc, source, blockRows, input.tokens(), sums);
    return new RunAxis(
        input, source, jsc.broadcast(scan.norms()), scan.sums(), scan.zeroRows(), null, null);
  }

  /**
   * This axis in cluster order: clusters its rows with MLlib and views the matrix and the norms
   * through the order; on the mean fast path ({@code sums} given) the cell sums are taken by
   * position, in one more scan of the reordered matrix.
   *
   * @param what the input, to name in messages
   */
  RunAxis clustered(
      JavaSparkContext jsc, OrderSpec order, int blockRows, CellSums.Spec sums, String what) {
    double[] byRow = norms.value();
    ClusterOrder c = AxisClustering.run(jsc, source, byRow, input.tokens(), order, blockRows, what);
    Broadcast<MatrixSource> view = jsc.broadcast(c.view(source.value()));
    CellSums cellSums =
        sums == null ? null : MatrixScan.scan(jsc, view, blockRows, null, sums).sums();
    return new RunAxis(
        input, view, jsc.broadcast(c.byPosition(byRow)), cellSums, zeroRows, c, null);
  }

  /**
   * This axis in the order of another run's axis ({@link ReferenceOrder}): views the matrix and the
   * norms through it; on the mean fast path ({@code sums} given) the cell sums are taken by
   * position, in one more scan of the reordered matrix.
   *
   * @param runId the other run's id, for messages
   * @param what the input, to name in messages
   */
  RunAxis following(
      JavaSparkContext jsc,
      ReferenceRun.Axis reference,
      int blockRows,
      CellSums.Spec sums,
      String runId,
      String what) {
    double[] byRow = norms.value();
    ReferenceOrder.Followed f =
        ReferenceOrder.follow(
            jsc, source, byRow, input.tokens(), reference, blockRows, runId, what);
    int[] order = f.ids();
    double[] byPosition = new double[order.length];
    for (int p = 0; p < order.length; p++) {
      byPosition[p] = byRow[order[p]];
    }
    Broadcast<MatrixSource> view = jsc.broadcast(new PermutedMatrix(source.value(), order));
    CellSums cellSums =
        sums == null ? null : MatrixScan.scan(jsc, view, blockRows, null, sums).sums();
    return new RunAxis(
        input,
        view,
        jsc.broadcast(byPosition),
        cellSums,
        zeroRows,
        f.clusters(),
        f.clusters() == null ? order : null);
  }

  /** Positions: the input rows and leaves the embeddings table records, or null in input order. */
  EmbeddingWriter.Positions positions() {
    if (clusters != null) {
      return new EmbeddingWriter.Positions(clusters.ids(), clusters.leafOfPosition());
    }
    if (ids != null) {
      int[] none = new int[ids.length];
      Arrays.fill(none, -1);
      return new EmbeddingWriter.Positions(ids, none);
    }
    return null;
  }

  /** Leaf clusters, 0 in input order. */
  int leaves() {
    return clusters == null ? 0 : clusters.clusters();
  }
}
