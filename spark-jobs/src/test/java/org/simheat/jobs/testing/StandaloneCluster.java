package org.simheat.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real Spark standalone cluster on 127.0.0.1, started by {@code bin/simheat local-cluster}: one
 * Master and some Workers, each a JVM of its own, on free ports. Workers launch executors (and, in
 * cluster deploy mode, drivers) as child processes, so the launcher's process tree holds everything
 * the cluster runs; {@link #close()} kills that tree by PID.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  private final Process launcher;
  private final Path dir;
  private final int workers;
  private final int masterPort;
  private final int webUiPort;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

  private StandaloneCluster(
      Process launcher, Path dir, int workers, int masterPort, int webUiPort) {
    this.launcher = launcher;
    this.dir = dir;
    this.workers = workers;
    this.masterPort = masterPort;
    this.webUiPort = webUiPort;
  }

  /**
   * Starts {@code bin/simheat local-cluster} under {@code root}: a Master and {@code workers}
   * Workers of {@code cores} cores and {@code memory} each, their logs and work directories in
   * {@code dir}; {@link #awaitWorkers} waits until they have registered.
   */
  public static StandaloneCluster start(Path root, Path dir, int workers, int cores, String memory)
      throws IOException {
    int port = freePort();
    int ui = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("bin/simheat").toString(),
                "local-cluster",
                "--port",
                Integer.toString(port),
                "--webui-port",
                Integer.toString(ui),
                "--workers",
                Integer.toString(workers),
                "--cores",
                Integer.toString(cores),
                "--memory",
                memory,
                "--work-dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("local-cluster.out").toFile());
    pb.environment().remove("SPARK_HOME");
    return new StandaloneCluster(pb.start(), dir, workers, port, ui);
  }

  /** Waits until every Worker has registered with the Master. */
  public void awaitWorkers() {
    await("every worker registered", s -> aliveWorkers(s) == workers);
  }

  /** {@code spark://127.0.0.1:port}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The Master's state: its web UI's {@code /json/} document. */
  public JsonNode state() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    } catch (IOException e) {
      return JSON.createObjectNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Workers the Master sees as ALIVE in {@code state}. */
  public static int aliveWorkers(JsonNode state) {
    int n = 0;
    for (JsonNode w : state.path("workers")) {
      n += w.path("state").asText().equals("ALIVE") ? 1 : 0;
    }
    return n;
  }

  /** Whether no application runs and no core is in use in {@code state}. */
  public static boolean idle(JsonNode state) {
    if (!state.has("workers") || state.path("activeapps").size() > 0) {
      return false;
    }
    for (JsonNode w : state.path("workers")) {
      if (w.path("state").asText().equals("ALIVE") && w.path("coresused").asInt() > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Polls the Master's state until {@code condition} holds.
   *
   * @throws AssertionError naming {@code what} if it does not within a few minutes
   */
  public JsonNode await(String what, Predicate<JsonNode> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonNode s = state();
    while (!condition.test(s)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("The Master never showed " + what + ": " + s);
      }
      pause(100);
      s = state();
    }
    return s;
  }

  /**
   * Kills Worker {@code i} and everything it started (executors, drivers) with SIGKILL, and waits
   * until they are gone.
   *
   * @return the PIDs killed, the Worker's first
   */
  public List<Long> killWorker(int i) {
    String workDir = dir.resolve("worker-" + i).toString();
    ProcessHandle worker =
        launcher
            .toHandle()
            .children()
            .filter(p -> p.info().arguments().map(a -> List.of(a).contains(workDir)).orElse(false))
            .findFirst()
            .orElseThrow(() -> new AssertionError("No Worker process works in " + workDir));
    return killTree(worker);
  }

  /** Kills a process and its descendants with SIGKILL, waits for them, returns their PIDs. */
  public static List<Long> killTree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>(List.of(root));
    root.descendants().forEach(all::add);
    List<Long> pids = new ArrayList<>();
    for (ProcessHandle p : all) {
      if (p.isAlive()) {
        pids.add(p.pid());
        p.destroyForcibly();
      }
    }
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(1, TimeUnit.MINUTES);
      } catch (Exception e) {
        throw new IllegalStateException("Process " + p.pid() + " did not end after SIGKILL", e);
      }
    }
    return pids;
  }

  /** Stops every process the cluster runs: the launcher's whole tree. */
  @Override
  public void close() {
    killTree(launcher.toHandle());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sleeps between two polls of a condition. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
