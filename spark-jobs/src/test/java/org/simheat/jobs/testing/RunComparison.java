package org.simheat.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;

/**
 * Compares two committed runs of the same input table by table, with DuckDB as users read them:
 * every stored tile of every level, the neighbour lists and the embeddings, matched by key. Keys,
 * shapes, neighbour positions, ids, tokens and vectors must be equal; pooled values, scores and
 * norms may differ by a relative tolerance (sums merged in another order round differently).
 */
public final class RunComparison {
  private RunComparison() {}

  /**
   * One table's comparison.
   *
   * @param table the table's path inside the run
   * @param rows rows compared
   * @param maxDifference largest |a − b| / max(1, |a|) over its float values
   */
  public record Table(String table, long rows, double maxDifference) {}

  /**
   * Asserts that run {@code b} holds what run {@code a} holds, within {@code tolerance}, and
   * returns what each table showed.
   */
  public static List<Table> assertSame(Path a, Path b, double tolerance) {
    Manifest ma = manifest(a);
    Manifest mb = manifest(b);
    assertThat(mb.n()).isEqualTo(ma.n());
    assertThat(mb.dim()).isEqualTo(ma.dim());
    assertThat(mb.metrics()).isEqualTo(ma.metrics());
    assertThat(mb.storedZoom()).isEqualTo(ma.storedZoom());
    assertThat(mb.source().fingerprint()).isEqualTo(ma.source().fingerprint());
    List<Table> tables = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      for (String m : ma.metrics()) {
        Metric metric = Metric.parse(m);
        for (int z = 0; z <= ma.storedZoom(); z++) {
          tables.add(
              compare(
                  db,
                  a,
                  b,
                  RunLayout.tilesDir(metric, z),
                  List.of("tile_row", "tile_col"),
                  List.of("rows", "cols"),
                  List.of("mean[]", "max[]", "min[]")));
        }
        if (ma.neighbors() != null && ma.neighbors().k() > 0) {
          tables.add(
              compare(
                  db,
                  a,
                  b,
                  RunLayout.neighborsDir(metric),
                  List.of("position"),
                  List.of("neighbors"),
                  List.of("scores[]")));
        }
      }
      tables.add(
          compare(
              db,
              a,
              b,
              RunLayout.EMBEDDINGS,
              List.of("position"),
              List.of("id", "token", "cluster", "vector"),
              List.of("norm")));
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot compare " + a + " with " + b, e);
    }
    for (Table t : tables) {
      assertThat(t.maxDifference()).as("%s differs", t.table()).isLessThanOrEqualTo(tolerance);
    }
    return tables;
  }

  /**
   * Joins table {@code name} of both runs on {@code keys}: every row must have its partner, {@code
   * exact} columns must be equal, and the float columns {@code close} (float lists when their names
   * end in {@code []}) are measured.
   */
  private static Table compare(
      Connection db,
      Path a,
      Path b,
      String name,
      List<String> keys,
      List<String> exact,
      List<String> close)
      throws SQLException {
    List<String> diffs = close.stream().map(RunComparison::difference).toList();
    String sql =
        String.format(
            "SELECT count(*), count(*) FILTER (WHERE a.%1$s IS NULL OR b.%1$s IS NULL),"
                + " count(*) FILTER (WHERE %2$s), max(%3$s)"
                + " FROM read_parquet('%4$s') a FULL JOIN read_parquet('%5$s') b ON %6$s",
            keys.get(0),
            String.join(
                " OR ", exact.stream().map(c -> "a." + c + " IS DISTINCT FROM b." + c).toList()),
            diffs.size() == 1 ? diffs.get(0) : "greatest(" + String.join(", ", diffs) + ")",
            a.resolve(name).resolve("*.parquet"),
            b.resolve(name).resolve("*.parquet"),
            String.join(" AND ", keys.stream().map(k -> "a." + k + " = b." + k).toList()));
    try (Statement st = db.createStatement();
        ResultSet r = st.executeQuery(sql)) {
      r.next();
      long rows = r.getLong(1);
      assertThat(rows).as("%s has rows", name).isPositive();
      assertThat(r.getLong(2)).as("%s rows present in one run only", name).isZero();
      assertThat(r.getLong(3)).as("%s rows whose %s differ", name, exact).isZero();
      return new Table(name, rows, r.getDouble(4));
    }
  }

  /**
   * The SQL of a column's largest relative difference in a row: of a float column {@code c}, or of
   * a float list {@code c[]}, whose lists of unequal lengths differ infinitely.
   */
  private static String difference(String column) {
    if (!column.endsWith("[]")) {
      return relative("a." + column, "b." + column);
    }
    return String.format(
        "CASE WHEN len(a.%1$s) <> len(b.%1$s) THEN 'Infinity'::DOUBLE"
            + " ELSE coalesce(list_max(list_transform(list_zip(a.%1$s, b.%1$s), z -> %2$s)), 0) END",
        column.substring(0, column.length() - 2), relative("z[1]", "z[2]"));
  }

  /** The SQL of |x − y| / max(1, |x|) in doubles. */
  private static String relative(String x, String y) {
    return String.format("abs(%1$s::DOUBLE - %2$s::DOUBLE) / greatest(1, abs(%1$s::DOUBLE))", x, y);
  }

  private static Manifest manifest(Path run) {
    try {
      return Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
