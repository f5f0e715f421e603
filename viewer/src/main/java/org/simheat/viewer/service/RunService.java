package org.simheat.viewer.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.spec.ViewCells;
import org.simheat.viewer.spec.ViewSpecBuilder;
import org.simheat.viewer.store.EmbeddingStore;
import org.simheat.viewer.store.FooterCache;
import org.simheat.viewer.store.NeighborStore;
import org.simheat.viewer.store.OpenRun;
import org.simheat.viewer.store.RunRegistry;
import org.simheat.viewer.store.RunUnavailableException;
import org.simheat.viewer.store.TileCache;
import org.simheat.viewer.store.TileData;
import org.simheat.viewer.store.TokenIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's queries over a local data directory: runs through a {@link RunRegistry}, tiles from
 * Parquet or computed live, viewports pooled into Vega-Lite specs, token search per axis and
 * neighbours, cluster trees and cluster-pooled matrices ({@link ClusterQueries}) and the best pairs
 * of a region ({@link PairQueries}). Thread-safe and blocking; memory is bounded by {@link
 * ViewerOptions}, not by the runs' sizes.
 *
 * <p>Errors: bad arguments and unknown or gone runs are {@link ApiException}s (400/404) with
 * client-safe messages. A read that fails because the run was deleted meanwhile is a 404 "run X no
 * longer exists"; any other failure is logged and rethrown as it is (a 500 for the HTTP layer).
 */
public final class RunService implements ViewerService {
  private static final Logger LOG = LoggerFactory.getLogger(RunService.class);
  static final int MAX_TOKEN_HITS = 100;
  static final int DEFAULT_TOKEN_HITS = 20;

  private final RunRegistry registry;
  private final TileCache cache;
  private final TileSource tiles;
  private final ViewportPooler pooler;
  private final ClusterQueries clusters;
  private final PairQueries pairs;
  private final long maxTileMultiplyAdds;
  private final SaliencyQueries saliency;
  private final DriftQueries drift;

  /** A service over {@code dataDir} with {@link ViewerOptions#defaults()}. */
  public RunService(Path dataDir) {
    this(dataDir, ViewerOptions.defaults());
  }

  /** A service over {@code dataDir} (the directory holding {@code LATEST} and {@code runs/}). */
  public RunService(Path dataDir, ViewerOptions options) {
    this.cache = new TileCache(options.tileCacheBytes());
    this.clusters = new ClusterQueries(options.tileCacheBytes() / 2);
    this.registry =
        new RunRegistry(
            dataDir,
            new FooterCache(options.footerCacheEntries()),
            EmbeddingStore.newGroupCache(options.embeddingCacheBytes()),
            options.tokenCacheEntries(),
            options.rescanMillis(),
            id -> {
              cache.forget(id);
              clusters.forget(id);
            });
    LiveTileComputer live = new LiveTileComputer(options.liveThreads());
    this.pairs = new PairQueries(live);
    this.tiles = new TileSource(cache, live);
    this.pooler =
        new ViewportPooler(
            tiles,
            new DiagonalMask(live, options.maxViewMultiplyAdds()),
            options.maxViewMultiplyAdds());
    this.maxTileMultiplyAdds = options.maxTileMultiplyAdds();
    this.saliency = new SaliencyQueries(dataDir);
    this.drift =
        new DriftQueries(
            registry,
            new DriftTiles(tiles, cache, live),
            pooler,
            live,
            options.maxTileMultiplyAdds(),
            options.maxViewMultiplyAdds());
    LOG.info("Live tiles multiply with {}", DenseProduct.describe());
  }

  /** The saliency documents beside the runs and inside committed ones. */
  @Override
  public SaliencyQueries saliency() {
    return saliency;
  }

  /** The drift API over this service's runs. */
  @Override
  public DriftQueries drift() {
    return drift;
  }

  /** The committed, servable runs, newest first; {@code latest} marks what "latest" means now. */
  @Override
  public List<RunSummary> runs() {
    String latest = registry.latestId();
    return registry.runs().stream().map(m -> RunSummary.of(m, m.runId().equals(latest))).toList();
  }

  /**
   * The manifest of a run.
   *
   * @throws ApiException 404 if the run is unknown, gone or refused
   */
  @Override
  public Manifest manifest(String run) {
    return withRun(run, OpenRun::manifest);
  }

  /**
   * Tile (z, i, j): stored, mirrored from the stored transpose, or computed live. The arrays are
   * shared with the tile cache: callers must not modify them.
   *
   * @throws ApiException 404 for an unknown run, metric or level or a tile outside the level's grid
   *     (the message gives the valid range), 400 for a negative level or tile, or a live tile over
   *     {@link ViewerOptions#maxTileMultiplyAdds()}
   */
  @Override
  public Tile tile(String run, String metric, int z, long i, long j) {
    return tile(run, metric, z, i, j, Set.of());
  }

  /**
   * Tile (z, i, j) with only some aggregations. At a live level, the mean alone of cosine or dot is
   * computed by bilinearity ({@link LiveMeans}): far cheaper than the pairwise pass that max and
   * min need, so such tiles are also allowed at coarser live levels.
   *
   * @throws ApiException as {@link #tile(String, String, int, long, long)}, and 404 for an
   *     aggregation the run does not hold
   */
  @Override
  public Tile tile(String run, String metric, int z, long i, long j, Set<Aggregation> aggs) {
    return withRun(
        run,
        r -> {
          Metric m = RequestChecks.metric(r, metric);
          RequestChecks.level(r, z);
          RequestChecks.tile(r, z, i, j);
          aggs.forEach(a -> RequestChecks.aggregation(r, a.id()));
          boolean meanOnly =
              z > r.manifest().storedZoom()
                  && aggs.equals(Set.of(Aggregation.MEAN))
                  && LiveMeans.applies(m);
          checkComputable(r, z, i, j, meanOnly);
          TileData t = meanOnly ? tiles.liveMean(r, m, z, i, j) : tiles.tile(r, m, z, i, j);
          TileGeometry g = r.geometry();
          long size = g.tileSize();
          return new Tile(
                  z, i, j, g.span(z), i * size, j * size, t.rows(), t.cols(), t.mean(), t.max(),
                  t.min())
              .only(aggs);
        });
  }

  /**
   * A Vega-Lite spec of a viewport (see {@link ViewportPooler} and {@link ViewSpecBuilder}). A
   * blank metric means the run's first, a blank aggregation {@code mean}; {@code res} 0 means 128;
   * {@code x1} and {@code y1} are clamped to the matrix, so {@code Long.MAX_VALUE} means "to the
   * end". With {@code mask} a symmetric run's cells exclude the self-pairs (see {@link
   * DiagonalMask}); a rectangular run ignores it and says so in the spec's {@code usermeta}.
   *
   * @throws ApiException 404 for an unknown run, metric or aggregation, 400 for {@code res} outside
   *     32..512, a negative or empty range, or a range starting past the matrix
   */
  @Override
  public JsonNode view(String run, ViewRequest request) {
    return withRun(
        run,
        r -> {
          PooledView v = pooledView(r, request);
          return ViewSpecBuilder.build(r.manifest(), v.metric(), v.agg(), v.cells());
        });
  }

  /**
   * The spec of {@link #view} as JSON bytes, written without building its tree.
   *
   * @throws ApiException as {@link #view}
   */
  @Override
  public byte[] viewJson(String run, ViewRequest request) {
    return withRun(
        run,
        r -> {
          PooledView v = pooledView(r, request);
          return ViewSpecBuilder.json(r.manifest(), v.metric(), v.agg(), v.cells());
        });
  }

  /** A viewport's labelled cells, with the metric and aggregation the request resolved to. */
  private record PooledView(String metric, String agg, ViewCells cells) {}

  private PooledView pooledView(OpenRun r, ViewRequest request) throws IOException {
    Metric m =
        blank(request.metric()) ? r.metrics().get(0) : RequestChecks.metric(r, request.metric());
    Aggregation a =
        blank(request.agg()) ? defaultAggregation(r) : RequestChecks.aggregation(r, request.agg());
    int res = RequestChecks.resolution(request.res());
    long[] x = RequestChecks.range("x", request.x0(), request.x1(), r.geometry().cols());
    long[] y = RequestChecks.range("y", request.y0(), request.y1(), r.geometry().rows());
    ViewCells cells = pooler.pool(r, m, x[0], x[1], y[0], y[1], res, request.mask());
    return new PooledView(m.id(), a.id(), new AxisLabeller(r).label(cells));
  }

  /**
   * Tokens containing {@code q}, prefix matches first, each group by position; {@code limit} 0
   * means 20 and larger limits are capped at 100.
   *
   * @throws ApiException 400 for an empty or over-long query or a negative limit, 404 for an
   *     unknown run or the column axis of a rectangular run
   */
  @Override
  public List<TokenHit> tokens(String run, String q, int limit, Axis axis) {
    return withRun(
        run,
        r -> {
          String query = RequestChecks.query(q);
          int n =
              limit == 0 ? DEFAULT_TOKEN_HITS : RequestChecks.count("limit", limit, MAX_TOKEN_HITS);
          TokenIndex index = axis == Axis.COLS ? r.colTokens() : r.tokens();
          if (index == null) {
            throw ApiException.notFound(
                "run " + r.runId() + " is rectangular and holds no column tokens");
          }
          return index.search(query, n).stream()
              .map(h -> new TokenHit(h.token(), h.position(), h.id()))
              .toList();
        });
  }

  /**
   * The stored top-k neighbours of a position with their tokens; {@code k} 0 means all stored,
   * larger k are capped at the stored k.
   *
   * @throws ApiException 400 for a negative position or k, 404 for an unknown run or metric, a
   *     position past the last, or a run without neighbour lists
   */
  @Override
  public NeighborList neighbors(String run, String metric, long position, int k) {
    return withRun(
        run,
        r -> {
          Metric m = RequestChecks.metric(r, metric);
          long p = RequestChecks.position(r, position);
          int stored = r.manifest().neighbors() == null ? 0 : r.manifest().neighbors().k();
          if (stored <= 0) {
            throw ApiException.notFound("run " + r.runId() + " has no neighbour lists");
          }
          int take = k == 0 ? stored : RequestChecks.count("k", k, stored);
          NeighborStore.Row row = r.neighbors().read(m, (int) p);
          if (row == null) {
            throw new IllegalStateException(
                "Run " + r.runId() + " has no " + m.id() + " neighbours of position " + p);
          }
          return neighborList(r, m, p, row, Math.min(take, row.positions().length));
        });
  }

  /**
   * The cluster tree of one axis of a run in cluster order.
   *
   * @throws ApiException 404 for an unknown run, a run in input order, or a cross run's columns in
   *     input order
   */
  @Override
  public ClusterList clusters(String run, Axis axis) {
    return withRun(run, r -> clusters.tree(r, axis));
  }

  /**
   * The cluster-pooled matrix of a metric, read whole from {@code cluster_tiles} and cached.
   *
   * @throws ApiException 404 for an unknown run or metric, an aggregation the run does not hold, or
   *     a run in input order
   */
  @Override
  public ClusterMatrix clusterTiles(String run, String metric, Set<Aggregation> aggs) {
    return withRun(
        run,
        r -> {
          Metric m = RequestChecks.metric(r, metric);
          aggs.forEach(a -> RequestChecks.aggregation(r, a.id()));
          return clusters.matrix(r, m, aggs);
        });
  }

  /**
   * The best pairs of a region (see {@link PairQueries}).
   *
   * @throws ApiException 400 for an empty, negative or outside region, one over {@value
   *     RequestChecks#MAX_REGION_PAIRS} pairs, or a negative limit; 404 for an unknown run or
   *     metric, or a run without column embeddings
   */
  @Override
  public PairList pairs(String run, PairsRequest request) {
    return withRun(run, r -> pairs.pairs(r, request));
  }

  /** Tile (z, i, j) computed from the embeddings even where it is stored, to compare the two. */
  TileData liveTile(String run, String metric, int z, long i, long j) {
    return withRun(
        run,
        r -> {
          Metric m = RequestChecks.metric(r, metric);
          RequestChecks.level(r, z);
          RequestChecks.tile(r, z, i, j);
          return tiles.live(r, m, z, i, j);
        });
  }

  private NeighborList neighborList(OpenRun r, Metric m, long p, NeighborStore.Row row, int take)
      throws IOException {
    List<Long> positions = new ArrayList<>(take);
    for (int e = 0; e < take; e++) {
      positions.add((long) row.positions()[e]);
    }
    String token = r.tokens().token(p);
    Map<Long, String> tokens = r.colTokens() == null ? Map.of() : r.colTokens().tokens(positions);
    List<Neighbor> out = new ArrayList<>(take);
    for (int e = 0; e < take; e++) {
      long q = row.positions()[e];
      out.add(new Neighbor(q, tokens.get(q), row.scores()[e]));
    }
    return new NeighborList(p, token, m.id(), List.copyOf(out));
  }

  /** Refuses a live tile that cannot be computed or would cost too much. */
  private void checkComputable(OpenRun r, int z, long i, long j, boolean meanOnly) {
    int stored = r.manifest().storedZoom();
    if (z <= stored) {
      return;
    }
    if (!r.liveCapable()) {
      throw ApiException.notFound(
          String.format(
              "level %d of run %s is not stored, and a rectangular run without column embeddings"
                  + " cannot compute levels live: use levels 0..%d",
              z, r.runId(), stored));
    }
    double cost =
        meanOnly ? LiveMeans.multiplyAdds(r, z, i, j) : LiveTileComputer.multiplyAdds(r, z, i, j);
    if (cost > maxTileMultiplyAdds) {
      throw ApiException.badRequest(
          String.format(
              Locale.ROOT,
              "tile (%d, %d, %d) would take %.3g multiply-adds to compute live, over this"
                  + " viewer's limit of %.3g: use %s",
              z,
              i,
              j,
              cost,
              (double) maxTileMultiplyAdds,
              servableLevels(r, z)));
    }
  }

  private String servableLevels(OpenRun r, int z) {
    String stored = "a stored level (0.." + r.manifest().storedZoom() + ")";
    for (int finer = z + 1; finer <= r.geometry().maxZoom(); finer++) {
      if (LiveTileComputer.multiplyAdds(r, finer, 0, 0) <= maxTileMultiplyAdds) {
        return stored + " or a level from " + finer + " on";
      }
    }
    return stored;
  }

  private static Aggregation defaultAggregation(OpenRun r) {
    return r.aggregations().contains(Aggregation.MEAN) ? Aggregation.MEAN : r.aggregations().get(0);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** A query against an open run. */
  @FunctionalInterface
  private interface RunQuery<T> {
    T apply(OpenRun run) throws IOException;
  }

  private <T> T withRun(String run, RunQuery<T> query) {
    OpenRun r;
    try {
      r = registry.open(run);
    } catch (RunUnavailableException e) {
      throw ApiException.notFound(e.getMessage());
    }
    try {
      return query.apply(r);
    } catch (IOException e) {
      throw failure(r, e, new UncheckedIOException(e));
    } catch (UncheckedIOException | IllegalStateException e) {
      throw failure(r, e, e);
    }
  }

  private RuntimeException failure(OpenRun r, Exception cause, RuntimeException otherwise) {
    if (!registry.exists(r.runId())) {
      return ApiException.notFound("run " + r.runId() + " no longer exists");
    }
    LOG.error("Cannot serve run {}", r.runId(), cause);
    return otherwise;
  }
}
