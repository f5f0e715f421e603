package org.simheat.jobs.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.jobs.compute.ComputeJob;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.RunTablesAssert;
import org.simheat.jobs.testing.TestSpark;

/**
 * Poll after poll over a real directory with the real compute job: each checkpoint computed once, a
 * file being written left for later, a changed one recomputed, a bad one retried.
 */
class CheckpointWatchTest {
  private static final List<Aggregation> AGGS = List.of(Aggregation.MEAN, Aggregation.MAX);

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();
  private final List<String> reported = new ArrayList<>();

  private CheckpointWatch watch(Path dir, Path out) {
    return new CheckpointWatch(
        new CheckpointScan(dir.toString(), null, new Configuration()),
        file ->
            new ComputeJob(
                    spark,
                    new ComputeSpec(
                        InputSpec.of(file),
                        out.toString(),
                        List.of(Metric.COSINE),
                        AGGS,
                        2,
                        null,
                        ComputeSpec.DEFAULT_CELL_BUDGET,
                        0,
                        false))
                .run(),
        0);
  }

  private List<String> poll(CheckpointWatch w, boolean asFound) {
    reported.clear();
    List<String> lines = new ArrayList<>();
    for (CheckpointWatch.Outcome o : w.poll(asFound, () -> false, o -> reported.add(o.file()))) {
      String name = o.file().substring(o.file().lastIndexOf('/') + 1);
      lines.add(
          name
              + (o.skipped()
                  ? " skipped"
                  : o.ok()
                      ? o.result().upToDate()
                          ? " up to date"
                          : " run " + o.result().manifest().runId()
                      : " failed"));
    }
    assertThat(reported).hasSameSizeAs(lines);
    return lines;
  }

  private static float[][] matrix(long seed) {
    return NaiveSimilarity.gaussian(24, 3, seed);
  }

  private void assertRun(Path out, String line, float[][] e) throws IOException {
    String id = line.substring(line.lastIndexOf(' ') + 1);
    Path run = out.resolve(RunLayout.runDir(id));
    Manifest m = Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST)));
    double[][] s = NaiveSimilarity.matrix(Metric.COSINE, e, e, true);
    RunTablesAssert.tilesMatch(
        spark,
        run,
        Metric.COSINE,
        0,
        m.geometry(),
        true,
        AGGS,
        NaiveSimilarity.pool(s, m.geometry(), 0));
  }

  @Test
  void computesEachCheckpointOnceAndAChangedOneAgain() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    Path out = tmp.resolve("out");
    NpyFiles.write(dir.resolve("a.npy"), matrix(1));
    NpyFiles.write(dir.resolve("b.npy"), matrix(2));
    CheckpointWatch w = watch(dir, out);
    List<String> first = poll(w, true);
    assertThat(first).hasSize(2);
    assertThat(first.get(0)).startsWith("a.npy run ");
    assertThat(first.get(1)).startsWith("b.npy run ");
    assertRun(out, first.get(0), matrix(1));
    assertRun(out, first.get(1), matrix(2));
    assertThat(poll(w, false)).isEmpty();
    assertThat(poll(w, true)).as("taken as found, still done").isEmpty();

    NpyFiles.write(dir.resolve("a.npy"), matrix(3));
    assertThat(poll(w, false)).as("changed since the last poll: wait").isEmpty();
    List<String> changed = poll(w, false);
    assertThat(changed).singleElement().asString().startsWith("a.npy run ");
    assertRun(out, changed.get(0), matrix(3));

    assertThat(poll(watch(dir, out), true))
        .as("a new watch finds every run up to date, oldest file first")
        .containsExactly("b.npy up to date", "a.npy up to date");
  }

  @Test
  void aFileBeingWrittenWaitsUntilItStaysUnchanged() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    Path out = tmp.resolve("out");
    NpyFiles.write(dir.resolve("a.npy"), matrix(1));
    CheckpointWatch w = watch(dir, out);
    assertThat(poll(w, true)).hasSize(1);

    byte[] whole = Files.readAllBytes(NpyFiles.write(tmp.resolve("c.npy"), matrix(4)));
    Path c = dir.resolve("c.npy");
    Files.write(c, Arrays.copyOf(whole, whole.length / 3));
    assertThat(poll(w, false)).as("new: wait a poll").isEmpty();
    Files.write(c, Arrays.copyOf(whole, 2 * whole.length / 3));
    assertThat(poll(w, false)).as("grew: wait again").isEmpty();
    Files.write(c, whole);
    assertThat(poll(w, false)).as("grew: wait again").isEmpty();
    List<String> done = poll(w, false);
    assertThat(done).singleElement().asString().startsWith("c.npy run ");
    assertRun(out, done.get(0), matrix(4));
  }

  @Test
  void aBadFileIsRetriedAtEveryPollWhileOthersCompute() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    Path out = tmp.resolve("out");
    Path bad = Files.writeString(dir.resolve("a.npy"), "not an npy file");
    NpyFiles.write(dir.resolve("b.npy"), matrix(2));
    CheckpointWatch w = watch(dir, out);
    List<String> first = poll(w, true);
    assertThat(first).hasSize(2);
    assertThat(first.get(0)).isEqualTo("a.npy failed");
    assertThat(first.get(1)).startsWith("b.npy run ");
    assertThat(poll(w, false)).containsExactly("a.npy failed");

    NpyFiles.write(bad, matrix(5));
    assertThat(poll(w, false)).isEmpty();
    List<String> fixed = poll(w, false);
    assertThat(fixed).singleElement().asString().startsWith("a.npy run ");
    assertRun(out, fixed.get(0), matrix(5));
  }
}
