package org.simheat.jobs.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.simheat.jobs.testing.TestSpark;

/**
 * The mean fast path: chosen only for mean pooling of bilinear metrics without neighbours, and its
 * tiles equal both the naive mean pooling and what the full pass writes.
 */
class MeanFastPathTest {
  private static final List<Metric> BILINEAR = List.of(Metric.COSINE, Metric.DOT);
  private static final List<Aggregation> MEAN = List.of(Aggregation.MEAN);

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();

  private static ComputeSpec spec(
      Path input, Path out, List<Metric> metrics, List<Aggregation> aggs, int k, Integer zoom) {
    return new ComputeSpec(
        InputSpec.of(input.toString()),
        out.toString(),
        metrics,
        aggs,
        k,
        zoom,
        ComputeSpec.DEFAULT_CELL_BUDGET,
        0,
        true);
  }

  /** Gaussian rows with zero rows (one at an edge cell), a duplicate and a large-norm row. */
  private static float[][] matrix(int n, int d, long seed) {
    float[][] e = NaiveSimilarity.gaussian(n, d, seed);
    e[3] = new float[d];
    e[n - 1] = new float[d];
    e[n - 2] = e[10].clone();
    for (int c = 0; c < d; c++) {
      e[700][c] *= 40;
    }
    return e;
  }

  @Test
  void choosesTheFastPathOnlyForMeansOfBilinearMetricsWithoutNeighbours() {
    Path in = tmp.resolve("e.npy");
    Path out = tmp.resolve("out");
    assertThat(ComputeJob.meanFastPath(spec(in, out, BILINEAR, MEAN, 0, null))).isTrue();
    assertThat(ComputeJob.meanFastPath(spec(in, out, List.of(Metric.DOT), MEAN, 0, null))).isTrue();
    assertThat(ComputeJob.meanFastPath(spec(in, out, List.of(Metric.L2), MEAN, 0, null)))
        .as("l2 is not bilinear")
        .isFalse();
    assertThat(
            ComputeJob.meanFastPath(
                spec(in, out, List.of(Metric.COSINE, Metric.L2), MEAN, 0, null)))
        .isFalse();
    assertThat(ComputeJob.meanFastPath(spec(in, out, BILINEAR, MEAN, 1, null))).isFalse();
    assertThat(
            ComputeJob.meanFastPath(
                spec(in, out, BILINEAR, List.of(Aggregation.MEAN, Aggregation.MAX), 0, null)))
        .isFalse();
  }

  @Test
  void everyStoredLevelEqualsTheNaiveMeanPooling() {
    // N = 1501: Z = 3, stored levels 0..2 with spans 8, 4, 2 and a one-row edge cell.
    float[][] e = matrix(1501, 6, 21);
    Path out = tmp.resolve("out");
    Path input = NpyFiles.write(tmp.resolve("e.npy"), e);
    ComputeJob.Result r = new ComputeJob(spark, spec(input, out, BILINEAR, MEAN, 0, 2)).run();
    Manifest m = r.manifest();
    assertThat(m.maxZoom()).isEqualTo(3);
    assertThat(m.storedZoom()).isEqualTo(2);
    assertThat(m.aggregations()).containsExactly("mean");
    assertThat(m.zeroRows()).containsExactly(3L, 1500L);
    assertThat(m.timings())
        .containsKeys("read", "pyramid", "write")
        .doesNotContainKey("similarity");
    TileGeometry g = m.geometry();
    for (Metric metric : BILINEAR) {
      double[][] s = NaiveSimilarity.matrix(metric, e, e, true);
      double[][] finest = null;
      for (int z = 0; z <= 2; z++) {
        double[][] want = NaiveSimilarity.pool(s, g, z)[0];
        double[][] got = StoredMeans.read(spark, dir(r), metric, z, g);
        assertClose(got, want, metric + " level " + z);
        finest = want;
      }
      Manifest.Range range = m.ranges().get(metric.id());
      assertThat(range.over()).isEqualTo(Manifest.Range.OVER_MEAN_CELLS);
      assertThat(range.minOffDiagonal()).isNull();
      assertThat(range.min()).isCloseTo(StoredMeans.min(finest), within(1e-5));
      assertThat(range.max()).isCloseTo(StoredMeans.max(finest), within(1e-5));
    }
  }

  @Test
  void theFastPathWritesWhatTheFullPassWritesForMeans() {
    // N = 700 at its finest level (span 1) and at span 2, symmetric edge tiles of 188 and 94 cells.
    float[][] e = matrix(701, 5, 8);
    Path input = NpyFiles.write(tmp.resolve("e.npy"), e);
    for (int zoom : new int[] {2, 1}) {
      ComputeJob.Result fast =
          new ComputeJob(spark, spec(input, tmp.resolve("fast" + zoom), BILINEAR, MEAN, 0, zoom))
              .run();
      // One neighbour forces the full blocked pass with the same tiles to write.
      ComputeJob.Result full =
          new ComputeJob(spark, spec(input, tmp.resolve("full" + zoom), BILINEAR, MEAN, 1, zoom))
              .run();
      assertThat(full.manifest().timings()).containsKey("similarity");
      TileGeometry g = fast.manifest().geometry();
      for (Metric metric : BILINEAR) {
        for (int z = 0; z <= zoom; z++) {
          assertClose(
              StoredMeans.read(spark, dir(fast), metric, z, g),
              StoredMeans.read(spark, dir(full), metric, z, g),
              metric + " level " + z + " of " + zoom);
        }
      }
      assertThat(
              spark
                  .read()
                  .parquet(dir(fast).resolve(RunLayout.EMBEDDINGS).toString())
                  .except(spark.read().parquet(dir(full).resolve(RunLayout.EMBEDDINGS).toString()))
                  .count())
          .isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"read", "pyramid", "embeddings", "write"})
  void aFastRunThatFailsMidwayLeavesNothingBehind(String stage) throws IOException {
    Path input = NpyFiles.write(tmp.resolve("e.npy"), matrix(800, 4, 2));
    Path out = tmp.resolve("out");
    assertThatThrownBy(
            () ->
                new ComputeJob(
                        spark,
                        spec(input, out, BILINEAR, MEAN, 0, null),
                        s -> {
                          if (s.equals(stage)) {
                            throw new IllegalStateException("injected failure after " + s);
                          }
                        })
                    .run())
        .hasMessage("injected failure after " + stage);
    assertThat(out.resolve(RunLayout.LATEST)).doesNotExist();
    if (Files.exists(out.resolve(RunLayout.RUNS))) {
      try (Stream<Path> runs = Files.list(out.resolve(RunLayout.RUNS))) {
        assertThat(runs).isEmpty();
      }
    }
    if (Files.exists(out.resolve(RunLayout.STAGING))) {
      try (Stream<Path> staged = Files.list(out.resolve(RunLayout.STAGING))) {
        assertThat(staged).isEmpty();
      }
    }
  }

  private static Path dir(ComputeJob.Result r) {
    return Path.of(r.runDir().toUri());
  }

  private static void assertClose(double[][] got, double[][] want, String what) {
    assertThat(got.length).isEqualTo(want.length);
    for (int r = 0; r < want.length; r++) {
      for (int c = 0; c < want[r].length; c++) {
        double w = want[r][c];
        assertThat(got[r][c])
            .as("%s cell %d,%d", what, r, c)
            .isCloseTo(w, within(2e-5 * Math.max(1, Math.abs(w))));
      }
    }
  }

  /** Reads a stored level's {@code mean} cells into a full grid, mirroring the lower triangle. */
  static final class StoredMeans {
    private StoredMeans() {}

    static double[][] read(SparkSession spark, Path run, Metric metric, int z, TileGeometry g) {
      int cells = (int) g.cellRows(z);
      double[][] grid = new double[cells][cells];
      Path dir = run.resolve(RunLayout.tilesDir(metric, z));
      List<Row> tiles = spark.read().parquet(dir.toString()).collectAsList();
      assertThat(tiles).hasSize((int) g.storedTiles(z, true));
      for (Row t : tiles) {
        int i = t.getInt(t.fieldIndex("tile_row"));
        int j = t.getInt(t.fieldIndex("tile_col"));
        int rows = t.getInt(t.fieldIndex("rows"));
        int cols = t.getInt(t.fieldIndex("cols"));
        assertThat(i).isLessThanOrEqualTo(j);
        assertThat(rows).isEqualTo(g.rowsInTile(z, i));
        assertThat(cols).isEqualTo(g.colsInTile(z, j));
        List<Float> mean = t.getList(t.fieldIndex("mean"));
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            int gr = i * g.tileSize() + r;
            int gc = j * g.tileSize() + c;
            grid[gr][gc] = mean.get(r * cols + c);
            grid[gc][gr] = mean.get(r * cols + c);
          }
        }
      }
      return grid;
    }

    static double min(double[][] grid) {
      double m = Double.POSITIVE_INFINITY;
      for (double[] row : grid) {
        for (double v : row) {
          m = Math.min(m, v);
        }
      }
      return m;
    }

    static double max(double[][] grid) {
      double m = Double.NEGATIVE_INFINITY;
      for (double[] row : grid) {
        for (double v : row) {
          m = Math.max(m, v);
        }
      }
      return m;
    }
  }
}
