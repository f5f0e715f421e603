package org.simheat.viewer.service;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.Axis;
import org.simheat.viewer.service.ViewerService.ClusterList;
import org.simheat.viewer.service.ViewerService.ClusterMatrix;
import org.simheat.viewer.service.ViewerService.ClusterSpan;
import org.simheat.viewer.store.BoundedCache;
import org.simheat.viewer.store.ClusterCells;
import org.simheat.viewer.store.ClusterTree;
import org.simheat.viewer.store.OpenRun;

/**
 * The cluster endpoints over an open run: each axis's cluster tree, and the cluster-pooled matrix
 * of a metric read whole from {@code cluster_tiles} and kept in a byte-bounded cache shared by
 * every run. A symmetric run's columns are its rows; a cross run whose columns are in input order
 * shows them as one cluster, {@value #ALL_COLUMNS}, beside its clustered rows.
 */
final class ClusterQueries {
  static final String ALL_COLUMNS = "all columns";

  /** A cached matrix: run and metric. */
  record Key(String runId, String metric) {}

  private final BoundedCache<Key, ClusterCells> cache;

  /** Queries that keep up to {@code cacheBytes} of cluster-pooled matrices. */
  ClusterQueries(long cacheBytes) {
    this.cache = new BoundedCache<>(cacheBytes, ClusterCells::bytes);
  }

  /** Drops what a run cached. */
  void forget(String runId) {
    cache.removeIf(k -> k.runId().equals(runId));
  }

  /**
   * The tree of one axis.
   *
   * @throws ApiException 404 for a run in input order or a cross run's unclustered columns
   * @throws IOException if the table cannot be read
   */
  ClusterList tree(OpenRun run, Axis axis) throws IOException {
    Manifest.Order order = clusteredOrder(run);
    boolean columns = axis == Axis.COLS && !run.manifest().symmetric();
    if (columns && order.colsClusters() <= 0) {
      throw ApiException.notFound(
          "the columns of run " + run.runId() + " are in input order: only its rows are clustered");
    }
    ClusterTree tree = run.clusters().tree(columns);
    return new ClusterList(
        run.runId(),
        axis == Axis.COLS ? "cols" : "rows",
        tree.leafCount(),
        order.algorithm(),
        order.seed(),
        tree.nodes());
  }

  /**
   * The cluster-pooled matrix of a metric with the aggregations in {@code aggs} (all when empty).
   *
   * @throws ApiException 404 for a run in input order
   * @throws IOException if a table cannot be read
   */
  ClusterMatrix matrix(OpenRun run, Metric metric, Set<Aggregation> aggs) throws IOException {
    Manifest.Order order = clusteredOrder(run);
    ClusterTree rows = run.clusters().tree(false);
    ClusterTree cols;
    if (run.manifest().symmetric()) {
      cols = rows;
    } else if (order.colsClusters() > 0) {
      cols = run.clusters().tree(true);
    } else {
      cols = ClusterTree.whole(run.manifest().nCols(), ALL_COLUMNS);
    }
    int k = rows.leafCount();
    int kc = cols.leafCount();
    ClusterCells cells =
        cache.get(
            new Key(run.runId(), metric.id()),
            () -> run.clusters().read(metric, k, kc, run.aggregations()));
    return new ClusterMatrix(
        run.runId(),
        metric.id(),
        k,
        kc,
        spans(rows),
        spans(cols),
        cells.pairs(),
        wanted(aggs, Aggregation.MEAN) ? cells.mean() : null,
        wanted(aggs, Aggregation.MAX) ? cells.max() : null,
        wanted(aggs, Aggregation.MIN) ? cells.min() : null);
  }

  private static Manifest.Order clusteredOrder(OpenRun run) {
    Manifest.Order order = run.manifest().order();
    if (order == null || !order.clustered()) {
      throw ApiException.notFound(
          "run "
              + run.runId()
              + " is in input order: it has no clusters (compute it with --order cluster)");
    }
    return order;
  }

  private static List<ClusterSpan> spans(ClusterTree tree) {
    return tree.leaves().stream()
        .map(n -> new ClusterSpan(n.cluster(), n.start(), n.end(), n.label()))
        .toList();
  }

  private static boolean wanted(Set<Aggregation> aggs, Aggregation a) {
    return aggs.isEmpty() || aggs.contains(a);
  }
}
