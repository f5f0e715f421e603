package org.simheat.jobs.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.input.DenseMatrix;
import org.simheat.jobs.input.HadoopConf;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.output.TileFiles;
import org.simheat.jobs.pyramid.TilePyramid;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NaiveSimilarity.Neighbor;
import org.simheat.jobs.testing.TestSpark;

/**
 * Every stored tile of every level, every top-k list and every range of small seeded runs, read
 * back from the Parquet files the pass and the pyramid write, against the naive double-precision
 * definitions: odd sizes, block sizes that split cells, tiny tiles so that levels have many tiles
 * and tasks many files, zero rows and duplicate rows; all three metrics at once (products turned
 * into metrics) and cosine alone (normalised rows).
 */
class SimilarityPassTest {
  private static final Metric[] ALL = {Metric.COSINE, Metric.DOT, Metric.L2};
  private static final Metric[] COSINE = {Metric.COSINE};

  /** A tile as written: its size and the cells of each aggregation (mean, max, min). */
  record Tile(int rows, int cols, float[][] cells) {}

  /** A position's neighbour list as written. */
  record Neighbors(int[] positions, float[] scores) {}

  /**
   * The pass and pyramid's output, read back.
   *
   * @param levels per level, tiles keyed by (metric, tile row, tile column)
   * @param neighbors per metric index, by position
   * @param ranges per metric index
   */
  record Output(
      Map<Integer, Map<PartKey, Tile>> levels,
      Map<Integer, Map<Integer, Neighbors>> neighbors,
      ValueRange[] ranges) {}

  static Output run(float[][] e, Metric[] metrics, int tileSize, int storedZoom, int k, int block) {
    SparkSession spark = TestSpark.session();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    TileGeometry g = new TileGeometry(e.length, e.length, tileSize);
    PassConfig cfg = PassConfig.of(g, e[0].length, true, metrics, storedZoom, k, block);
    MatrixSource m = new DenseMatrix(NaiveSimilarity.flatten(e), e.length, e[0].length, "test");
    double[] norms = new double[e.length];
    for (int i = 0; i < e.length; i++) {
      norms[i] = Math.sqrt(NaiveSimilarity.value(Metric.DOT, e[i], e[i], true));
    }
    var bm = jsc.broadcast(m);
    var bn = jsc.broadcast(norms);
    LongAccumulator done = jsc.sc().longAccumulator();
    List<TilePlan.Task> tasks = TilePlan.plan(cfg, g, 5);
    try {
      java.nio.file.Path dir = Files.createTempDirectory("pass");
      Path staging = new Path(dir.toUri());
      var conf = spark.sparkContext().hadoopConfiguration();
      TilePass.Result result =
          TilePass.run(
              jsc,
              cfg,
              g,
              tasks,
              new TilePass.Inputs(bm, bm, bn, bn, "test-" + dir),
              new TilePass.Sink(
                  staging.toString(), new HadoopConf(conf), List.of(Aggregation.values())),
              done);
      if (storedZoom > 0) {
        TilePyramid.writeLevels(
            result.parents(),
            storedZoom - 1,
            g,
            metrics,
            true,
            conf,
            staging,
            List.of(Aggregation.values()));
      }
      assertThat(done.value()).isEqualTo(result.pairs());
      return new Output(
          readTiles(spark, staging, metrics, storedZoom),
          k > 0 ? readNeighbors(spark, staging, metrics) : Map.of(),
          result.ranges());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static Map<Integer, Map<PartKey, Tile>> readTiles(
      SparkSession spark, Path staging, Metric[] metrics, int storedZoom) {
    Map<Integer, Map<PartKey, Tile>> levels = new HashMap<>();
    for (int z = 0; z <= storedZoom; z++) {
      Map<PartKey, Tile> tiles = new HashMap<>();
      for (int m = 0; m < metrics.length; m++) {
        String dir = TileFiles.levelDir(staging, metrics[m], z).toString();
        for (Row r : spark.read().parquet(dir).collectAsList()) {
          float[][] cells = new float[3][];
          for (int a = 0; a < 3; a++) {
            List<Float> list = r.getList(r.fieldIndex(Aggregation.values()[a].id()));
            cells[a] = new float[list.size()];
            for (int x = 0; x < cells[a].length; x++) {
              cells[a][x] = list.get(x);
            }
          }
          PartKey key =
              PartKey.tile(
                  m, r.getInt(r.fieldIndex("tile_row")), r.getInt(r.fieldIndex("tile_col")));
          Tile old =
              tiles.put(
                  key,
                  new Tile(r.getInt(r.fieldIndex("rows")), r.getInt(r.fieldIndex("cols")), cells));
          assertThat(old).as("tile %s written once", key).isNull();
        }
      }
      levels.put(z, tiles);
    }
    return levels;
  }

  private static Map<Integer, Map<Integer, Neighbors>> readNeighbors(
      SparkSession spark, Path staging, Metric[] metrics) {
    Map<Integer, Map<Integer, Neighbors>> out = new HashMap<>();
    for (int m = 0; m < metrics.length; m++) {
      Path dir =
          new Path(new Path(staging, RunLayout.NEIGHBORS), Columns.METRIC + "=" + metrics[m].id());
      Map<Integer, Neighbors> byPosition = new HashMap<>();
      for (Row r : spark.read().parquet(dir.toString()).collectAsList()) {
        List<Integer> pos = r.getList(r.fieldIndex("neighbors"));
        List<Float> scores = r.getList(r.fieldIndex("scores"));
        int[] p = pos.stream().mapToInt(Integer::intValue).toArray();
        float[] sc = new float[scores.size()];
        for (int x = 0; x < sc.length; x++) {
          sc[x] = scores.get(x);
        }
        byPosition.put(r.getInt(r.fieldIndex("position")), new Neighbors(p, sc));
      }
      out.put(m, byPosition);
    }
    return out;
  }

  @ParameterizedTest(name = "n={0} d={1} T={2} stored={3} block={4}")
  @CsvSource({
    "1, 3, 4, 0, 0",
    "7, 4, 4, 1, 3",
    "37, 6, 4, 4, 5",
    "37, 6, 4, 2, 5",
    "64, 8, 8, 3, 16",
    "65, 5, 8, 2, 7",
    "300, 16, 256, 1, 0",
    "300, 6, 4, 4, 0",
    "300, 6, 4, 3, 0",
    "700, 5, 4, 2, 100",
    "601, 9, 256, 2, 128"
  })
  void everyStoredTileMatchesTheNaivePooling(int n, int d, int t, int storedZoom, int block) {
    float[][] e = seeded(n, d);
    checkTiles(e, ALL, run(e, ALL, t, storedZoom, 10, block), t, storedZoom);
  }

  @ParameterizedTest(name = "n={0} d={1} T={2} stored={3} block={4}")
  @CsvSource({"37, 6, 4, 2, 5", "65, 5, 8, 2, 7", "601, 9, 256, 2, 128"})
  void cosineAloneOnNormalisedRowsMatchesTheNaivePooling(
      int n, int d, int t, int storedZoom, int block) {
    float[][] e = seeded(n, d);
    checkTiles(e, COSINE, run(e, COSINE, t, storedZoom, 10, block), t, storedZoom);
  }

  private static float[][] seeded(int n, int d) {
    float[][] e = NaiveSimilarity.gaussian(n, d, 42 + n);
    if (n > 5) {
      e[3] = new float[d];
      e[n - 2] = e[1].clone();
    }
    return e;
  }

  private static void checkTiles(float[][] e, Metric[] metrics, Output out, int t, int storedZoom) {
    int n = e.length;
    TileGeometry g = new TileGeometry(n, n, t);
    for (int m = 0; m < metrics.length; m++) {
      double[][] s = NaiveSimilarity.matrix(metrics[m], e, e, true);
      for (int z = 0; z <= storedZoom; z++) {
        Map<PartKey, Tile> tiles = out.levels().get(z);
        double[][][] want = NaiveSimilarity.pool(s, g, z);
        int count = 0;
        for (long i = 0; i < g.tileRows(z); i++) {
          for (long j = i; j < g.tileCols(z); j++) {
            Tile tile = tiles.get(PartKey.tile(m, i, j));
            assertThat(tile).as("metric %s level %d tile %d,%d", metrics[m], z, i, j).isNotNull();
            assertThat(tile.rows()).isEqualTo(g.rowsInTile(z, i));
            assertThat(tile.cols()).isEqualTo(g.colsInTile(z, j));
            assertTile(tile, i * t, j * t, want, z, metrics[m], e);
            count++;
          }
        }
        final int metric = m;
        assertThat(tiles.keySet().stream().filter(key -> key.metric() == metric)).hasSize(count);
      }
    }
  }

  private static void assertTile(
      Tile tile, long row0, long col0, double[][][] want, int z, Metric m, float[][] e) {
    for (int r = 0; r < tile.rows(); r++) {
      for (int c = 0; c < tile.cols(); c++) {
        int gr = (int) (row0 + r);
        int gc = (int) (col0 + c);
        String at = m + " level " + z + " cell " + gr + "," + gc;
        for (int a = 0; a < 3; a++) {
          assertThat((double) tile.cells()[a][r * tile.cols() + c])
              .as(at + " " + Aggregation.values()[a])
              .isCloseTo(want[a][gr][gc], within(tol(m, want[a][gr][gc], e)));
        }
      }
    }
  }

  private static double tol(double v) {
    return 2e-4 * Math.max(1, Math.abs(v));
  }

  /**
   * Tolerance of a metric's value. l2 comes from the Gram matrix, √(‖a‖² + ‖b‖² − 2a·b), so
   * near-identical rows carry an absolute error of about √(ε·2·max‖a‖²) (ε ≈ 1e-7 for float
   * products); the other metrics are relative.
   */
  private static double tol(Metric m, double v, float[][] e) {
    if (m != Metric.L2) {
      return tol(v);
    }
    double maxSq = 0;
    for (float[] row : e) {
      maxSq = Math.max(maxSq, NaiveSimilarity.value(Metric.DOT, row, row, true));
    }
    return tol(v) + Math.sqrt(2.5e-7 * 2 * maxSq);
  }

  @ParameterizedTest(name = "n={0} k={1} block={2}")
  @CsvSource({"2, 10, 0", "23, 5, 4", "50, 10, 7", "50, 100, 16", "130, 3, 33"})
  void topKMatchesBruteForceWithTiesBrokenByPosition(int n, int k, int block) {
    // Integer rows make every dot product exact, and copies make exact ties.
    float[][] e = NaiveSimilarity.smallIntegers(n, 4, 2, 7 + n);
    for (int i = 0; i + 3 < n; i += 5) {
      e[i + 3] = e[i].clone();
    }
    Output out = run(e, ALL, 4, 0, k, block);
    for (int m = 0; m < ALL.length; m++) {
      double[][] s = NaiveSimilarity.matrix(ALL[m], e, e, true);
      assertThat(out.neighbors().get(m)).hasSize(n);
      for (int i = 0; i < n; i++) {
        Neighbors got = out.neighbors().get(m).get(i);
        List<Neighbor> want = NaiveSimilarity.topK(s, i, k, ALL[m], true);
        List<Neighbor> wantMore = NaiveSimilarity.topK(s, i, k + 1, ALL[m], true);
        assertThat(got.positions()).hasSize(want.size());
        for (int x = 0; x < want.size(); x++) {
          assertThat((double) got.scores()[x])
              .as("%s row %d rank %d", ALL[m], i, x)
              .isCloseTo(want.get(x).score(), within(tol(want.get(x).score())));
          if (ALL[m] == Metric.DOT || !nearTie(want, wantMore, x)) {
            assertThat(got.positions()[x])
                .as("%s row %d rank %d", ALL[m], i, x)
                .isEqualTo(want.get(x).position());
          }
        }
      }
    }
  }

  /** Whether rank x's score is within float rounding of its neighbours' in the brute-force list. */
  private static boolean nearTie(List<Neighbor> want, List<Neighbor> wantMore, int x) {
    double v = want.get(x).score();
    boolean before = x > 0 && Math.abs(v - want.get(x - 1).score()) < 1e-5;
    boolean after = x + 1 < wantMore.size() && Math.abs(v - wantMore.get(x + 1).score()) < 1e-5;
    return before || after;
  }

  @ParameterizedTest(name = "n={0}")
  @CsvSource({"1", "9", "40"})
  void rangesMatchTheNaiveExtremes(int n) {
    float[][] e = NaiveSimilarity.gaussian(n, 5, 99);
    Output out = run(e, ALL, 4, 0, 0, 4);
    for (int m = 0; m < ALL.length; m++) {
      double[][] s = NaiveSimilarity.matrix(ALL[m], e, e, true);
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double minOff = Double.POSITIVE_INFINITY;
      double maxOff = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          min = Math.min(min, s[i][j]);
          max = Math.max(max, s[i][j]);
          if (i != j) {
            minOff = Math.min(minOff, s[i][j]);
            maxOff = Math.max(maxOff, s[i][j]);
          }
        }
      }
      ValueRange r = out.ranges()[m];
      assertThat(r.min()).isCloseTo(min, within(tol(ALL[m], min, e)));
      assertThat(r.max()).isCloseTo(max, within(tol(ALL[m], max, e)));
      if (n == 1) {
        assertThat(r.minOffDiagonal()).isNull();
      } else {
        assertThat(r.minOffDiagonal()).isCloseTo(minOff, within(tol(ALL[m], minOff, e)));
        assertThat(r.maxOffDiagonal()).isCloseTo(maxOff, within(tol(ALL[m], maxOff, e)));
      }
    }
  }
}
