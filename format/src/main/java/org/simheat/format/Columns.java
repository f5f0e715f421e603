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

  // clusters, col_clusters: one row per node of the cluster tree. Leaves are clusters 0..K-1 in
  // display order (the embeddings' cluster column); internal nodes are K.. in depth-first order.
  // Every node covers the contiguous positions [start, end).
  public static final String PARENT = "parent";
  public static final String LEAF = "leaf";
  public static final String DEPTH = "depth";
  public static final String START = "start";
  public static final String END = "end";
  public static final String SIZE = "size";
  public static final String LABEL = "label";
  public static final String LABEL_TOKENS = "label_tokens";
  public static final String MEAN_SIMILARITY = "mean_similarity";
  public static final String RADIUS = "radius";

  // cluster_tiles/metric=<m>: one row per (row cluster, column cluster) pair of leaves
  public static final String CLUSTER_ROW = "cluster_row";
  public static final String CLUSTER_COL = "cluster_col";
  public static final String PAIRS = "pairs";
  // mean, max, min: Aggregation.id()

  // saliency/<doc>/tokens: one row per (facet, position); token as above
  public static final String DOC = "doc";
  public static final String FACET = "facet";
  public static final String FORMAT = "format";
  public static final String META = "meta";
  public static final String HEAT = "heat";
  public static final String HAS_HEAT = "has_heat";

  /** The run's vocabulary position of the token (-1: none; imported documents have none). */
  public static final String VOCAB_POSITION = "vocab_position";

  // saliency/<doc>/heat (sparse heat): one row per non-zero value heat[facet][position][target]
  public static final String TARGET = "target";
  public static final String VALUE = "value";

  // Hive-style partition keys in directory names.
  public static final String METRIC = "metric";
  public static final String LEVEL = "level";

  private Columns() {}
}
