package org.simheat.jobs.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.RunTablesAssert;
import org.simheat.jobs.testing.TestSpark;

/** The whole job on small seeded inputs: tables read back and compared with naive loops. */
class ComputeJobTest {
  private static final List<Metric> ALL = List.of(Metric.COSINE, Metric.DOT, Metric.L2);

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();

  static float[][] matrix(int n, int d, long seed) {
    float[][] e = NaiveSimilarity.gaussian(n, d, seed);
    e[3] = new float[d];
    e[n - 1] = e[10].clone();
    return e;
  }

  static List<String> tokens(int n) {
    List<String> t = new ArrayList<>(IntStream.range(0, n).mapToObj(i -> "tok" + i).toList());
    t.set(7, "tok8"); // duplicate tokens are distinct positions
    t.set(9, "naïve東京");
    return t;
  }

  ComputeSpec spec(Path input, Path vocab, Path out, Integer storedZoom, int k, boolean force) {
    return new ComputeSpec(
        InputSpec.of(input.toString()).withVocab(vocab == null ? null : vocab.toString()),
        out.toString(),
        ALL,
        List.of(Aggregation.values()),
        k,
        storedZoom,
        ComputeSpec.DEFAULT_CELL_BUDGET,
        0,
        force);
  }

  ComputeJob.Result compute(float[][] e, String name, Path out, Consumer<String> checkpoint) {
    Path input = NpyFiles.write(tmp.resolve(name + ".npy"), e);
    Path vocab = NpyFiles.vocab(tmp.resolve(name + ".txt"), tokens(e.length));
    return new ComputeJob(spark, spec(input, vocab, out, 2, 5, true), checkpoint).run();
  }

  @Test
  void writesEveryTableAsTheNaiveComputationSays() throws IOException {
    float[][] e = matrix(600, 8, 11);
    Path out = tmp.resolve("out");
    ComputeJob.Result r = compute(e, "e", out, stage -> {});
    Manifest m = r.manifest();
    Path run = out.resolve(RunLayout.runDir(m.runId()));
    assertThat(r.upToDate()).isFalse();
    assertThat(Files.readString(out.resolve(RunLayout.LATEST)).trim()).isEqualTo(m.runId());
    assertThat(Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST)))).isEqualTo(m);
    assertThat(m.n()).isEqualTo(600);
    assertThat(m.dim()).isEqualTo(8);
    assertThat(m.maxZoom()).isEqualTo(2);
    assertThat(m.storedZoom()).isEqualTo(2);
    assertThat(m.zeroRows()).containsExactly(3L);
    assertThat(m.metrics()).containsExactly("cosine", "dot", "l2");
    assertThat(m.source().format()).isEqualTo("npy");
    assertThat(Files.list(out.resolve(RunLayout.STAGING))).isEmpty();
    TileGeometry g = m.geometry();
    for (Metric metric : ALL) {
      double[][] s = NaiveSimilarity.matrix(metric, e, e, true);
      for (int z = 0; z <= 2; z++) {
        assertTilesMatch(run, metric, z, g, NaiveSimilarity.pool(s, g, z));
      }
      assertNeighborsMatch(run, metric, s);
      assertRangeMatches(m.ranges().get(metric.id()), s);
    }
    assertEmbeddings(run, e);
  }

  private void assertTilesMatch(Path run, Metric metric, int z, TileGeometry g, double[][][] want) {
    Path dir = run.resolve(RunLayout.tilesDir(metric, z));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".parquet")))
          .allMatch(f -> f.startsWith("part-"));
    } catch (IOException ex) {
      throw new AssertionError(ex);
    }
    RunTablesAssert.tilesMatch(spark, run, metric, z, g, true, List.of(Aggregation.values()), want);
  }

  private void assertNeighborsMatch(Path run, Metric metric, double[][] s) {
    RunTablesAssert.neighborsMatch(spark, run, metric, s, 5, true);
    List<Row> rows =
        spark
            .read()
            .parquet(run.resolve(RunLayout.neighborsDir(metric)).toString())
            .collectAsList();
    for (Row row : rows) {
      assertThat(row.<Integer>getList(row.fieldIndex("neighbors")))
          .doesNotContain(row.getInt(row.fieldIndex("position")));
    }
  }

  private static void assertRangeMatches(Manifest.Range r, double[][] s) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] row : s) {
      for (double v : row) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    assertThat(r.min()).isCloseTo(min, within(0.02));
    assertThat(r.max()).isCloseTo(max, within(1e-3 * Math.max(1, Math.abs(max))));
  }

  private void assertEmbeddings(Path run, float[][] e) {
    List<Row> rows =
        spark
            .read()
            .parquet(run.resolve(RunLayout.EMBEDDINGS).toString())
            .orderBy("position")
            .collectAsList();
    List<String> tokens = tokens(e.length);
    assertThat(rows).hasSize(e.length);
    for (int i = 0; i < e.length; i++) {
      Row r = rows.get(i);
      assertThat(r.getInt(r.fieldIndex("position"))).isEqualTo(i);
      assertThat(r.getInt(r.fieldIndex("id"))).isEqualTo(i);
      assertThat(r.getString(r.fieldIndex("token"))).isEqualTo(tokens.get(i));
      assertThat(r.getInt(r.fieldIndex("cluster"))).isEqualTo(-1);
      double norm = Math.sqrt(NaiveSimilarity.value(Metric.DOT, e[i], e[i], true));
      assertThat((double) r.getFloat(r.fieldIndex("norm")))
          .isCloseTo(norm, within(1e-5 * Math.max(1, norm)));
      List<Float> v = r.getList(r.fieldIndex("vector"));
      for (int c = 0; c < e[i].length; c++) {
        assertThat(v.get(c)).isEqualTo(e[i][c]);
      }
    }
  }

  @Test
  void duckDbReadsTheTablesAsTheyAre() throws SQLException {
    float[][] e = matrix(300, 4, 5);
    Path out = tmp.resolve("out");
    Manifest m = compute(e, "e", out, stage -> {}).manifest();
    Path run = out.resolve(RunLayout.runDir(m.runId()));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        var st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery(
              "SELECT metric, level, count(*), sum(len(mean)) FROM read_parquet('"
                  + run
                  + "/tiles/*/*/*.parquet', hive_partitioning = true) "
                  + "WHERE metric = 'cosine' GROUP BY metric, level ORDER BY level");
      TileGeometry g = m.geometry();
      for (int z = 0; z <= m.storedZoom(); z++) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(2)).isEqualTo(z);
        assertThat(rs.getLong(3)).isEqualTo(g.storedTiles(z, true));
        assertThat(rs.getLong(4)).isEqualTo(g.storedCells(z, true));
      }
      rs =
          st.executeQuery(
              "SELECT token, neighbors[1] FROM read_parquet('"
                  + run
                  + "/embeddings/*.parquet') e "
                  + "JOIN read_parquet('"
                  + run
                  + "/neighbors/metric=dot/*.parquet') n USING (position) WHERE position = 10");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("tok10");
      double[][] s = NaiveSimilarity.matrix(Metric.DOT, e, e, true);
      assertThat(rs.getInt(2))
          .isEqualTo(NaiveSimilarity.topK(s, 10, 1, Metric.DOT, true).get(0).position());
    }
  }

  @Test
  void anUnchangedInputIsUpToDateAndForceRecomputes() throws IOException {
    float[][] e = matrix(40, 3, 1);
    Path input = NpyFiles.write(tmp.resolve("e.npy"), e);
    Path out = tmp.resolve("out");
    ComputeJob.Result first = new ComputeJob(spark, spec(input, null, out, null, 3, false)).run();
    ComputeJob.Result again = new ComputeJob(spark, spec(input, null, out, null, 3, false)).run();
    assertThat(again.upToDate()).isTrue();
    assertThat(again.manifest().runId()).isEqualTo(first.manifest().runId());
    assertThat(runs(out)).containsExactly(first.manifest().runId());
    ComputeJob.Result other = new ComputeJob(spark, spec(input, null, out, null, 4, false)).run();
    assertThat(other.upToDate()).as("another neighbour count is another configuration").isFalse();
    assertThat(Files.readString(out.resolve(RunLayout.LATEST)).trim())
        .isEqualTo(other.manifest().runId());
    assertThat(first.manifest().storedZoom()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"read", "similarity", "pyramid", "write"})
  void aRunThatFailsMidwayLeavesThePreviousRunAndLatestUntouched(String stage) throws IOException {
    Path out = tmp.resolve("out");
    Manifest previous = compute(matrix(300, 4, 2), "a", out, s -> {}).manifest();
    String manifestBefore =
        Files.readString(
            out.resolve(RunLayout.runDir(previous.runId())).resolve(RunLayout.MANIFEST));
    assertThatThrownBy(
            () ->
                compute(
                    matrix(300, 4, 3),
                    "b",
                    out,
                    s -> {
                      if (s.equals(stage)) {
                        throw new IllegalStateException("injected failure after " + s);
                      }
                    }))
        .hasMessage("injected failure after " + stage);
    assertThat(runs(out)).containsExactly(previous.runId());
    assertThat(Files.readString(out.resolve(RunLayout.LATEST)).trim()).isEqualTo(previous.runId());
    assertThat(
            Files.readString(
                out.resolve(RunLayout.runDir(previous.runId())).resolve(RunLayout.MANIFEST)))
        .isEqualTo(manifestBefore);
    assertThat(Files.list(out.resolve(RunLayout.STAGING))).isEmpty();
  }

  private static List<String> runs(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out.resolve(RunLayout.RUNS))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void badInputsFailWithOneLineAndWriteNothing() throws IOException {
    float[][] e = matrix(20, 3, 4);
    Path input = NpyFiles.write(tmp.resolve("e.npy"), e);
    Path out = tmp.resolve("out");
    Path shortVocab = NpyFiles.vocab(tmp.resolve("v.txt"), tokens(19));
    assertThatThrownBy(
            () -> new ComputeJob(spark, spec(input, shortVocab, out, null, 3, false)).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read embeddings: vocab has 19 tokens but the matrix has 20 rows ("
                + shortVocab
                + ")");
    e[6][1] = Float.NaN;
    e[12][0] = Float.POSITIVE_INFINITY;
    Path bad = NpyFiles.write(tmp.resolve("nan.npy"), e);
    Path vocab = NpyFiles.vocab(tmp.resolve("v20.txt"), tokens(20));
    assertThatThrownBy(() -> new ComputeJob(spark, spec(bad, vocab, out, null, 3, false)).run())
        .hasMessageStartingWith(
            "Cannot read embeddings: 2 rows have NaN or infinite values (row 6 'tok6', 12 'tok12')")
        .hasMessageEndingWith("nan.npy)");
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertThatThrownBy(() -> new ComputeJob(spark, spec(input, null, file, null, 3, false)).run())
        .hasMessageContaining("it is a file, not a directory");
    assertThat(out).doesNotExist();
    Path unknown = Files.writeString(tmp.resolve("e.xyz"), "x");
    assertThatThrownBy(() -> new ComputeJob(spark, spec(unknown, null, out, null, 3, false)).run())
        .hasMessageContaining(
            "cannot tell the format from the file name; use --format npy|pt|safetensors|onnx|parquet|text");
    assertThatThrownBy(() -> spec(input, null, out, null, 101, false))
        .hasMessage("--neighbors must be between 0 and 100, got 101");
  }
}
