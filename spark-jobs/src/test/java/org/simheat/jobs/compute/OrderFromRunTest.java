package org.simheat.jobs.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.jobs.cluster.ClusterAlgorithm;
import org.simheat.jobs.cluster.OrderSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.testing.NaiveClusters;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.OrderedAxis;
import org.simheat.jobs.testing.TestSpark;

/**
 * How {@code compute --order-from RUN} finds RUN: a run id in the output, {@code latest} (and, with
 * no run yet, the run's own {@code --order}), or a run directory by path; RUN's resolved id in the
 * fingerprint; and one line for a run that cannot give its order.
 */
class OrderFromRunTest {
  private static final int N = 300;
  private static final int D = 6;

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();

  @Test
  void theRunIsAnIdLatestOrAPathAndTheFingerprintNamesIt() {
    List<String> vocab = words(N);
    float[][] ea = NaiveClusters.blobs(N, D, 4, 0.6, 41);
    float[][] eb = NaiveClusters.blobs(N, D, 4, 0.6, 42);
    List<String> tb = shuffled(vocab, 8);
    Path out = tmp.resolve("out");
    List<Metric> cos = List.of(Metric.COSINE);
    List<Aggregation> mean = List.of(Aggregation.MEAN);
    OrderSpec three = new OrderSpec(true, 3, ClusterAlgorithm.BISECTING_KMEANS, 42);

    ComputeJob.Result first =
        run(spec(input("a", ea, vocab), out, cos, mean, 0).withOrder(three), "latest");
    assertThat(first.manifest().order())
        .as("latest with no run yet: --order applies")
        .isEqualTo(new Manifest.Order("cluster", 3, 0, "bisecting-kmeans", 42L));
    String r1 = first.manifest().runId();
    ComputeSpec b = spec(input("b", eb, tb), out, cos, mean, 0).withOrder(three);
    ComputeJob.Result second = run(b, "latest");
    assertThat(second.upToDate()).isFalse();
    assertThat(second.manifest().order().from()).isEqualTo(r1);
    assertThat(second.manifest().order().clusters()).isEqualTo(3);
    String r2 = second.manifest().runId();
    assertThat(tokens(out, second.manifest(), eb, tb))
        .containsExactly(tokens(out, first.manifest(), ea, vocab));

    ComputeJob.Result again = run(b, "latest");
    assertThat(again.upToDate()).as("latest took the order of r1 from these files").isTrue();
    assertThat(again.manifest().runId()).isEqualTo(r2);
    ComputeJob.Result byId = run(b, r1);
    assertThat(byId.upToDate()).isTrue();
    assertThat(byId.manifest().runId()).isEqualTo(r2);
    String r1Dir = out.resolve(RunLayout.runDir(r1)).toString();
    for (String path : List.of(r1Dir, "file:" + r1Dir)) {
      ComputeJob.Result byPath = run(b, path);
      assertThat(byPath.upToDate()).as(path).isTrue();
      assertThat(byPath.manifest().runId()).isEqualTo(r2);
    }
    Manifest own = run(b, null).manifest();
    assertThat(own.runId()).isNotEqualTo(r2);
    assertThat(own.order().from()).isNull();
    assertThat(own.source().fingerprint()).isNotEqualTo(second.manifest().source().fingerprint());
  }

  @Test
  void aChainOfLatestOrdersStaysUpToDateForEveryCheckpoint() {
    List<String> vocab = words(N);
    Path out = tmp.resolve("out");
    List<Metric> cos = List.of(Metric.COSINE);
    List<Aggregation> mean = List.of(Aggregation.MEAN);
    OrderSpec three = new OrderSpec(true, 3, ClusterAlgorithm.BISECTING_KMEANS, 42);
    List<ComputeSpec> checkpoints = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      float[][] e = NaiveClusters.blobs(N, D, 4, 0.6, 60 + c);
      checkpoints.add(
          spec(input("ckpt", e, shuffled(vocab, c)), out, cos, mean, 0).withOrder(three));
      ComputeJob.Result r = run(checkpoints.get(c), "latest");
      assertThat(r.upToDate()).isFalse();
      assertThat(r.manifest().order().from()).isEqualTo(c == 0 ? null : ids.get(c - 1));
      ids.add(r.manifest().runId());
    }
    for (int c = 0; c < 3; c++) {
      ComputeJob.Result again = run(checkpoints.get(c), "latest");
      assertThat(again.upToDate()).as("checkpoint %d again", c).isTrue();
      assertThat(again.manifest().runId()).isEqualTo(ids.get(c));
    }
    ComputeSpec byId = checkpoints.get(0);
    assertThat(run(byId, ids.get(2)).upToDate())
        .as("an explicit run id asks for exactly that order")
        .isFalse();
  }

  @Test
  void aRunThatCannotGiveItsOrderFailsWithOneLine() throws IOException {
    List<String> vocab = words(N);
    float[][] e = NaiveClusters.blobs(N, D, 4, 0.6, 51);
    Path out = tmp.resolve("out");
    List<Metric> cos = List.of(Metric.COSINE);
    List<Aggregation> mean = List.of(Aggregation.MEAN);
    ComputeSpec sym = spec(input("a", e, vocab), out, cos, mean, 0);
    String r1 = run(sym, null).manifest().runId();
    String missing = "20990101T000000Z-deadbeef";
    assertThatThrownBy(() -> run(sym, missing))
        .hasMessage("Cannot take the order of run " + missing + ": no such run in " + out);
    Path nowhere = tmp.resolve("nowhere");
    assertThatThrownBy(() -> run(sym, nowhere.toString()))
        .hasMessage(
            "Cannot take the order of run "
                + nowhere
                + ": no manifest.json in "
                + nowhere
                + " (not a committed run)");
    ComputeSpec crossSpec = cross(input("a", e, vocab), input("a", e, vocab), out, cos);
    assertThatThrownBy(() -> run(crossSpec, r1))
        .hasMessage(
            "Cannot take the order of run "
                + r1
                + ": it is a symmetric run and this one is a cross run (--cols-input); a cross"
                + " run takes the order of a cross run");
    Path crossOut = tmp.resolve("cross-out");
    Manifest x =
        run(cross(input("a", e, vocab), input("a", e, vocab), crossOut, cos), null).manifest();
    String xDir = crossOut.resolve(RunLayout.runDir(x.runId())).toString();
    assertThatThrownBy(() -> run(sym, xDir))
        .hasMessage(
            "Cannot take the order of run "
                + xDir
                + ": it is a cross run and this one is symmetric; a symmetric run takes the order"
                + " of a symmetric run");
    Path broken = tmp.resolve("broken");
    Files.createDirectories(broken.resolve(RunLayout.EMBEDDINGS));
    Files.copy(
        out.resolve(RunLayout.runDir(r1)).resolve(RunLayout.MANIFEST),
        broken.resolve(RunLayout.MANIFEST));
    assertThatThrownBy(() -> run(sym, broken.toString()))
        .hasMessage(
            "Cannot take the order of run "
                + broken
                + ": its embeddings table cannot be read (it holds 0 rows, the manifest says "
                + N
                + ")");
    Manifest clustered =
        run(sym.withOrder(new OrderSpec(true, 3, ClusterAlgorithm.KMEANS, 1)), null).manifest();
    Path noTree = tmp.resolve("no-tree");
    copyTree(out.resolve(RunLayout.runDir(clustered.runId())), noTree);
    deleteTree(noTree.resolve(RunLayout.CLUSTERS));
    assertThatThrownBy(() -> run(sym, noTree.toString()))
        .hasMessage(
            "Cannot take the order of run "
                + noTree
                + ": its clusters table cannot be read (no such table: "
                + noTree.resolve(RunLayout.CLUSTERS)
                + ")");
    assertThat(out.resolve(RunLayout.LATEST)).hasContent(clustered.runId());
  }

  private String[] tokens(Path out, Manifest m, float[][] e, List<String> tokens) {
    return OrderedAxis.read(
            spark, out.resolve(RunLayout.runDir(m.runId())), RunLayout.EMBEDDINGS, e, tokens)
        .tokens();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static List<String> words(int n) {
    return IntStream.range(0, n).mapToObj(i -> "w" + i).toList();
  }

  private static List<String> shuffled(List<String> tokens, long seed) {
    List<String> s = new ArrayList<>(tokens);
    Collections.shuffle(s, new Random(seed));
    return s;
  }

  private int files;

  private InputSpec input(String name, float[][] e, List<String> tokens) {
    String stem = name + "-" + files++;
    Path file = NpyFiles.write(tmp.resolve(stem + ".npy"), e);
    Path vocab = NpyFiles.vocab(tmp.resolve(stem + ".txt"), tokens);
    return InputSpec.of(file.toString()).withVocab(vocab.toString());
  }

  private static ComputeSpec spec(
      InputSpec in, Path out, List<Metric> metrics, List<Aggregation> aggs, int k) {
    return new ComputeSpec(
        in, out.toString(), metrics, aggs, k, null, ComputeSpec.DEFAULT_CELL_BUDGET, 0, false);
  }

  private static ComputeSpec cross(InputSpec rows, InputSpec cols, Path out, List<Metric> m) {
    return new ComputeSpec(
        rows,
        out.toString(),
        m,
        List.of(Aggregation.MEAN),
        0,
        null,
        ComputeSpec.DEFAULT_CELL_BUDGET,
        0,
        false,
        OrderSpec.INPUT,
        cols);
  }

  private ComputeJob.Result run(ComputeSpec spec, String orderFrom) {
    return new ComputeJob(spark, spec.withOrderFrom(orderFrom)).run();
  }
}
