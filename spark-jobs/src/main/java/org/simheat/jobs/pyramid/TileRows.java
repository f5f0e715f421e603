package org.simheat.jobs.pyramid;

import java.util.ArrayList;
import java.util.List;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.similarity.CellBlock;

/**
 * Tiles as records of the {@code tiles} table: {@code metric}, {@code level} (partition columns),
 * {@code tile_row}, {@code tile_col}, {@code rows}, {@code cols}, then one row-major {@code
 * list<float>} per stored aggregation. A cell's mean is its sum over its pair count, which edge
 * cells make smaller than s².
 */
public final class TileRows {
  private TileRows() {}

  /** The table's columns in the contract's order: partition columns, then the tile's. */
  public static List<String> columns(List<Aggregation> aggregations) {
    List<String> cols = new ArrayList<>();
    cols.addAll(
        List.of(
            Columns.METRIC,
            Columns.LEVEL,
            Columns.TILE_ROW,
            Columns.TILE_COL,
            Columns.ROWS,
            Columns.COLS));
    aggregations.forEach(a -> cols.add(a.id()));
    return cols;
  }

  /**
   * One tile as a record, with the requested aggregations (the others null).
   *
   * @throws IllegalStateException if the tile is not whole or a cell received no value (a bug)
   */
  public static TileRecord toRecord(
      String metric, int level, CellBlock tile, TileGeometry g, List<Aggregation> aggregations) {
    int t = g.tileSize();
    if (!tile.isWholeFrame()) {
      throw new IllegalStateException(
          "Tile " + tile.row0() / t + "," + tile.col0() / t + " of level " + level + " is partial");
    }
    TileRecord r = new TileRecord();
    r.setMetric(metric);
    r.setLevel(level);
    r.setTile_row((int) (tile.row0() / t));
    r.setTile_col((int) (tile.col0() / t));
    r.setRows(tile.rows());
    r.setCols(tile.cols());
    for (Aggregation a : aggregations) {
      float[] cells = cells(tile, a, level, g);
      switch (a) {
        case MEAN -> r.setMean(cells);
        case MAX -> r.setMax(cells);
        case MIN -> r.setMin(cells);
      }
    }
    return r;
  }

  private static float[] cells(CellBlock tile, Aggregation a, int level, TileGeometry g) {
    float[] out = new float[tile.rows() * tile.cols()];
    for (int r = 0; r < tile.rows(); r++) {
      long rowPairs = g.rowExtent(level, tile.row0() + r);
      for (int c = 0; c < tile.cols(); c++) {
        if (tile.max(r, c) == Float.NEGATIVE_INFINITY) {
          throw new IllegalStateException(
              "Cell "
                  + (tile.row0() + r)
                  + ","
                  + (tile.col0() + c)
                  + " of level "
                  + level
                  + " is empty");
        }
        out[r * tile.cols() + c] =
            switch (a) {
              case MEAN ->
                  (float) (tile.sum(r, c) / (rowPairs * g.colExtent(level, tile.col0() + c)));
              case MAX -> tile.max(r, c);
              case MIN -> tile.min(r, c);
            };
      }
    }
    return out;
  }
}
