package org.simheat.viewer.http;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.viewer.service.ApiException;
import org.simheat.viewer.service.DriftQueries;
import org.simheat.viewer.service.SaliencyQueries;
import org.simheat.viewer.service.ViewerService;
import org.simheat.viewer.service.ViewerService.Axis;
import org.simheat.viewer.service.ViewerService.PairsRequest;
import org.simheat.viewer.service.ViewerService.ViewRequest;

/**
 * The JSON API of DESIGN.md as routes onto {@link ViewerService}:
 *
 * <pre>
 * /api/runs
 * /api/runs/{run}/manifest
 * /api/runs/{run}/tiles/{metric}/{z}/{i}/{j}?format=json|f32&amp;agg=mean,max,min
 * /api/runs/{run}/view?metric=&amp;agg=&amp;x0=&amp;x1=&amp;y0=&amp;y1=&amp;res=&amp;mask=
 * /api/runs/{run}/tokens?q=&amp;limit=&amp;axis=rows|cols
 * /api/runs/{run}/neighbors/{metric}/{position}?k=
 * /api/runs/{run}/clusters?axis=rows|cols
 * /api/runs/{run}/cluster-tiles/{metric}?agg=mean,max,min
 * /api/runs/{run}/pairs?metric=&amp;x0=&amp;x1=&amp;y0=&amp;y1=&amp;limit=
 * /api/saliency
 * /api/saliency/{doc}?from=&amp;to=
 * /api/saliency/{doc}/heat/{facet}/{position}
 * /api/saliency/{doc}/spec?focus=&amp;from=&amp;to=&amp;width=
 * /api/runs/{run}/saliency/{doc}?focus=&amp;from=&amp;to=&amp;width=
 * /api/runs/{run}/saliency-occurrences?position=
 * /api/drift/{a}/{b}
 * /api/drift/{a}/{b}/tiles/{metric}/{z}/{i}/{j}
 * /api/drift/{a}/{b}/view?metric=&amp;agg=mean|maxabs&amp;x0=&amp;x1=&amp;y0=&amp;y1=&amp;res=
 * /api/drift/{a}/{b}/changes/{metric}/{position}?k=&amp;axis=rows|cols
 * </pre>
 *
 * <p>Resolving a route validates every argument (run ids, metric ids, numbers) on the calling
 * thread and returns a {@link Call} that does the service work, to be run off the event loop. Tiles
 * come from {@link TileBodies}: encoded once (JSON by default, {@link TileBinary} with {@code
 * format=f32}) with the aggregations asked for ({@code agg}, all by default), then served as ready
 * bytes.
 */
final class ApiRoutes {
  static final int DEFAULT_TOKEN_LIMIT = 20;
  static final int DEFAULT_NEIGHBORS = 10;
  static final int DEFAULT_RES = 128;
  static final int DEFAULT_PAIRS = 20;

  /** A validated API call; running it may block on Parquet reads. */
  @FunctionalInterface
  interface Call {
    /**
     * Runs the service call.
     *
     * @return the body of a 200 response
     * @throws ApiException for a request the service refuses
     */
    TileBodies.Body run();
  }

  private final ViewerService service;
  private final TileBodies tiles;

  /** Routes onto a service, keeping up to {@code tileBodyBytes} of encoded tiles. */
  ApiRoutes(ViewerService service, long tileBodyBytes) {
    this.service = service;
    this.tiles = new TileBodies(service, tileBodyBytes);
  }

  /** A call answering with a JSON body. */
  private static Call json(Supplier<Object> result) {
    return () -> TileBodies.Body.of(JsonBodies.of(result.get()), Reply.JSON);
  }

  /**
   * The call answering an API target, or null when no route matches its shape.
   *
   * @throws ApiException 400 for a malformed run id, metric, aggregation, axis, flag or number
   */
  Call resolve(RequestTarget target) {
    List<String> s = target.segments();
    QueryParams q = target.query();
    if (s.size() >= 2 && s.get(1).equals("saliency")) {
      return saliency(s, q);
    }
    if (s.size() >= 4 && s.get(1).equals("drift")) {
      return drift(run(s.get(2)), run(s.get(3)), s, q);
    }
    if (s.size() < 2 || !s.get(1).equals("runs")) {
      return null;
    }
    if (s.size() == 2) {
      return json(service::runs);
    }
    if (s.size() == 4) {
      return runRoute(run(s.get(2)), s.get(3), q);
    }
    if (s.size() == 8 && s.get(3).equals("tiles")) {
      String run = run(s.get(2));
      String metric = metric(s.get(4));
      int z = (int) QueryParams.parse("z", s.get(5), Integer.MAX_VALUE);
      long i = QueryParams.parse("i", s.get(6), Long.MAX_VALUE);
      long j = QueryParams.parse("j", s.get(7), Long.MAX_VALUE);
      TileBodies.Format format = format(q.get("format"));
      Set<Aggregation> aggs = aggregations(q.get("agg"));
      return () -> tiles.get(run, metric, z, i, j, format, aggs);
    }
    if (s.size() == 5 && s.get(3).equals("saliency")) {
      String run = run(s.get(2));
      String doc = s.get(4);
      return spec(service.saliency(), () -> service.manifest(run).runId() + "~" + doc, q);
    }
    if (s.size() == 6 && s.get(3).equals("neighbors")) {
      String run = run(s.get(2));
      String metric = metric(s.get(4));
      long position = QueryParams.parse("position", s.get(5), Long.MAX_VALUE);
      int k = q.intOr("k", DEFAULT_NEIGHBORS);
      return json(() -> service.neighbors(run, metric, position, k));
    }
    if (s.size() == 5 && s.get(3).equals("cluster-tiles")) {
      String run = run(s.get(2));
      String metric = metric(s.get(4));
      Set<Aggregation> aggs = aggregations(q.get("agg"));
      return json(() -> service.clusterTiles(run, metric, aggs));
    }
    return null;
  }

  /**
   * The saliency routes: the listing, a document with a window of its tokens ({@code from} 0 and
   * {@code to} {@link SaliencyQueries#MAX_WINDOW} positions later by default) and a heat row.
   */
  private Call saliency(List<String> s, QueryParams q) {
    SaliencyQueries queries = service.saliency();
    if (s.size() == 2) {
      return json(queries::documents);
    }
    String doc = s.get(2);
    if (s.size() == 3) {
      int from = q.intOr("from", 0);
      long to =
          q.longOrNull("to") == null
              ? (long) from + SaliencyQueries.MAX_WINDOW
              : q.longOrNull("to");
      int end = (int) Math.min(to, Integer.MAX_VALUE);
      return json(() -> queries.document(doc, from, end));
    }
    if (s.size() == 4 && s.get(3).equals("spec")) {
      return spec(queries, () -> doc, q);
    }
    if (s.size() == 6 && s.get(3).equals("heat")) {
      int facet = (int) QueryParams.parse("facet", s.get(4), Integer.MAX_VALUE);
      int position = (int) QueryParams.parse("position", s.get(5), Integer.MAX_VALUE);
      return json(() -> queries.heatRow(doc, facet, position));
    }
    return null;
  }

  /**
   * The drift routes: Δ = A − B of run a (viewed) and run b (baseline). In a view, absent ranges
   * default to the whole matrix and {@code agg} to {@code mean}.
   */
  private Call drift(String a, String b, List<String> s, QueryParams q) {
    Supplier<DriftQueries> drift =
        () -> {
          DriftQueries d = service.drift();
          if (d == null) {
            throw ApiException.notFound("this viewer does not compare runs");
          }
          return d;
        };
    if (s.size() == 4) {
      return json(() -> drift.get().summary(a, b));
    }
    String what = s.get(4);
    if (s.size() == 5 && what.equals("view")) {
      String metric = q.get("metric") == null ? null : metric(q.get("metric"));
      DriftQueries.Pooling pooling = pooling(q.get("agg"));
      long x0 = orZero(q.longOrNull("x0"));
      long y0 = orZero(q.longOrNull("y0"));
      Long x1 = q.longOrNull("x1");
      Long y1 = q.longOrNull("y1");
      int res = q.intOr("res", DEFAULT_RES);
      boolean mask = q.booleanOr("mask", false);
      DriftQueries.ViewRequest request =
          new DriftQueries.ViewRequest(
              metric,
              pooling,
              x0,
              x1 == null ? Long.MAX_VALUE : x1,
              y0,
              y1 == null ? Long.MAX_VALUE : y1,
              res,
              mask);
      return () -> TileBodies.Body.of(drift.get().viewJson(a, b, request), Reply.JSON);
    }
    if (s.size() == 9 && what.equals("tiles")) {
      String metric = metric(s.get(5));
      int z = (int) QueryParams.parse("z", s.get(6), Integer.MAX_VALUE);
      long i = QueryParams.parse("i", s.get(7), Long.MAX_VALUE);
      long j = QueryParams.parse("j", s.get(8), Long.MAX_VALUE);
      return json(() -> drift.get().tile(a, b, metric, z, i, j));
    }
    if (s.size() == 7 && what.equals("changes")) {
      String metric = metric(s.get(5));
      long position = QueryParams.parse("position", s.get(6), Long.MAX_VALUE);
      int k = q.intOr("k", DriftQueries.DEFAULT_K);
      Axis axis = axis(q.get("axis"));
      return json(() -> drift.get().changes(a, b, metric, position, k, axis));
    }
    return null;
  }

  /** A drift view's pooling: {@code mean} (also when absent) or {@code maxabs}. */
  private static DriftQueries.Pooling pooling(String value) {
    if (value == null || value.equals("mean")) {
      return DriftQueries.Pooling.MEAN;
    }
    if (value.equals("maxabs")) {
      return DriftQueries.Pooling.MAXABS;
    }
    throw ApiException.badRequest(
        "Bad agg '" + RequestTarget.echo(value) + "': choose mean or maxabs");
  }

  /** A saliency view as Vega-Lite; the id is resolved when the call runs (a run may be latest). */
  private static Call spec(SaliencyQueries queries, Supplier<String> id, QueryParams q) {
    int focus = q.get("focus") == null ? -1 : q.intOr("focus", -1);
    Integer from = q.get("from") == null ? null : q.intOr("from", 0);
    Integer to = q.get("to") == null ? null : q.intOr("to", 0);
    int width = q.intOr("width", 600);
    return json(() -> queries.spec(id.get(), focus, from, to, width));
  }

  private Call runRoute(String run, String what, QueryParams q) {
    switch (what) {
      case "manifest":
        return json(() -> service.manifest(run));
      case "view":
        return view(run, q);
      case "tokens":
        String text = q.get("q");
        int limit = q.intOr("limit", DEFAULT_TOKEN_LIMIT);
        Axis axis = axis(q.get("axis"));
        return json(() -> service.tokens(run, text == null ? "" : text, limit, axis));
      case "clusters":
        Axis side = axis(q.get("axis"));
        return json(() -> service.clusters(run, side));
      case "pairs":
        return pairs(run, q);
      case "saliency-occurrences":
        int position =
            (int) QueryParams.parse("position", q.require("position"), Integer.MAX_VALUE);
        return json(() -> service.saliency().occurrences(service.manifest(run).runId(), position));
      default:
        return null;
    }
  }

  /** The region pairs call; the region is required, metric defaults to the run's first. */
  private Call pairs(String run, QueryParams q) {
    String metric = q.get("metric") == null ? null : metric(q.get("metric"));
    long x0 = QueryParams.parse("x0", q.require("x0"), Long.MAX_VALUE);
    long x1 = QueryParams.parse("x1", q.require("x1"), Long.MAX_VALUE);
    long y0 = QueryParams.parse("y0", q.require("y0"), Long.MAX_VALUE);
    long y1 = QueryParams.parse("y1", q.require("y1"), Long.MAX_VALUE);
    int limit = q.intOr("limit", DEFAULT_PAIRS);
    return json(() -> service.pairs(run, new PairsRequest(metric, x0, x1, y0, y1, limit)));
  }

  /**
   * The viewport call; absent ranges default to the whole matrix, metric to the run's first, mask
   * (hide the self-pairs) to false.
   */
  private Call view(String run, QueryParams q) {
    String metric = q.get("metric") == null ? null : metric(q.get("metric"));
    String agg = aggregation(q.get("agg") == null ? Aggregation.MEAN.id() : q.get("agg"));
    long x0 = orZero(q.longOrNull("x0"));
    long y0 = orZero(q.longOrNull("y0"));
    Long x1 = q.longOrNull("x1");
    Long y1 = q.longOrNull("y1");
    int res = q.intOr("res", DEFAULT_RES);
    boolean mask = q.booleanOr("mask", false);
    return () -> {
      Manifest m = metric == null || x1 == null || y1 == null ? service.manifest(run) : null;
      ViewRequest request =
          new ViewRequest(
              metric != null ? metric : m.metrics().get(0),
              agg,
              x0,
              x1 != null ? x1 : m.nCols(),
              y0,
              y1 != null ? y1 : m.n(),
              res,
              mask);
      return TileBodies.Body.of(service.viewJson(run, request), Reply.JSON);
    };
  }

  /**
   * A run argument: {@code latest} or a well-formed run id.
   *
   * @throws ApiException 400 otherwise
   */
  static String run(String segment) {
    if (segment.equals("latest") || RunLayout.isRunId(segment)) {
      return segment;
    }
    throw ApiException.badRequest(
        "Bad run '" + RequestTarget.echo(segment) + "': expected 'latest' or a run id");
  }

  /**
   * A metric argument: one of the metric ids, exactly.
   *
   * @throws ApiException 400 otherwise
   */
  static String metric(String value) {
    for (Metric m : Metric.values()) {
      if (m.id().equals(value)) {
        return value;
      }
    }
    throw ApiException.badRequest(
        "Bad metric '" + RequestTarget.echo(value) + "': choose from cosine, dot, l2");
  }

  private static String aggregation(String value) {
    for (Aggregation a : Aggregation.values()) {
      if (a.id().equals(value)) {
        return value;
      }
    }
    throw ApiException.badRequest(
        "Bad agg '" + RequestTarget.echo(value) + "': choose from mean, max, min");
  }

  /** A tile's wire format: {@code json} (also when absent) or {@code f32}. */
  private static TileBodies.Format format(String value) {
    if (value == null || value.equals("json")) {
      return TileBodies.Format.JSON;
    }
    if (value.equals("f32")) {
      return TileBodies.Format.F32;
    }
    throw ApiException.badRequest(
        "Bad format '" + RequestTarget.echo(value) + "': choose json or f32");
  }

  /** A comma-separated list of aggregations; absent or empty means all the run holds. */
  private static Set<Aggregation> aggregations(String value) {
    if (value == null || value.isEmpty()) {
      return Set.of();
    }
    EnumSet<Aggregation> out = EnumSet.noneOf(Aggregation.class);
    for (String part : value.split(",", -1)) {
      out.add(Aggregation.valueOf(aggregation(part).toUpperCase(Locale.ROOT)));
    }
    return Set.copyOf(out);
  }

  private static Axis axis(String value) {
    if (value == null || value.equals("rows")) {
      return Axis.ROWS;
    }
    if (value.equals("cols")) {
      return Axis.COLS;
    }
    throw ApiException.badRequest(
        "Bad axis '" + RequestTarget.echo(value) + "': choose rows or cols");
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
