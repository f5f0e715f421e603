package org.simheat.jobs.output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.pyramid.TileRecord;
import org.simheat.jobs.pyramid.TileRows;
import org.simheat.jobs.similarity.CellBlock;
import org.simheat.jobs.similarity.PartKey;
import org.simheat.jobs.similarity.Partial;
import org.simheat.jobs.similarity.TopK;

/**
 * Writes a run's tables into its staging directory and verifies their row counts against what the
 * geometry says they must hold. Tables are sorted by what the viewer looks up (tiles by tile row
 * and column, the others by position) with small row groups, so point reads touch little.
 */
public final class RunTables {
  private static final String ROW_GROUP = "parquet.block.size";
  private static final long TILE_ROW_GROUP = 4L << 20;
  private static final long EMBEDDING_ROW_GROUP = 4L << 20;

  private RunTables() {}

  /** Schema of {@code embeddings}. */
  public static StructType embeddingSchema() {
    return DataTypes.createStructType(
        List.of(
            DataTypes.createStructField(Columns.POSITION, DataTypes.IntegerType, false),
            DataTypes.createStructField(Columns.ID, DataTypes.IntegerType, false),
            DataTypes.createStructField(Columns.TOKEN, DataTypes.StringType, false),
            DataTypes.createStructField(Columns.CLUSTER, DataTypes.IntegerType, false),
            DataTypes.createStructField(Columns.NORM, DataTypes.FloatType, false),
            DataTypes.createStructField(
                Columns.VECTOR, DataTypes.createArrayType(DataTypes.FloatType, false), false)));
  }

  /** Writes {@code tiles}: every stored level of every metric, partitioned by metric and level. */
  public static void writeTiles(
      SparkSession spark,
      List<JavaPairRDD<PartKey, CellBlock>> levels,
      int storedZoom,
      TileGeometry g,
      List<Metric> metrics,
      List<Aggregation> aggregations,
      Path staging) {
    JavaRDD<TileRecord> records = null;
    for (int i = 0; i < levels.size(); i++) {
      int level = storedZoom - i;
      JavaRDD<TileRecord> lr =
          levels
              .get(i)
              .map(
                  kv ->
                      TileRows.toRecord(
                          metrics.get(kv._1().metric()).id(), level, kv._2(), g, aggregations));
      records = records == null ? lr : records.union(lr);
    }
    // One partition per (metric, level), sorted by tile: one sorted file per level directory,
    // and no sampling pass as a range partitioning would need.
    Dataset<Row> df =
        spark
            .createDataset(records.rdd(), Encoders.bean(TileRecord.class))
            .selectExpr(TileRows.columns(aggregations).toArray(String[]::new));
    df.repartition(metrics.size() * levels.size(), df.col(Columns.METRIC), df.col(Columns.LEVEL))
        .sortWithinPartitions(Columns.METRIC, Columns.LEVEL, Columns.TILE_ROW, Columns.TILE_COL)
        .write()
        .option(ROW_GROUP, TILE_ROW_GROUP)
        // A tile row is up to 0.8 MB: check the row group's size after every row, not every 100.
        .option("parquet.block.size.row.check.min", 1)
        .option("parquet.block.size.row.check.max", 4)
        .partitionBy(Columns.METRIC, Columns.LEVEL)
        .parquet(new Path(staging, RunLayout.TILES).toString());
  }

  /** Writes {@code neighbors}: per metric, each position's neighbours best first with scores. */
  public static void writeNeighbors(
      SparkSession spark, JavaPairRDD<PartKey, Partial> parts, List<Metric> metrics, Path staging) {
    JavaRDD<Row> rows =
        parts
            .filter(kv -> kv._1().kind() == PartKey.NEIGHBORS)
            .flatMap(kv -> neighborRows(metrics.get(kv._1().metric()), (TopK) kv._2()));
    StructType schema =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField(Columns.METRIC, DataTypes.StringType, false),
                DataTypes.createStructField(Columns.POSITION, DataTypes.IntegerType, false),
                DataTypes.createStructField(
                    Columns.NEIGHBORS,
                    DataTypes.createArrayType(DataTypes.IntegerType, false),
                    false),
                DataTypes.createStructField(
                    Columns.SCORES, DataTypes.createArrayType(DataTypes.FloatType, false), false)));
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    df.repartition(metrics.size(), df.col(Columns.METRIC))
        .sortWithinPartitions(Columns.METRIC, Columns.POSITION)
        .write()
        .partitionBy(Columns.METRIC)
        .parquet(new Path(staging, RunLayout.NEIGHBORS).toString());
  }

  private static java.util.Iterator<Row> neighborRows(Metric metric, TopK top) {
    float sign = metric.higherIsBetter() ? 1f : -1f;
    List<Row> out = new ArrayList<>(top.rows());
    for (int i = 0; i < top.rows(); i++) {
      int size = top.size(i);
      int[] pos = new int[size];
      float[] scores = new float[size];
      for (int e = 0; e < size; e++) {
        pos[e] = top.position(i, e);
        scores[e] = sign * top.key(i, e);
      }
      out.add(RowFactory.create(metric.id(), (int) (top.rowStart() + i), pos, scores));
    }
    return out.iterator();
  }

  /**
   * Reads the written tables' row counts back (from Parquet footers) and compares them with the
   * geometry: tiles per metric and level, one neighbour row and one embedding row per position.
   *
   * @throws IllegalStateException naming the table and both counts when they differ
   */
  public static void verify(
      SparkSession spark,
      Path staging,
      TileGeometry g,
      int storedZoom,
      List<Metric> metrics,
      boolean symmetric,
      boolean neighbors) {
    Map<String, Long> expected = new HashMap<>();
    for (Metric m : metrics) {
      for (int z = 0; z <= storedZoom; z++) {
        expected.put("tiles/" + m.id() + "/" + z, g.storedTiles(z, symmetric));
      }
      if (neighbors) {
        expected.put("neighbors/" + m.id(), g.rows());
      }
    }
    expected.put("embeddings", g.rows());
    Map<String, Long> actual = new HashMap<>();
    spark
        .read()
        .parquet(new Path(staging, RunLayout.TILES).toString())
        .groupBy(Columns.METRIC, Columns.LEVEL)
        .count()
        .collectAsList()
        .forEach(r -> actual.put("tiles/" + r.getString(0) + "/" + r.getInt(1), r.getLong(2)));
    if (neighbors) {
      spark
          .read()
          .parquet(new Path(staging, RunLayout.NEIGHBORS).toString())
          .groupBy(Columns.METRIC)
          .count()
          .collectAsList()
          .forEach(r -> actual.put("neighbors/" + r.getString(0), r.getLong(1)));
    }
    actual.put(
        "embeddings",
        spark.read().parquet(new Path(staging, RunLayout.EMBEDDINGS).toString()).count());
    if (!expected.equals(actual)) {
      throw new IllegalStateException(
          "Written tables do not hold what they must: expected " + expected + ", found " + actual);
    }
  }
}
