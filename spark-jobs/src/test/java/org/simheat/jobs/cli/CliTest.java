package org.simheat.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.simheat.jobs.testing.GoldenMatrix;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.TestSpark;

/** The command line in-process: exit codes, the lines it prints, and one line per failure. */
class CliTest {
  @TempDir Path tmp;

  /** What a command printed and returned. */
  record Outcome(int code, String out, String err) {}

  @BeforeAll
  static void sharedSpark() {
    TestSpark.session();
  }

  static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void computeThenUpToDate() throws IOException {
    Path input = NpyFiles.write(tmp.resolve("e.npy"), NaiveSimilarity.gaussian(50, 4, 3));
    Path out = tmp.resolve("out");
    Outcome first =
        run(
            "compute",
            "--input",
            input.toString(),
            "--out",
            out.toString(),
            "--metrics",
            "cosine,l2");
    assertThat(first.code()).as(first.err()).isZero();
    String runId = Files.readString(out.resolve(RunLayout.LATEST)).trim();
    assertThat(first.out())
        .startsWith("run " + runId + ": N=50, d=4, metrics cosine,l2, levels 0..0 stored of 0..0");
    Outcome second =
        run(
            "compute",
            "--input",
            input.toString(),
            "--out",
            out.toString(),
            "--metrics",
            "cosine,l2");
    assertThat(second.code()).isZero();
    assertThat(second.out()).startsWith("up to date: " + runId);
  }

  @Test
  void failuresAreOneLineWithExitCodeTwo() {
    Path out = tmp.resolve("out");
    String missing = tmp.resolve("missing.npy").toString();
    assertOneLine(
        run("compute", "--input", missing, "--out", out.toString()),
        "simheat: Cannot read " + missing + ": no such file");
    assertOneLine(
        run("compute", "--input", missing, "--out", out.toString(), "--metrics", "manhattan"),
        "simheat: Unknown metric 'manhattan': choose from cosine, dot, l2");
    assertOneLine(
        run("compute", "--input", missing),
        "simheat: Missing required option: '--out=DIR' (see simheat compute --help)");
    assertOneLine(
        run("compute", "--input", missing, "--path", "x", "--out", "o"),
        "simheat: Error: --input=FILE, --path=DIR are mutually exclusive (specify only one) (see simheat compute --help)");
    assertOneLine(
        run("compute", "--input", missing, "--cols-vocab", "v.txt", "--out", out.toString()),
        "simheat: --cols-vocab, --cols-tensor and --cols-format need --cols-input");
    assertOneLine(
        run("compute", "--path", tmp.toString(), "--cols-input", missing, "--out", "o"),
        "simheat: --cols-input goes with --input; --path computes symmetric runs only");
    assertThat(out).doesNotExist();
  }

  @Test
  void badClusterOptionsFailWithOneLine() {
    Path input = NpyFiles.write(tmp.resolve("e.npy"), NaiveSimilarity.gaussian(50, 4, 3));
    String in = input.toString();
    String out = tmp.resolve("out").toString();
    assertOneLine(
        run("compute", "--input", in, "--out", out, "--order", "sideways"),
        "simheat: Unknown --order 'sideways': choose from input, cluster");
    assertOneLine(
        run("compute", "--input", in, "--out", out, "--order", "cluster", "--clusters", "0"),
        "simheat: --clusters must be between 1 and 1024, got 0");
    assertOneLine(
        run("compute", "--input", in, "--out", out, "--order", "cluster", "--clusters", "51"),
        "simheat: --clusters 51 is more than the 50 rows of " + in);
    assertOneLine(
        run(
            "compute",
            "--input",
            in,
            "--out",
            out,
            "--order",
            "cluster",
            "--cluster-algorithm",
            "dbscan"),
        "simheat: Unknown --cluster-algorithm 'dbscan': choose from bisecting-kmeans, kmeans");
    assertOneLine(
        run("compute", "--input", in, "--out", out, "--clusters", "5"),
        "simheat: --clusters, --cluster-algorithm and --cluster-seed go with --order cluster");
    assertOneLine(
        run("compute", "--input", in, "--out", out, "--order", "cluster", "--cluster-seed", "x"),
        "simheat: Invalid value for option '--cluster-seed': 'x' is not a long (see simheat"
            + " compute --help)");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void aClusteredRunSaysHowManyClusters() {
    Path input = NpyFiles.write(tmp.resolve("e.npy"), NaiveSimilarity.gaussian(60, 4, 3));
    Outcome o =
        run(
            "compute",
            "--input",
            input.toString(),
            "--out",
            tmp.resolve("out").toString(),
            "--order",
            "cluster",
            "--clusters",
            "4",
            "--cluster-algorithm",
            "KMeans",
            "--cluster-seed",
            "9");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("N=60, d=4, metrics cosine, 4 clusters, levels");
  }

  @Test
  void aRunTakesTheOrderOfAnotherAndABadOneIsOneLine() throws IOException {
    Path a = NpyFiles.write(tmp.resolve("a.npy"), NaiveSimilarity.gaussian(60, 4, 3));
    Path b = NpyFiles.write(tmp.resolve("b.npy"), NaiveSimilarity.gaussian(60, 4, 4));
    String out = tmp.resolve("out").toString();
    Outcome first =
        run(
            "compute",
            "--input",
            a.toString(),
            "--out",
            out,
            "--order",
            "cluster",
            "--clusters",
            "4");
    assertThat(first.code()).as(first.err()).isZero();
    String runA = Files.readString(tmp.resolve("out").resolve(RunLayout.LATEST)).trim();
    Outcome second =
        run("compute", "--input", b.toString(), "--out", out, "--order-from", "latest");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("N=60, d=4, metrics cosine, 4 clusters, order of " + runA);
    assertOneLine(
        run(
            "compute",
            "--input",
            b.toString(),
            "--out",
            out,
            "--order-from",
            "20990101T000000Z-0a0a0a0a"),
        "simheat: Cannot take the order of run 20990101T000000Z-0a0a0a0a: no such run in " + out);
    assertOneLine(
        run("compute", "--input", b.toString(), "--out", out, "--order-from", " "),
        "simheat: --order-from needs a run: a run id in --out, latest, or a run directory");
  }

  private static void assertOneLine(Outcome o, String line) {
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.out()).isEmpty();
    assertThat(o.err()).isEqualTo(line + System.lineSeparator());
  }

  @Test
  void helpListsEveryOption() {
    Outcome o = run("compute", "--help");
    assertThat(o.code()).isZero();
    assertThat(o.out())
        .contains(
            "--input",
            "--path",
            "--vocab",
            "--tensor",
            "--cols-input",
            "--cols-vocab",
            "--out",
            "--metrics",
            "--aggregations",
            "--order",
            "--clusters",
            "--cluster-algorithm",
            "--cluster-seed",
            "--order-from",
            "--neighbors",
            "--stored-zoom",
            "--master",
            "--force");
    assertThat(run("--help").out()).contains("compute", "demo", "bench");
  }

  @Test
  void pathComputesEveryXlHeatmapFileWithItsVocabulary() throws IOException {
    Path out = tmp.resolve("out");
    Outcome o =
        run("compute", "--path", GoldenMatrix.path("pt/xl").toString(), "--out", out.toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out().lines().filter(l -> l.startsWith("run "))).hasSize(2);
    try (Stream<Path> runs = Files.list(out.resolve(RunLayout.RUNS))) {
      assertThat(runs.map(r -> manifest(r).source().vocab()))
          .allMatch(v -> v.endsWith("a.txt") || v.endsWith("b.txt"))
          .hasSize(2);
    }
  }

  private static Manifest manifest(Path run) {
    try {
      return Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST)));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
