package org.simheat.jobs.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.cluster.ClusterAlgorithm;
import org.simheat.jobs.cluster.OrderSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.testing.NaiveClusters;
import org.simheat.jobs.testing.NaiveOrder;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.OrderedAxis;
import org.simheat.jobs.testing.RunTablesAssert;
import org.simheat.jobs.testing.TestSpark;

/**
 * {@code compute --order-from RUN}: a run takes the positions of another run by token identity.
 * With the same vocabulary the runs align position for position, in input and in cluster order; a
 * changed vocabulary follows the rule exactly ({@link NaiveOrder}); the tables equal a naive
 * computation over the new matrix in the expected order.
 */
class OrderFromTest {
  private static final int N = 300;
  private static final int D = 6;
  private static final List<Aggregation> ALL_AGGS = List.of(Aggregation.values());
  private static final List<Metric> COS_L2 = List.of(Metric.COSINE, Metric.L2);
  private static final OrderSpec BISECTING =
      new OrderSpec(true, 7, ClusterAlgorithm.BISECTING_KMEANS, 42);

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();

  // ---------------------------------------------------------------- same vocabulary

  @Test
  void inInputOrderTheRunsAlignPositionForPositionOnTheFullAndTheFastPath() {
    List<String> vocab = words(N);
    List<String> ta = shuffled(vocab, 1);
    List<String> tb = shuffled(vocab, 2);
    float[][] ea = NaiveSimilarity.gaussian(N, D, 11);
    float[][] eb = NaiveSimilarity.gaussian(N, D, 12);
    Path out = tmp.resolve("out");
    Manifest a = run(spec(input("a", ea, ta), out, COS_L2, ALL_AGGS, 3), null).manifest();
    Manifest b = run(spec(input("b", eb, tb), out, COS_L2, ALL_AGGS, 3), a.runId()).manifest();
    assertThat(b.order()).isEqualTo(new Manifest.Order("input", 0, 0, null, null, a.runId()));
    OrderedAxis ax = axis(out, a, RunLayout.EMBEDDINGS, ea, ta);
    OrderedAxis bx = axis(out, b, RunLayout.EMBEDDINGS, eb, tb);
    assertThat(bx.tokens()).containsExactly(ax.tokens());
    assertThat(bx.ids()).containsExactly(NaiveOrder.inputOrder(ax.tokens(), tb));
    assertThat(bx.clusters()).containsOnly(-1);
    assertTilesAndNeighbors(out, b, eb, bx.ids(), COS_L2, ALL_AGGS, 3);

    List<Metric> bilinear = List.of(Metric.COSINE, Metric.DOT);
    List<Aggregation> mean = List.of(Aggregation.MEAN);
    ComputeSpec fast = spec(input("b", eb, tb), out, bilinear, mean, 0);
    assertThat(ComputeJob.meanFastPath(fast)).isTrue();
    Manifest c = run(fast, a.runId()).manifest();
    assertThat(c.timings()).containsKey("order").doesNotContainKey("similarity");
    OrderedAxis cx = axis(out, c, RunLayout.EMBEDDINGS, eb, tb);
    assertThat(cx.ids()).containsExactly(bx.ids());
    assertTilesAndNeighbors(out, c, eb, cx.ids(), bilinear, mean, 0);
  }

  @Test
  void inClusterOrderTheRunKeepsTheTreeAndComputesEveryStatisticFromItsOwnData() {
    List<String> vocab = words(N);
    List<String> ta = shuffled(vocab, 3);
    List<String> tb = shuffled(vocab, 4);
    float[][] ea = NaiveClusters.blobs(N, D, 4, 0.6, 13);
    float[][] eb = NaiveClusters.blobs(N, D, 5, 0.6, 14);
    eb[7] = new float[D];
    Path out = tmp.resolve("out");
    Manifest a =
        run(spec(input("a", ea, ta), out, COS_L2, ALL_AGGS, 3).withOrder(BISECTING), null)
            .manifest();
    ComputeSpec sb = spec(input("b", eb, tb), out, COS_L2, ALL_AGGS, 3);
    Manifest b = run(sb, a.runId()).manifest();
    assertThat(b.order())
        .isEqualTo(new Manifest.Order("cluster", 7, 0, "bisecting-kmeans", 42L, a.runId()));
    OrderedAxis ax = axis(out, a, RunLayout.EMBEDDINGS, ea, ta);
    OrderedAxis bx = axis(out, b, RunLayout.EMBEDDINGS, eb, tb);
    assertThat(bx.tokens()).containsExactly(ax.tokens());
    assertThat(bx.clusters()).containsExactly(ax.clusters());
    assertThat(treeOf(out, b, RunLayout.CLUSTERS)).isEqualTo(treeOf(out, a, RunLayout.CLUSTERS));
    assertTilesAndNeighbors(out, b, eb, bx.ids(), COS_L2, ALL_AGGS, 3);
    assertClusterTables(out, b, RunLayout.CLUSTERS, eb, bx, COS_L2, ALL_AGGS);

    OrderSpec kmeans = new OrderSpec(true, 5, ClusterAlgorithm.KMEANS, 9);
    List<Metric> bilinear = List.of(Metric.COSINE, Metric.DOT);
    List<Aggregation> mean = List.of(Aggregation.MEAN);
    Manifest k =
        run(spec(input("a", ea, ta), out, bilinear, mean, 0).withOrder(kmeans), null).manifest();
    Manifest f = run(spec(input("b", eb, tb), out, bilinear, mean, 0), k.runId()).manifest();
    assertThat(f.order()).isEqualTo(new Manifest.Order("cluster", 5, 0, "kmeans", 9L, k.runId()));
    assertThat(f.timings()).doesNotContainKey("similarity");
    OrderedAxis kx = axis(out, k, RunLayout.EMBEDDINGS, ea, ta);
    OrderedAxis fx = axis(out, f, RunLayout.EMBEDDINGS, eb, tb);
    assertThat(fx.tokens()).containsExactly(kx.tokens());
    List<List<Long>> tree = treeOf(out, f, RunLayout.CLUSTERS);
    assertThat(tree).isEqualTo(treeOf(out, k, RunLayout.CLUSTERS));
    assertThat(tree).allSatisfy(node -> assertThat(node.get(1)).as("k-means: roots").isEqualTo(-1));
    assertTilesAndNeighbors(out, f, eb, fx.ids(), bilinear, mean, 0);
    assertClusterTables(out, f, RunLayout.CLUSTERS, eb, fx, bilinear, mean);
  }

  @Test
  void aCrossRunFollowsTheRowsAndTheColumnsOfACrossRun() {
    int nc = 130;
    List<String> rows = words(N);
    List<String> cols = IntStream.range(0, nc).mapToObj(i -> "c" + i).toList();
    float[][] ra = NaiveClusters.blobs(N, D, 3, 0.6, 21);
    float[][] ca = NaiveClusters.blobs(nc, D, 3, 0.6, 22);
    float[][] rb = NaiveClusters.blobs(N, D, 3, 0.6, 23);
    float[][] cb = NaiveClusters.blobs(nc, D, 3, 0.6, 24);
    List<String> rbt = shuffled(rows, 5);
    List<String> cbt = shuffled(cols, 6);
    Path out = tmp.resolve("out");
    List<Metric> cos = List.of(Metric.COSINE);
    OrderSpec order = new OrderSpec(true, 4, ClusterAlgorithm.BISECTING_KMEANS, 42);
    Manifest a =
        run(cross(input("ra", ra, rows), input("ca", ca, cols), out, cos).withOrder(order), null)
            .manifest();
    Manifest b =
        run(cross(input("rb", rb, rbt), input("cb", cb, cbt), out, cos), a.runId()).manifest();
    assertThat(b.order())
        .isEqualTo(new Manifest.Order("cluster", 4, 4, "bisecting-kmeans", 42L, a.runId()));
    OrderedAxis arows = axis(out, a, RunLayout.EMBEDDINGS, ra, rows);
    OrderedAxis acols = axis(out, a, RunLayout.COL_EMBEDDINGS, ca, cols);
    OrderedAxis brows = axis(out, b, RunLayout.EMBEDDINGS, rb, rbt);
    OrderedAxis bcols = axis(out, b, RunLayout.COL_EMBEDDINGS, cb, cbt);
    assertThat(brows.tokens()).containsExactly(arows.tokens());
    assertThat(bcols.tokens()).containsExactly(acols.tokens());
    assertThat(treeOf(out, b, RunLayout.COL_CLUSTERS))
        .isEqualTo(treeOf(out, a, RunLayout.COL_CLUSTERS));
    double[][] s =
        NaiveSimilarity.matrix(
            Metric.COSINE, permuted(rb, brows.ids()), permuted(cb, bcols.ids()), false);
    TileGeometry g = b.geometry();
    for (int z = 0; z <= b.storedZoom(); z++) {
      RunTablesAssert.tilesMatch(
          spark,
          runDir(out, b),
          Metric.COSINE,
          z,
          g,
          false,
          ALL_AGGS,
          NaiveSimilarity.pool(s, g, z));
    }
    RunTablesAssert.clusterTilesMatch(
        spark, runDir(out, b), Metric.COSINE, s, brows.bounds(), bcols.bounds(), ALL_AGGS);
  }

  // ---------------------------------------------------------------- changed vocabulary

  @Test
  void aVocabularyWithTokensAddedRemovedAndDuplicatedFollowsTheRuleExactly() {
    List<String> ta = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      ta.add("w" + (i % 200)); // w0 … w39 twice
    }
    float[][] ea = NaiveClusters.blobs(N, D, 4, 0.6, 31);
    Path out = tmp.resolve("out");
    Manifest a =
        run(spec(input("a", ea, ta), out, COS_L2, ALL_AGGS, 2).withOrder(BISECTING), null)
            .manifest();
    OrderedAxis ax = axis(out, a, RunLayout.EMBEDDINGS, ea, ta);
    int emptied = 2; // every token of A's leaf 2 is left out of B
    List<String> tb = new ArrayList<>(ta);
    for (long p = ax.bounds()[emptied]; p < ax.bounds()[emptied + 1]; p++) {
      tb.removeAll(List.of(ax.tokens()[(int) p]));
    }
    tb.removeAll(List.of("w100", "w101", "w102"));
    tb.remove("w3"); // one of its two copies
    for (int i = 0; i < 25; i++) {
      tb.add("new" + i);
    }
    tb.addAll(List.of("w5", "w5", "w5", "w150", "w150")); // more copies than A has
    tb = shuffled(tb, 7);
    float[][] eb = NaiveClusters.blobs(tb.size(), D, 4, 0.6, 32);
    Manifest b = run(spec(input("b", eb, tb), out, COS_L2, ALL_AGGS, 2), a.runId()).manifest();
    NaiveOrder.Layout want = NaiveOrder.clusterOrder(ax.tokens(), ax.clusters(), eb, tb);
    assertThat(want.bounds().length - 1).as("leaf 2 is dropped").isEqualTo(6);
    assertThat(b.order().clusters()).isEqualTo(6);
    OrderedAxis bx = axis(out, b, RunLayout.EMBEDDINGS, eb, tb);
    assertThat(bx.ids()).containsExactly(want.ids());
    assertThat(bx.bounds()).containsExactly(want.bounds());
    assertTilesAndNeighbors(out, b, eb, bx.ids(), COS_L2, ALL_AGGS, 2);
    assertClusterTables(out, b, RunLayout.CLUSTERS, eb, bx, COS_L2, ALL_AGGS);

    Manifest inputA = run(spec(input("a", ea, ta), out, COS_L2, ALL_AGGS, 0), null).manifest();
    OrderedAxis iax = axis(out, inputA, RunLayout.EMBEDDINGS, ea, ta);
    Manifest c = run(spec(input("b", eb, tb), out, COS_L2, ALL_AGGS, 0), inputA.runId()).manifest();
    assertThat(c.order().from()).isEqualTo(inputA.runId());
    OrderedAxis cx = axis(out, c, RunLayout.EMBEDDINGS, eb, tb);
    assertThat(cx.ids()).containsExactly(NaiveOrder.inputOrder(iax.tokens(), tb));
    assertTilesAndNeighbors(out, c, eb, cx.ids(), COS_L2, ALL_AGGS, 0);
  }

  // ---------------------------------------------------------------- reading runs back

  private OrderedAxis axis(Path out, Manifest m, String table, float[][] e, List<String> t) {
    return OrderedAxis.read(spark, runDir(out, m), table, e, t);
  }

  /** Each node's (cluster, parent, leaf, depth, start, end), by id. */
  private List<List<Long>> treeOf(Path out, Manifest m, String table) {
    return spark
        .read()
        .parquet(runDir(out, m).resolve(table).toString())
        .orderBy("cluster")
        .collectAsList()
        .stream()
        .map(
            r ->
                List.of(
                    (long) r.getInt(r.fieldIndex("cluster")),
                    (long) r.getInt(r.fieldIndex("parent")),
                    r.getBoolean(r.fieldIndex("leaf")) ? 1L : 0L,
                    (long) r.getInt(r.fieldIndex("depth")),
                    r.getLong(r.fieldIndex("start")),
                    r.getLong(r.fieldIndex("end"))))
        .toList();
  }

  /** Tiles of every stored level and neighbours against the naive values of the permuted matrix. */
  private void assertTilesAndNeighbors(
      Path out,
      Manifest m,
      float[][] e,
      int[] ids,
      List<Metric> metrics,
      List<Aggregation> aggs,
      int k) {
    float[][] p = permuted(e, ids);
    TileGeometry g = m.geometry();
    for (Metric metric : metrics) {
      double[][] s = NaiveSimilarity.matrix(metric, p, p, true);
      for (int z = 0; z <= m.storedZoom(); z++) {
        RunTablesAssert.tilesMatch(
            spark, runDir(out, m), metric, z, g, true, aggs, NaiveSimilarity.pool(s, g, z));
      }
      if (k > 0) {
        RunTablesAssert.neighborsMatch(spark, runDir(out, m), metric, s, k, true);
      }
    }
  }

  /** The clusters table and the cluster tiles against naive statistics of the new data. */
  private void assertClusterTables(
      Path out,
      Manifest m,
      String table,
      float[][] e,
      OrderedAxis axis,
      List<Metric> metrics,
      List<Aggregation> aggs) {
    float[][] p = permuted(e, axis.ids());
    for (Metric metric : metrics) {
      double[][] s = NaiveSimilarity.matrix(metric, p, p, true);
      RunTablesAssert.clusterTilesMatch(
          spark, runDir(out, m), metric, s, axis.bounds(), axis.bounds(), aggs);
    }
    List<Row> nodes =
        spark.read().parquet(runDir(out, m).resolve(table).toString()).collectAsList();
    int k = axis.bounds().length - 1;
    assertThat(nodes.stream().filter(r -> r.getBoolean(r.fieldIndex("leaf")))).hasSize(k);
    for (Row n : nodes) {
      int id = n.getInt(n.fieldIndex("cluster"));
      long start = n.getLong(n.fieldIndex("start"));
      long end = n.getLong(n.fieldIndex("end"));
      if (id < k) {
        assertThat(start).isEqualTo(axis.bounds()[id]);
        assertThat(end).isEqualTo(axis.bounds()[id + 1]);
      }
      assertThat(n.getLong(n.fieldIndex("size"))).isEqualTo(end - start);
      int[] members = java.util.Arrays.copyOfRange(axis.ids(), (int) start, (int) end);
      Double mean = NaiveClusters.meanSimilarity(e, members);
      int at = n.fieldIndex("mean_similarity");
      if (mean == null) {
        assertThat(n.isNullAt(at)).isTrue();
      } else {
        assertThat((double) n.getFloat(at)).isCloseTo(mean, within(1e-6));
      }
      assertThat((double) n.getFloat(n.fieldIndex("radius")))
          .isCloseTo(NaiveClusters.radius(e, members), within(1e-6));
      double[] c = NaiveClusters.centroid(e, members);
      List<Integer> want = NaiveClusters.label(e, members);
      List<String> label = n.getList(n.fieldIndex("label_tokens"));
      assertThat(label).hasSize(want.size());
      for (int x = 0; x < want.size(); x++) {
        double best = NaiveClusters.cosine(e[want.get(x)], c);
        assertThat(rowsOf(axis, label.get(x), members))
            .as("a member holding label token %s", label.get(x))
            .anySatisfy(
                row -> assertThat(NaiveClusters.cosine(e[row], c)).isCloseTo(best, within(1e-12)));
      }
    }
  }

  /** The member rows holding the token (more than one when the vocabulary repeats it). */
  private static List<Integer> rowsOf(OrderedAxis axis, String token, int[] members) {
    List<Integer> rows = new ArrayList<>();
    for (int p = 0; p < axis.ids().length; p++) {
      if (axis.tokens()[p].equals(token)) {
        for (int m : members) {
          if (m == axis.ids()[p]) {
            rows.add(m);
          }
        }
      }
    }
    return rows;
  }

  // ---------------------------------------------------------------- fixtures

  private static List<String> words(int n) {
    return IntStream.range(0, n).mapToObj(i -> "w" + i).toList();
  }

  private static List<String> shuffled(List<String> tokens, long seed) {
    List<String> s = new ArrayList<>(tokens);
    Collections.shuffle(s, new Random(seed));
    return s;
  }

  private static float[][] permuted(float[][] e, int[] ids) {
    float[][] p = new float[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      p[i] = e[ids[i]];
    }
    return p;
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
        ALL_AGGS,
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

  private static Path runDir(Path out, Manifest m) {
    return out.resolve(RunLayout.runDir(m.runId()));
  }
}
