package org.simheat.jobs.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.input.DenseMatrix;
import org.simheat.jobs.input.HadoopConf;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.TestSpark;

/**
 * The pooled pairs of clusters that the blocked pass accumulates, against naive pooling over the
 * cluster ranges: symmetric runs (mirrored pairs fold into the transposed entry), non-symmetric
 * runs with different row and column clusters, rectangular runs; block sizes, cell spans and tiles
 * that cut clusters anywhere.
 */
class ClusterCellsPassTest {
  private static final Metric[] ALL = {Metric.COSINE, Metric.DOT, Metric.L2};

  private static ClusterCells[] run(
      float[][] x, float[][] y, boolean symmetric, ClusterGrid grid, int t, int z, int block)
      throws IOException {
    SparkSession spark = TestSpark.session();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    TileGeometry g = new TileGeometry(x.length, y.length, t);
    PassConfig cfg = PassConfig.of(g, x[0].length, symmetric, ALL, z, 0, block);
    var rows = jsc.broadcast(matrix(x));
    var cols = jsc.broadcast(matrix(y));
    var rowNorms = jsc.broadcast(norms(x));
    var colNorms = jsc.broadcast(norms(y));
    java.nio.file.Path dir = Files.createTempDirectory("clusters");
    TilePass.Result result =
        TilePass.run(
            jsc,
            cfg,
            g,
            TilePlan.plan(cfg, g, 5),
            new TilePass.Inputs(rows, cols, rowNorms, colNorms, "clusters-" + dir, grid),
            new TilePass.Sink(
                new Path(dir.toUri()).toString(),
                new HadoopConf(spark.sparkContext().hadoopConfiguration()),
                List.of(Aggregation.values())),
            jsc.sc().longAccumulator());
    return result.clusters();
  }

  private static MatrixSource matrix(float[][] e) {
    return new DenseMatrix(NaiveSimilarity.flatten(e), e.length, e[0].length, "test");
  }

  private static double[] norms(float[][] e) {
    double[] n = new double[e.length];
    for (int i = 0; i < e.length; i++) {
      n[i] = Math.sqrt(NaiveSimilarity.value(Metric.DOT, e[i], e[i], true));
    }
    return n;
  }

  private static float[][] seeded(int n, int d, long seed) {
    float[][] e = NaiveSimilarity.gaussian(n, d, seed);
    e[2] = new float[d];
    e[n - 1] = e[0].clone();
    return e;
  }

  @ParameterizedTest(name = "n={0} T={1} stored={2} block={3}")
  @CsvSource({"90, 4, 3, 7", "90, 8, 2, 0", "131, 16, 3, 24", "131, 256, 0, 0"})
  void aSymmetricPassPoolsEveryPairOfClusters(int n, int t, int z, int block) throws IOException {
    float[][] e = seeded(n, 5, n);
    long[] bounds = {0, 1, 17, 18, 40, n - 30, n};
    ClusterCells[] got = run(e, e, true, new ClusterGrid(bounds, bounds), t, z, block);
    check(e, e, true, bounds, bounds, got);
  }

  @ParameterizedTest(name = "n={0} T={1} stored={2} block={3}")
  @CsvSource({"90, 4, 3, 7", "90, 8, 1, 16"})
  void aNonSymmetricPassWithOtherColumnClustersPoolsEveryPair(int n, int t, int z, int block)
      throws IOException {
    float[][] e = seeded(n, 4, 3 * n);
    long[] rowBounds = {0, 30, 31, 75, n};
    long[] colBounds = {0, 5, 9, 50, 51, 52, n};
    ClusterCells[] got = run(e, e, false, new ClusterGrid(rowBounds, colBounds), t, z, block);
    check(e, e, false, rowBounds, colBounds, got);
  }

  @ParameterizedTest(name = "rows={0} cols={1} block={2}")
  @CsvSource({"70, 45, 8", "33, 101, 0"})
  void aRectangularPassPoolsEveryPair(int rows, int cols, int block) throws IOException {
    float[][] x = seeded(rows, 6, rows);
    float[][] y = seeded(cols, 6, 1000 + cols);
    long[] rowBounds = {0, 10, 11, rows};
    long[] colBounds = {0, cols / 2, cols - 1, cols};
    ClusterCells[] got = run(x, y, false, new ClusterGrid(rowBounds, colBounds), 4, 2, block);
    check(x, y, false, rowBounds, colBounds, got);
  }

  private static void check(
      float[][] x,
      float[][] y,
      boolean symmetric,
      long[] rowBounds,
      long[] colBounds,
      ClusterCells[] got) {
    for (int m = 0; m < ALL.length; m++) {
      double[][] s = NaiveSimilarity.matrix(ALL[m], x, y, symmetric);
      for (int i = 0; i + 1 < rowBounds.length; i++) {
        for (int j = 0; j + 1 < colBounds.length; j++) {
          double sum = 0;
          double max = Double.NEGATIVE_INFINITY;
          double min = Double.POSITIVE_INFINITY;
          for (long r = rowBounds[i]; r < rowBounds[i + 1]; r++) {
            for (long c = colBounds[j]; c < colBounds[j + 1]; c++) {
              double v = s[(int) r][(int) c];
              sum += v;
              max = Math.max(max, v);
              min = Math.min(min, v);
            }
          }
          String at = ALL[m] + " clusters " + i + "," + j;
          double tol = ALL[m] == Metric.L2 ? 2e-3 : 2e-4;
          assertThat(got[m].sum(i, j))
              .as(at + " sum")
              .isCloseTo(sum, within(tol * Math.max(1, Math.abs(sum))));
          assertThat((double) got[m].max(i, j))
              .as(at + " max")
              .isCloseTo(max, within(tol * Math.max(1, Math.abs(max))));
          assertThat((double) got[m].min(i, j))
              .as(at + " min")
              .isCloseTo(min, within(tol * Math.max(1, Math.abs(min))));
        }
      }
    }
  }
}
