package org.simheat.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.jobs.output.FileWriteException;
import org.simheat.jobs.output.ParquetFile;
import org.simheat.jobs.similarity.ClusterCells;

/**
 * Writes the {@code clusters} table (one row per node of an axis's tree) and {@code
 * cluster_tiles/metric=<m>} (one row per pair of leaves, both triangles) into a run's staging
 * directory, each as one Parquet file ({@code part-00000.parquet}) written under a hidden name and
 * renamed when complete.
 */
public final class ClusterTables {
  /** The one file of each table. */
  static final String PART = "part-00000.parquet";

  private static final long ROW_GROUP = 4L << 20;

  private ClusterTables() {}

  /** Schema of {@code clusters} (and {@code col_clusters}). */
  public static MessageType clusterSchema() {
    List<Type> f = new ArrayList<>();
    f.add(Types.required(PrimitiveTypeName.INT32).named(Columns.CLUSTER));
    f.add(Types.required(PrimitiveTypeName.INT32).named(Columns.PARENT));
    f.add(Types.required(PrimitiveTypeName.BOOLEAN).named(Columns.LEAF));
    f.add(Types.required(PrimitiveTypeName.INT32).named(Columns.DEPTH));
    f.add(Types.required(PrimitiveTypeName.INT64).named(Columns.START));
    f.add(Types.required(PrimitiveTypeName.INT64).named(Columns.END));
    f.add(Types.required(PrimitiveTypeName.INT64).named(Columns.SIZE));
    f.add(string(Types.required(PrimitiveTypeName.BINARY)).named(Columns.LABEL));
    f.add(
        Types.requiredGroup()
            .as(LogicalTypeAnnotation.listType())
            .addField(
                Types.repeatedGroup()
                    .addField(string(Types.required(PrimitiveTypeName.BINARY)).named("element"))
                    .named("list"))
            .named(Columns.LABEL_TOKENS));
    f.add(Types.optional(PrimitiveTypeName.FLOAT).named(Columns.MEAN_SIMILARITY));
    f.add(Types.required(PrimitiveTypeName.FLOAT).named(Columns.RADIUS));
    return new MessageType("spark_schema", f);
  }

  private static Types.PrimitiveBuilder<PrimitiveType> string(
      Types.PrimitiveBuilder<PrimitiveType> b) {
    return b.as(LogicalTypeAnnotation.stringType());
  }

  /** Schema of {@code cluster_tiles} (the partition column metric is in the path). */
  public static MessageType clusterTileSchema(List<Aggregation> aggregations) {
    List<Type> f = new ArrayList<>();
    f.add(Types.required(PrimitiveTypeName.INT32).named(Columns.CLUSTER_ROW));
    f.add(Types.required(PrimitiveTypeName.INT32).named(Columns.CLUSTER_COL));
    f.add(Types.required(PrimitiveTypeName.INT64).named(Columns.PAIRS));
    for (Aggregation a : aggregations) {
      f.add(Types.required(PrimitiveTypeName.FLOAT).named(a.id()));
    }
    return new MessageType("spark_schema", f);
  }

  /**
   * Writes the tables of a run in cluster order: {@code clusters}, a cross run's {@code
   * col_clusters}, and every metric's {@code cluster_tiles}.
   *
   * @param rows the rows' order
   * @param cols a cross run's columns' order, or null for a symmetric run
   * @param pass per metric, what the blocked pass pooled, or null on the mean fast path
   * @throws UncheckedIOException if a file cannot be written
   */
  public static void write(
      Configuration conf,
      Path staging,
      ClusterOrder rows,
      ClusterOrder cols,
      List<Metric> metrics,
      List<Aggregation> aggregations,
      ClusterCells[] pass) {
    writeClusters(conf, staging, RunLayout.CLUSTERS, rows);
    if (cols != null) {
      writeClusters(conf, staging, RunLayout.COL_CLUSTERS, cols);
    }
    ClusterOrder c = cols == null ? rows : cols;
    for (int m = 0; m < metrics.size(); m++) {
      writeClusterTiles(
          conf, staging, metrics.get(m), rows, c, pass == null ? null : pass[m], aggregations);
    }
  }

  /**
   * Writes an axis's tree as {@code table} ({@link RunLayout#CLUSTERS} or {@link
   * RunLayout#COL_CLUSTERS}).
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writeClusters(
      Configuration conf, Path staging, String table, ClusterOrder order) {
    writeFile(
        conf,
        new Path(new Path(staging, table), PART),
        clusterSchema(),
        out -> {
          for (ClusterNode n : order.nodes()) {
            out.int32(0, n.id());
            out.int32(1, n.parent());
            out.bool(2, n.leaf());
            out.int32(3, n.depth());
            out.int64(4, n.start());
            out.int64(5, n.end());
            out.int64(6, n.size());
            out.string(7, n.label());
            out.strings(8, n.labelTokens());
            out.optionalFloat32(
                9, n.meanSimilarity() == null ? null : n.meanSimilarity().floatValue());
            out.float32(10, (float) n.radius());
            out.endRow();
          }
        });
  }

  /**
   * Writes one metric's cluster-pooled matrix: rows are the row axis's leaves, columns the column
   * axis's (the same order twice in a symmetric run).
   *
   * @param pass what the blocked pass pooled, or null on the mean fast path (means only)
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writeClusterTiles(
      Configuration conf,
      Path staging,
      Metric metric,
      ClusterOrder rows,
      ClusterOrder cols,
      ClusterCells pass,
      List<Aggregation> aggregations) {
    ClusterPooling pooling = new ClusterPooling(metric, rows, cols, pass);
    writeFile(
        conf,
        new Path(new Path(staging, RunLayout.clusterTilesDir(metric)), PART),
        clusterTileSchema(aggregations),
        out -> {
          for (int i = 0; i < rows.clusters(); i++) {
            for (int j = 0; j < cols.clusters(); j++) {
              out.int32(0, i);
              out.int32(1, j);
              out.int64(2, pooling.pairs(i, j));
              for (int a = 0; a < aggregations.size(); a++) {
                out.float32(3 + a, (float) pooling.value(aggregations.get(a), i, j));
              }
              out.endRow();
            }
          }
        });
  }

  /** Writes a table's rows. */
  @FunctionalInterface
  private interface RowWriter {
    void write(ParquetFile out) throws IOException;
  }

  /**
   * Writes one file under a hidden name, renamed into place when complete; on failure abandons it.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  private static void writeFile(Configuration conf, Path file, MessageType schema, RowWriter rows) {
    try {
      ParquetFile out = ParquetFile.open(conf, file, schema, Map.of(), ROW_GROUP);
      try {
        rows.write(out);
      } catch (IOException | RuntimeException e) {
        out.abandon();
        throw e;
      }
      out.close();
    } catch (IOException e) {
      FileWriteException named = FileWriteException.naming(file, e);
      throw new UncheckedIOException(named.getMessage(), named);
    }
  }
}
