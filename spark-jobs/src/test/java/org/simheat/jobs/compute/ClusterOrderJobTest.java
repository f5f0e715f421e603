package org.simheat.jobs.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.RunReader;
import org.simheat.jobs.testing.RunTablesAssert;
import org.simheat.jobs.testing.TestSpark;

/**
 * Whole runs in cluster order, read back: the embeddings hold a permutation laid out by contiguous
 * clusters, the tiles and neighbours equal a naive computation over the permuted matrix, and the
 * {@code clusters} and {@code cluster_tiles} tables equal naive pooling over the cluster ranges, on
 * the full pass and on the mean fast path.
 */
class ClusterOrderJobTest {
  private static final List<Metric> ALL = List.of(Metric.COSINE, Metric.DOT, Metric.L2);
  private static final int N = 520;
  private static final int D = 6;

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();

  /** Blobs with zero rows and exact duplicates. */
  private static float[][] matrix() {
    float[][] e = NaiveClusters.blobs(N, D, 5, 0.7, 17);
    e[3] = new float[D];
    e[N - 1] = new float[D];
    e[100] = e[10].clone();
    e[400] = e[10].clone();
    for (int c = 0; c < D; c++) {
      e[50][c] *= 30;
    }
    return e;
  }

  private static List<String> tokens() {
    return IntStream.range(0, N).mapToObj(i -> "t" + i).toList();
  }

  private ComputeJob.Result run(
      float[][] e,
      List<Metric> metrics,
      List<Aggregation> aggs,
      int k,
      OrderSpec order,
      String name) {
    Path input = NpyFiles.write(tmp.resolve(name + ".npy"), e);
    Path vocab = NpyFiles.vocab(tmp.resolve(name + ".txt"), tokens());
    ComputeSpec spec =
        new ComputeSpec(
                InputSpec.of(input.toString()).withVocab(vocab.toString()),
                tmp.resolve(name + "-out").toString(),
                metrics,
                aggs,
                k,
                2,
                ComputeSpec.DEFAULT_CELL_BUDGET,
                0,
                true)
            .withOrder(order);
    return new ComputeJob(spark, spec).run();
  }

  @Test
  void aClusteredFullPassEqualsTheNaiveComputationOverThePermutedMatrix() {
    float[][] e = matrix();
    OrderSpec order = new OrderSpec(true, 7, ClusterAlgorithm.BISECTING_KMEANS, 42);
    ComputeJob.Result r = run(e, ALL, List.of(Aggregation.values()), 4, order, "full");
    Manifest m = r.manifest();
    assertThat(m.order()).isEqualTo(new Manifest.Order("cluster", 7, 0, "bisecting-kmeans", 42L));
    assertThat(m.timings()).containsKeys("read", "cluster", "similarity", "pyramid", "write");
    assertThat(m.zeroRows()).containsExactly(3L, (long) N - 1);
    Path run = Path.of(r.runDir().toUri());
    RunReader.Embeddings emb = RunReader.embeddings(spark, run, e, tokens());
    float[][] p = permuted(e, emb.ids());
    TileGeometry g = m.geometry();
    for (Metric metric : ALL) {
      double[][] s = NaiveSimilarity.matrix(metric, p, p, true);
      for (int z = 0; z <= 2; z++) {
        double[][][] got = RunReader.tiles(spark, run, metric, z, g, 3);
        double[][][] want = NaiveSimilarity.pool(s, g, z);
        for (int a = 0; a < 3; a++) {
          assertGrid(
              got[a], want[a], metric, metric + " level " + z + " " + Aggregation.values()[a]);
        }
      }
      assertNeighbors(run, metric, s);
      assertClusterTiles(run, metric, s, emb.bounds(), List.of(Aggregation.values()));
    }
    assertClustersTable(run, e, emb);
  }

  @Test
  void theMeanFastPathInClusterOrderEqualsTheNaiveMeans() {
    float[][] e = matrix();
    List<Metric> bilinear = List.of(Metric.COSINE, Metric.DOT);
    OrderSpec order = new OrderSpec(true, 9, ClusterAlgorithm.KMEANS, 5);
    ComputeJob.Result r = run(e, bilinear, List.of(Aggregation.MEAN), 0, order, "fast");
    Manifest m = r.manifest();
    assertThat(m.timings()).containsKey("cluster").doesNotContainKey("similarity");
    assertThat(m.order().algorithm()).isEqualTo("kmeans");
    Path run = Path.of(r.runDir().toUri());
    RunReader.Embeddings emb = RunReader.embeddings(spark, run, e, tokens());
    assertThat(emb.bounds()).hasSize(m.order().clusters() + 1);
    float[][] p = permuted(e, emb.ids());
    TileGeometry g = m.geometry();
    for (Metric metric : bilinear) {
      double[][] s = NaiveSimilarity.matrix(metric, p, p, true);
      for (int z = 0; z <= 2; z++) {
        assertGrid(
            RunReader.tiles(spark, run, metric, z, g, 1)[0],
            NaiveSimilarity.pool(s, g, z)[0],
            metric,
            metric + " level " + z);
      }
      assertClusterTiles(run, metric, s, emb.bounds(), List.of(Aggregation.MEAN));
    }
    assertClustersTable(run, e, emb);
    List<Row> roots =
        spark
            .read()
            .parquet(run.resolve(RunLayout.CLUSTERS).toString())
            .where("parent = -1")
            .collectAsList();
    assertThat(roots).as("k-means leaves are roots").hasSize(m.order().clusters());
  }

  @Test
  void theSameSeedGivesTheSameRunAndAFailedClusteringLeavesNothing() {
    float[][] e = matrix();
    OrderSpec order = new OrderSpec(true, null, ClusterAlgorithm.BISECTING_KMEANS, 3);
    List<Metric> cos = List.of(Metric.COSINE);
    List<Aggregation> mean = List.of(Aggregation.MEAN);
    ComputeJob.Result a = run(e, cos, mean, 0, order, "a");
    ComputeJob.Result b = run(e, cos, mean, 0, order, "b");
    assertThat(a.manifest().order().clusters()).isEqualTo(23);
    for (String table : List.of(RunLayout.EMBEDDINGS, RunLayout.CLUSTERS)) {
      var x = spark.read().parquet(Path.of(a.runDir().toUri()).resolve(table).toString());
      var y = spark.read().parquet(Path.of(b.runDir().toUri()).resolve(table).toString());
      assertThat(x.except(y).count()).as(table).isZero();
      assertThat(y.except(x).count()).as(table).isZero();
    }
    Path input = NpyFiles.write(tmp.resolve("c.npy"), e);
    Path out = tmp.resolve("c-out");
    ComputeSpec spec =
        new ComputeSpec(
                InputSpec.of(input.toString()),
                out.toString(),
                cos,
                mean,
                0,
                null,
                ComputeSpec.DEFAULT_CELL_BUDGET,
                0,
                true)
            .withOrder(order);
    assertThatThrownBy(
            () ->
                new ComputeJob(
                        spark,
                        spec,
                        s -> {
                          if (s.equals("cluster")) {
                            throw new IllegalStateException("injected failure after " + s);
                          }
                        })
                    .run())
        .hasMessage("injected failure after cluster");
    assertThat(out.resolve(RunLayout.LATEST)).doesNotExist();
    assertThat(out.resolve(RunLayout.RUNS))
        .satisfiesAnyOf(d -> assertThat(d).doesNotExist(), d -> assertThat(d).isEmptyDirectory());
    assertThatThrownBy(() -> new ComputeJob(spark, spec.withOrder(OrderSpec.cluster(N + 1))).run())
        .hasMessage("--clusters " + (N + 1) + " is more than the " + N + " rows of " + input);
  }

  private static float[][] permuted(float[][] e, int[] ids) {
    float[][] p = new float[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      p[i] = e[ids[i]];
    }
    return p;
  }

  private static double tol(Metric m, double v) {
    return 2e-4 * Math.max(1, Math.abs(v)) + (m == Metric.L2 ? 0.05 : 0);
  }

  private static void assertGrid(double[][] got, double[][] want, Metric m, String what) {
    assertThat(got.length).isEqualTo(want.length);
    for (int r = 0; r < want.length; r++) {
      for (int c = 0; c < want[r].length; c++) {
        assertThat(got[r][c])
            .as("%s cell %d,%d", what, r, c)
            .isCloseTo(want[r][c], within(tol(m, want[r][c])));
      }
    }
  }

  private void assertNeighbors(Path run, Metric metric, double[][] s) {
    RunTablesAssert.neighborsMatch(spark, run, metric, s, 4, true);
  }

  /** Every pair of leaves against naive pooling of the permuted matrix over their ranges. */
  private void assertClusterTiles(
      Path run, Metric metric, double[][] s, long[] bounds, List<Aggregation> aggs) {
    RunTablesAssert.clusterTilesMatch(spark, run, metric, s, bounds, bounds, aggs);
  }

  /** The clusters table against the embeddings' clusters and the naive statistics. */
  private void assertClustersTable(Path run, float[][] e, RunReader.Embeddings emb) {
    List<Row> rows =
        spark
            .read()
            .parquet(run.resolve(RunLayout.CLUSTERS).toString())
            .orderBy("cluster")
            .collectAsList();
    int k = emb.bounds().length - 1;
    for (Row n : rows) {
      int id = n.getInt(n.fieldIndex("cluster"));
      long start = n.getLong(n.fieldIndex("start"));
      long end = n.getLong(n.fieldIndex("end"));
      boolean leaf = n.getBoolean(n.fieldIndex("leaf"));
      assertThat(leaf).isEqualTo(id < k);
      if (leaf) {
        assertThat(start).isEqualTo(emb.bounds()[id]);
        assertThat(end).isEqualTo(emb.bounds()[id + 1]);
      }
      assertThat(n.getLong(n.fieldIndex("size"))).isEqualTo(end - start);
      int[] members = Arrays.copyOfRange(emb.ids(), (int) start, (int) end);
      Double mean = NaiveClusters.meanSimilarity(e, members);
      int at = n.fieldIndex("mean_similarity");
      if (mean == null) {
        assertThat(n.isNullAt(at)).isTrue();
      } else {
        assertThat((double) n.getFloat(at)).isCloseTo(mean, within(1e-6));
      }
      assertThat((double) n.getFloat(n.fieldIndex("radius")))
          .isCloseTo(NaiveClusters.radius(e, members), within(1e-6));
      List<String> label = n.getList(n.fieldIndex("label_tokens"));
      assertThat(n.getString(n.fieldIndex("label"))).isEqualTo(String.join(" · ", label));
      double[] c = NaiveClusters.centroid(e, members);
      List<Integer> want = NaiveClusters.label(e, members);
      assertThat(label).hasSize(want.size());
      for (int x = 0; x < want.size(); x++) {
        int got = Integer.parseInt(label.get(x).substring(1));
        assertThat(NaiveClusters.cosine(e[got], c))
            .isCloseTo(NaiveClusters.cosine(e[want.get(x)], c), within(1e-12));
      }
    }
  }
}
