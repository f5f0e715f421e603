package org.simheat.jobs.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** Cross runs: rows from one matrix, columns from another, nothing assumed symmetric. */
class CrossRunTest {
  private static final List<Metric> ALL = List.of(Metric.COSINE, Metric.DOT, Metric.L2);

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();

  private InputSpec input(String name, float[][] e, String prefix) {
    Path file = NpyFiles.write(tmp.resolve(name + ".npy"), e);
    List<String> tokens = IntStream.range(0, e.length).mapToObj(i -> prefix + i).toList();
    Path vocab = NpyFiles.vocab(tmp.resolve(name + ".txt"), tokens);
    return InputSpec.of(file.toString()).withVocab(vocab.toString());
  }

  private ComputeSpec spec(
      InputSpec rows,
      InputSpec cols,
      List<Metric> metrics,
      List<Aggregation> aggregations,
      int k,
      Integer storedZoom) {
    return spec(rows, cols, metrics, aggregations, k, storedZoom, OrderSpec.INPUT);
  }

  private ComputeSpec spec(
      InputSpec rows,
      InputSpec cols,
      List<Metric> metrics,
      List<Aggregation> aggregations,
      int k,
      Integer storedZoom,
      OrderSpec order) {
    return new ComputeSpec(
        rows,
        tmp.resolve("out").toString(),
        metrics,
        aggregations,
        k,
        storedZoom,
        ComputeSpec.DEFAULT_CELL_BUDGET,
        0,
        false,
        order,
        cols);
  }

  private Path runDir(Manifest m) {
    return tmp.resolve("out").resolve(RunLayout.runDir(m.runId()));
  }

  @Test
  void everyTileNeighbourAndTokenOfBothAxesIsTheNaiveRectangularComputation() {
    float[][] a = NaiveSimilarity.gaussian(600, 8, 21);
    a[3] = new float[8];
    float[][] b = NaiveSimilarity.gaussian(300, 8, 22);
    b[5] = a[10].clone(); // a column equal to a row: l2 0 off the diagonal, cosine 1
    List<Aggregation> aggs = List.of(Aggregation.values());
    Manifest m =
        new ComputeJob(spark, spec(input("a", a, "a"), input("b", b, "b"), ALL, aggs, 4, 1))
            .run()
            .manifest();
    assertThat(m.symmetric()).isFalse();
    assertThat(m.n()).isEqualTo(600);
    assertThat(m.nCols()).isEqualTo(300);
    assertThat(m.maxZoom()).isEqualTo(2);
    assertThat(m.source().uri()).endsWith("a.npy");
    assertThat(m.colsSource().uri()).endsWith("b.npy");
    assertThat(m.colsSource().vocab()).endsWith("b.txt");
    TileGeometry g = m.geometry();
    Path run = runDir(m);
    for (Metric metric : ALL) {
      double[][] s = NaiveSimilarity.matrix(metric, a, b, false);
      for (int z = 0; z <= 1; z++) {
        RunTablesAssert.tilesMatch(
            spark, run, metric, z, g, false, aggs, NaiveSimilarity.pool(s, g, z));
      }
      RunTablesAssert.neighborsMatch(spark, run, metric, s, 4, false);
    }
    assertAxis(run.resolve(RunLayout.EMBEDDINGS), a, "a");
    assertAxis(run.resolve(RunLayout.COL_EMBEDDINGS), b, "b");
  }

  @Test
  void aClusteredCrossRunOrdersEachAxisByItsOwnClustersAndPoolsTheirPairs() {
    float[][] a = NaiveClusters.blobs(400, 6, 4, 0.6, 51);
    float[][] b = NaiveClusters.blobs(260, 6, 3, 0.6, 52);
    List<Aggregation> aggs = List.of(Aggregation.values());
    OrderSpec order = new OrderSpec(true, 5, ClusterAlgorithm.BISECTING_KMEANS, 42);
    Manifest m =
        new ComputeJob(spark, spec(input("a", a, "a"), input("b", b, "b"), ALL, aggs, 3, 1, order))
            .run()
            .manifest();
    assertThat(m.order()).isEqualTo(new Manifest.Order("cluster", 5, 5, "bisecting-kmeans", 42L));
    Path run = runDir(m);
    RunReader.Embeddings rows = RunReader.embeddings(spark, run, a, tokens(a.length, "a"));
    RunReader.Embeddings cols =
        RunReader.embeddings(spark, run, RunLayout.COL_EMBEDDINGS, b, tokens(b.length, "b"));
    assertThat(rows.ids()).isNotEqualTo(IntStream.range(0, a.length).toArray());
    assertThat(bounds(run, RunLayout.CLUSTERS)).containsExactly(rows.bounds());
    assertThat(bounds(run, RunLayout.COL_CLUSTERS)).containsExactly(cols.bounds());
    float[][] pa = permuted(a, rows.ids());
    float[][] pb = permuted(b, cols.ids());
    TileGeometry g = m.geometry();
    for (Metric metric : ALL) {
      double[][] s = NaiveSimilarity.matrix(metric, pa, pb, false);
      for (int z = 0; z <= 1; z++) {
        RunTablesAssert.tilesMatch(
            spark, run, metric, z, g, false, aggs, NaiveSimilarity.pool(s, g, z));
      }
      RunTablesAssert.neighborsMatch(spark, run, metric, s, 3, false);
      RunTablesAssert.clusterTilesMatch(spark, run, metric, s, rows.bounds(), cols.bounds(), aggs);
    }
  }

  private static List<String> tokens(int n, String prefix) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  private static float[][] permuted(float[][] e, int[] ids) {
    float[][] p = new float[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      p[i] = e[ids[i]];
    }
    return p;
  }

  /** The leaves' [start, end) bounds from a clusters table. */
  private long[] bounds(Path run, String table) {
    List<Row> leaves =
        spark
            .read()
            .parquet(run.resolve(table).toString())
            .where("leaf")
            .orderBy("cluster")
            .collectAsList();
    long[] bounds = new long[leaves.size() + 1];
    for (int i = 0; i < leaves.size(); i++) {
      Row r = leaves.get(i);
      assertThat(r.getLong(r.fieldIndex("start"))).isEqualTo(i == 0 ? 0 : bounds[i]);
      bounds[i + 1] = r.getLong(r.fieldIndex("end"));
    }
    return bounds;
  }

  @Test
  void aWideMeanOnlyCrossRunTakesTheFastPathWithItsOwnColumnSums() {
    float[][] a = NaiveSimilarity.gaussian(200, 6, 31);
    float[][] b = NaiveSimilarity.gaussian(700, 6, 32);
    b[0] = new float[6];
    List<Metric> bilinear = List.of(Metric.COSINE, Metric.DOT);
    ComputeSpec spec =
        spec(input("a", a, "a"), input("b", b, "b"), bilinear, List.of(Aggregation.MEAN), 0, 2);
    assertThat(ComputeJob.meanFastPath(spec)).isTrue();
    Manifest m = new ComputeJob(spark, spec).run().manifest();
    TileGeometry g = m.geometry();
    assertThat(g.tileRows(2)).isEqualTo(1);
    assertThat(g.tileCols(2)).isEqualTo(3);
    for (Metric metric : bilinear) {
      double[][] s = NaiveSimilarity.matrix(metric, a, b, false);
      for (int z = 0; z <= 2; z++) {
        RunTablesAssert.tilesMatch(
            spark,
            runDir(m),
            metric,
            z,
            g,
            false,
            List.of(Aggregation.MEAN),
            NaiveSimilarity.pool(s, g, z));
      }
    }
  }

  @Test
  void aSymmetricRunOfTheSameMatrixIsAnotherRun() {
    float[][] a = NaiveSimilarity.gaussian(50, 4, 41);
    InputSpec in = input("a", a, "a");
    List<Aggregation> aggs = List.of(Aggregation.values());
    Manifest cross = new ComputeJob(spark, spec(in, in, ALL, aggs, 3, null)).run().manifest();
    ComputeSpec symmetric = spec(in, null, ALL, aggs, 3, null);
    ComputeJob.Result r = new ComputeJob(spark, symmetric).run();
    assertThat(r.upToDate()).isFalse();
    assertThat(r.manifest().runId()).isNotEqualTo(cross.runId());
    assertThat(r.manifest().symmetric()).isTrue();
    assertThat(runDir(r.manifest()).resolve(RunLayout.COL_EMBEDDINGS)).doesNotExist();
    // A cross run of a matrix with itself keeps the self pairs as they are: l2 from the Gram
    // matrix, not forced to 0, and each row is its own best cosine neighbour.
    double[][] s = NaiveSimilarity.matrix(Metric.COSINE, a, a, false);
    RunTablesAssert.neighborsMatch(spark, runDir(cross), Metric.COSINE, s, 3, false);
  }

  @Test
  void columnsOfAnotherDimensionAreRefusedBeforeAnythingIsWritten() throws IOException {
    InputSpec rows = input("a", NaiveSimilarity.gaussian(20, 4, 1), "a");
    InputSpec cols = input("b", NaiveSimilarity.gaussian(20, 5, 2), "b");
    assertThatThrownBy(
            () ->
                new ComputeJob(spark, spec(rows, cols, ALL, List.of(Aggregation.values()), 3, null))
                    .run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot compute a cross run: the rows have d = 4 (")
        .hasMessageContaining("a.npy) but the columns have d = 5 (")
        .hasMessageEndingWith("b.npy)");
    assertThat(tmp.resolve("out")).doesNotExist();
    assertThat(Files.exists(tmp.resolve("a.npy"))).isTrue();
  }

  private void assertAxis(Path table, float[][] e, String prefix) {
    List<Row> rows = spark.read().parquet(table.toString()).orderBy("position").collectAsList();
    assertThat(rows).hasSize(e.length);
    for (int i = 0; i < e.length; i++) {
      Row r = rows.get(i);
      assertThat(r.getInt(r.fieldIndex("position"))).isEqualTo(i);
      assertThat(r.getString(r.fieldIndex("token"))).isEqualTo(prefix + i);
      List<Float> v = r.getList(r.fieldIndex("vector"));
      assertThat(v.get(e[i].length - 1)).isEqualTo(e[i][e[i].length - 1]);
    }
  }
}
