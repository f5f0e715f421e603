package org.simheat.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;

/** Reads a committed run's tables back with Spark, checking what every run must hold. */
public final class RunReader {
  private RunReader() {}

  /**
   * The embeddings' order.
   *
   * @param ids the input row at each position
   * @param clusters the cluster of each position
   * @param bounds leaf i covers positions [bounds[i], bounds[i + 1])
   */
  public record Embeddings(int[] ids, int[] clusters, long[] bounds) {}

  /**
   * Reads {@code embeddings}, checking that ids are a permutation, each row's token, norm and
   * vector are its input row's, and clusters are contiguous and numbered 0… in position order.
   */
  public static Embeddings embeddings(
      SparkSession spark, Path run, float[][] e, List<String> tokens) {
    return embeddings(spark, run, RunLayout.EMBEDDINGS, e, tokens);
  }

  /** {@link #embeddings(SparkSession, Path, float[][], List)} of the table {@code table}. */
  public static Embeddings embeddings(
      SparkSession spark, Path run, String table, float[][] e, List<String> tokens) {
    List<Row> rows =
        spark.read().parquet(run.resolve(table).toString()).orderBy("position").collectAsList();
    assertThat(rows).hasSize(e.length);
    int[] ids = new int[e.length];
    int[] clusters = new int[e.length];
    List<Long> bounds = new ArrayList<>(List.of(0L));
    for (int p = 0; p < e.length; p++) {
      Row r = rows.get(p);
      assertThat(r.getInt(r.fieldIndex("position"))).isEqualTo(p);
      int id = r.getInt(r.fieldIndex("id"));
      ids[p] = id;
      clusters[p] = r.getInt(r.fieldIndex("cluster"));
      assertThat(r.getString(r.fieldIndex("token"))).isEqualTo(tokens.get(id));
      double norm = Math.sqrt(NaiveSimilarity.value(Metric.DOT, e[id], e[id], true));
      assertThat((double) r.getFloat(r.fieldIndex("norm")))
          .isCloseTo(norm, within(1e-5 * Math.max(1, norm)));
      List<Float> v = r.getList(r.fieldIndex("vector"));
      for (int c = 0; c < e[id].length; c++) {
        assertThat(v.get(c)).isEqualTo(e[id][c]);
      }
      if (p > 0 && clusters[p] != clusters[p - 1]) {
        assertThat(clusters[p])
            .as("clusters are contiguous, in order")
            .isEqualTo(clusters[p - 1] + 1);
        bounds.add((long) p);
      }
    }
    assertThat(clusters[0]).isZero();
    bounds.add((long) e.length);
    int[] sorted = ids.clone();
    Arrays.sort(sorted);
    assertThat(sorted).containsExactly(IntStream.range(0, e.length).toArray());
    return new Embeddings(ids, clusters, bounds.stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * A symmetric run's stored level as full grids, one per aggregation in the run's order (the first
   * {@code aggregations} of mean, max, min), the lower triangle mirrored from the upper.
   */
  public static double[][][] tiles(
      SparkSession spark, Path run, Metric metric, int z, TileGeometry g, int aggregations) {
    int cells = (int) g.cellRows(z);
    double[][][] grid = new double[aggregations][cells][cells];
    List<Row> tiles =
        spark.read().parquet(run.resolve(RunLayout.tilesDir(metric, z)).toString()).collectAsList();
    assertThat(tiles).hasSize((int) g.storedTiles(z, true));
    for (Row t : tiles) {
      int i = t.getInt(t.fieldIndex("tile_row"));
      int j = t.getInt(t.fieldIndex("tile_col"));
      int rows = t.getInt(t.fieldIndex("rows"));
      int cols = t.getInt(t.fieldIndex("cols"));
      for (int a = 0; a < aggregations; a++) {
        List<Float> v = t.getList(t.fieldIndex(Aggregation.values()[a].id()));
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            int gr = i * g.tileSize() + r;
            int gc = j * g.tileSize() + c;
            grid[a][gr][gc] = v.get(r * cols + c);
            grid[a][gc][gr] = v.get(r * cols + c);
          }
        }
      }
    }
    return grid;
  }
}
