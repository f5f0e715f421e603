package org.simheat.jobs.pyramid;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.similarity.CellBlock;

/**
 * Tiles as rows of the {@code tiles} table: {@code metric}, {@code level} (partition columns),
 * {@code tile_row}, {@code tile_col}, {@code rows}, {@code cols}, then one row-major {@code
 * list<float>} per stored aggregation. A cell's mean is its sum over its pair count, which edge
 * cells make smaller than s².
 */
public final class TileRows {
  private TileRows() {}

  /** The table's schema for the given aggregations, partition columns first. */
  public static StructType schema(List<Aggregation> aggregations) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(Columns.METRIC, DataTypes.StringType, false));
    fields.add(DataTypes.createStructField(Columns.LEVEL, DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField(Columns.TILE_ROW, DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField(Columns.TILE_COL, DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField(Columns.ROWS, DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField(Columns.COLS, DataTypes.IntegerType, false));
    for (Aggregation a : aggregations) {
      fields.add(
          DataTypes.createStructField(
              a.id(), DataTypes.createArrayType(DataTypes.FloatType, false), false));
    }
    return DataTypes.createStructType(fields);
  }

  /**
   * One tile as a row.
   *
   * @throws IllegalStateException if the tile is not whole or a cell received no value (a bug)
   */
  public static Row toRow(
      String metric, int level, CellBlock tile, TileGeometry g, List<Aggregation> aggregations) {
    int t = g.tileSize();
    if (!tile.isWholeFrame()) {
      throw new IllegalStateException(
          "Tile " + tile.row0() / t + "," + tile.col0() / t + " of level " + level + " is partial");
    }
    List<Object> values = new ArrayList<>();
    values.add(metric);
    values.add(level);
    values.add((int) (tile.row0() / t));
    values.add((int) (tile.col0() / t));
    values.add(tile.rows());
    values.add(tile.cols());
    for (Aggregation a : aggregations) {
      values.add(cells(tile, a, level, g));
    }
    return RowFactory.create(values.toArray());
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
