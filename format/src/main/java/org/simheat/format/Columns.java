package org.simheat.format;

/** Column names of the run's Parquet tables. Columns may be added; these are never renamed. */
public final class Columns {
  // tiles/metric=<m>/level=<z>
  public static final String TILE_ROW = "tile_row";
  public static final String TILE_COL = "tile_col";
  public static final String ROWS = "rows";
  public static final String COLS = "cols";
  // mean, max, min: Aggregation.id()

  // neighbors/metric=<m>
  public static final String POSITION = "position";
  public static final String NEIGHBORS = "neighbors";
  public static final String SCORES = "scores";

  // embeddings
  public static final String ID = "id";
  public static final String TOKEN = "token";
  public static final String CLUSTER = "cluster";
  public static final String NORM = "norm";
  public static final String VECTOR = "vector";

  // Hive-style partition keys in directory names.
  public static final String METRIC = "metric";
  public static final String LEVEL = "level";

  private Columns() {}
}
