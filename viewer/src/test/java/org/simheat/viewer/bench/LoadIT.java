package org.simheat.viewer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.viewer.testing.RawHttp;
import org.simheat.viewer.testing.SyntheticRun;

/**
 * The viewer under load, in its own JVM started as {@code simheat view} starts it ({@code
 * -Xmx256m}, {@code --cache-mb 16}), over loopback.
 *
 * <ul>
 *   <li>100 keep-alive clients share a mixed, bounded number of requests (stored tiles binary and
 *       JSON, live tiles, views, the run list, the manifest, token search), twice: no errors, every
 *       answer checked (tiles by the size their header gives, and sampled cells against the values
 *       the run stores), and the heap in use after a full GC does not grow beyond what the bounded
 *       caches may hold.
 *   <li>1000 idle keep-alive connections, held then closed: the server keeps answering while they
 *       are held, and gives back every file descriptor and the heap they took.
 * </ul>
 *
 * <p>The run is synthetic (3000 tokens, d = 32, written as the bench writes its run); its stored
 * tiles hold {@link LoadMix#cell}, a known function of the cell's place. Long form: {@code
 * -Dsimheat.load.seconds=60} runs the mixed load for that long instead (value checks kept), and
 * {@code -Dsimheat.load.data=DIR} serves another data directory, such as the bench's million-token
 * run (its tiles are then checked by size only).
 */
class LoadIT {
  private static final String RUN = "20261126T120000Z-10ad0003";
  private static final int N = 3000;
  private static final int D = 32;
  private static final int STORED = 2;
  private static final int CLIENTS = 100;
  private static final int REQUESTS_PER_CLIENT = 10;
  private static final int IDLE_CONNECTIONS = 1000;
  private static final int CACHE_MB = 16;
  private static final long MIB = 1L << 20;

  /**
   * How much the heap in use after a full GC may grow over a load: what the bounded caches may fill
   * (decoded tiles: {@code --cache-mb 16}; decoded embedding row groups: a sixteenth of the heap,
   * 16 MiB) and 8 MiB for what a server reads once and keeps (Parquet footers, the token index,
   * lazily initialised classes). Anything kept per request or per connection beyond that is a leak.
   */
  private static final long CACHES_BOUND = (CACHE_MB + 16 + 8) * MIB;

  /**
   * How much a second, identical round of the load may add to the heap after the first: the caches
   * are already full, so 8 MiB (8 KiB a request) is slack for which entries the caches hold.
   */
  private static final long SECOND_ROUND_BOUND = 8 * MIB;

  /**
   * How much of the heap 1000 connections may leave behind once closed: under 1 KiB each, less than
   * one channel's pipeline, so no connection's state survives.
   */
  private static final long CONNECTIONS_BOUND = IDLE_CONNECTIONS * 1024L;

  @TempDir static Path tmp;

  private static ServerProcess server;
  private static Manifest manifest;
  private static LoadMix mix;

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    String given = System.getProperty("simheat.load.data");
    boolean known = given == null || given.isBlank();
    Path data = known ? writeRun(tmp.resolve("out")) : Path.of(given).toAbsolutePath();
    Path log = Path.of("target", "load", "load-server.log").toAbsolutePath();
    server = ServerProcess.start(data, "256m", List.of(), CACHE_MB, log);
    manifest = ViewerBench.manifest(server);
    mix = new LoadMix(manifest, known);
    System.out.printf(
        Locale.ROOT,
        "Server pid %d: run %s, %,d tokens, d = %d, levels 0..%d stored of 0..%d, -Xmx256m%n",
        server.pid(),
        manifest.runId(),
        manifest.n(),
        manifest.dim(),
        manifest.storedZoom(),
        manifest.geometry().maxZoom());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aHundredClientsGetRightAnswersAndTheHeapStaysBounded() throws Exception {
    ServerProcess.Memory before = server.memory(true);
    print("heap before the load, after a full GC", before);
    LoadDriver driver = new LoadDriver(server.port());
    double seconds = Double.parseDouble(System.getProperty("simheat.load.seconds", "0"));
    LoadResult first = round(driver, "round 1", seconds);
    ServerProcess.Memory afterFirst = server.memory(true);
    print("heap after round 1, after a full GC", afterFirst);
    LoadResult second = round(driver, "round 2", seconds);
    ServerProcess.Memory after = server.memory(true);
    print("heap after round 2, after a full GC", after);
    System.out.printf(Locale.ROOT, "load average %s%n", loadAverage());

    assertThat(first.errors()).isEmpty();
    assertThat(second.errors()).isEmpty();
    assertThat(first.nanos().length + second.nanos().length)
        .isGreaterThanOrEqualTo(seconds > 0 ? 1 : 2 * CLIENTS * REQUESTS_PER_CLIENT);
    assertThat(after.usedBytes()).isLessThanOrEqualTo(before.usedBytes() + CACHES_BOUND);
    assertThat(after.usedBytes()).isLessThanOrEqualTo(afterFirst.usedBytes() + SECOND_ROUND_BOUND);
  }

  @Test
  void aThousandIdleConnectionsAreHeldThenGivenBack() throws Exception {
    // What the check below reads is cached before the heap is measured; and jcmd first: its
    // first use opens the JVM's attach listener socket, one descriptor for good.
    assertAnswers();
    ServerProcess.Memory before = server.memory(true);
    long fdsBefore = descriptors();
    List<RawHttp> held = new ArrayList<>(IDLE_CONNECTIONS);
    long fdsHeld;
    try {
      for (int c = 0; c < IDLE_CONNECTIONS; c++) {
        RawHttp http = new RawHttp(server.port());
        held.add(http);
        http.get("/healthz");
        assertThat(http.read().status()).isEqualTo(200);
      }
      ServerProcess.Memory whileHeld = server.memory(true);
      fdsHeld = descriptors();
      assertAnswers();
      System.out.printf(
          Locale.ROOT,
          "%d idle connections: server fds %d before, %d held; heap after GC %.1f MiB before,"
              + " %.1f MiB held%n",
          IDLE_CONNECTIONS,
          fdsBefore,
          fdsHeld,
          before.usedBytes() / (double) MIB,
          whileHeld.usedBytes() / (double) MIB);
    } finally {
      for (RawHttp http : held) {
        http.close();
      }
    }
    long fdsAfter = awaitDescriptors(fdsBefore);
    ServerProcess.Memory after = server.memory(true);
    System.out.printf(
        Locale.ROOT,
        "all closed: server fds %d; heap after GC %.1f MiB%n",
        fdsAfter,
        after.usedBytes() / (double) MIB);
    assertThat(fdsHeld - fdsBefore).isEqualTo(IDLE_CONNECTIONS);
    assertThat(fdsAfter).isEqualTo(fdsBefore);
    assertThat(after.usedBytes()).isLessThanOrEqualTo(before.usedBytes() + CONNECTIONS_BOUND);
  }

  /** One round of the mixed load: a fixed number of requests, or a time when one is given. */
  private static LoadResult round(LoadDriver driver, String name, double seconds)
      throws IOException, InterruptedException {
    LoadResult all;
    System.out.println(LoadResult.header());
    if (seconds > 0) {
      String scenario =
          String.format(Locale.ROOT, "%s, %d clients, %.0f s", name, CLIENTS, seconds);
      Map<String, LoadResult> byKind = driver.timed(scenario, CLIENTS, seconds, mix::request);
      byKind.values().forEach(r -> System.out.println(r.row()));
      all = byKind.get(scenario);
    } else {
      all =
          driver.closed(
              name + ", " + CLIENTS + " clients",
              CLIENTS,
              CLIENTS * REQUESTS_PER_CLIENT,
              mix::request);
      System.out.println(all.row());
    }
    return all;
  }

  /** The run list and a tile are answered (while 1000 connections are held). */
  private static void assertAnswers() throws IOException {
    try (BenchClient c = new BenchClient(server.port())) {
      assertThat(c.get("/api/runs", false, true).status()).isEqualTo(200);
      BenchClient.Response tile = c.get(ViewerBench.tile(0, 0, 0, "?format=f32"), false, true);
      assertThat(tile.status()).isEqualTo(200);
      assertThat(LargeRunBench.BINARY_TILE.problem(tile)).isNull();
    }
  }

  /** Open file descriptors of the server process. */
  private static long descriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(server.pid()), "fd"))) {
      return fds.count();
    }
  }

  /**
   * Polls (up to a minute) until the server holds {@code want} descriptors; returns the last count.
   */
  private static long awaitDescriptors(long want) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    long now = descriptors();
    while (now != want && System.nanoTime() < deadline) {
      Thread.sleep(20);
      now = descriptors();
    }
    return now;
  }

  /** Writes the synthetic run with its known stored cells; returns the data directory. */
  private static Path writeRun(Path data) throws IOException {
    SyntheticRun run =
        new SyntheticRun(RUN, N, D, 7, STORED, 500, 200, false, List.of(Metric.COSINE));
    run.write(
        data,
        (metric, z, i, j, rows, cols) -> {
          float[][] agg = new float[3][rows * cols];
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              float v = LoadMix.cell(z, i, j, r, c);
              agg[0][r * cols + c] = v;
              agg[1][r * cols + c] = v + 0.25f;
              agg[2][r * cols + c] = v - 0.25f;
            }
          }
          return agg;
        });
    return data;
  }

  private static void print(String what, ServerProcess.Memory m) {
    System.out.println(LargeRunBench.memoryLine(what, m));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
