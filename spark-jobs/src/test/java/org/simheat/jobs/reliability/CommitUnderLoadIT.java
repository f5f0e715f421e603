package org.simheat.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.RunTablesAssert;
import org.simheat.jobs.testing.TestSpark;

/**
 * The viewer serving while new runs commit and {@code LATEST} switches. A real viewer process
 * ({@code java -jar viewer/target/simheat-viewer.jar view --data OUT --port 0}, as {@code
 * bin/simheat view} starts it) serves an output holding one run; client threads keep asking for the
 * run list, the manifest and a tile of {@code latest}, the same tile of the first run by its id, a
 * view spec and the page, while the real compute commits three new runs (other inputs, each of its
 * own size N so a tile tells which run it came from) into the same output. Every response must be a
 * 200 whose body parses and whose values are those of the run it names (a tile's values equal its
 * run's naive values); {@code latest} must move to each new run; the first run must stay served by
 * its id.
 */
class CommitUnderLoadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SERVING =
      Pattern.compile("serving .* at http://127\\.0\\.0\\.1:(\\d+)/");
  private static final int[] SIZES = {300, 310, 320, 330};
  private static final int D = 8;
  private static final int CLIENTS = 4;
  private static final long WAIT_SECONDS = 120;

  @TempDir Path dir;

  /** Run k's input and the level 0 tile (0, 0) a naive computation gives. */
  private record Input(int k, float[][] e, double[][][] tile) {}

  /** Each run's input by the rows of its level 0 tile (0, 0), which tell the runs apart. */
  private final Map<Integer, Input> byTileRows = new ConcurrentHashMap<>();

  private final Set<String> committed = ConcurrentHashMap.newKeySet();
  private final Set<String> listed = ConcurrentHashMap.newKeySet();
  private final Set<String> latestSeen = ConcurrentHashMap.newKeySet();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicLong served = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();

  @Test
  void theViewerServesEveryRequestWhileRunsCommit() throws Exception {
    TestSpark.session();
    for (int k = 0; k < SIZES.length; k++) {
      float[][] e = NaiveSimilarity.gaussian(SIZES[k], D, 100 + k);
      TileGeometry g = TileGeometry.of(e.length, e.length);
      double[][] s = NaiveSimilarity.matrix(Metric.COSINE, e, e, true);
      byTileRows.put(g.rowsInTile(0, 0), new Input(k, e, NaiveSimilarity.pool(s, g, 0)));
    }
    Path out = dir.resolve("out");
    String first = commit(out, 0);
    Process viewer = startViewer(out);
    List<Thread> clients = new ArrayList<>();
    try {
      int port = awaitPort(viewer);
      for (int c = 0; c < CLIENTS; c++) {
        Thread t = new Thread(() -> requests(port, first), "client-" + c);
        t.start();
        clients.add(t);
      }
      awaitLatest(first);
      for (int k = 1; k < SIZES.length; k++) {
        awaitLatest(commit(out, k));
      }
    } finally {
      stop.set(true);
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      }
      viewer.destroy();
      viewer.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    System.out.printf(
        "CommitUnderLoadIT: %d requests served during %d commits, %d failed%n",
        served.get(), SIZES.length - 1, failures.size());
    assertThat(failures).as("failed requests").isEmpty();
    assertThat(committed).as("runs listed").containsAll(listed);
    assertThat(latestSeen)
        .as("runs served as latest")
        .containsExactlyInAnyOrderElementsOf(committed);
    assertThat(served.get()).isGreaterThan(100);
    List<String> warnings =
        Files.readAllLines(dir.resolve("viewer.log")).stream()
            .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
            .toList();
    assertThat(warnings).as("the viewer's warnings").isEmpty();
  }

  /** Computes run k into {@code out}; returns its id once committed. */
  private String commit(Path out, int k) throws IOException {
    float[][] e = NaiveSimilarity.gaussian(SIZES[k], D, 100 + k);
    Path input = NpyFiles.write(dir.resolve("e" + k + ".npy"), e);
    BadInputsTest.Outcome o =
        BadInputsTest.run(
            "compute", "--input", input.toString(), "--out", out.toString(), "--keep", "10");
    assertThat(o.code()).as(o.err()).isZero();
    String id = Files.readString(out.resolve(RunLayout.LATEST)).trim();
    committed.add(id);
    return id;
  }

  /** One client: the six requests in turn until told to stop; each failure is recorded. */
  private void requests(int port, String first) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + port;
    String view = "/view?metric=cosine&agg=mean&x0=0&x1=300&y0=0&y1=300&res=32";
    List<String> targets =
        List.of(
            "/api/runs",
            "/api/runs/latest/manifest",
            "/api/runs/latest/tiles/cosine/0/0/0",
            "/api/runs/" + first + "/tiles/cosine/0/0/0",
            "/api/runs/latest" + view,
            "/");
    for (int x = 0; !stop.get(); x++) {
      String target = targets.get(x % targets.size());
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + target)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String problem =
            r.statusCode() != 200 ? "status " + r.statusCode() : check(target, r, first);
        if (problem != null) {
          failures.add(target + ": " + problem + ": " + clip(r.body()));
        }
        served.incrementAndGet();
      } catch (IOException | RuntimeException e) {
        failures.add(target + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * What is wrong with a 200 response, or null. Run ids are collected and checked against the
   * committed runs at the end (a run can be served before its compute returns here).
   */
  private String check(String target, HttpResponse<String> r, String first) throws IOException {
    if (target.equals("/")) {
      return r.body().contains("<html") ? null : "not the page";
    }
    JsonNode body = JSON.readTree(r.body());
    if (target.equals("/api/runs")) {
      List<String> ids = new ArrayList<>();
      body.forEach(run -> ids.add(run.get("runId").asText()));
      listed.addAll(ids);
      return ids.contains(first) ? null : "the first run is not listed: " + ids;
    }
    if (target.endsWith("/manifest")) {
      latestSeen.add(body.get("runId").asText());
      return null;
    }
    if (target.contains("/tiles/")) {
      Input in = byTileRows.get(body.get("rows").asInt());
      if (in == null) {
        return "a tile of " + body.get("rows").asInt() + " rows matches no run's input";
      }
      if (!target.contains("/latest/") && in.k() != 0) {
        return "the first run's tile has the values of run " + in.k();
      }
      return tileMismatch(body, in);
    }
    return body.has("data") || body.has("datasets") ? null : "not a Vega-Lite spec";
  }

  /** Where a tile's mean, max and min differ from its run's naive cells, or null. */
  private static String tileMismatch(JsonNode tile, Input run) {
    String[] aggs = {"mean", "max", "min"};
    int rows = tile.get("rows").asInt();
    int cols = tile.get("cols").asInt();
    for (int a = 0; a < aggs.length; a++) {
      JsonNode v = tile.get(aggs[a]);
      if (v == null || v.size() != rows * cols) {
        return aggs[a] + " has " + (v == null ? "no" : v.size()) + " values";
      }
      for (int i = 0; i < rows * cols; i++) {
        double want = run.tile()[a][i / cols][i % cols];
        if (Math.abs(v.get(i).asDouble() - want) > RunTablesAssert.tol(Metric.COSINE, want)) {
          return aggs[a] + "[" + i + "] = " + v.get(i) + ", input " + run.k() + " gives " + want;
        }
      }
    }
    return null;
  }

  private void awaitLatest(String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!latestSeen.contains(id)) {
      assertThat(System.nanoTime()).as("latest became " + id).isLessThan(deadline);
      assertThat(failures).as("failed requests").isEmpty();
      Thread.sleep(10);
    }
  }

  private Process startViewer(Path out) throws IOException {
    Path jar =
        Path.of(System.getProperty("user.dir")).resolveSibling("viewer/target/simheat-viewer.jar");
    assertThat(jar).as("the viewer's jar (mvn package -pl viewer)").isRegularFile();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "--add-modules=jdk.incubator.vector",
            "-jar",
            jar.toString(),
            "view",
            "--data",
            out.toString(),
            "--port",
            "0");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("viewer.log").toFile())
        .start();
  }

  private int awaitPort(Process viewer) throws IOException, InterruptedException {
    Path log = dir.resolve("viewer.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = SERVING.matcher(text);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertThat(viewer.isAlive() && System.nanoTime() < deadline)
          .as("the viewer started; its output:\n" + text)
          .isTrue();
      Thread.sleep(20);
    }
  }

  private static String clip(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }
}
