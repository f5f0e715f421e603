package org.simheat.jobs.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.output.OutputBusyException;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.RunTablesAssert;
import org.simheat.jobs.testing.TestSpark;

/**
 * The job under the output lock: a held lock stops it before anything is written, a stale one is
 * replaced, staging left by a killed run is cleaned, and two computes at once write one run.
 */
class ComputeLockTest {
  private static final List<Aggregation> AGGS = List.of(Aggregation.values());

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();

  private ComputeSpec spec(Path input, Path out) {
    return new ComputeSpec(
        InputSpec.of(input.toString()),
        out.toString(),
        List.of(Metric.COSINE),
        AGGS,
        3,
        null,
        ComputeSpec.DEFAULT_CELL_BUDGET,
        0,
        false);
  }

  private Path input(String name, long seed) {
    return NpyFiles.write(tmp.resolve(name + ".npy"), NaiveSimilarity.gaussian(40, 4, seed));
  }

  /** The run's cosine tiles and neighbours equal the naive ones of the matrix. */
  private void assertRunMatches(Path out, Manifest m, long seed) {
    float[][] e = NaiveSimilarity.gaussian(40, 4, seed);
    double[][] s = NaiveSimilarity.matrix(Metric.COSINE, e, e, true);
    Path run = out.resolve(RunLayout.runDir(m.runId()));
    RunTablesAssert.tilesMatch(
        spark,
        run,
        Metric.COSINE,
        0,
        m.geometry(),
        true,
        AGGS,
        NaiveSimilarity.pool(s, m.geometry(), 0));
    RunTablesAssert.neighborsMatch(spark, run, Metric.COSINE, s, 3, true);
  }

  private static void writeLock(Path out, String host, long pid, long ageSeconds)
      throws IOException {
    Files.createDirectories(out);
    Path lock = out.resolve(RunLayout.LOCK);
    Files.writeString(
        lock,
        "{\"host\":\"" + host + "\",\"pid\":" + pid + ",\"startedAt\":\"2026-11-22T06:30:00Z\"}\n");
    Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(ageSeconds)));
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aStaleLockAndAKilledRunsStagingAreCleanedAndTheComputeSucceeds() throws Exception {
    Path out = tmp.resolve("out");
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    writeLock(out, InetAddress.getLocalHost().getHostName(), dead.pid(), 0);
    Path killed = out.resolve(RunLayout.stagingDir("20261122T050000Z-0badc0de"));
    Files.createDirectories(killed.resolve("tiles"));
    Files.writeString(killed.resolve("tiles/part-0.parquet"), "half");
    Path saliency = out.resolve(RunLayout.saliencyStagingDir("doc-1", "n0nce"));
    Files.createDirectories(saliency);

    ComputeJob.Result r = new ComputeJob(spark, spec(input("a", 1), out)).run();

    assertThat(r.upToDate()).isFalse();
    assertThat(killed).doesNotExist();
    assertThat(saliency).isDirectory();
    assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();
    assertThat(list(out.resolve(RunLayout.STAGING)))
        .containsExactly(saliency.getFileName().toString());
    assertThat(Files.readString(out.resolve(RunLayout.LATEST)).trim())
        .isEqualTo(r.manifest().runId());
    assertRunMatches(out, r.manifest(), 1);
  }

  @Test
  void aLockUntouchedForTooLongIsReplaced() throws Exception {
    Path out = tmp.resolve("out");
    Process sleeper = new ProcessBuilder("sleep", "600").start();
    try {
      writeLock(out, "elsewhere.example", sleeper.pid(), 600);
      ComputeJob.Result r = new ComputeJob(spark, spec(input("a", 2), out)).run();
      assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();
      assertRunMatches(out, r.manifest(), 2);
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void aHeldLockStopsTheComputeBeforeItWritesAnything() throws Exception {
    Path out = tmp.resolve("out");
    Manifest previous = new ComputeJob(spark, spec(input("a", 3), out)).run().manifest();
    List<String> before = list(out);
    String latest = Files.readString(out.resolve(RunLayout.LATEST));
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ComputeSpec first = spec(input("b", 4), out);
    CompletableFuture<ComputeJob.Result> holder =
        CompletableFuture.supplyAsync(
            () ->
                new ComputeJob(
                        spark,
                        first,
                        stage -> {
                          if (stage.equals("read")) {
                            holding.countDown();
                            await(release);
                          }
                        })
                    .run());
    assertThat(holding.await(5, TimeUnit.MINUTES)).isTrue();
    try {
      assertThatThrownBy(() -> new ComputeJob(spark, spec(input("c", 5), out)).run())
          .isInstanceOf(OutputBusyException.class)
          .hasMessageStartingWith(
              "Cannot write to "
                  + out
                  + ": another compute holds "
                  + out
                  + "/_lock (pid "
                  + ProcessHandle.current().pid()
                  + " on ")
          .hasMessageEndingWith("Z); try again when it ends");
      assertThat(list(out)).containsExactlyElementsOf(withLock(before));
      assertThat(list(out.resolve(RunLayout.RUNS))).containsExactly(previous.runId());
      assertThat(Files.readString(out.resolve(RunLayout.LATEST))).isEqualTo(latest);
    } finally {
      release.countDown();
    }
    ComputeJob.Result written = holder.get();
    assertThat(list(out.resolve(RunLayout.RUNS)))
        .containsExactlyInAnyOrder(previous.runId(), written.manifest().runId());
    assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();
    assertRunMatches(out, written.manifest(), 4);
  }

  private static List<String> withLock(List<String> names) {
    List<String> all = new ArrayList<>(names);
    all.add(RunLayout.LOCK);
    return all.stream().sorted().toList();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoRacingComputesOfOneInputWriteOneValidRun() throws Exception {
    Path out = tmp.resolve("out");
    ComputeSpec s = spec(input("a", 6), out);
    CyclicBarrier start = new CyclicBarrier(2);
    List<CompletableFuture<String>> racers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      racers.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  start.await();
                  ComputeJob.Result r = new ComputeJob(spark, s).run();
                  return r.upToDate() ? "up to date" : "written";
                } catch (OutputBusyException e) {
                  return "busy";
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    List<String> outcomes = new ArrayList<>();
    for (CompletableFuture<String> f : racers) {
      outcomes.add(f.get());
    }
    assertThat(outcomes).containsOnlyOnce("written");
    assertThat(outcomes).containsAnyOf("busy", "up to date");
    List<String> runs = list(out.resolve(RunLayout.RUNS));
    assertThat(runs).hasSize(1);
    assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();
    assertThat(list(out.resolve(RunLayout.STAGING))).isEmpty();
    assertRunMatches(
        out,
        Manifest.fromJson(
            Files.readString(
                out.resolve(RunLayout.runDir(runs.get(0))).resolve(RunLayout.MANIFEST))),
        6);
  }
}
