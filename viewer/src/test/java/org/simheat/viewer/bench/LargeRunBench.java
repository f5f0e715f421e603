package org.simheat.viewer.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.simheat.format.Manifest;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.bench.LoadDriver.Check;
import org.simheat.viewer.bench.LoadDriver.Request;

/**
 * The million-token part of {@link ViewerBench}: stored tiles under concurrent clients, live tiles,
 * and the heap over a long mixed load, on one viewer JVM.
 */
final class LargeRunBench {
  /** A binary tile whose length is what its header says. */
  static final Check BINARY_TILE =
      r -> {
        if (r.head().length < 40 || r.head()[0] != 'S' || r.head()[3] != '1') {
          return "not a binary tile";
        }
        ByteBuffer h = ByteBuffer.wrap(r.head()).order(ByteOrder.LITTLE_ENDIAN);
        long cells = (long) h.getInt(28) * h.getInt(32);
        long expected = 40 + 4 * cells * Integer.bitCount(h.getInt(36));
        return r.bytes() == expected ? null : "binary tile of " + r.bytes() + " bytes";
      };

  private static final String F32 = "?format=f32";
  private final ViewerBench bench;

  LargeRunBench(ViewerBench bench) {
    this.bench = bench;
  }

  void run(Path data) throws IOException, InterruptedException {
    try (ServerProcess s = bench.start(data, "large")) {
      Manifest m = ViewerBench.manifest(s);
      TileGeometry g = m.geometry();
      System.out.printf(
          Locale.ROOT,
          "%nServer pid %d: run %s, %,d tokens, d = %d, levels 0..%d stored of 0..%d; -Xmx%s;"
              + " live tiles multiply with %s%n%s%n",
          s.pid(),
          m.runId(),
          m.n(),
          m.dim(),
          m.storedZoom(),
          g.maxZoom(),
          bench.heap,
          s.blas(),
          LoadResult.header());
      LoadDriver driver = new LoadDriver(s.port());
      warmUp(driver, g, m.storedZoom());
      stored(driver, g, m.storedZoom());
      if (g.maxZoom() > m.storedZoom()) {
        live(driver, g, m, s.blas());
      }
      heap(s, driver, g, m);
    }
  }

  private void warmUp(LoadDriver driver, TileGeometry g, int stored)
      throws IOException, InterruptedException {
    int z = g.maxZoom();
    driver.closed(
        "warm-up",
        4,
        WARM_UP,
        k ->
            k % 3 == 0
                ? binary(ViewerBench.randomTile(k, g, 0, stored, F32))
                : k % 3 == 1
                    ? json(ViewerBench.randomTile(k, g, 0, Math.min(2, stored), ""))
                    : binary(ViewerBench.randomTile(k, g, z, z, F32)));
  }

  private static final int WARM_UP = 300;

  /** Stored tiles: a hot set (levels 0..2) and every stored level, binary and JSON, and paced. */
  private void stored(LoadDriver driver, TileGeometry g, int stored)
      throws IOException, InterruptedException {
    int hot = Math.min(2, stored);
    int count = bench.requests;
    bench.sweep(
        driver, "/healthz", count, k -> new Request("healthz", "/healthz", true, Check.ANY));
    String cached = "stored tile, cached (z ≤ " + hot + "), f32";
    bench.sweep(driver, cached, count, k -> binary(ViewerBench.randomTile(k, g, 0, hot, F32)));
    String mean = "stored tile, cached, f32, agg=mean";
    IntFunction<Request> meanOnly =
        k -> binary(ViewerBench.randomTile(k, g, 0, hot, F32 + "&agg=mean"));
    bench.closed(driver, mean, 1, count, meanOnly);
    bench.closed(driver, mean, bench.mostClients(), count, meanOnly);
    String json = "stored tile, cached, JSON";
    IntFunction<Request> jsonTiles = k -> json(ViewerBench.randomTile(k, g, 0, hot, ""));
    bench.closed(driver, json, 1, count / 5, jsonTiles);
    bench.closed(driver, json, bench.mostClients(), count / 5, jsonTiles);
    String any = "stored tile, any level (z ≤ " + stored + "), f32";
    bench.sweep(driver, any, count / 2, k -> binary(ViewerBench.randomTile(k, g, 0, stored, F32)));
    paced(driver, cached, g, hot);
    summariseStored(cached);
  }

  /** The hot set again, at half the closed-loop throughput of the most clients. */
  private void paced(LoadDriver driver, String cached, TileGeometry g, int hot)
      throws IOException, InterruptedException {
    int most = bench.mostClients();
    LoadResult saturated = bench.result(cached, most);
    double rate = Math.max(1, Math.floor(saturated.perSecond() / 2));
    String scenario = String.format(Locale.ROOT, "%s, paced %.0f/s", cached, rate);
    int count = (int) Math.min(bench.requests * 2L, (long) (rate * 20));
    LoadResult r =
        driver.paced(
            scenario,
            most,
            count,
            rate,
            k -> binary(ViewerBench.randomTile(k + 7, g, 0, hot, F32)));
    bench.record(scenario + " @" + most, r);
  }

  private void summariseStored(String cached) {
    int most = bench.mostClients();
    LoadResult tiles = bench.result(cached, most);
    LoadResult health = bench.result("/healthz", most);
    LoadResult paced = pacedResult(cached, most);
    if (paced != null) {
      String name =
          String.format(
              Locale.ROOT,
              "stored tile p%%s, %d connections paced at %.0f/s, f32",
              most,
              paced.nanos().length / (paced.wallNanos() / 1e9));
      summariseAgainst(String.format(name, "50"), paced, 0.5, health, "/healthz at " + most);
      summariseAgainst(String.format(name, "99"), paced, 0.99, health, "/healthz at " + most);
    }
    summariseAgainst(
        "stored tile p99, " + most + " clients closed loop, f32",
        tiles,
        0.99,
        health,
        "/healthz at " + most);
    summariseAgainst(
        "stored tile p50, 1 client, f32",
        bench.result(cached, 1),
        0.5,
        bench.result("/healthz", 1),
        "/healthz at 1");
    bench.note(
        String.format(
            Locale.ROOT,
            "Closed loop: %d clients saturate the server at %.0f stored f32 tiles/s (%.0f MB/s);"
                + " by Little's law their mean latency is %d ÷ throughput = %.1f ms",
            most,
            tiles.perSecond(),
            tiles.bytes() / 1e6 / (tiles.wallNanos() / 1e9),
            most,
            most * 1e3 / tiles.perSecond()));
    bench.summariseLast(
        "viewer stored tile p50, " + most + " keep-alive clients closed loop, f32",
        tiles.millis(0.5),
        "ms",
        tiles.millis(0.5) / health.millis(0.5),
        String.format(
            Locale.ROOT, "/healthz p50 at %d clients, %.3f ms", most, health.millis(0.5)));
  }

  private LoadResult pacedResult(String cached, int most) {
    for (String key : bench.resultKeys()) {
      if (key.startsWith(cached + ", paced") && key.endsWith(" @" + most)) {
        return bench.resultByKey(key);
      }
    }
    return null;
  }

  /** A summary line: a quantile of a scenario against the same quantile of a reference. */
  private void summariseAgainst(
      String name, LoadResult r, double q, LoadResult reference, String what) {
    bench.summarise(
        name,
        r.millis(q),
        "ms",
        r.millis(q) / reference.millis(q),
        String.format(Locale.ROOT, "%s p%.0f, %.3f ms", what, q * 100, reference.millis(q)));
  }

  /** Live tiles: random (cold) and neighbouring ones, all aggregations and the mean alone. */
  private void live(LoadDriver driver, TileGeometry g, Manifest m, String serverBlas)
      throws IOException, InterruptedException {
    int z = g.maxZoom();
    int count = bench.liveRequests;
    String span1 = "live tile span 1 (z=" + z + "), random, f32";
    IntFunction<Request> random = k -> binary(ViewerBench.randomTile(k, g, z, z, F32));
    bench.closed(driver, span1, 1, count, random);
    bench.closed(driver, span1, Math.min(10, bench.mostClients()), count, random);
    bench.closed(driver, "live tile span 1, panning, f32", 1, count, k -> pan(k, g, z));
    int coarser = z - 2;
    if (coarser > m.storedZoom()) {
      bench.closed(
          driver,
          "live tile span 4 (z=" + coarser + "), random, f32",
          1,
          Math.max(10, count / 4),
          k -> binary(ViewerBench.randomTile(k, g, coarser, coarser, F32)));
    }
    for (int zm = z; zm >= Math.max(m.storedZoom() + 1, z - 4); zm -= 2) {
      int level = zm;
      bench.closed(
          driver,
          "live tile span " + g.span(zm) + " (z=" + zm + "), f32, agg=mean",
          1,
          Math.max(10, count / 2),
          k -> binary(ViewerBench.randomTile(k, g, level, level, F32 + "&agg=mean")));
    }
    summariseLive(g, m, serverBlas, span1);
  }

  /** A walk over neighbouring finest tiles, as an analyst pans: rows and columns move by one. */
  private static Request pan(int k, TileGeometry g, int z) {
    SplittableRandom r = new SplittableRandom(k / 64);
    long i0 = r.nextLong(g.tileRows(z) - 9);
    long j0 = r.nextLong(g.tileCols(z) - 9);
    int step = k % 64;
    return binary(ViewerBench.tile(z, i0 + step / 8, j0 + step % 8, F32));
  }

  private void summariseLive(TileGeometry g, Manifest m, String serverBlas, String span1) {
    BLAS blas = ViewerBench.referenceBlas(serverBlas);
    double sgemm = sgemmMillis(blas, g.tileSize(), m.dim());
    LoadResult live = bench.result(span1, 1);
    bench.note(
        String.format(
            Locale.ROOT,
            "Reference: SGEMM %d × %d × %d in this JVM with %s: %.2f ms (best of 20)",
            g.tileSize(),
            g.tileSize(),
            m.dim(),
            blas.getClass().getSimpleName(),
            sgemm));
    bench.summarise(
        "live tile p50, d = " + m.dim() + ", span 1, all aggregations, 1 client",
        live.millis(0.5),
        "ms",
        live.millis(0.5) / sgemm,
        String.format(
            Locale.ROOT,
            "its %d × %d × %d SGEMM alone, %.2f ms",
            g.tileSize(),
            g.tileSize(),
            m.dim(),
            sgemm));
  }

  /** The best of 20 SGEMMs of a t × t × d product, in milliseconds. */
  static double sgemmMillis(BLAS blas, int t, int d) {
    float[] a = new float[t * d];
    float[] b = new float[t * d];
    float[] c = new float[t * t];
    SplittableRandom r = new SplittableRandom(1);
    for (int k = 0; k < a.length; k++) {
      a[k] = (float) r.nextDouble();
      b[k] = (float) r.nextDouble();
    }
    long best = Long.MAX_VALUE;
    for (int k = 0; k < 20; k++) {
      long t0 = System.nanoTime();
      blas.sgemm("T", "N", t, t, d, 1f, b, 0, d, a, 0, d, 0f, c, 0, t);
      best = Math.min(best, System.nanoTime() - t0);
    }
    return best / 1e6;
  }

  /** The heap after full GCs around a long mixed load of the most clients, and during it. */
  private void heap(ServerProcess s, LoadDriver driver, TileGeometry g, Manifest m)
      throws IOException, InterruptedException {
    ServerProcess.Memory before = s.memory(true);
    System.out.println(memoryLine("heap before the load, after a full GC", before));
    double t0 = s.uptimeSeconds();
    int most = bench.mostClients();
    int z = g.maxZoom();
    int stored = m.storedZoom();
    String scenario =
        String.format(Locale.ROOT, "mixed load, %d clients, %.0f s", most, bench.loadSeconds);
    Map<String, LoadResult> r =
        driver.timed(scenario, most, bench.loadSeconds, k -> mixed(k, g, z, stored, m.n()));
    double t1 = s.uptimeSeconds();
    r.forEach((kind, result) -> bench.record("load " + kind + " @" + most, result));
    ServerProcess.Memory after = s.memory(true);
    System.out.println(memoryLine("heap after the load, after a full GC", after));
    List<ServerProcess.Collection> during =
        s.collections().stream().filter(c -> c.seconds() >= t0 && c.seconds() <= t1).toList();
    String series = gcSeries(during, t0, t1);
    System.out.println(series);
    bench.note(series);
    bench.summarise(
        "heap in use after " + Math.round(bench.loadSeconds) + " s of " + most + " clients",
        after.usedBytes() / 1048576.0,
        "MiB of -Xmx" + bench.heap,
        (double) after.usedBytes() / before.usedBytes(),
        String.format(Locale.ROOT, "before the load, %.1f MiB", before.usedBytes() / 1048576.0));
  }

  /** A request of the mixed load: mostly stored tiles, some JSON, live tiles and views. */
  private static Request mixed(int k, TileGeometry g, int z, int stored, long n) {
    int kind = Math.floorMod(k * 7919, 20);
    if (kind < 12) {
      return binary(ViewerBench.randomTile(k, g, 0, stored, F32)).as("stored f32");
    }
    if (kind < 15) {
      return json(ViewerBench.randomTile(k, g, 0, Math.min(2, stored), "")).as("stored json");
    }
    if (kind < 18) {
      return binary(ViewerBench.randomTile(k, g, z, z, F32)).as("live f32");
    }
    SplittableRandom r = new SplittableRandom(k);
    long w = Math.min(n, 5000);
    long x0 = r.nextLong(n - w + 1);
    long y0 = r.nextLong(n - w + 1);
    String view =
        String.format(
            Locale.ROOT,
            "/api/runs/latest/view?metric=cosine&agg=mean&x0=%d&x1=%d&y0=%d&y1=%d&res=128",
            x0,
            x0 + w,
            y0,
            y0 + w);
    return new Request("view", view, true, Check.ANY);
  }

  /** Heap after each GC during the load: first and last tenth, and the highest. */
  private static String gcSeries(List<ServerProcess.Collection> during, double t0, double t1) {
    if (during.isEmpty()) {
      return "  no GC during the load";
    }
    double tenth = (t1 - t0) / 10;
    double first =
        during.stream()
            .filter(c -> c.seconds() < t0 + tenth)
            .mapToLong(c -> c.afterMib())
            .average()
            .orElse(Double.NaN);
    double last =
        during.stream()
            .filter(c -> c.seconds() > t1 - tenth)
            .mapToLong(c -> c.afterMib())
            .average()
            .orElse(Double.NaN);
    long highest = during.stream().mapToLong(ServerProcess.Collection::afterMib).max().orElse(0);
    return String.format(
        Locale.ROOT,
        "  during the load: %d GCs; heap after GC averaged %.0f MiB in the first tenth, %.0f MiB"
            + " in the last, at most %d MiB",
        during.size(),
        first,
        last,
        highest);
  }

  static String memoryLine(String what, ServerProcess.Memory m) {
    return String.format(
        Locale.ROOT,
        "  %-40s heap used %6.1f MiB, committed %6.1f MiB; process RSS %6.1f MiB",
        what,
        m.usedBytes() / 1048576.0,
        m.committedBytes() / 1048576.0,
        m.rssBytes() / 1048576.0);
  }

  static Request binary(String target) {
    return new Request("f32", target, false, BINARY_TILE);
  }

  static Request json(String target) {
    return new Request("json", target, true, Check.ANY);
  }
}
