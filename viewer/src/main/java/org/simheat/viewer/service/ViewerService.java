package org.simheat.viewer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;

/**
 * Everything the HTTP API answers, as plain Java. {@code run} is a run id or {@code latest}; every
 * method resolves it through the run registry, never as a path. Implementations are thread-safe and
 * may block on Parquet reads: callers run them off the event loop.
 *
 * <p>Every method throws {@link ApiException} (404 for an unknown run, metric, level or tile, 400
 * for a malformed or out-of-range argument) and nothing else for a bad request.
 */
public interface ViewerService {

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
   * @param n rows
   * @param nCols columns
   * @param dim embedding dimension
   * @param metrics metric ids
   * @param order display order kind
   * @param latest whether LATEST names it
   */
  record RunSummary(
      String runId,
      String createdAt,
      String source,
      long n,
      long nCols,
      int dim,
      List<String> metrics,
      String order,
      boolean latest) {}

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
