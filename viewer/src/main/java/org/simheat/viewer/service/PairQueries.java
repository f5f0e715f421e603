package org.simheat.viewer.service;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.Pair;
import org.simheat.viewer.service.ViewerService.PairList;
import org.simheat.viewer.service.ViewerService.PairsRequest;
import org.simheat.viewer.store.OpenRun;

/**
 * The pairs endpoint over an open run: checks the region against the matrix and the cap ({@value
 * RequestChecks#MAX_REGION_PAIRS} pairs), ranks its pairs with {@link RegionPairs} under one of the
 * live computer's permits (it competes with live tiles for the cores), and names each pair's
 * tokens.
 */
final class PairQueries {
  private final LiveTileComputer live;

  PairQueries(LiveTileComputer live) {
    this.live = live;
  }

  /**
   * The best pairs of a region: a blank metric means the run's first, limit 0 means {@value
   * RequestChecks#DEFAULT_PAIRS}, larger limits are capped at {@value RequestChecks#MAX_PAIRS}, and
   * the region's ends are clamped to the matrix.
   *
   * @throws ApiException 400 for an empty, negative or outside region, one over the cap, or a
   *     negative limit; 404 for an unknown metric or a run without column embeddings
   * @throws IOException if the embeddings cannot be read
   */
  PairList pairs(OpenRun r, PairsRequest request) throws IOException {
    Metric m =
        request.metric() == null || request.metric().isBlank()
            ? r.metrics().get(0)
            : RequestChecks.metric(r, request.metric());
    long[] x = RequestChecks.range("x", request.x0(), request.x1(), r.geometry().cols());
    long[] y = RequestChecks.range("y", request.y0(), request.y1(), r.geometry().rows());
    RequestChecks.region(x, y);
    int limit =
        request.limit() == 0
            ? RequestChecks.DEFAULT_PAIRS
            : RequestChecks.count("limit", request.limit(), RequestChecks.MAX_PAIRS);
    if (!r.liveCapable()) {
      throw ApiException.notFound(
          "run " + r.runId() + " holds no column embeddings: its pairs cannot be computed");
    }
    boolean symmetric = r.manifest().symmetric();
    RegionPairs.Result found =
        live.withPermit(
            () ->
                new RegionPairs(r.embeddings(), r.colEmbeddings(), m, symmetric)
                    .top(x[0], x[1], y[0], y[1], limit));
    return pairList(r, m, x, y, found);
  }

  private static PairList pairList(
      OpenRun r, Metric m, long[] x, long[] y, RegionPairs.Result found) throws IOException {
    List<Long> rows = found.best().stream().map(RegionPairs.Found::row).toList();
    List<Long> cols = found.best().stream().map(RegionPairs.Found::col).toList();
    Map<Long, String> rowTokens = r.tokens().tokens(rows);
    Map<Long, String> colTokens = r.colTokens().tokens(cols);
    List<Pair> pairs =
        found.best().stream()
            .map(
                f ->
                    new Pair(
                        f.row(),
                        f.col(),
                        rowTokens.get(f.row()),
                        colTokens.get(f.col()),
                        (float) f.value()))
            .toList();
    return new PairList(
        r.runId(),
        m.id(),
        x[0],
        x[1],
        y[0],
        y[1],
        found.considered(),
        m.higherIsBetter() ? "highest" : "lowest",
        pairs);
  }
}
