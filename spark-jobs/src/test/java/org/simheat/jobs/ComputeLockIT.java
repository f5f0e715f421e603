package org.simheat.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;

/**
 * Two {@code bin/simheat compute} processes on one output: while one holds the lock (frozen with
 * SIGSTOP, so the test does not race it) the other exits 75 with one line and writes nothing; a
 * compute killed with SIGKILL leaves a stale lock and its staging, which the next compute replaces
 * and removes.
 */
class ComputeLockIT {
  private final Path root = Path.of(System.getProperty("user.dir")).getParent();
  private final List<Process> started = new ArrayList<>();

  /** Stops every process the test started, and their JVMs, even when it failed. */
  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
  }

  private Process compute(Path work, String name, Path input, Path out) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("bin/simheat").toString(),
                "compute",
                "--input",
                input.toString(),
                "--out",
                out.toString(),
                "--master",
                "local[2]")
            .redirectOutput(work.resolve(name + ".out").toFile())
            .redirectError(work.resolve(name + ".err").toFile());
    pb.environment().put("SIMHEAT_HEAP", "1g");
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Waits for the file, then returns the pid its lock names (the compute's JVM). */
  private static long lockHolder(Path out, Process p) throws Exception {
    Path lock = out.resolve(RunLayout.LOCK);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try {
        return new ObjectMapper().readTree(Files.readString(lock)).get("pid").asLong();
      } catch (IOException | NullPointerException e) {
        Thread.sleep(20); // not there yet
      }
    }
    throw new AssertionError("no lock appeared in " + out);
  }

  private static void signal(String sig, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor())
        .isZero();
  }

  private static List<String> stagedRuns(Path out) throws IOException {
    Path staging = out.resolve(RunLayout.STAGING);
    if (!Files.isDirectory(staging)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(staging)) {
      return s.map(p -> p.getFileName().toString()).filter(RunLayout::isRunId).toList();
    }
  }

  private static String latest(Path out) throws IOException {
    return Files.readString(out.resolve(RunLayout.LATEST)).trim();
  }

  @Test
  void aSecondProcessExits75AndAKilledOneIsCleanedUpByTheNext() throws Exception {
    Path work = Files.createTempDirectory(root.resolve("spark-jobs/target"), "lock-it");
    Path out = work.resolve("out");
    Path big = NpyFiles.write(work.resolve("big.npy"), NaiveSimilarity.gaussian(3000, 32, 1));
    Path small = NpyFiles.write(work.resolve("small.npy"), NaiveSimilarity.gaussian(50, 4, 2));

    Process first = compute(work, "first", small, out);
    assertThat(first.waitFor()).isZero();
    String firstRun = latest(out);

    Process holder = compute(work, "holder", big, out);
    long holderPid = lockHolder(out, holder);
    signal("STOP", holderPid);
    try {
      Process second = compute(work, "second", small, out);
      assertThat(second.waitFor()).isEqualTo(75);
      assertThat(Files.readAllLines(work.resolve("second.err")))
          .as("bin/simheat's whole stderr: one line")
          .singleElement()
          .asString()
          .startsWith(
              "simheat: Cannot write to "
                  + out
                  + ": another compute holds "
                  + out
                  + "/_lock (pid "
                  + holderPid
                  + " on ")
          .endsWith("); try again when it ends");
      assertThat(Files.readString(work.resolve("second.out"))).isEmpty();
      assertThat(latest(out)).isEqualTo(firstRun);
    } finally {
      signal("CONT", holderPid);
    }
    assertThat(holder.waitFor()).isZero();
    String holderRun = latest(out);
    assertThat(holderRun).isNotEqualTo(firstRun);
    assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();

    Files.delete(big);
    big = NpyFiles.write(work.resolve("big.npy"), NaiveSimilarity.gaussian(3000, 32, 3));
    Process killed = compute(work, "killed", big, out);
    long killedPid = lockHolder(out, killed);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (stagedRuns(out).isEmpty() && killed.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(stagedRuns(out)).hasSize(1);
    signal("KILL", killedPid);
    killed.waitFor();
    assertThat(out.resolve(RunLayout.LOCK)).as("a killed compute leaves its lock").exists();
    assertThat(latest(out)).isEqualTo(holderRun);

    Process next = compute(work, "next", big, out);
    assertThat(next.waitFor()).as(Files.readString(work.resolve("next.err"))).isZero();
    String err = Files.readString(work.resolve("next.err"));
    assertThat(err).contains("Replacing the stale lock").contains("pid " + killedPid);
    assertThat(err).contains("Removed the staging of interrupted run");
    assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();
    assertThat(stagedRuns(out)).isEmpty();
    String nextRun = latest(out);
    Manifest m =
        Manifest.fromJson(
            Files.readString(out.resolve(RunLayout.runDir(nextRun)).resolve(RunLayout.MANIFEST)));
    assertThat(m.n()).isEqualTo(3000);
    try (Stream<Path> runs = Files.list(out.resolve(RunLayout.RUNS))) {
      assertThat(runs.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(firstRun, holderRun, nextRun);
    }
  }
}
