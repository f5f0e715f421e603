package org.simheat.viewer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.simheat.viewer.bench.LoadDriver.Check;
import org.simheat.viewer.bench.LoadDriver.Request;

/**
 * The view-update part of {@link ViewerBench}: a 5000-token viewport at 128 cells per side of a
 * 30,522-token run, through a real viewer JVM, against xl-heatmap's path on the same cosine matrix
 * in this JVM; one viewport's cells are compared with the matrix to show both draw the same.
 */
final class ViewUpdateBench {
  private static final int WIDTH = 5000;
  private static final int RES = 128;
  private static final int UPDATES = 50;
  private final ViewerBench bench;

  ViewUpdateBench(ViewerBench bench) {
    this.bench = bench;
  }

  void run(Path dir) throws Exception {
    int n = bench.xlN;
    if (!XlRunWriter.complete(dir)) {
      long t0 = System.nanoTime();
      new XlRunWriter(n, bench.xlD, ViewerBench.writerBlas()).write(dir);
      System.out.printf(
          Locale.ROOT,
          "%nWrote the %d × %d comparison run and its cosine matrix in %.0f s%n",
          n,
          bench.xlD,
          (System.nanoTime() - t0) / 1e9);
    }
    double simheat = simheat(dir.resolve("data"), n);
    double xl = xlHeatmap(dir.resolve(XlRunWriter.MATRIX), n);
    bench.summarise(
        "view update p50, " + Math.min(WIDTH, n) + " tokens at " + RES + " cells per side of " + n,
        simheat,
        "ms",
        xl / simheat,
        String.format(Locale.ROOT, "faster than xl-heatmap's path, %.0f ms", xl));
  }

  private static String view(int k, int n) {
    SplittableRandom r = new SplittableRandom(k * 31L + 5);
    int w = Math.min(WIDTH, n);
    int x0 = r.nextInt(n - w + 1);
    int y0 = r.nextInt(n - w + 1);
    return String.format(
        Locale.ROOT,
        "/api/runs/latest/view?metric=cosine&agg=mean&x0=%d&x1=%d&y0=%d&y1=%d&res=%d",
        x0,
        x0 + w,
        y0,
        y0 + w,
        RES);
  }

  /** p50 of view updates through a real viewer, after a warm-up; checks one against the matrix. */
  private double simheat(Path data, int n) throws Exception {
    try (ServerProcess s = bench.start(data, "xl-simheat")) {
      System.out.printf(
          Locale.ROOT,
          "%nServer pid %d over the %d-token comparison run; -Xmx%s%n%s%n",
          s.pid(),
          n,
          bench.heap,
          LoadResult.header());
      LoadDriver driver = new LoadDriver(s.port());
      driver.closed("warm-up", 1, 20, k -> new Request("view", view(-k - 1, n), true, Check.ANY));
      String scenario = "view update, " + WIDTH + " tokens, res " + RES + ", JSON";
      LoadResult r =
          bench.closed(
              driver, scenario, 1, UPDATES, k -> new Request("view", view(k, n), true, Check.ANY));
      try (BenchClient c = new BenchClient(s.port())) {
        checked = new ObjectMapper().readTree(c.get(view(0, n), false, true).body());
      }
      return r.millis(0.5);
    }
  }

  private JsonNode checked;

  /** p50 of xl-heatmap's updates; the first also checks the viewer's cells against the matrix. */
  private double xlHeatmap(Path matrix, int n) throws IOException {
    XlHeatmapPath xl = new XlHeatmapPath(matrix, n);
    long[] nanos = new long[bench.xlUpdates];
    for (int u = 0; u < nanos.length; u++) {
      SplittableRandom r = new SplittableRandom(u * 17L + 3);
      int w = Math.min(WIDTH, n);
      int x0 = r.nextInt(n - w + 1);
      int y0 = r.nextInt(n - w + 1);
      long t0 = System.nanoTime();
      float[] m = xl.load();
      XlHeatmapPath.Pooled p = xl.pool(m, x0, x0 + w, y0, y0 + w, RES);
      int figure = XlHeatmapPath.figure(p, x0, x0 + w, y0, y0 + w).length;
      nanos[u] = System.nanoTime() - t0;
      System.out.printf(
          Locale.ROOT,
          "xl-heatmap's path, update %d: load %d² floats, crop %d × %d, pool %d × %d (window %d"
              + " × %d), figure %d bytes: %.0f ms%n",
          u + 1,
          n,
          w,
          w,
          p.rows(),
          p.cols(),
          p.ky(),
          p.kx(),
          figure,
          nanos[u] / 1e6);
      if (u == 0) {
        compare(xl, m);
      }
    }
    bench.note(
        String.format(
            Locale.ROOT,
            "xl-heatmap's path: first update (cold: its %.1f GB array and the file's pages touched"
                + " for the first time) %.0f ms",
            4.0 * n * n / 1e9,
            nanos[0] / 1e6));
    Arrays.sort(nanos);
    return nanos[nanos.length / 2] / 1e6;
  }

  /** The largest difference between the viewer's cell means and the matrix's block means. */
  private void compare(XlHeatmapPath xl, float[] m) {
    double worst = 0;
    JsonNode cells = checked.at("/data/values");
    for (JsonNode c : cells) {
      double expected =
          xl.blockMean(
              m,
              c.get("y0").asLong(),
              c.get("y1").asLong(),
              c.get("x0").asLong(),
              c.get("x1").asLong());
      worst = Math.max(worst, Math.abs(expected - c.get("mean").asDouble()));
    }
    String line =
        String.format(
            Locale.ROOT,
            "Check: the viewer's %d cells of one view differ from the matrix's block means by at"
                + " most %.2e",
            cells.size(),
            worst);
    System.out.println(line);
    bench.note(line);
  }
}
