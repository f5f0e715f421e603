package org.simheat.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.RunComparison;
import org.simheat.jobs.testing.StandaloneCluster;

/**
 * {@code compute} on a real Spark standalone cluster: a Master and two one-core Workers on
 * 127.0.0.1, each its own JVM ({@code bin/simheat local-cluster}), and {@code bin/simheat submit}
 * (java SparkSubmit with Spark's module flags and conf/spark-defaults.conf) in client and in
 * cluster deploy mode. Each cluster run must hold what {@code bin/simheat compute --master
 * local[2]} computes from the same input. Two faults are injected mid-job, once the run's staging
 * directory has its first tile files: the client-mode driver killed (no run, LATEST unchanged, and
 * the next compute succeeds and leaves no lock or staging behind), and a Worker killed with its
 * executor (the job completes, the same run).
 *
 * <p>Each phase's wall time and what the faults showed are printed and written to {@code
 * target/cluster-it-report.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  /** 8192 × 256: a blocked pass of 8 tasks that lasts seconds, over an 8 MiB file. */
  private static final int N = 8192;

  private static final int D = 256;
  private static final int STORED_ZOOM = 2;
  private static final double TOLERANCE = 1e-6;

  private final List<String> report = new ArrayList<>();
  private final List<Process> submits = new ArrayList<>();
  private Path root;
  private Path work;
  private Path input;
  private Path vocab;
  private Path localOut;
  private Path localRun;
  private StandaloneCluster cluster;

  @BeforeAll
  void startClusterAndComputeLocally() throws Exception {
    root = Path.of(System.getProperty("user.dir")).getParent();
    work = root.resolve("spark-jobs/target/cluster-it");
    deleteRecursively(work);
    Files.createDirectories(work);
    input = NpyFiles.write(work.resolve("e.npy"), matrix());
    vocab =
        NpyFiles.vocab(
            work.resolve("vocab.txt"), IntStream.range(0, N).mapToObj(i -> "w" + i).toList());

    long t = System.nanoTime();
    Path sparkHome = Path.of(run(List.of(root.resolve("bin/simheat").toString(), "spark-home")));
    assertThat(sparkHome.resolve("jars/spark-core_2.13-4.1.0.jar")).exists();
    phase("SPARK_HOME assembled from Maven's jars (bin/simheat spark-home)", t);

    // The local-mode reference runs while the cluster's JVMs start.
    t = System.nanoTime();
    localOut = work.resolve("local");
    Process local = simheat("local", List.of("compute", "--master", "local[2]"), localOut);
    cluster = StandaloneCluster.start(root, work, 2, 1, "1g");
    assertSucceeded(local, "local");
    localRun = latestRun(localOut);
    phase("local-mode run (bin/simheat compute --master local[2])", t);
    cluster.awaitWorkers();
    phase("local-mode run, and the Master + 2 Workers (1 core, 1g each) registered", t);
  }

  @AfterAll
  void stopEverything() throws IOException {
    try {
      for (Process p : submits) {
        StandaloneCluster.killTree(p.toHandle());
      }
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      String text = String.join("\n", report) + "\n";
      System.out.print("StandaloneClusterIT report:\n" + text);
      Files.writeString(root.resolve("spark-jobs/target/cluster-it-report.txt"), text);
    }
  }

  @Test
  @Order(1)
  void aKilledDriverLeavesNoRunAndAClientModeRerunEqualsLocalMode() throws Exception {
    Path out = work.resolve("client");
    copyRecursively(localOut, out);
    String latest = Files.readString(out.resolve(RunLayout.LATEST));
    List<String> runsBefore = list(out.resolve(RunLayout.RUNS));

    long t = System.nanoTime();
    Process p = submit("driver-kill", "client", out, "--force");
    int parts = awaitStagedTiles(out, p, "driver-kill");
    List<Long> killed = StandaloneCluster.killTree(p.toHandle());
    phase(
        "client-mode driver killed (SIGKILL, pid "
            + killed
            + ") with "
            + parts
            + " of 8 pass tasks' tile files staged",
        t);
    assertThat(list(out.resolve(RunLayout.RUNS))).isEqualTo(runsBefore);
    assertThat(Files.readString(out.resolve(RunLayout.LATEST))).isEqualTo(latest);
    report.add("    runs/ and LATEST unchanged; left behind: " + leftovers(out));

    t = System.nanoTime();
    cluster.await("the killed driver's application gone", StandaloneCluster::idle);
    phase("the Master released the dead driver's executors", t);

    t = System.nanoTime();
    Process again = submit("client", "client", out, "--force");
    assertSucceeded(again, "client");
    phase("client deploy mode run, after the killed driver", t);
    Path run = latestRun(out);
    assertThat(Files.readString(work.resolve("client.out")))
        .startsWith("run " + run.getFileName() + ": N=8192, d=256, metrics cosine");
    List<String> runsAfter = new ArrayList<>(runsBefore);
    runsAfter.add(run.getFileName().toString());
    assertThat(list(out.resolve(RunLayout.RUNS))).containsExactlyInAnyOrderElementsOf(runsAfter);
    compare("client deploy mode", run);
    report.add("    after the re-run, left behind: " + leftovers(out));
    assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();
    assertThat(list(out.resolve(RunLayout.STAGING))).noneMatch(RunLayout::isRunId);
  }

  @Test
  @Order(2)
  void clusterModeEqualsLocalMode() throws Exception {
    long t = System.nanoTime();
    Path out = work.resolve("cluster");
    Process p = submit("cluster", "cluster", out);
    assertSucceeded(p, "cluster");
    phase("cluster deploy mode run (the driver on a Worker)", t);
    Path run = latestRun(out);
    // The driver ran in a Worker's work directory: its output is there.
    List<Path> driverOut;
    try (Stream<Path> files = Files.walk(work)) {
      driverOut =
          files
              .filter(f -> f.getFileName().toString().equals("stdout"))
              .filter(f -> f.getParent().getFileName().toString().startsWith("driver-"))
              .toList();
    }
    assertThat(driverOut).hasSize(1);
    assertThat(Files.readString(driverOut.get(0))).startsWith("run " + run.getFileName() + ": ");
    compare("cluster deploy mode", run);
  }

  @Test
  @Order(3)
  void aLostWorkerIsRecoveredFrom() throws Exception {
    Path out = work.resolve("worker-kill");
    long t = System.nanoTime();
    Process p = submit("worker-kill", "client", out);
    int parts = awaitStagedTiles(out, p, "worker-kill");
    List<Long> killed = cluster.killWorker(0);
    report.add(
        String.format(
            Locale.ROOT,
            "    Worker 0 killed (SIGKILL, pids %s: the Worker and its executor) at %.1f s, with %d"
                + " of 8 pass tasks' tile files staged",
            killed,
            (System.nanoTime() - t) / 1e9,
            parts));
    assertThat(killed).as("the Worker and its executor").hasSizeGreaterThanOrEqualTo(2);
    assertSucceeded(p, "worker-kill");
    phase("client-mode run that lost a Worker mid-job", t);
    String log = Files.readString(work.resolve("worker-kill.err"));
    assertThat(log).contains("Lost executor");
    report.add(
        "    driver log: "
            + count(log, "Lost executor")
            + " executor lost, "
            + count(log, "its executor exited")
            + " running task(s) failed with it and rerun on the other executor");
    assertThat(StandaloneCluster.aliveWorkers(cluster.state())).isEqualTo(1);
    compare("run that lost a Worker", latestRun(out));
  }

  /** What a killed compute may leave in OUT: staging directories and the lock. */
  private static String leftovers(Path out) throws IOException {
    return "_staging/"
        + list(out.resolve(RunLayout.STAGING))
        + (Files.exists(out.resolve(RunLayout.LOCK)) ? ", _lock" : ", no _lock");
  }

  /** Starts {@code bin/simheat submit … compute} of the test input into {@code out}. */
  private Process submit(String name, String deployMode, Path out, String... more)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "submit",
                "--master",
                cluster.masterUrl(),
                "--deploy-mode",
                deployMode,
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.executor.memory=512m",
                "--conf",
                "spark.executor.cores=1",
                "--conf",
                "spark.driver.memory=512m"));
    if (deployMode.equals("cluster")) {
      args.addAll(List.of("--conf", "spark.standalone.submit.waitAppCompletion=true"));
    }
    args.add("compute");
    args.addAll(List.of(more));
    return simheat(name, args, out);
  }

  /**
   * Starts {@code bin/simheat ARGS --input … --vocab … --out OUT --stored-zoom 2}, its output in
   * {@code NAME.out} and {@code NAME.err}.
   */
  private Process simheat(String name, List<String> args, Path out) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/simheat").toString()));
    cmd.addAll(args);
    cmd.addAll(
        List.of(
            "--input",
            input.toString(),
            "--vocab",
            vocab.toString(),
            "--out",
            out.toString(),
            "--stored-zoom",
            Integer.toString(STORED_ZOOM)));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(work.resolve(name + ".out").toFile())
            .redirectError(work.resolve(name + ".err").toFile());
    pb.environment().remove("SPARK_HOME");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SIMHEAT_HEAP", "768m");
    Process p = pb.start();
    submits.add(p);
    return p;
  }

  private void assertSucceeded(Process p, String name) throws Exception {
    boolean ended = p.waitFor(10, TimeUnit.MINUTES);
    assertThat(ended && p.exitValue() == 0)
        .as(
            "%s ended with %s:%n%s",
            name, ended ? p.exitValue() : "no exit", tail(work.resolve(name + ".err")))
        .isTrue();
  }

  /**
   * Waits until the run being computed into {@code out} has staged its first tile files of the
   * finest stored level (written by the blocked pass's tasks as they finish), and returns how many.
   */
  private int awaitStagedTiles(Path out, Process p, String name) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (true) {
      int parts = stagedTileParts(out);
      if (parts > 0) {
        return parts;
      }
      assertThat(p.isAlive())
          .as("%s ended before any tile was staged:%n%s", name, tail(work.resolve(name + ".err")))
          .isTrue();
      assertThat(System.nanoTime()).as("%s staged no tile", name).isLessThan(deadline);
      StandaloneCluster.pause(20);
    }
  }

  private static int stagedTileParts(Path out) throws IOException {
    int n = 0;
    for (String run : list(out.resolve(RunLayout.STAGING))) {
      Path level =
          out.resolve(RunLayout.STAGING)
              .resolve(run)
              .resolve(RunLayout.tilesDir(Metric.COSINE, STORED_ZOOM));
      for (String f : list(level)) {
        n += f.startsWith("part-") && f.endsWith(".parquet") ? 1 : 0;
      }
    }
    return n;
  }

  private void compare(String what, Path run) {
    long t = System.nanoTime();
    List<RunComparison.Table> tables = RunComparison.assertSame(localRun, run, TOLERANCE);
    double max = tables.stream().mapToDouble(RunComparison.Table::maxDifference).max().orElse(0);
    long rows = tables.stream().mapToLong(RunComparison.Table::rows).sum();
    report.add(
        String.format(
            Locale.ROOT,
            "    %s = local mode: %d tables, %d rows, %s (compared in %.1f s)",
            what,
            tables.size(),
            rows,
            max == 0 ? "bit for bit" : "largest relative difference " + max,
            (System.nanoTime() - t) / 1e9));
  }

  private void phase(String what, long start) {
    report.add(String.format(Locale.ROOT, "%6.1f s  %s", (System.nanoTime() - start) / 1e9, what));
  }

  private static Path latestRun(Path out) throws IOException {
    String id = Files.readString(out.resolve(RunLayout.LATEST)).trim();
    Path run = out.resolve(RunLayout.runDir(id));
    assertThat(run.resolve(RunLayout.MANIFEST)).exists();
    return run;
  }

  /** A seeded Gaussian matrix. */
  private static float[][] matrix() {
    SplittableRandom r = new SplittableRandom(20261122L);
    float[][] e = new float[N][D];
    for (float[] row : e) {
      for (int c = 0; c < D; c++) {
        row[c] = (float) r.nextGaussian();
      }
    }
    return e;
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("SPARK_HOME");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  private static List<String> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(f -> f.getFileName().toString())
          .filter(f -> !f.startsWith("."))
          .sorted()
          .toList();
    }
  }

  private static long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void copyRecursively(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path f : s.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (Files.exists(p)) {
      try (Stream<Path> s = Files.walk(p)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }
}
