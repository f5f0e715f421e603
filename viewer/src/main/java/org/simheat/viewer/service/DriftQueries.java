package org.simheat.viewer.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.ViewerService.Axis;
import org.simheat.viewer.service.ViewerService.Neighbor;
import org.simheat.viewer.spec.MaskState;
import org.simheat.viewer.spec.ViewCells;
import org.simheat.viewer.spec.ViewSpecBuilder;
import org.simheat.viewer.store.OpenRun;
import org.simheat.viewer.store.RunRegistry;
import org.simheat.viewer.store.RunUnavailableException;
import org.simheat.viewer.store.TileData;
import org.simheat.viewer.store.TokenIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift API: Δ = A − B between a viewed run A and a baseline B that align ({@link
 * DriftAlignment}): whether they do, tiles of Δ ({@link DriftTiles}), viewports of Δ pooled by the
 * run viewer's {@link ViewportPooler}, and the changes of one token's row computed exactly from
 * both runs' embeddings.
 *
 * <p>Errors: an unknown or gone run is a 404 (as for one run), runs that do not align a 409 naming
 * the reason, and a metric not in both runs, a level, tile or position outside the runs, a bad k or
 * max |Δ| asked at a stored level a 400. Alignments are checked once per ordered pair of run ids
 * and kept (at most {@value #MAX_ALIGNMENTS}); a run id always names the same content.
 */
public final class DriftQueries {
  private static final Logger LOG = LoggerFactory.getLogger(DriftQueries.class);
  static final int MAX_ALIGNMENTS = 256;

  /** Changed pairs and neighbours listed when k is not given. */
  public static final int DEFAULT_K = 20;

  static final int MAX_K = 100;

  /** A viewport's pooling of Δ. */
  public enum Pooling {
    /** The mean Δ of each bin's pairs. */
    MEAN,
    /** The largest |Δ| among each bin's pairs (live levels only). */
    MAXABS;

    /** Its API name. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Whether two runs align.
   *
   * @param a run A's id
   * @param b run B's id
   * @param aligned whether Δ = A − B is defined
   * @param reason why not (absent when aligned)
   * @param n rows (absent when not aligned)
   * @param nCols columns
   * @param metrics the metrics both runs computed
   * @param storedZoom the finest level both runs store; finer levels are live
   * @param maxZoom the finest level
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Summary(
      String a,
      String b,
      boolean aligned,
      String reason,
      Long n,
      Long nCols,
      List<String> metrics,
      Integer storedZoom,
      Integer maxZoom) {}

  /**
   * A tile of Δ.
   *
   * @param z level
   * @param i tile row
   * @param j tile column
   * @param span cell span at this level
   * @param rowStart first cell row of the tile
   * @param colStart first cell column
   * @param rows cell rows
   * @param cols cell columns
   * @param mean row-major mean Δ
   * @param maxAbs row-major max |Δ|, null at stored levels
   */
  public record Tile(
      int z,
      long i,
      long j,
      long span,
      long rowStart,
      long colStart,
      int rows,
      int cols,
      float[] mean,
      float[] maxAbs) {}

  /**
   * A viewport request of Δ; ranges are half-open positions, x1 and y1 clamped to the matrix.
   *
   * @param metric metric id (blank: the first both runs have)
   * @param pooling what each bin shows
   * @param x0 first column
   * @param x1 column past the last
   * @param y0 first row
   * @param y1 row past the last
   * @param res about this many bins per side (0: 128)
   * @param mask whether the bins exclude the self-pairs (of symmetric runs; see {@link DriftMask})
   */
  public record ViewRequest(
      String metric, Pooling pooling, long x0, long x1, long y0, long y1, int res, boolean mask) {}

  /**
   * One changed pair of the changes list.
   *
   * @param position the other axis's position
   * @param token its token
   * @param a the value in run A
   * @param b the value in run B
   * @param delta a − b
   */
  public record Change(long position, String token, float a, float b, float delta) {}

  /**
   * How one token's row (or column) changed from B to A.
   *
   * @param position the token's position
   * @param token the token
   * @param metric metric id
   * @param axis {@code rows} or {@code cols}
   * @param changed the k pairs of largest |Δ|, largest first (ties: smaller position first)
   * @param neighborsA the token's top k in A (l2: smallest first)
   * @param neighborsB its top k in B
   * @param entered tokens in A's top k that are not in B's, in A's order
   * @param left tokens in B's top k that are not in A's, in B's order
   */
  public record Changes(
      long position,
      String token,
      String metric,
      String axis,
      List<Change> changed,
      List<Neighbor> neighborsA,
      List<Neighbor> neighborsB,
      List<String> entered,
      List<String> left) {}

  private final RunRegistry registry;
  private final DriftTiles drift;
  private final ViewportPooler pooler;
  private final LiveTileComputer live;
  private final long maxTileMultiplyAdds;
  private final long maxViewMultiplyAdds;
  private final Map<String, String> alignments =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX_ALIGNMENTS;
        }
      };

  DriftQueries(
      RunRegistry registry,
      DriftTiles drift,
      ViewportPooler pooler,
      LiveTileComputer live,
      long maxTileMultiplyAdds,
      long maxViewMultiplyAdds) {
    this.registry = registry;
    this.drift = drift;
    this.pooler = pooler;
    this.live = live;
    this.maxTileMultiplyAdds = maxTileMultiplyAdds;
    this.maxViewMultiplyAdds = maxViewMultiplyAdds;
  }

  /**
   * Whether runs a and b (ids or {@code latest}) align, and what they share when they do.
   *
   * @throws ApiException 404 for an unknown or gone run
   */
  public Summary summary(String a, String b) {
    return withRuns(
        a,
        b,
        (ra, rb) -> {
          String reason = alignment(ra, rb);
          if (reason != null) {
            return new Summary(ra.runId(), rb.runId(), false, reason, null, null, null, null, null);
          }
          Manifest m = ra.manifest();
          return new Summary(
              ra.runId(),
              rb.runId(),
              true,
              null,
              m.n(),
              m.nCols(),
              DriftAlignment.common(m, rb.manifest()),
              DriftTiles.storedZoom(ra, rb),
              ra.geometry().maxZoom());
        });
  }

  /**
   * Tile (z, i, j) of Δ = A − B.
   *
   * @throws ApiException 404 for an unknown run, 409 for runs that do not align, 400 for a metric
   *     not in both, a level or tile outside the grid, or a live tile over the viewer's limit
   */
  public Tile tile(String a, String b, String metric, int z, long i, long j) {
    return withAligned(
        a,
        b,
        (ra, rb) -> {
          Metric m = metric(ra, rb, metric);
          TileGeometry g = ra.geometry();
          if (z < 0 || z > g.maxZoom()) {
            throw ApiException.badRequest(
                "level " + z + " is out of range: the runs have levels 0.." + g.maxZoom());
          }
          if (i < 0 || j < 0 || i >= g.tileRows(z) || j >= g.tileCols(z)) {
            throw ApiException.badRequest(
                String.format(
                    "tile (%d, %d, %d) is outside level %d's grid: i in 0..%d, j in 0..%d",
                    z, i, j, z, g.tileRows(z) - 1, g.tileCols(z) - 1));
          }
          checkCost(ra, rb, z, i, j);
          TileData t = drift.tile(ra, rb, m, z, i, j);
          long size = g.tileSize();
          return new Tile(
              z, i, j, g.span(z), i * size, j * size, t.rows(), t.cols(), t.mean(), t.max());
        });
  }

  /**
   * A Vega-Lite spec of a viewport of Δ, as JSON bytes (see {@link ViewSpecBuilder#driftJson}).
   *
   * @throws ApiException 404 for an unknown run, 409 for runs that do not align, 400 for a metric
   *     not in both, a bad range or resolution, or max |Δ| at a stored level
   */
  public byte[] viewJson(String a, String b, ViewRequest request) {
    return withAligned(
        a,
        b,
        (ra, rb) -> {
          Metric m =
              request.metric() == null || request.metric().isBlank()
                  ? Metric.parse(DriftAlignment.common(ra.manifest(), rb.manifest()).get(0))
                  : metric(ra, rb, request.metric());
          int res = RequestChecks.resolution(request.res());
          long[] x = RequestChecks.range("x", request.x0(), request.x1(), ra.geometry().cols());
          long[] y = RequestChecks.range("y", request.y0(), request.y1(), ra.geometry().rows());
          ViewportPooler.Source src = source(ra, rb, m);
          int stored = DriftTiles.storedZoom(ra, rb);
          int z = pooler.level(src, x[0], x[1], y[0], y[1], res);
          boolean isLive = z > stored;
          if (request.pooling() == Pooling.MAXABS && !isLive) {
            throw ApiException.badRequest(
                "max |Δ| needs a level finer than "
                    + stored
                    + " (stored levels keep means only); zoom in");
          }
          boolean symmetric = ra.manifest().symmetric();
          DriftMask masking =
              request.mask() && symmetric
                  ? new DriftMask(ra, rb, m, live, maxViewMultiplyAdds)
                  : null;
          MaskState state;
          if (symmetric) {
            state = MaskState.OFF;
          } else {
            state = request.mask() ? MaskState.IGNORED : MaskState.NOT_APPLICABLE;
          }
          ViewCells cells =
              pooler.pool(src, new long[] {x[0], x[1], y[0], y[1]}, res, masking, state);
          ViewCells labelled = new AxisLabeller(ra).label(cells);
          return ViewSpecBuilder.driftJson(
              ra.manifest(),
              m.id(),
              request.pooling().id(),
              labelled,
              new ViewSpecBuilder.Drift(ra.runId(), rb.runId(), stored, isLive, isLive));
        });
  }

  /**
   * How the row (or, with {@code axis} cols, the column) at {@code position} changed: its values
   * against every position of the other axis in both runs, computed from the embeddings.
   *
   * @throws ApiException 404 for an unknown run, 409 for runs that do not align, 400 for a metric
   *     not in both, a position outside the axis, or k outside 1..{@value #MAX_K}
   */
  public Changes changes(String a, String b, String metric, long position, int k, Axis axis) {
    return withAligned(
        a,
        b,
        (ra, rb) -> {
          Metric m = metric(ra, rb, metric);
          if (k < 1 || k > MAX_K) {
            throw ApiException.badRequest("k must be 1.." + MAX_K + ", got " + k);
          }
          boolean cols = axis == Axis.COLS;
          if (!ra.liveCapable() || !rb.liveCapable()) {
            throw ApiException.badRequest(
                "the runs' columns have no vectors: there is no row to compare");
          }
          long n = cols ? ra.geometry().cols() : ra.geometry().rows();
          if (position < 0 || position >= n) {
            throw ApiException.badRequest(
                "position "
                    + position
                    + " is out of range: the runs' "
                    + (cols ? "columns" : "rows")
                    + " are 0.."
                    + (n - 1));
          }
          return live.withPermit(() -> DriftChanges.of(ra, rb, m, position, k, cols));
        });
  }

  /** Δ of a metric as the pooler's source: A's geometry, both runs' stored and live tiles. */
  private ViewportPooler.Source source(OpenRun ra, OpenRun rb, Metric m) {
    return new ViewportPooler.Source() {
      @Override
      public TileGeometry geometry() {
        return ra.geometry();
      }

      @Override
      public int storedZoom() {
        return DriftTiles.storedZoom(ra, rb);
      }

      @Override
      public double liveCost(int z, long i, long j) {
        return DriftTiles.multiplyAdds(ra, rb, z, i, j);
      }

      @Override
      public TileData tile(int z, long i, long j) throws IOException {
        return drift.tile(ra, rb, m, z, i, j);
      }
    };
  }

  /** A metric id both runs computed; 400 otherwise. */
  private static Metric metric(OpenRun ra, OpenRun rb, String id) {
    List<String> common = DriftAlignment.common(ra.manifest(), rb.manifest());
    String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    if (!common.contains(wanted)) {
      throw ApiException.badRequest(
          "metric '"
              + RequestChecks.clip(id == null ? "" : id)
              + "' is not in both runs: they share "
              + String.join(", ", common));
    }
    return Metric.parse(wanted);
  }

  private void checkCost(OpenRun ra, OpenRun rb, int z, long i, long j) {
    if (z <= DriftTiles.storedZoom(ra, rb)) {
      return;
    }
    double cost = DriftTiles.multiplyAdds(ra, rb, z, i, j);
    if (Double.isInfinite(cost)) {
      throw ApiException.badRequest(
          "level " + z + " is not stored in both runs and their columns have no vectors");
    }
    if (cost > maxTileMultiplyAdds) {
      throw ApiException.badRequest(
          String.format(
              Locale.ROOT,
              "drift tile (%d, %d, %d) would take %.3g multiply-adds to compute live, over this"
                  + " viewer's limit of %.3g: use a stored level (0..%d) or a finer level",
              z,
              i,
              j,
              cost,
              (double) maxTileMultiplyAdds,
              DriftTiles.storedZoom(ra, rb)));
    }
  }

  /** Why two open runs do not align, or null; checked once per pair of ids. */
  private String alignment(OpenRun ra, OpenRun rb) throws IOException {
    String key = ra.runId() + " " + rb.runId();
    synchronized (alignments) {
      if (alignments.containsKey(key)) {
        return alignments.get(key);
      }
    }
    String reason = DriftAlignment.reason(ra.manifest(), tokens(ra), rb.manifest(), tokens(rb));
    synchronized (alignments) {
      alignments.put(key, reason);
    }
    return reason;
  }

  private static DriftAlignment.Tokens tokens(OpenRun run) {
    return new DriftAlignment.Tokens() {
      @Override
      public long[] hashes(boolean columns) throws IOException {
        long[] out =
            new long[Math.toIntExact(columns ? run.manifest().nCols() : run.manifest().n())];
        index(columns)
            .forEach(
                (p, token) -> {
                  if (p < 0 || p >= out.length) {
                    throw new IllegalStateException(
                        "run " + run.runId() + " holds token position " + p + " of " + out.length);
                  }
                  out[p] = DriftAlignment.hash(token);
                });
        return out;
      }

      @Override
      public String token(boolean columns, long position) throws IOException {
        return index(columns).token(position);
      }

      private TokenIndex index(boolean columns) {
        TokenIndex index = columns ? run.colTokens() : run.tokens();
        if (index == null) {
          throw ApiException.badRequest("run " + run.runId() + " has no column tokens to compare");
        }
        return index;
      }
    };
  }

  /** A query against two open runs. */
  @FunctionalInterface
  private interface PairQuery<T> {
    T apply(OpenRun a, OpenRun b) throws IOException;
  }

  private <T> T withAligned(String a, String b, PairQuery<T> query) {
    return withRuns(
        a,
        b,
        (ra, rb) -> {
          String reason = alignment(ra, rb);
          if (reason != null) {
            throw new ApiException(
                409, "runs " + ra.runId() + " and " + rb.runId() + " do not align: " + reason);
          }
          return query.apply(ra, rb);
        });
  }

  private <T> T withRuns(String a, String b, PairQuery<T> query) {
    OpenRun ra;
    OpenRun rb;
    try {
      ra = registry.open(a);
      rb = registry.open(b);
    } catch (RunUnavailableException e) {
      throw ApiException.notFound(e.getMessage());
    }
    try {
      return query.apply(ra, rb);
    } catch (IOException e) {
      throw failure(ra, rb, e, new UncheckedIOException(e));
    } catch (UncheckedIOException | IllegalStateException e) {
      throw failure(ra, rb, e, e);
    }
  }

  private RuntimeException failure(
      OpenRun ra, OpenRun rb, Exception cause, RuntimeException otherwise) {
    for (OpenRun r : List.of(ra, rb)) {
      if (!registry.exists(r.runId())) {
        return ApiException.notFound("run " + r.runId() + " no longer exists");
      }
    }
    LOG.error("Cannot compare runs {} and {}", ra.runId(), rb.runId(), cause);
    return otherwise;
  }
}
