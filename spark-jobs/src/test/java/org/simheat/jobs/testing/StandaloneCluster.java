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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real Spark standalone cluster on 127.0.0.1: one Master and some Workers, each a JVM of its own
 * started from {@code SPARK_HOME/jars}, on free ports. Workers launch executors (and, in cluster
 * deploy mode, drivers) as child processes, so stopping a Worker's process tree stops what it ran.
 * Everything is stopped by PID on {@link #close()}.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  private final Path sparkHome;
  private final Path dir;
  private final int masterPort;
  private final int webUiPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

  private StandaloneCluster(Path sparkHome, Path dir) {
    this.sparkHome = sparkHome;
    this.dir = dir;
    this.masterPort = freePort();
    this.webUiPort = freePort();
  }

  /**
   * Starts a Master and {@code workers} Workers of {@code cores} cores and {@code memory} each;
   * {@link #awaitWorkers} waits until they have registered.
   *
   * @param sparkHome a directory whose {@code jars/} holds Spark 4.1 (Scala 2.13)
   * @param dir where the processes' logs and the Workers' work directories go
   */
  public static StandaloneCluster start(
      Path sparkHome, Path dir, int workers, int cores, String memory) throws IOException {
    StandaloneCluster c = new StandaloneCluster(sparkHome, dir);
    try {
      c.processes.add(
          c.launch(
              "master",
              "org.apache.spark.deploy.master.Master",
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(c.masterPort),
              "--webui-port",
              Integer.toString(c.webUiPort)));
      for (int i = 0; i < workers; i++) {
        c.addWorker(cores, memory);
      }
      return c;
    } catch (IOException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  /** Waits until every Worker started has registered with the Master. */
  public void awaitWorkers() {
    await("every worker registered", s -> aliveWorkers(s) == workers.size());
  }

  /** Starts one more Worker (it registers with the Master shortly after). */
  public void addWorker(int cores, String memory) throws IOException {
    int i = workers.size();
    Path work = Files.createDirectories(dir.resolve("worker-" + i));
    Process w =
        launch(
            "worker-" + i,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--webui-port",
            "0",
            "--cores",
            Integer.toString(cores),
            "--memory",
            memory,
            "--work-dir",
            work.toString(),
            masterUrl());
    workers.add(w);
    processes.add(w);
  }

  private Process launch(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-cp", sparkHome + "/jars/*"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(dir.resolve(name + ".log").toFile());
    pb.environment().putAll(environment(sparkHome));
    return pb.start();
  }

  /** What every Spark process of the cluster needs in its environment. */
  public static Map<String, String> environment(Path sparkHome) {
    return Map.of(
        "SPARK_HOME", sparkHome.toString(),
        "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1");
  }

  /** The java binary of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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

  /** The Worker process {@code i} (in start order). */
  public Process worker(int i) {
    return workers.get(i);
  }

  /**
   * Kills Worker {@code i} and everything it started (executors, drivers) with SIGKILL, and waits
   * until they are gone.
   *
   * @return the PIDs killed, the Worker's first
   */
  public List<Long> killWorker(int i) {
    return killTree(workers.get(i).toHandle());
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

  /** Stops every process this cluster started, Workers' children included. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      killTree(processes.get(i).toHandle());
    }
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
