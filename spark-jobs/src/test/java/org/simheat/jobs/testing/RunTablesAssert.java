package org.simheat.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;

/** Assertions that a committed run's tables hold what a naive computation says, read by Spark. */
public final class RunTablesAssert {
  private RunTablesAssert() {}

  /**
   * The tolerance of a stored value v of metric m: float rounding, and for l2 from the Gram matrix
   * about √(ε·2·max‖a‖²), which is 0.05 for the tests' norms of up to about 75.
   */
  public static double tol(Metric m, double v) {
    return 2e-4 * Math.max(1, Math.abs(v)) + (m == Metric.L2 ? 0.05 : 0);
  }

  /**
   * Every stored tile of level z holds the naive pooled cells {@code want} ({mean, max, min}) of
   * the stored aggregations, and the level holds exactly the tiles it must: the upper triangle when
   * symmetric, every tile otherwise.
   */
  public static void tilesMatch(
      SparkSession spark,
      Path run,
      Metric metric,
      int z,
      TileGeometry g,
      boolean symmetric,
      List<Aggregation> aggregations,
      double[][][] want) {
    List<Row> tiles =
        spark
            .read()
            .parquet(run.resolve(RunLayout.tilesDir(metric, z)).toString())
            .orderBy("tile_row", "tile_col")
            .collectAsList();
    assertThat(tiles).hasSize((int) g.storedTiles(z, symmetric));
    for (Row t : tiles) {
      int i = t.getInt(t.fieldIndex("tile_row"));
      int j = t.getInt(t.fieldIndex("tile_col"));
      if (symmetric) {
        assertThat(i).isLessThanOrEqualTo(j);
      }
      int rows = t.getInt(t.fieldIndex("rows"));
      int cols = t.getInt(t.fieldIndex("cols"));
      assertThat(rows).isEqualTo(g.rowsInTile(z, i));
      assertThat(cols).isEqualTo(g.colsInTile(z, j));
      for (Aggregation a : aggregations) {
        List<Float> cells = t.getList(t.fieldIndex(a.id()));
        assertThat(cells).hasSize(rows * cols);
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            double w = want[a.ordinal()][i * g.tileSize() + r][j * g.tileSize() + c];
            assertThat((double) cells.get(r * cols + c))
                .as("%s level %d tile %d,%d cell %d,%d %s", metric, z, i, j, r, c, a)
                .isCloseTo(w, within(tol(metric, w)));
          }
        }
      }
    }
  }

  /**
   * Every row's neighbour list holds the naive top k of its row of {@code s}: the scores, and for
   * cosine and dot the best position wherever the best score is clear of the second by more than
   * float rounding (duplicate rows tie, and l2's rounding blurs near-ties).
   */
  public static void neighborsMatch(
      SparkSession spark, Path run, Metric metric, double[][] s, int k, boolean excludeSelf) {
    List<Row> rows =
        spark
            .read()
            .parquet(run.resolve(RunLayout.neighborsDir(metric)).toString())
            .collectAsList();
    assertThat(rows).hasSize(s.length);
    for (Row row : rows) {
      int p = row.getInt(row.fieldIndex("position"));
      List<Integer> got = row.getList(row.fieldIndex("neighbors"));
      List<Float> scores = row.getList(row.fieldIndex("scores"));
      List<NaiveSimilarity.Neighbor> want = NaiveSimilarity.topK(s, p, k, metric, excludeSelf);
      assertThat(got).hasSize(want.size());
      for (int x = 0; x < want.size(); x++) {
        assertThat((double) scores.get(x))
            .isCloseTo(want.get(x).score(), within(tol(metric, want.get(x).score())));
      }
      boolean clear = want.size() < 2 || Math.abs(want.get(0).score() - want.get(1).score()) > 1e-5;
      if (metric != Metric.L2 && clear) {
        assertThat(got.get(0))
            .as("%s best neighbour of %d", metric, p)
            .isEqualTo(want.get(0).position());
      }
    }
  }

  /**
   * Every pair of leaves of {@code cluster_tiles} holds naive pooling of {@code s} (in display
   * order) over the leaves' ranges: row leaf i covers rows [rowBounds[i], rowBounds[i + 1]), column
   * leaf j likewise; the table has exactly the columns cluster_row, cluster_col, pairs and the
   * stored aggregations.
   */
  public static void clusterTilesMatch(
      SparkSession spark,
      Path run,
      Metric metric,
      double[][] s,
      long[] rowBounds,
      long[] colBounds,
      List<Aggregation> aggs) {
    List<Row> rows =
        spark
            .read()
            .parquet(run.resolve(RunLayout.clusterTilesDir(metric)).toString())
            .orderBy("cluster_row", "cluster_col")
            .collectAsList();
    assertThat(rows).hasSize((rowBounds.length - 1) * (colBounds.length - 1));
    List<String> columns =
        new java.util.ArrayList<>(List.of("cluster_row", "cluster_col", "pairs"));
    aggs.forEach(a -> columns.add(a.id()));
    assertThat(rows.get(0).schema().fieldNames()).containsExactlyElementsOf(columns);
    for (Row row : rows) {
      int i = row.getInt(0);
      int j = row.getInt(1);
      double sum = 0;
      double max = Double.NEGATIVE_INFINITY;
      double min = Double.POSITIVE_INFINITY;
      for (long a = rowBounds[i]; a < rowBounds[i + 1]; a++) {
        for (long b = colBounds[j]; b < colBounds[j + 1]; b++) {
          double v = s[(int) a][(int) b];
          sum += v;
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
      long pairs = (rowBounds[i + 1] - rowBounds[i]) * (colBounds[j + 1] - colBounds[j]);
      assertThat(row.getLong(2)).isEqualTo(pairs);
      double[] want = {sum / pairs, max, min};
      for (Aggregation a : aggs) {
        double w = want[a.ordinal()];
        assertThat((double) row.getFloat(row.fieldIndex(a.id())))
            .as("%s clusters %d,%d %s", metric, i, j, a)
            .isCloseTo(w, within(tol(metric, w)));
      }
    }
  }
}
