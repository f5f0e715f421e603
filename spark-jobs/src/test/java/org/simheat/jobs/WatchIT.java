package org.simheat.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;

/**
 * {@code bin/simheat watch} as a service manager runs it: SIGTERM while a compute holds the output
 * ends the watch with exit 0, and leaves no lock, no staging and no half run behind.
 */
class WatchIT {
  /**
   * With no grace the compute is aborted (or, if it got past its last Spark job, finishes); with a
   * long grace it finishes. Either way: exit 0, no lock, no staging, and LATEST names a whole run
   * or nothing.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 600})
  void sigtermDuringAComputeExitsZeroAndLeavesTheOutputClean(int graceSeconds) throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path work = Files.createTempDirectory(root.resolve("spark-jobs/target"), "watch-it");
    Path dir = Files.createDirectories(work.resolve("ckpt"));
    NpyFiles.write(dir.resolve("a.npy"), NaiveSimilarity.gaussian(3000, 32, 7));
    Path out = work.resolve("out");
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("bin/simheat").toString(),
                "watch",
                "--input",
                dir.toString(),
                "--out",
                out.toString(),
                "--interval",
                "1h",
                "--master",
                "local[2]")
            .redirectOutput(work.resolve("watch.out").toFile())
            .redirectError(work.resolve("watch.err").toFile());
    pb.environment().put("SIMHEAT_HEAP", "1g");
    pb.environment().put("SIMHEAT_JAVA_OPTS", "-Dsimheat.watch.stopGraceSeconds=" + graceSeconds);
    Process p = pb.start();
    try {
      Path lock = out.resolve(RunLayout.LOCK);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!Files.exists(lock) && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(lock).as(log(work)).exists();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(log(work)).isTrue();
      assertThat(p.exitValue()).as(log(work)).isZero();
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
    String err = Files.readString(work.resolve("watch.err"));
    assertThat(err).contains("watch: SIGTERM: stopping");
    assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();
    if (Files.isDirectory(out.resolve(RunLayout.STAGING))) {
      try (Stream<Path> staged = Files.list(out.resolve(RunLayout.STAGING))) {
        assertThat(staged.map(s -> s.getFileName().toString()).filter(RunLayout::isRunId))
            .isEmpty();
      }
    }
    List<String> runs = runDirs(out);
    Path latest = out.resolve(RunLayout.LATEST);
    if (graceSeconds > 0) {
      assertThat(runs).as("a compute given time finishes").hasSize(1);
    }
    if (runs.isEmpty()) {
      System.out.println("WatchIT: the compute was aborted by SIGTERM");
      assertThat(Files.readString(work.resolve("watch.err")))
          .containsPattern("watch: \\S+/a.npy failed: SparkException: .*cancel");
      assertThat(latest).doesNotExist();
    } else {
      System.out.println("WatchIT: the compute finished before the watch stopped");
      assertThat(runs).hasSize(1);
      assertThat(Files.readString(latest).trim()).isEqualTo(runs.get(0));
      Manifest m =
          Manifest.fromJson(
              Files.readString(
                  out.resolve(RunLayout.runDir(runs.get(0))).resolve(RunLayout.MANIFEST)));
      assertThat(m.n()).isEqualTo(3000);
    }
  }

  private static List<String> runDirs(Path out) throws IOException {
    Path runs = out.resolve(RunLayout.RUNS);
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String log(Path work) {
    try {
      return Files.readString(work.resolve("watch.out"))
          + Files.readString(work.resolve("watch.err"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
