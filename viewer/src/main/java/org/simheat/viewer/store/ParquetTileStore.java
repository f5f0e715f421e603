package org.simheat.viewer.store;

import static org.apache.parquet.filter2.predicate.FilterApi.and;
import static org.apache.parquet.filter2.predicate.FilterApi.eq;
import static org.apache.parquet.filter2.predicate.FilterApi.intColumn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;

/**
 * The stored tiles of one run: {@code tiles/metric=<m>/level=<z>} tables sorted by (tile_row,
 * tile_col), from which one tile is one row. A read filters on both keys, so statistics skip the
 * other files and row groups and the column index skips the other pages; it decodes only the
 * aggregations the run stores.
 */
public final class ParquetTileStore {
  private final Path runDir;
  private final FooterCache footers;
  private final List<Aggregation> aggregations;
  private final Map<String, ParquetTable> tables = new ConcurrentHashMap<>();

  /** The tiles of the run in {@code runDir} holding {@code aggregations}. */
  public ParquetTileStore(Path runDir, FooterCache footers, List<Aggregation> aggregations) {
    this.runDir = runDir;
    this.footers = footers;
    this.aggregations = List.copyOf(aggregations);
  }

  /** The table of one metric's level. */
  public ParquetTable table(Metric metric, int z) {
    return tables.computeIfAbsent(
        metric.id() + "/" + z,
        k -> new ParquetTable(runDir.resolve(RunLayout.tilesDir(metric, z)), footers));
  }

  /**
   * Reads stored tile (i, j) of a metric's level z.
   *
   * @param rows the cell rows the geometry says the tile holds
   * @param cols its cell columns
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException if the tile is missing or its shape is not {@code rows × cols}
   */
  public TileData read(Metric metric, int z, int i, int j, int rows, int cols) throws IOException {
    List<String> columns = new ArrayList<>(List.of(Columns.TILE_ROW, Columns.TILE_COL));
    columns.add(Columns.ROWS);
    columns.add(Columns.COLS);
    aggregations.forEach(a -> columns.add(a.id()));
    TileData[] found = new TileData[1];
    table(metric, z)
        .scan(
            columns,
            and(eq(intColumn(Columns.TILE_ROW), i), eq(intColumn(Columns.TILE_COL), j)),
            KeyFilter.range(Columns.TILE_ROW, i, i + 1L),
            row -> {
              if (row.intValue(0) != i || row.intValue(1) != j) {
                return true;
              }
              found[0] = decode(row, metric, z, i, j, rows, cols);
              return false;
            });
    if (found[0] == null) {
      throw new IllegalStateException(
          "Stored tile (" + z + ", " + i + ", " + j + ") of " + metric.id() + " is missing");
    }
    return found[0];
  }

  private TileData decode(FlatRow row, Metric metric, int z, int i, int j, int rows, int cols) {
    if (row.intValue(2) != rows || row.intValue(3) != cols) {
      throw new IllegalStateException(
          String.format(
              "Stored tile (%d, %d, %d) of %s is %d × %d, the geometry says %d × %d",
              z, i, j, metric.id(), row.intValue(2), row.intValue(3), rows, cols));
    }
    float[][] values = new float[3][];
    for (int a = 0; a < aggregations.size(); a++) {
      int column = 4 + a;
      if (row.listSize(column) != rows * cols) {
        throw new IllegalStateException(
            String.format(
                "Stored tile (%d, %d, %d) of %s has %d %s values for %d × %d cells",
                z, i, j, metric.id(), row.listSize(column), aggregations.get(a).id(), rows, cols));
      }
      values[aggregations.get(a).ordinal()] = row.floatList(column);
    }
    return new TileData(
        rows,
        cols,
        values[Aggregation.MEAN.ordinal()],
        values[Aggregation.MAX.ordinal()],
        values[Aggregation.MIN.ordinal()]);
  }
}
