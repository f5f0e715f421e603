package org.simheat.viewer.store;

import static org.apache.parquet.filter2.predicate.FilterApi.eq;
import static org.apache.parquet.filter2.predicate.FilterApi.intColumn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;

/**
 * The stored top-k neighbour lists of a run, one {@code neighbors/metric=<m>} table per metric,
 * sorted by position: a lookup filters on the position and decodes one page per column.
 */
public final class NeighborStore {
  private static final List<String> COLUMNS =
      List.of(Columns.POSITION, Columns.NEIGHBORS, Columns.SCORES);

  private final Path runDir;
  private final FooterCache footers;
  private final Map<Metric, ParquetTable> tables = new ConcurrentHashMap<>();

  /**
   * One position's neighbours, best first.
   *
   * @param positions neighbour positions
   * @param scores their metric values
   */
  public record Row(int[] positions, float[] scores) {}

  /** The neighbour tables of the run in {@code runDir}. */
  public NeighborStore(Path runDir, FooterCache footers) {
    this.runDir = runDir;
    this.footers = footers;
  }

  /** The table of one metric. */
  public ParquetTable table(Metric metric) {
    return tables.computeIfAbsent(
        metric, m -> new ParquetTable(runDir.resolve(RunLayout.neighborsDir(m)), footers));
  }

  /**
   * The stored neighbours of a position, or null if the table has no row for it.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException if the row's lists differ in length
   */
  public Row read(Metric metric, int position) throws IOException {
    Row[] found = new Row[1];
    table(metric)
        .scan(
            COLUMNS,
            eq(intColumn(Columns.POSITION), position),
            KeyFilter.range(Columns.POSITION, position, position + 1L),
            row -> {
              if (row.intValue(0) != position) {
                return true;
              }
              found[0] = new Row(row.intList(1), row.floatList(2));
              return false;
            });
    Row r = found[0];
    if (r != null && r.positions().length != r.scores().length) {
      throw new IllegalStateException(
          "The neighbours of position "
              + position
              + " ("
              + metric.id()
              + ") list "
              + r.positions().length
              + " positions but "
              + r.scores().length
              + " scores");
    }
    return r;
  }
}
