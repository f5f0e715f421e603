package org.simheat.viewer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.SyntheticRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Not a test: tile latency, throughput and errors of a real viewer JVM ({@code -Xmx256m}) under 1,
 * 10 and 100 concurrent keep-alive clients on loopback, over (a) the committed fixture run and (b)
 * a synthetic run of a million tokens (d = 64, cosine, the levels the job stores by default),
 * generated once under {@code --work}; then the server's heap after serving the large run, read
 * with jcmd after a full GC. References measured in the same run give ratios: an empty request
 * ({@code /healthz}), a cached tile against a missed one, the fixture's heap against the large
 * run's. Run it with {@code viewer/scripts/bench-tiles.sh}.
 */
@Command(
    name = "bench-tiles",
    mixinStandardHelpOptions = true,
    description = "Drive a real viewer JVM with concurrent keep-alive clients; print latencies.")
public final class TileLoadBench implements Callable<Integer> {
  private static final String LARGE_RUN = "20261125T090000Z-10ad0001";
  private static final int WARM_UP = 300;
  private static final int CACHE_MB = 64;
  private static final int NO_CACHE_MB = 1;

  @Option(names = "--work", defaultValue = "target/bench", description = "Data and logs.")
  Path work;

  @Option(names = "--n", defaultValue = "1000000", description = "Tokens of the large run.")
  int n;

  @Option(names = "--d", defaultValue = "64", description = "Dimension of the large run.")
  int d;

  @Option(names = "--requests", defaultValue = "400", description = "Requests per scenario.")
  int requests;

  @Option(
      names = "--clients",
      split = ",",
      defaultValue = "1,10,100",
      description = "Concurrent clients.")
  int[] clients;

  @Option(names = "--heap", defaultValue = "256m", description = "The server JVM's -Xmx.")
  String heap;

  @Option(
      names = "--runs",
      split = ",",
      defaultValue = "fixture,large",
      description = "Which runs to serve: fixture, large or both.")
  List<String> runs;

  @Option(
      names = "--server-opts",
      defaultValue = "",
      description = "Extra JVM options of the servers, space-separated.")
  String serverOpts;

  @Option(
      names = "--no-gzip",
      description = "Clients do not send Accept-Encoding: gzip (browsers do).")
  boolean noGzip;

  private final Map<String, LoadResult> results = new LinkedHashMap<>();
  private ServerProcess.Memory fixtureMemory;
  private ServerProcess.Memory largeMemory;

  public static void main(String[] args) {
    int code = new CommandLine(new TileLoadBench()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "Java %s, %d cores, OPENBLAS_CORETYPE=%s; server -Xmx%s %s; %d requests per scenario%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"),
        heap,
        serverOpts,
        requests);
    if (runs.contains("fixture")) {
      fixture();
    }
    if (runs.contains("large")) {
      large(largeRun());
    }
    new BenchSummary(results, fixtureMemory, largeMemory, heap).print();
    return 0;
  }

  private void fixture() throws Exception {
    TileGeometry g = TileGeometry.of(600, 600);
    IntFunction<String> stored = k -> randomTile(k, g, 0, 1, Fixture.RUN_ID, true);
    IntFunction<String> live = k -> randomTile(k, g, 2, 2, Fixture.RUN_ID, true);
    try (ServerProcess s = start(Fixture.dataDir(), CACHE_MB, "fixture")) {
      banner(s, "fixture run 600 × 600, d = 8, 3 metrics", CACHE_MB);
      LoadDriver browser = new LoadDriver(s.port(), !noGzip);
      browser.run("warm-up", 4, WARM_UP, k -> k % 2 == 0 ? stored.apply(k) : live.apply(k));
      measure("fixture /healthz", browser, 1, k -> "/healthz");
      sweep("fixture stored tile, cached", browser, stored);
      sweep("fixture live tile z=2, cached", browser, live);
      measure("fixture stored tile, no gzip, cached", new LoadDriver(s.port(), false), 1, stored);
      fixtureMemory = s.memory(true);
    }
    // Full 256 × 256 tiles, one metric after another: each evicts the last from a 1 MiB cache.
    String[] metrics = {"cosine", "dot", "l2"};
    IntFunction<String> storedMiss = k -> tile(Fixture.RUN_ID, metrics[k % 3], 1, 0, 0);
    IntFunction<String> liveMiss =
        k -> tile(Fixture.RUN_ID, metrics[k % 3], 2, (k / 3) % 2, (k / 6) % 2);
    try (ServerProcess s = start(Fixture.dataDir(), NO_CACHE_MB, "fixture-nocache")) {
      banner(s, "fixture run", NO_CACHE_MB);
      LoadDriver browser = new LoadDriver(s.port(), !noGzip);
      browser.run("warm-up", 4, WARM_UP, k -> k % 2 == 0 ? storedMiss.apply(k) : liveMiss.apply(k));
      measure("fixture stored tile, miss", browser, 1, storedMiss);
      measure("fixture live tile z=2, miss", browser, 1, liveMiss);
      measure("fixture stored tile, no gzip, miss", new LoadDriver(s.port(), false), 1, storedMiss);
    }
  }

  private void large(Path data) throws Exception {
    SyntheticRun run = SyntheticRun.forBenchmark(LARGE_RUN, n, d, 42);
    TileGeometry g = run.geometry();
    int stored = run.storedZoom();
    int z = g.maxZoom();
    IntFunction<String> hot = k -> randomTile(k, g, 0, Math.min(2, stored), LARGE_RUN, false);
    IntFunction<String> any = k -> randomTile(k, g, 0, stored, LARGE_RUN, false);
    IntFunction<String> finest = k -> randomTile(k, g, z, z, LARGE_RUN, false);
    IntFunction<String> coarser = k -> randomTile(k, g, z - 2, z - 2, LARGE_RUN, false);
    String name = String.format(Locale.ROOT, "%,d-token run", n);
    try (ServerProcess s = start(data, CACHE_MB, "large")) {
      banner(
          s,
          name + ", d = " + d + ", cosine, levels 0.." + stored + " stored of 0.." + z,
          CACHE_MB);
      LoadDriver browser = new LoadDriver(s.port(), !noGzip);
      browser.run("warm-up", 4, WARM_UP, k -> k % 2 == 0 ? hot.apply(k) : finest.apply(k));
      measure("large /healthz", browser, 1, k -> "/healthz");
      sweep("large stored tile, cached (z=0.." + Math.min(2, stored) + ")", browser, hot);
      sweep("large stored tile, mixed (z=0.." + stored + ")", browser, any);
      if (z > stored) {
        sweep("large live tile span 1, miss (z=" + z + ")", browser, finest);
      }
      if (z - 2 > stored) {
        sweep("large live tile span 4, miss (z=" + (z - 2) + ")", browser, coarser);
      }
      LoadDriver identity = new LoadDriver(s.port(), false);
      sweep("large stored tile, no gzip, cached", identity, hot);
      if (z > stored) {
        sweep("large live tile span 1, no gzip, miss", identity, finest);
      }
      largeMemory = s.memory(false);
      System.out.println(BenchSummary.memoryLine("large run, before GC", largeMemory, heap));
      largeMemory = s.memory(true);
    }
    long grid = g.tileRows(stored) - 1;
    IntFunction<String> storedMiss =
        k -> tile(LARGE_RUN, "cosine", stored, k % grid, k / grid % grid);
    try (ServerProcess s = start(data, NO_CACHE_MB, "large-nocache")) {
      banner(s, name, NO_CACHE_MB);
      LoadDriver browser = new LoadDriver(s.port(), !noGzip);
      browser.run("warm-up", 4, WARM_UP, storedMiss);
      measure("large stored tile, miss (z=" + stored + ")", browser, 1, storedMiss);
    }
  }

  /** The large run's data directory, written on first use. */
  private Path largeRun() throws IOException {
    Path data = work.resolve(String.format(Locale.ROOT, "synthetic-%dx%d", n, d)).toAbsolutePath();
    if (Files.exists(data.resolve("LATEST"))) {
      System.out.printf(Locale.ROOT, "%nReusing %s (%.0f MB)%n", data, megabytes(data));
      return data;
    }
    if (Files.exists(data)) {
      Fixture.deleteTree(data);
    }
    // SyntheticRun writes one tile per row group, which makes parquet-java warn on every tile.
    Configurator.setLevel("org.apache.parquet", Level.ERROR);
    long t0 = System.nanoTime();
    SyntheticRun.forBenchmark(LARGE_RUN, n, d, 42).write(data);
    System.out.printf(
        Locale.ROOT,
        "%nWrote %s in %.0f s (%.0f MB)%n",
        data,
        (System.nanoTime() - t0) / 1e9,
        megabytes(data));
    return data;
  }

  private ServerProcess start(Path data, int cacheMb, String name) throws Exception {
    List<String> options =
        serverOpts.isBlank() ? List.of() : List.of(serverOpts.strip().split("\\s+"));
    return ServerProcess.start(data, heap, options, cacheMb, work.resolve(name + "-server.log"));
  }

  private void banner(ServerProcess s, String what, int cacheMb) throws IOException {
    System.out.printf(
        Locale.ROOT,
        "%nServer pid %d: %s; -Xmx%s, --cache-mb %d; live tiles use %s%n%s%n",
        s.pid(),
        what,
        heap,
        cacheMb,
        s.blas(),
        LoadResult.header());
  }

  /** Measures a scenario at every client count. */
  private void sweep(String scenario, LoadDriver driver, IntFunction<String> targets)
      throws IOException, InterruptedException {
    for (int c : clients) {
      measure(scenario, driver, c, targets);
    }
  }

  /** Measures a scenario; each gets request numbers of its own, so random tiles differ. */
  private void measure(String scenario, LoadDriver driver, int c, IntFunction<String> targets)
      throws IOException, InterruptedException {
    int offset = results.size() * requests;
    LoadResult r = driver.run(scenario, c, requests, k -> targets.apply(offset + k));
    results.put(scenario + " @" + c, r);
    System.out.println(r.row());
  }

  /** A seeded random tile of a level in [zMin, zMax], any metric of the fixture if asked. */
  private static String randomTile(
      int k, TileGeometry g, int zMin, int zMax, String run, boolean anyMetric) {
    SplittableRandom r = new SplittableRandom(k * 1_000_003L + zMin * 31L + zMax);
    int z = zMin + r.nextInt(zMax - zMin + 1);
    String metric = anyMetric ? new String[] {"cosine", "dot", "l2"}[r.nextInt(3)] : "cosine";
    return tile(run, metric, z, r.nextLong(g.tileRows(z)), r.nextLong(g.tileCols(z)));
  }

  private static String tile(String run, String metric, int z, long i, long j) {
    return "/api/runs/" + run + "/tiles/" + metric + "/" + z + "/" + i + "/" + j;
  }

  private static double megabytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1e6;
    }
  }
}
