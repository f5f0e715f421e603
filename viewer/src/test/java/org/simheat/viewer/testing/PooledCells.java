package org.simheat.viewer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;

/**
 * Checks the cells of API answers in their JSON form (tiles and view specs) against naive pooling
 * of the fixture's double-precision similarities: every cell, every aggregation, within {@link
 * #tolerance}.
 */
public final class PooledCells {
  private static final String[] AGGREGATIONS = {"mean", "max", "min"};

  private final NaiveSimilarity naive;

  public PooledCells(NaiveSimilarity naive) {
    this.naive = naive;
  }

  /**
   * How far a float value of the viewer may be from the double reference: an absolute floor per
   * metric ({@link NaiveSimilarity#tolerance}; l2 needs 2e-3 where the Gram-matrix formula meets
   * near-duplicate rows) plus, for cosine and dot, 1e-4 relative to {@code magnitude}.
   */
  public static double tolerance(Metric metric, double magnitude) {
    double relative = metric == Metric.L2 ? 0 : 1e-4 * Math.abs(magnitude);
    return NaiveSimilarity.tolerance(metric) + relative;
  }

  /**
   * Every cell of a tile {@code {z, i, j, rows, cols, mean, max, min}} equals naive pooling of the
   * positions it covers.
   */
  public void checkTile(JsonNode tile, Metric metric, TileGeometry g) {
    int z = tile.get("z").asInt();
    long i = tile.get("i").asLong();
    long j = tile.get("j").asLong();
    int rows = tile.get("rows").asInt();
    int cols = tile.get("cols").asInt();
    long s = g.span(z);
    for (String agg : AGGREGATIONS) {
      assertThat(tile.get(agg)).as(agg).hasSize(rows * cols);
    }
    for (int r = 0; r < rows; r++) {
      long r0 = (i * g.tileSize() + r) * s;
      for (int c = 0; c < cols; c++) {
        long c0 = (j * g.tileSize() + c) * s;
        NaiveSimilarity.Pool p =
            naive.pool(metric, r0, Math.min(r0 + s, g.rows()), c0, Math.min(c0 + s, g.cols()));
        int k = r * cols + c;
        String where = metric.id() + " tile (" + z + "," + i + "," + j + ") cell " + r + "," + c;
        check(tile.get("mean").get(k), p.mean(), metric, where + " mean");
        check(tile.get("max").get(k), p.max(), metric, where + " max");
        check(tile.get("min").get(k), p.min(), metric, where + " min");
      }
    }
  }

  /**
   * Tile {@code lower} = (i, j) is the transpose of {@code upper} = (j, i), cell by cell within
   * {@code tolerance} (0: exactly).
   */
  public static void checkTranspose(JsonNode lower, JsonNode upper, double tolerance) {
    int rows = upper.get("rows").asInt();
    int cols = upper.get("cols").asInt();
    assertThat(lower.get("rows").asInt()).isEqualTo(cols);
    assertThat(lower.get("cols").asInt()).isEqualTo(rows);
    for (String agg : AGGREGATIONS) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          double a = upper.get(agg).get(r * cols + c).asDouble();
          double b = lower.get(agg).get(c * rows + r).asDouble();
          int rr = r;
          int cc = c;
          Close.check(b, a, tolerance, () -> agg + " of the twin's cell " + rr + "," + cc);
        }
      }
    }
  }

  /**
   * A view spec holds {@code count} inline cells; each equals naive pooling of its own bin {@code
   * [y0, y1) × [x0, x1)} with the right pair count, value and labels, and the bins tile the
   * coverage that {@code usermeta} reports.
   */
  public void checkView(JsonNode spec, Metric metric, Aggregation agg, int count) {
    JsonNode values = spec.at("/data/values");
    JsonNode meta = spec.get("usermeta");
    assertThat(values).hasSize(count);
    long pairs = 0;
    for (JsonNode d : values) {
      long x0 = d.get("x0").asLong();
      long x1 = d.get("x1").asLong();
      long y0 = d.get("y0").asLong();
      long y1 = d.get("y1").asLong();
      NaiveSimilarity.Pool p = naive.pool(metric, y0, y1, x0, x1);
      String where = metric.id() + " bin [" + y0 + "," + y1 + ")×[" + x0 + "," + x1 + ")";
      check(d.get("mean"), p.mean(), metric, where + " mean");
      check(d.get("max"), p.max(), metric, where + " max");
      check(d.get("min"), p.min(), metric, where + " min");
      assertThat(d.get("value").asDouble()).as(where).isEqualTo(d.get(agg.id()).asDouble());
      assertThat(d.get("pairs").asLong()).as(where).isEqualTo(p.pairs());
      String more = y1 - y0 > 1 ? " +" + (y1 - y0 - 1) + " more" : "";
      assertThat(d.get("rowLabel").asText()).isEqualTo(naive.token((int) y0) + more);
      assertThat(d.get("colLabel").asText()).startsWith(naive.colToken((int) x0));
      pairs += p.pairs();
    }
    long width = meta.get("x1").asLong() - meta.get("x0").asLong();
    long height = meta.get("y1").asLong() - meta.get("y0").asLong();
    assertThat(pairs).as("pairs covered by the bins").isEqualTo(width * height);
  }

  private static void check(JsonNode actual, double expected, Metric metric, String where) {
    if (actual == null || !actual.isNumber()) {
      throw new AssertionError(where + ": expected a number near " + expected + ", got " + actual);
    }
    Close.check(actual.asDouble(), expected, tolerance(metric, expected), () -> where);
  }
}
