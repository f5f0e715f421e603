package org.simheat.viewer.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.bench.LoadDriver.Request;
import org.simheat.viewer.testing.SyntheticRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simheat bench viewer}: the viewer's targets of issue 4, measured on real viewer JVMs
 * ({@code -Xmx256m}) driven over loopback, each figure beside a reference measured in the same run.
 *
 * <ol>
 *   <li>A run of a million tokens (synthetic, d = 768, laid out as the job lays it out, written
 *       once under {@code --work}; or {@code --data}): stored tiles at 1, 10 and 100 keep-alive
 *       clients (binary and JSON, cached and not, closed loop and paced), beside {@code /healthz}
 *       under the same load; live tiles, beside the SGEMM of their product alone; the heap after
 *       full GCs before and after a 60 s mixed load of 100 clients, and every GC's heap during it.
 *   <li>A view update (a 5000-token viewport at 128 cells per side) of a 30,522-token run, beside
 *       xl-heatmap's path on the same data ({@link XlHeatmapPath}); both draw from one cosine
 *       matrix ({@link XlRunWriter}), and the bench checks that they agree.
 * </ol>
 *
 * The last line reads {@code NAME: VALUE UNIT (RATIO× REFERENCE)}.
 */
@Command(
    name = "bench viewer",
    mixinStandardHelpOptions = true,
    description = "Measure the viewer against issue 4's targets on real viewer JVMs.")
public final class ViewerBench implements Callable<Integer> {
  private static final String LARGE_RUN = "20261125T090000Z-10ad0768";
  private static final int WARM_UP = 300;

  @Option(names = "--work", defaultValue = "target/bench", description = "Data and logs.")
  Path work;

  @Option(names = "--data", description = "A data directory to serve instead of the synthetic run.")
  Path data;

  @Option(names = "--n", defaultValue = "1000000", description = "Tokens of the synthetic run.")
  int n;

  @Option(names = "--d", defaultValue = "768", description = "Dimension of the synthetic run.")
  int d;

  @Option(names = "--requests", defaultValue = "2000", description = "Requests per scenario.")
  int requests;

  @Option(
      names = "--live-requests",
      defaultValue = "200",
      description = "Requests per live-tile scenario.")
  int liveRequests;

  @Option(
      names = "--clients",
      split = ",",
      defaultValue = "1,10,100",
      description = "Concurrent clients.")
  int[] clients;

  @Option(names = "--heap", defaultValue = "256m", description = "The servers' -Xmx.")
  String heap;

  @Option(names = "--load-seconds", defaultValue = "60", description = "The mixed load's length.")
  double loadSeconds;

  @Option(
      names = "--xl-n",
      defaultValue = "30522",
      description = "Tokens of the view-update comparison (0 skips it).")
  int xlN;

  @Option(names = "--xl-d", defaultValue = "768", description = "Its dimension.")
  int xlD;

  @Option(names = "--xl-updates", defaultValue = "5", description = "xl-heatmap updates timed.")
  int xlUpdates;

  @Option(
      names = "--server-opts",
      defaultValue = "",
      description = "Extra JVM options of the servers, space-separated.")
  String serverOpts;

  private final Map<String, LoadResult> results = new LinkedHashMap<>();
  private final List<String> summary = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private String last;

  public static void main(String[] args) {
    int code = new CommandLine(new ViewerBench()).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    Configurator.setLevel("org.apache.parquet", Level.ERROR);
    System.out.printf(
        Locale.ROOT,
        "Java %s, %d cores, OPENBLAS_CORETYPE=%s; servers -Xmx%s %s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"),
        heap,
        serverOpts);
    new LargeRunBench(this).run(data != null ? data : largeRun());
    if (xlN > 0) {
      new ViewUpdateBench(this).run(work.resolve("xl-" + xlN + "x" + xlD));
    }
    printSummary();
    return 0;
  }

  /** The synthetic million-token run's data directory, written on first use. */
  private Path largeRun() throws IOException {
    Path dir = work.resolve(String.format(Locale.ROOT, "synthetic-%dx%d", n, d)).toAbsolutePath();
    if (Files.exists(dir.resolve(RunLayout.LATEST))) {
      System.out.printf(Locale.ROOT, "%nReusing %s (%.0f MB)%n", dir, megabytes(dir));
      return dir;
    }
    long t0 = System.nanoTime();
    SyntheticRun.forBenchmark(LARGE_RUN, n, d, 42).write(dir);
    System.out.printf(
        Locale.ROOT,
        "%nWrote %s in %.0f s (%.0f MB)%n",
        dir,
        (System.nanoTime() - t0) / 1e9,
        megabytes(dir));
    return dir;
  }

  // ---- shared by the sections ----------------------------------------------------------------

  /** Starts a viewer JVM over a data directory. */
  ServerProcess start(Path dataDir, String name) throws IOException, InterruptedException {
    List<String> options =
        serverOpts.isBlank() ? List.of() : List.of(serverOpts.strip().split("\\s+"));
    return ServerProcess.start(dataDir, heap, options, 0, work.resolve(name + "-server.log"));
  }

  /** The latest run's manifest, fetched from a server. */
  static Manifest manifest(ServerProcess s) throws IOException {
    try (BenchClient c = new BenchClient(s.port())) {
      BenchClient.Response r = c.get("/api/runs/latest/manifest", false, true);
      return Manifest.fromJson(new String(r.body(), StandardCharsets.UTF_8));
    }
  }

  /** Runs and records a closed-loop scenario at one client count. */
  LoadResult closed(
      LoadDriver driver, String scenario, int c, int count, IntFunction<Request> requests)
      throws IOException, InterruptedException {
    int offset = results.size() * 1_000_003;
    LoadResult r = driver.closed(scenario, c, count, k -> requests.apply(offset + k));
    return record(scenario + " @" + c, r);
  }

  /** Records a result and prints its row. */
  LoadResult record(String key, LoadResult r) {
    results.put(key, r);
    System.out.println(r.row());
    return r;
  }

  /** A scenario at every client count of {@code --clients}. */
  void sweep(LoadDriver driver, String scenario, int count, IntFunction<Request> requests)
      throws IOException, InterruptedException {
    for (int c : clients) {
      closed(driver, scenario, c, count, requests);
    }
  }

  /** The result of a scenario at a client count, or null. */
  LoadResult result(String scenario, int c) {
    return results.get(scenario + " @" + c);
  }

  /** The keys of the recorded results, in order. */
  java.util.Set<String> resultKeys() {
    return results.keySet();
  }

  /** A recorded result by its key. */
  LoadResult resultByKey(String key) {
    return results.get(key);
  }

  /** The most clients of {@code --clients}. */
  int mostClients() {
    int most = 1;
    for (int c : clients) {
      most = Math.max(most, c);
    }
    return most;
  }

  /** Adds a summary line {@code NAME: VALUE UNIT (RATIO× REFERENCE)}. */
  void summarise(String name, double value, String unit, double ratio, String reference) {
    summary.add(
        String.format(Locale.ROOT, "%s: %.4g %s (%.3g× %s)", name, value, unit, ratio, reference));
  }

  /** Sets the summary's last line, {@code NAME: VALUE UNIT (RATIO× REFERENCE)}. */
  void summariseLast(String name, double value, String unit, double ratio, String reference) {
    last =
        String.format(Locale.ROOT, "%s: %.4g %s (%.3g× %s)", name, value, unit, ratio, reference);
  }

  /** Adds a line to the notes printed before the summary. */
  void note(String line) {
    notes.add(line);
  }

  /** The BLAS this JVM uses for reference products: the kind the servers use. */
  static BLAS referenceBlas(String serverBlas) {
    return serverBlas.contains("JNI") ? BLAS.getInstance() : JavaBLAS.getInstance();
  }

  /** The BLAS that writes reference data: native when this JVM is pointed at one, else Java's. */
  static BLAS writerBlas() {
    return System.getProperty("dev.ludovic.netlib.blas.nativeLibPath") != null
        ? BLAS.getInstance()
        : JavaBLAS.getInstance();
  }

  /** A seeded random tile target of a level in [zMin, zMax]. */
  static String randomTile(long k, TileGeometry g, int zMin, int zMax, String query) {
    SplittableRandom r = new SplittableRandom(k * 1_000_003L + zMin * 31L + zMax);
    int z = zMin + r.nextInt(zMax - zMin + 1);
    return tile(z, r.nextLong(g.tileRows(z)), r.nextLong(g.tileCols(z)), query);
  }

  /** The target of tile (z, i, j) of the latest run's cosine. */
  static String tile(int z, long i, long j, String query) {
    return "/api/runs/latest/tiles/cosine/" + z + "/" + i + "/" + j + query;
  }

  private void printSummary() {
    int errors = results.values().stream().mapToInt(LoadResult::errorCount).sum();
    long total = results.values().stream().mapToLong(r -> r.nanos().length + r.errorCount()).sum();
    System.out.printf(Locale.ROOT, "%nErrors: %d of %d measured requests%n", errors, total);
    notes.forEach(System.out::println);
    System.out.printf("%nSummary (same run; ratios against the reference in brackets)%n");
    summary.forEach(System.out::println);
    if (last != null) {
      System.out.println(last);
    }
  }

  private static double megabytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1e6;
    }
  }
}
