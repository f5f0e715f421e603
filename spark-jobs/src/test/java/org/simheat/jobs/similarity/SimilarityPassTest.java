package org.simheat.jobs.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.input.DenseMatrix;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.pyramid.TilePyramid;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NaiveSimilarity.Neighbor;
import org.simheat.jobs.testing.TestSpark;

/**
 * Every stored tile of every level, every top-k list and every range of small seeded runs, against
 * the naive double-precision definitions: odd sizes, block sizes that split cells, tiny tiles so
 * that levels have many tiles, zero rows and duplicate rows.
 */
class SimilarityPassTest {
  private static final Metric[] ALL = {Metric.COSINE, Metric.DOT, Metric.L2};

  /** The pass and pyramid's output, collected. */
  record Output(Map<Integer, Map<PartKey, CellBlock>> levels, Map<PartKey, Partial> parts) {}

  static Output run(float[][] e, int tileSize, int storedZoom, int k, int blockSize) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    TileGeometry g = new TileGeometry(e.length, e.length, tileSize);
    PassConfig cfg = PassConfig.of(g, e[0].length, true, ALL, storedZoom, k, blockSize);
    MatrixSource m = new DenseMatrix(NaiveSimilarity.flatten(e), e.length, e[0].length, "test");
    double[] norms = new double[e.length];
    for (int i = 0; i < e.length; i++) {
      norms[i] = Math.sqrt(NaiveSimilarity.value(Metric.DOT, e[i], e[i], true));
    }
    var bm = jsc.broadcast(m);
    var bn = jsc.broadcast(norms);
    LongAccumulator done = jsc.sc().longAccumulator();
    List<BlockTask> tasks = BlockTask.plan(cfg, 5);
    JavaPairRDD<PartKey, Partial> parts =
        SimilarityPass.run(jsc, cfg, tasks, new SimilarityPass.Inputs(bm, bm, bn, bn), done, 3);
    Map<PartKey, Partial> collected = new HashMap<>(parts.collectAsMap());
    var levels = TilePyramid.build(TilePyramid.tiles(parts), g, storedZoom, true);
    Map<Integer, Map<PartKey, CellBlock>> byLevel = new HashMap<>();
    for (int i = 0; i < levels.size(); i++) {
      byLevel.put(storedZoom - i, new HashMap<>(levels.get(i).collectAsMap()));
    }
    long pairs = (long) cfg.rowBlocks() * (cfg.rowBlocks() + 1) / 2;
    assertThat(done.value()).isEqualTo(pairs);
    return new Output(byLevel, collected);
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
    "601, 9, 256, 2, 128"
  })
  void everyStoredTileMatchesTheNaivePooling(int n, int d, int t, int storedZoom, int block) {
    float[][] e = NaiveSimilarity.gaussian(n, d, 42 + n);
    if (n > 5) {
      e[3] = new float[d];
      e[n - 2] = e[1].clone();
    }
    Output out = run(e, t, storedZoom, 10, block);
    TileGeometry g = new TileGeometry(n, n, t);
    for (int m = 0; m < ALL.length; m++) {
      double[][] s = NaiveSimilarity.matrix(ALL[m], e, e, true);
      for (int z = 0; z <= storedZoom; z++) {
        Map<PartKey, CellBlock> tiles = out.levels().get(z);
        double[][][] want = NaiveSimilarity.pool(s, g, z);
        int count = 0;
        for (long i = 0; i < g.tileRows(z); i++) {
          for (long j = i; j < g.tileCols(z); j++) {
            CellBlock tile = tiles.get(PartKey.tile(m, i, j));
            assertThat(tile).as("metric %s level %d tile %d,%d", ALL[m], z, i, j).isNotNull();
            assertTile(tile, want, g, z, ALL[m], e);
            count++;
          }
        }
        final int metric = m;
        assertThat(tiles.keySet().stream().filter(key -> key.metric() == metric)).hasSize(count);
      }
    }
  }

  private static void assertTile(
      CellBlock tile, double[][][] want, TileGeometry g, int z, Metric m, float[][] e) {
    assertThat(tile.isWholeFrame()).isTrue();
    for (int r = 0; r < tile.rows(); r++) {
      for (int c = 0; c < tile.cols(); c++) {
        int gr = (int) (tile.row0() + r);
        int gc = (int) (tile.col0() + c);
        double mean = tile.sum(r, c) / g.pairsInCell(z, gr, gc);
        String at = m + " level " + z + " cell " + gr + "," + gc;
        assertThat(mean)
            .as(at + " mean")
            .isCloseTo(want[0][gr][gc], within(tol(m, want[0][gr][gc], e)));
        assertThat((double) tile.max(r, c))
            .as(at + " max")
            .isCloseTo(want[1][gr][gc], within(tol(m, want[1][gr][gc], e)));
        assertThat((double) tile.min(r, c))
            .as(at + " min")
            .isCloseTo(want[2][gr][gc], within(tol(m, want[2][gr][gc], e)));
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
    Output out = run(e, 4, 0, k, block);
    int blockSize = PassConfig.of(new TileGeometry(n, n, 4), 4, true, ALL, 0, k, block).blockSize();
    for (int m = 0; m < ALL.length; m++) {
      double[][] s = NaiveSimilarity.matrix(ALL[m], e, e, true);
      for (int i = 0; i < n; i++) {
        TopK top = (TopK) out.parts().get(PartKey.neighbors(m, i / blockSize));
        int li = i - (int) top.rowStart();
        List<Neighbor> want = NaiveSimilarity.topK(s, i, k, ALL[m], true);
        List<Neighbor> wantMore = NaiveSimilarity.topK(s, i, k + 1, ALL[m], true);
        assertThat(top.size(li)).isEqualTo(want.size());
        for (int x = 0; x < want.size(); x++) {
          double score = ALL[m].higherIsBetter() ? top.key(li, x) : -top.key(li, x);
          assertThat(score)
              .as("%s row %d rank %d", ALL[m], i, x)
              .isCloseTo(want.get(x).score(), within(tol(want.get(x).score())));
          if (ALL[m] == Metric.DOT || !nearTie(want, wantMore, x)) {
            assertThat(top.position(li, x))
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
    Output out = run(e, 4, 0, 0, 4);
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
      ValueRange r = (ValueRange) out.parts().get(PartKey.range(m));
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
