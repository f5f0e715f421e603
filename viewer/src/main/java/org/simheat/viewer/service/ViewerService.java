package org.simheat.viewer.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.viewer.store.ClusterTree;

/**
 * Everything the HTTP API answers, as plain Java. {@code run} is a run id or {@code latest}; every
 * method resolves it through the run registry, never as a path. Implementations are thread-safe and
 * may block on Parquet reads: callers run them off the event loop.
 *
 * <p>Every method throws {@link ApiException} (404 for an unknown run, metric, level or tile, 400
 * for a malformed or out-of-range argument) and nothing else for a bad request.
 */
public interface ViewerService {

  /**
   * The saliency documents this service's data directory holds; none by default (a service over
   * something other than an output directory).
   */
  default SaliencyQueries saliency() {
    return new SaliencyQueries(null);
  }

  /**
   * The comparison of two runs (Δ = A − B), or null when this service cannot compare runs (a
   * service over something other than an output directory).
   */
  default DriftQueries drift() {
    return null;
  }

  /** The committed runs, newest first. */
  List<RunSummary> runs();

  /** The manifest of a run. */
  Manifest manifest(String run);

  /**
   * Tile (z, i, j) of a metric: read from the stored level, or computed exactly from the embeddings
   * at levels finer than the run's stored zoom. Symmetric runs serve (j, i) as the transpose of the
   * stored (i, j).
   */
  Tile tile(String run, String metric, int z, long i, long j);

  /**
   * Tile (z, i, j) of a metric with only the aggregations in {@code aggs} (all the run holds when
   * empty); the others are null. Implementations may compute less for fewer aggregations: a live
   * {@code mean} of cosine or dot needs no pairwise pass.
   *
   * @throws ApiException 404 for an aggregation the run does not hold, and as {@link #tile(String,
   *     String, int, long, long)}
   */
  default Tile tile(String run, String metric, int z, long i, long j, Set<Aggregation> aggs) {
    if (!aggs.isEmpty()) {
      List<String> held = manifest(run).aggregations();
      for (Aggregation a : aggs) {
        if (!held.contains(a.id())) {
          throw ApiException.notFound(
              "run " + run + " holds no " + a.id() + " tiles: it has " + String.join(", ", held));
        }
      }
    }
    return tile(run, metric, z, i, j).only(aggs);
  }

  /** A Vega-Lite spec with the viewport's cells inline at about {@code res} cells per side. */
  JsonNode view(String run, ViewRequest request);

  /** The spec of {@link #view} as UTF-8 JSON; implementations may write it without a tree. */
  default byte[] viewJson(String run, ViewRequest request) {
    try {
      return new ObjectMapper().writeValueAsBytes(view(run, request));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise a view", e);
    }
  }

  /**
   * Tokens matching {@code q} (case-insensitive; prefix matches first, then substrings), at most
   * {@code limit}, on the row or column axis.
   */
  List<TokenHit> tokens(String run, String q, int limit, Axis axis);

  /** The top-k neighbours of a position, best first. */
  NeighborList neighbors(String run, String metric, long position, int k);

  /**
   * The cluster tree of one axis of a run in cluster order (a symmetric run's columns are its
   * rows).
   *
   * @throws ApiException 404 for a run in input order, or the columns of a cross run whose columns
   *     are in input order
   */
  ClusterList clusters(String run, Axis axis);

  /**
   * The cluster-pooled matrix of a metric, with only the aggregations in {@code aggs} (all the run
   * holds when empty).
   *
   * @throws ApiException 404 for a run in input order, an unknown metric or an aggregation the run
   *     does not hold
   */
  ClusterMatrix clusterTiles(String run, String metric, Set<Aggregation> aggs);

  /**
   * The most similar pairs of tokens inside a region, computed exactly from the embeddings.
   *
   * @throws ApiException 400 for an empty or negative region, one past the matrix, one larger than
   *     the viewer's cap, or a bad limit; 404 for an unknown run or metric, or a run without column
   *     embeddings
   */
  PairList pairs(String run, PairsRequest request);

  /** Which side of a (possibly rectangular) run a token query is about. */
  enum Axis {
    ROWS,
    COLS
  }

  /**
   * One run in the run picker.
   *
   * @param runId the run id
   * @param createdAt commit time, ISO-8601
   * @param source input URI
   * @param format the input's reader ({@code npy}, {@code safetensors}, …), null if unrecorded
   * @param fingerprint the hash of the input and the effective configuration, null if unrecorded
   * @param n rows
   * @param nCols columns
   * @param dim embedding dimension
   * @param colsSource the column axis's input URI of a cross run, else null
   * @param symmetric whether rows and columns are one set
   * @param metrics metric ids
   * @param order display order kind: {@code input} or {@code cluster}
   * @param clusters leaf clusters of the rows (0 in input order)
   * @param colsClusters leaf clusters of a cross run's columns (0 when not clustered)
   * @param orderFrom the run whose order this run took ({@code compute --order-from}), else null
   * @param latest whether LATEST names it
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RunSummary(
      String runId,
      String createdAt,
      String source,
      String format,
      String fingerprint,
      long n,
      long nCols,
      int dim,
      String colsSource,
      boolean symmetric,
      List<String> metrics,
      String order,
      int clusters,
      int colsClusters,
      String orderFrom,
      boolean latest) {

    /** The summary of a run's manifest. */
    public static RunSummary of(Manifest m, boolean latest) {
      Manifest.Order order = m.order();
      boolean clustered = order != null && order.clustered();
      Manifest.Source source = m.source();
      return new RunSummary(
          m.runId(),
          m.createdAt(),
          source == null ? null : source.uri(),
          source == null ? null : source.format(),
          source == null ? null : source.fingerprint(),
          m.n(),
          m.nCols(),
          m.dim(),
          m.colsSource() == null ? null : m.colsSource().uri(),
          m.symmetric(),
          m.metrics(),
          order == null ? Manifest.Order.INPUT : order.kind(),
          clustered ? order.clusters() : 0,
          clustered ? order.colsClusters() : 0,
          order == null ? null : order.from(),
          latest);
    }
  }

  /**
   * A tile as the API returns it; an aggregation the run does not store is null.
   *
   * @param z level
   * @param i tile row
   * @param j tile column
   * @param span cell span at this level
   * @param rowStart first cell row of the tile, in cells of this level
   * @param colStart first cell column of the tile
   * @param rows cell rows
   * @param cols cell columns
   * @param mean row-major means
   * @param max row-major maxima
   * @param min row-major minima
   */
  record Tile(
      int z,
      long i,
      long j,
      long span,
      long rowStart,
      long colStart,
      int rows,
      int cols,
      float[] mean,
      float[] max,
      float[] min) {

    /** This tile with only the aggregations in {@code aggs} (all of them when empty). */
    public Tile only(Set<Aggregation> aggs) {
      if (aggs.isEmpty()) {
        return this;
      }
      return new Tile(
          z,
          i,
          j,
          span,
          rowStart,
          colStart,
          rows,
          cols,
          aggs.contains(Aggregation.MEAN) ? mean : null,
          aggs.contains(Aggregation.MAX) ? max : null,
          aggs.contains(Aggregation.MIN) ? min : null);
    }
  }

  /**
   * A viewport request; ranges are in matrix positions, half-open.
   *
   * @param metric metric id
   * @param agg aggregation id
   * @param x0 first column
   * @param x1 column past the last
   * @param y0 first row
   * @param y1 row past the last
   * @param res about this many cells per side
   * @param mask whether pooled cells exclude the self-pairs (a symmetric run's diagonal); a
   *     rectangular run has none and ignores it
   */
  record ViewRequest(
      String metric, String agg, long x0, long x1, long y0, long y1, int res, boolean mask) {

    /** A request that keeps the self-pairs in its cells. */
    public ViewRequest(String metric, String agg, long x0, long x1, long y0, long y1, int res) {
      this(metric, agg, x0, x1, y0, y1, res, false);
    }
  }

  /**
   * A search hit.
   *
   * @param token the token text
   * @param position its display position
   * @param id its row in the input
   */
  record TokenHit(String token, long position, long id) {}

  /**
   * A request for the most similar pairs of a region; ranges are half-open matrix positions.
   *
   * @param metric metric id (blank: the run's first)
   * @param x0 first column
   * @param x1 column past the last
   * @param y0 first row
   * @param y1 row past the last
   * @param limit most pairs returned (0: the default)
   */
  record PairsRequest(String metric, long x0, long x1, long y0, long y1, int limit) {}

  /**
   * The best pairs of a region, best first: largest values for cosine and dot, smallest for l2;
   * ties by row, then column.
   *
   * @param run run id
   * @param metric metric id
   * @param x0 first column of the region (clamped to the matrix)
   * @param x1 column past the last
   * @param y0 first row
   * @param y1 row past the last
   * @param considered distinct pairs ranked (self-pairs and mirrored twins of a symmetric run
   *     excluded)
   * @param best {@code highest} or {@code lowest}
   * @param pairs the best pairs
   */
  record PairList(
      String run,
      String metric,
      long x0,
      long x1,
      long y0,
      long y1,
      long considered,
      String best,
      List<Pair> pairs) {}

  /**
   * One pair of a region.
   *
   * @param row row position
   * @param col column position
   * @param rowToken the row's token
   * @param colToken the column's token
   * @param value the metric's value
   */
  record Pair(long row, long col, String rowToken, String colToken, float value) {}

  /**
   * The cluster tree of one axis.
   *
   * @param run run id
   * @param axis {@code rows} or {@code cols}
   * @param leaves leaf clusters K
   * @param algorithm the clustering algorithm, if the manifest names it
   * @param seed its seed
   * @param clusters every node by id: leaves 0..K−1 in display order, then internal nodes
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ClusterList(
      String run,
      String axis,
      int leaves,
      String algorithm,
      Long seed,
      List<ClusterTree.Node> clusters) {}

  /**
   * One cluster along an axis of the cluster-pooled matrix.
   *
   * @param cluster leaf id (its index along the axis)
   * @param start first position
   * @param end position past the last
   * @param label its label
   */
  record ClusterSpan(int cluster, long start, long end, String label) {}

  /**
   * The cluster-pooled matrix of a metric: cell (r, c), at {@code r · cols + c}, pools every pair
   * of row cluster r and column cluster c. An aggregation not asked for (or not stored) is absent.
   *
   * @param run run id
   * @param metric metric id
   * @param rows row clusters
   * @param cols column clusters
   * @param rowClusters the row clusters, in order
   * @param colClusters the column clusters, in order
   * @param pairs pairs per cell
   * @param mean means
   * @param max maxima
   * @param min minima
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ClusterMatrix(
      String run,
      String metric,
      int rows,
      int cols,
      List<ClusterSpan> rowClusters,
      List<ClusterSpan> colClusters,
      long[] pairs,
      float[] mean,
      float[] max,
      float[] min) {}

  /**
   * Neighbours of one position.
   *
   * @param position the position asked about
   * @param token its token
   * @param metric metric id
   * @param neighbors best first
   */
  record NeighborList(long position, String token, String metric, List<Neighbor> neighbors) {}

  /**
   * One neighbour.
   *
   * @param position its position
   * @param token its token
   * @param score the metric's value
   */
  record Neighbor(long position, String token, float score) {}
}
