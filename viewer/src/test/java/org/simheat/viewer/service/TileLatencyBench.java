package org.simheat.viewer.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.ViewerService.ViewRequest;
import org.simheat.viewer.testing.SyntheticRun;

/**
 * Not a test: measures the data side on a synthetic run of a million tokens (d = 64 by default),
 * in-process, without HTTP. {@code generate DIR [n] [d]} writes the run (give it a large heap);
 * {@code measure DIR} prints stored and live tile latencies (p50/p99, errors) under 1, 10 and 100
 * concurrent callers, view and search latencies, and the heap in use afterwards. Run {@code
 * measure} with {@code -Xmx256m} to show that serving a large run needs a small fixed heap.
 */
public final class TileLatencyBench {
  private static final String RUN = "20261124T120000Z-be9c0001";

  private TileLatencyBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 1 ? args[1] : "target/bench-run");
    if (args.length > 0 && args[0].equals("generate")) {
      int n = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
      int d = args.length > 3 ? Integer.parseInt(args[3]) : 64;
      generate(dir, n, d);
    } else {
      measure(dir);
    }
  }

  private static void generate(Path dir, int n, int d) throws IOException {
    SyntheticRun run = SyntheticRun.forBenchmark(RUN, n, d, 42);
    TileGeometry g = run.geometry();
    int stored = run.storedZoom();
    long t0 = System.nanoTime();
    Files.createDirectories(dir);
    run.write(dir);
    System.out.printf(
        Locale.ROOT,
        "wrote %d × %d (Z = %d, stored 0..%d) in %.1f s%n",
        n,
        d,
        g.maxZoom(),
        stored,
        (System.nanoTime() - t0) / 1e9);
  }

  private static void measure(Path dir) throws Exception {
    long t0 = System.nanoTime();
    RunService warm = new RunService(dir);
    var manifest = warm.manifest("latest");
    System.out.printf(
        Locale.ROOT,
        "opened %s (%d × %d, d = %d) in %.0f ms; BLAS %s%n",
        manifest.runId(),
        manifest.n(),
        manifest.nCols(),
        manifest.dim(),
        (System.nanoTime() - t0) / 1e6,
        DenseProduct.describe());
    TileGeometry g = manifest.geometry();
    int stored = manifest.storedZoom();
    RunService uncached = new RunService(dir, ViewerOptions.defaults().withTileCacheBytes(0));
    report("stored tile, no cache, 1 caller", run(1, 200, k -> storedTile(uncached, g, stored, k)));
    for (int callers : new int[] {1, 10, 100}) {
      report(
          "stored tile, 64 MiB cache, " + callers + " callers",
          run(callers, 2000, k -> storedTile(warm, g, stored, k)));
    }
    for (int z = g.maxZoom(); z >= g.maxZoom() - 2 && z > stored; z--) {
      int level = z;
      report(
          "live tile z=" + z + " (span " + g.span(z) + "), no cache, 1 caller",
          run(1, 40, k -> liveTile(uncached, g, level, k)));
    }
    for (int callers : new int[] {10, 100}) {
      report(
          "live tile z=" + g.maxZoom() + ", no cache, " + callers + " callers",
          run(callers, 400, k -> liveTile(uncached, g, g.maxZoom(), k)));
    }
    report(
        "view, whole matrix, res 128",
        run(
            1,
            20,
            k ->
                warm.view(
                    "latest", new ViewRequest("cosine", "mean", 0, g.cols(), 0, g.rows(), 128))));
    report(
        "view, 300-token window (live), res 128",
        run(
            1,
            40,
            k -> {
              long at = new SplittableRandom(k).nextLong(g.rows() - 300);
              warm.view(
                  "latest", new ViewRequest("cosine", "max", at, at + 300, at, at + 300, 128));
            }));
    report(
        "token search (full scan)",
        run(1, 5, k -> warm.tokens("latest", "w99999" + k, 20, ViewerService.Axis.ROWS)));
    System.gc();
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        Locale.ROOT,
        "heap after GC: %.1f MiB used of %.0f MiB max%n",
        (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
        rt.maxMemory() / 1048576.0);
  }

  private static void storedTile(RunService s, TileGeometry g, int stored, int k) {
    SplittableRandom r = new SplittableRandom(k);
    int z = r.nextInt(stored + 1);
    s.tile("latest", "cosine", z, r.nextLong(g.tileRows(z)), r.nextLong(g.tileCols(z)));
  }

  private static void liveTile(RunService s, TileGeometry g, int z, int k) {
    SplittableRandom r = new SplittableRandom(1000 + k);
    s.tile("latest", "cosine", z, r.nextLong(g.tileRows(z)), r.nextLong(g.tileCols(z)));
  }

  /**
   * Runs {@code total} calls spread over {@code callers} threads; returns sorted nanos, -1 = error.
   */
  private static long[] run(int callers, int total, IntConsumer call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    AtomicInteger next = new AtomicInteger();
    long[] nanos = new long[total];
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      futures.add(
          pool.submit(
              () -> {
                for (int k; (k = next.getAndIncrement()) < total; ) {
                  long t = System.nanoTime();
                  try {
                    call.accept(k);
                    nanos[k] = System.nanoTime() - t;
                  } catch (RuntimeException e) {
                    nanos[k] = -1;
                  }
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    Arrays.sort(nanos);
    return nanos;
  }

  private static void report(String what, long[] sorted) {
    int errors = 0;
    while (errors < sorted.length && sorted[errors] < 0) {
      errors++;
    }
    long[] ok = Arrays.copyOfRange(sorted, errors, sorted.length);
    System.out.printf(
        Locale.ROOT,
        "%-48s p50 %8.2f ms  p99 %8.2f ms  (%d calls, %d errors)%n",
        what,
        percentile(ok, 0.50),
        percentile(ok, 0.99),
        sorted.length,
        errors);
  }

  private static double percentile(long[] sorted, double q) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  }
}
