package org.simheat.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.RunTablesAssert;
import org.simheat.jobs.testing.TestSpark;

/** {@code simheat watch --once} in-process: what it computes, prints and returns. */
class WatchCommandTest {
  private static final Pattern RUN = Pattern.compile("watch: run (\\S+) from (\\S+)");

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();

  private static CliTest.Outcome watch(String... args) {
    List<String> all = new ArrayList<>(List.of("watch"));
    all.addAll(List.of(args));
    return CliTest.run(all.toArray(String[]::new));
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split(System.lineSeparator()));
  }

  private static float[][] matrix(long seed) {
    return NaiveSimilarity.gaussian(20, 3, seed);
  }

  private void assertCosineMeans(Path out, String runId, float[][] e) throws IOException {
    Path run = out.resolve(RunLayout.runDir(runId));
    Manifest m = Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST)));
    double[][] s = NaiveSimilarity.matrix(Metric.COSINE, e, e, true);
    RunTablesAssert.tilesMatch(
        spark,
        run,
        Metric.COSINE,
        0,
        m.geometry(),
        true,
        List.of(Aggregation.MEAN),
        NaiveSimilarity.pool(s, m.geometry(), 0));
  }

  @Test
  void onceComputesEachFileOfADirectoryThenFindsThemUpToDate() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    Path out = tmp.resolve("out");
    NpyFiles.write(dir.resolve("a.npy"), matrix(1));
    NpyFiles.write(dir.resolve("b.npy"), matrix(2));
    Files.writeString(dir.resolve("notes.txt"), "not a checkpoint");
    String[] args = {
      "--input",
      dir.toString(),
      "--out",
      out.toString(),
      "--once",
      "--aggregations",
      "mean",
      "--neighbors",
      "0"
    };
    CliTest.Outcome first = watch(args);
    assertThat(first.code()).as(first.err()).isZero();
    List<String> lines = lines(first.out());
    assertThat(lines).hasSize(2);
    Matcher a = RUN.matcher(lines.get(0));
    Matcher b = RUN.matcher(lines.get(1));
    assertThat(a.matches() && b.matches()).as(first.out()).isTrue();
    assertThat(a.group(2)).isEqualTo("file:" + dir.resolve("a.npy"));
    assertThat(b.group(2)).isEqualTo("file:" + dir.resolve("b.npy"));
    assertCosineMeans(out, a.group(1), matrix(1));
    assertCosineMeans(out, b.group(1), matrix(2));

    CliTest.Outcome again = watch(args);
    assertThat(again.code()).isZero();
    assertThat(lines(again.out()))
        .containsExactlyInAnyOrder(
            "watch: up to date: " + a.group(1) + " (file:" + dir.resolve("a.npy") + ")",
            "watch: up to date: " + b.group(1) + " (file:" + dir.resolve("b.npy") + ")");
  }

  @Test
  void aGlobWithTheVocabularyBesideEachCheckpoint() throws IOException {
    Path out = tmp.resolve("out");
    for (int step = 1; step <= 2; step++) {
      Path dir = Files.createDirectories(tmp.resolve("runs/step-" + step));
      NpyFiles.write(dir.resolve("model.npy"), matrix(10 + step));
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        tokens.add("s" + step + "t" + i);
      }
      NpyFiles.vocab(dir.resolve("vocab.txt"), tokens);
    }
    CliTest.Outcome o =
        watch(
            "--input",
            tmp + "/runs/*/model.npy",
            "--vocab-beside",
            "vocab.txt",
            "--out",
            out.toString(),
            "--once",
            "--aggregations",
            "mean",
            "--neighbors",
            "0");
    assertThat(o.code()).as(o.err()).isZero();
    List<String> lines = lines(o.out());
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      Matcher m = RUN.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      int step = m.group(2).contains("step-1") ? 1 : 2;
      assertCosineMeans(out, m.group(1), matrix(10 + step));
      List<Row> rows =
          spark
              .read()
              .parquet(
                  out.resolve(RunLayout.runDir(m.group(1)))
                      .resolve(RunLayout.EMBEDDINGS)
                      .toString())
              .orderBy("position")
              .select("token")
              .collectAsList();
      assertThat(rows.get(0).getString(0)).isEqualTo("s" + step + "t0");
      assertThat(rows.get(19).getString(0)).isEqualTo("s" + step + "t19");
    }
  }

  @Test
  void aBadFileIsOneLineAndTheOthersStillCompute() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    Path out = tmp.resolve("out");
    Files.writeString(dir.resolve("a.npy"), "not an npy file");
    NpyFiles.write(dir.resolve("b.npy"), matrix(3));
    CliTest.Outcome o =
        watch("--input", dir.toString(), "--out", out.toString(), "--once", "--neighbors", "2");
    assertThat(o.code()).isEqualTo(1);
    assertThat(lines(o.err()))
        .singleElement()
        .asString()
        .startsWith("watch: file:" + dir.resolve("a.npy") + " failed: Cannot read")
        .endsWith("; retrying at the next poll")
        .doesNotContain("Exception");
    assertThat(lines(o.out())).singleElement().asString().matches(RUN.pattern()).contains("b.npy");
  }

  @Test
  void aLockHeldByAnotherComputeIsAFailureRetriedLater() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    NpyFiles.write(dir.resolve("a.npy"), matrix(7));
    Process holder = new ProcessBuilder("sleep", "600").start();
    try {
      Files.writeString(
          out.resolve(RunLayout.LOCK),
          "{\"host\":\""
              + java.net.InetAddress.getLocalHost().getHostName()
              + "\",\"pid\":"
              + holder.pid()
              + ",\"startedAt\":\"2026-11-22T06:30:00Z\",\"command\":\"compute\"}\n");
      String[] args = {"--input", dir.toString(), "--out", out.toString(), "--once"};
      CliTest.Outcome busy = watch(args);
      assertThat(busy.code()).isEqualTo(1);
      assertThat(busy.out()).isEmpty();
      assertThat(lines(busy.err()))
          .containsExactly(
              "watch: file:"
                  + dir.resolve("a.npy")
                  + " failed: Cannot write to "
                  + out
                  + ": another compute holds "
                  + out
                  + "/_lock (pid "
                  + holder.pid()
                  + " on "
                  + java.net.InetAddress.getLocalHost().getHostName()
                  + ", since 2026-11-22T06:30:00Z); try again when it ends; retrying at the next"
                  + " poll");
      Files.delete(out.resolve(RunLayout.LOCK));
      CliTest.Outcome later = watch(args);
      assertThat(later.code()).as(later.err()).isZero();
      Matcher run = RUN.matcher(lines(later.out()).get(0));
      assertThat(run.matches()).isTrue();
      assertCosineMeans(out, run.group(1), matrix(7));
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  @Test
  void keepComputesOnlyTheNewestCheckpointsAndRemovesOlderRuns() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    Path out = tmp.resolve("out");
    Path a = NpyFiles.write(dir.resolve("a.npy"), matrix(4));
    Path b = NpyFiles.write(dir.resolve("b.npy"), matrix(5));
    Files.setLastModifiedTime(a, FileTime.fromMillis(1_000_000_000_000L));
    Files.setLastModifiedTime(b, FileTime.fromMillis(1_000_000_001_000L));
    String[] args = {
      "--input",
      dir.toString(),
      "--out",
      out.toString(),
      "--once",
      "--keep",
      "2",
      "--neighbors",
      "0",
      "--aggregations",
      "mean"
    };
    CliTest.Outcome first = watch(args);
    assertThat(first.code()).as(first.err()).isZero();
    List<String> lines = lines(first.out());
    assertThat(lines).hasSize(2);
    Matcher runA = RUN.matcher(lines.get(0));
    assertThat(runA.matches()).isTrue();
    assertThat(runA.group(2)).endsWith("/a.npy");

    NpyFiles.write(dir.resolve("c.npy"), matrix(6));
    CliTest.Outcome second = watch(args);
    assertThat(second.code()).as(second.err()).isZero();
    List<String> more = lines(second.out());
    assertThat(more).hasSize(4);
    assertThat(more.get(0))
        .isEqualTo("watch: skipped file:" + a + ": older than the newest 2 (--keep 2)");
    assertThat(more.get(1)).startsWith("watch: up to date: ").endsWith("(file:" + b + ")");
    Matcher runC = RUN.matcher(more.get(2));
    assertThat(runC.matches()).isTrue();
    assertCosineMeans(out, runC.group(1), matrix(6));
    assertThat(more.get(3)).isEqualTo("watch: removed run " + runA.group(1) + " (--keep 2)");
    assertThat(out.resolve(RunLayout.runDir(runA.group(1)))).doesNotExist();

    CliTest.Outcome restart = watch(args);
    assertThat(lines(restart.out()))
        .as("after a restart nothing is computed again")
        .hasSize(3)
        .allMatch(l -> l.startsWith("watch: skipped ") || l.startsWith("watch: up to date: "));
  }

  @Test
  void badOptionsAreOneLineBeforeAnyPoll() {
    String dir = tmp.toString();
    String out = tmp.resolve("out").toString();
    assertThat(watch("--input", dir, "--out", out, "--once", "--force"))
        .isEqualTo(
            new CliTest.Outcome(
                2,
                "",
                "simheat: --force does not go with watch: a changed checkpoint is computed anyway"
                    + System.lineSeparator()));
    assertThat(
            watch("--input", dir, "--out", out, "--vocab-beside", "v.txt", "--vocab", "w.txt")
                .err())
        .isEqualTo(
            "simheat: --vocab and --vocab-beside exclude each other" + System.lineSeparator());
    assertThat(watch("--input", dir, "--out", out, "--metrics", "manhattan").err())
        .isEqualTo(
            "simheat: Unknown metric 'manhattan': choose from cosine, dot, l2"
                + System.lineSeparator());
    assertThat(watch("--input", dir, "--out", out, "--bogus").err())
        .isEqualTo(
            "simheat: Unknown option: '--bogus' (see simheat watch --help)"
                + System.lineSeparator());
    CliTest.Outcome interval = watch("--input", dir, "--out", out, "--interval", "5d");
    assertThat(interval.code()).isEqualTo(2);
    assertThat(interval.err())
        .isEqualTo(
            "simheat: Invalid value for option '--interval': --interval must be a positive time"
                + " like 90, 90s, 5m or 1h, got '5d' (see simheat watch --help)"
                + System.lineSeparator());
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void intervalsInSecondsMinutesOrHours() {
    assertThat(WatchCommand.parseInterval("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(WatchCommand.parseInterval("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(WatchCommand.parseInterval("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(WatchCommand.parseInterval("1h")).isEqualTo(Duration.ofHours(1));
    for (String bad : List.of("0", "0s", "-5", "5d", "1.5m", "", "m")) {
      assertThatThrownBy(() -> WatchCommand.parseInterval(bad))
          .hasMessage(
              "--interval must be a positive time like 90, 90s, 5m or 1h, got '" + bad + "'");
    }
  }
}
