package org.simheat.viewer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.ApiException;
import org.simheat.viewer.service.ViewerService;

/**
 * A {@link ViewerService} over a small seeded in-memory matrix (10 × 3, tile size 4, so levels
 * 0..2), computing every answer exactly in double precision: the HTTP tests assert real values
 * while the Parquet-backed service is written elsewhere.
 *
 * <p>Run {@link #RUN} (also {@code latest}) is served; {@link #BROKEN_RUN} fails every call with an
 * exception whose message holds an internal path, which must never reach a client. Tile calls can
 * be held on a latch to test ordering and executor bounds.
 */
public final class MatrixViewerService implements ViewerService {
  public static final String RUN = "20260101T000000Z-0123abcd";
  public static final String BROKEN_RUN = "20260101T000000Z-deadbeef";
  public static final String SECRET_PATH = "/tmp/secret/runs/part-00000.parquet";
  public static final int N = 10;
  public static final int DIM = 3;
  public static final int TILE_SIZE = 4;
  public static final List<String> TOKENS =
      List.of(
          "alpha",
          "Beta",
          "alphabet",
          "zero",
          "tok",
          "tok",
          "naïve東京",
          "1999",
          "gamma",
          "the-last");

  private final double[][] rows = matrix();
  private final TileGeometry geometry = new TileGeometry(N, N, TILE_SIZE);
  private final Queue<String> callThreads = new ConcurrentLinkedQueue<>();
  private volatile CountDownLatch tileGate;

  /** The matrix, seeded; row 3 is all zeros (cosine 0 with everything). */
  public static double[][] matrix() {
    Random random = new Random(11);
    double[][] m = new double[N][DIM];
    for (int r = 0; r < N; r++) {
      for (int k = 0; k < DIM; k++) {
        m[r][k] = r == 3 ? 0 : random.nextGaussian();
      }
    }
    return m;
  }

  /** Holds every tile call until the gate opens (null: no hold). */
  public void holdTiles(CountDownLatch gate) {
    this.tileGate = gate;
  }

  /** Names of the threads that ran service calls. */
  public List<String> callThreads() {
    return List.copyOf(callThreads);
  }

  @Override
  public List<RunSummary> runs() {
    noteThread();
    return List.of(
        new RunSummary(
            RUN,
            "2026-01-01T00:00:00Z",
            "mem:test",
            null,
            null,
            N,
            N,
            DIM,
            null,
            true,
            metrics(),
            "input",
            0,
            0,
            null,
            true));
  }

  @Override
  public Manifest manifest(String run) {
    check(run);
    return new Manifest(
        Manifest.FORMAT_VERSION,
        RUN,
        "2026-01-01T00:00:00Z",
        new Manifest.Source("mem:test", "npy", null, null, "0123abcd"),
        null,
        N,
        N,
        DIM,
        true,
        metrics(),
        List.of("mean", "max", "min"),
        TILE_SIZE,
        geometry.maxZoom(),
        1,
        new Manifest.Order("input", 0),
        new Manifest.Neighbors(3),
        Map.of(),
        List.of(3L),
        null,
        null,
        Map.of());
  }

  @Override
  public Tile tile(String run, String metric, int z, long i, long j) {
    check(run);
    Metric m = metric(metric);
    awaitGate();
    if (z > geometry.maxZoom()) {
      throw ApiException.notFound(
          "Unknown level " + z + ": this run has levels 0.." + geometry.maxZoom());
    }
    if (i >= geometry.tileRows(z) || j >= geometry.tileCols(z)) {
      throw ApiException.notFound("Tile (" + z + ", " + i + ", " + j + ") is out of range");
    }
    int nr = geometry.rowsInTile(z, i);
    int nc = geometry.colsInTile(z, j);
    long s = geometry.span(z);
    float[] mean = new float[nr * nc];
    float[] max = new float[nr * nc];
    float[] min = new float[nr * nc];
    for (int r = 0; r < nr; r++) {
      for (int c = 0; c < nc; c++) {
        double[] pooled = pool(m, (i * TILE_SIZE + r) * s, (j * TILE_SIZE + c) * s, s);
        mean[r * nc + c] = (float) pooled[0];
        max[r * nc + c] = (float) pooled[1];
        min[r * nc + c] = (float) pooled[2];
      }
    }
    return new Tile(z, i, j, s, i * TILE_SIZE, j * TILE_SIZE, nr, nc, mean, max, min);
  }

  @Override
  public JsonNode view(String run, ViewRequest request) {
    check(run);
    Metric m = metric(request.metric());
    if (request.x1() > N
        || request.y1() > N
        || request.x0() >= request.x1()
        || request.y0() >= request.y1()) {
      throw ApiException.badRequest(
          "Bad viewport: ["
              + request.x0()
              + ", "
              + request.x1()
              + ") × ["
              + request.y0()
              + ", "
              + request.y1()
              + ")");
    }
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode spec = mapper.createObjectNode().put("mark", "rect");
    spec.set("request", mapper.valueToTree(request));
    ArrayNode values = spec.putObject("data").putArray("values");
    for (long r = request.y0(); r < request.y1(); r++) {
      for (long c = request.x0(); c < request.x1(); c++) {
        values.addObject().put("row", r).put("col", c).put("value", value(m, (int) r, (int) c));
      }
    }
    return spec;
  }

  @Override
  public List<TokenHit> tokens(String run, String q, int limit, Axis axis) {
    check(run);
    String needle = q.toLowerCase(Locale.ROOT);
    List<TokenHit> prefix = new ArrayList<>();
    List<TokenHit> inner = new ArrayList<>();
    for (int p = 0; p < N; p++) {
      String t = TOKENS.get(p).toLowerCase(Locale.ROOT);
      if (t.startsWith(needle)) {
        prefix.add(new TokenHit(TOKENS.get(p), p, p));
      } else if (t.contains(needle)) {
        inner.add(new TokenHit(TOKENS.get(p), p, p));
      }
    }
    prefix.addAll(inner);
    return prefix.subList(0, Math.min(limit, prefix.size()));
  }

  @Override
  public NeighborList neighbors(String run, String metric, long position, int k) {
    check(run);
    Metric m = metric(metric);
    if (position >= N) {
      throw ApiException.notFound("Position " + position + " is out of range: this run has " + N);
    }
    int p = (int) position;
    Comparator<Integer> best = Comparator.comparingDouble(o -> value(m, p, o));
    List<Integer> others = new ArrayList<>();
    for (int o = 0; o < N; o++) {
      if (o != p) {
        others.add(o);
      }
    }
    others.sort(m.higherIsBetter() ? best.reversed() : best);
    List<Neighbor> top = new ArrayList<>();
    for (int o : others.subList(0, Math.min(k, others.size()))) {
      top.add(new Neighbor(o, TOKENS.get(o), (float) value(m, p, o)));
    }
    return new NeighborList(p, TOKENS.get(p), m.id(), top);
  }

  @Override
  public ClusterList clusters(String run, Axis axis) {
    check(run);
    throw ApiException.notFound("run " + RUN + " is in input order: it has no clusters");
  }

  @Override
  public ClusterMatrix clusterTiles(String run, String metric, Set<Aggregation> aggs) {
    check(run);
    metric(metric);
    throw ApiException.notFound("run " + RUN + " is in input order: it has no clusters");
  }

  /** Every distinct pair of the region by brute force, best first (ties by row, then column). */
  @Override
  public PairList pairs(String run, PairsRequest request) {
    check(run);
    Metric m = metric(request.metric() == null ? "cosine" : request.metric());
    if (request.x0() >= request.x1()
        || request.y0() >= request.y1()
        || request.x1() > N
        || request.y1() > N) {
      throw ApiException.badRequest("Bad region");
    }
    List<Pair> all = new ArrayList<>();
    for (long r = request.y0(); r < request.y1(); r++) {
      for (long c = request.x0(); c < request.x1(); c++) {
        boolean mirrored = r > c && c >= request.y0() && r < request.x1() && r >= request.x0();
        if (r != c && !mirrored) {
          all.add(
              new Pair(
                  r,
                  c,
                  TOKENS.get((int) r),
                  TOKENS.get((int) c),
                  (float) value(m, (int) r, (int) c)));
        }
      }
    }
    Comparator<Pair> byValue = Comparator.comparingDouble(Pair::value);
    all.sort(
        (m.higherIsBetter() ? byValue.reversed() : byValue)
            .thenComparingLong(Pair::row)
            .thenComparingLong(Pair::col));
    int limit = request.limit() == 0 ? 20 : request.limit();
    return new PairList(
        RUN,
        m.id(),
        request.x0(),
        request.x1(),
        request.y0(),
        request.y1(),
        all.size(),
        m.higherIsBetter() ? "highest" : "lowest",
        List.copyOf(all.subList(0, Math.min(limit, all.size()))));
  }

  /** The metric's value for one pair, in double precision. */
  public double value(Metric m, int a, int b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int k = 0; k < DIM; k++) {
      dot += rows[a][k] * rows[b][k];
      na += rows[a][k] * rows[a][k];
      nb += rows[b][k] * rows[b][k];
    }
    switch (m) {
      case DOT:
        return dot;
      case COSINE:
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
      default:
        return a == b ? 0 : Math.sqrt(Math.max(0, na + nb - 2 * dot));
    }
  }

  private double[] pool(Metric m, long r0, long c0, long s) {
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    int count = 0;
    for (long r = r0; r < Math.min(r0 + s, N); r++) {
      for (long c = c0; c < Math.min(c0 + s, N); c++) {
        double v = value(m, (int) r, (int) c);
        sum += v;
        max = Math.max(max, v);
        min = Math.min(min, v);
        count++;
      }
    }
    return new double[] {sum / count, max, min};
  }

  private void check(String run) {
    noteThread();
    if (run.equals(BROKEN_RUN)) {
      throw new IllegalStateException("Cannot read " + SECRET_PATH);
    }
    if (!run.equals("latest") && !run.equals(RUN)) {
      throw ApiException.notFound("Unknown run '" + run + "'");
    }
  }

  private void noteThread() {
    callThreads.add(Thread.currentThread().getName());
  }

  private static Metric metric(String id) {
    Metric m = Metric.parse(id);
    if (!metrics().contains(m.id())) {
      throw ApiException.notFound("Unknown metric '" + id + "'");
    }
    return m;
  }

  private static List<String> metrics() {
    return List.of("cosine", "dot", "l2");
  }

  private void awaitGate() {
    CountDownLatch gate = tileGate;
    if (gate == null) {
      return;
    }
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("tile gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
