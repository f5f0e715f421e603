package org.simheat.jobs.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.input.HadoopConf;
import org.simheat.jobs.similarity.CellBlock;
import org.simheat.jobs.similarity.PartKey;
import scala.Tuple2;

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

  /**
   * Writes {@code tiles} from levels held as RDDs (the finest first): each partition writes its
   * tiles of each metric, sorted by tile, into one file of that level's directory.
   */
  public static void writeTiles(
      SparkSession spark,
      List<JavaPairRDD<PartKey, CellBlock>> levels,
      int storedZoom,
      TileGeometry g,
      List<Metric> metrics,
      List<Aggregation> aggregations,
      Path staging) {
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    String dir = staging.toString();
    List<Metric> ms = List.copyOf(metrics);
    List<Aggregation> aggs = List.copyOf(aggregations);
    for (int i = 0; i < levels.size(); i++) {
      int level = storedZoom - i;
      levels
          .get(i)
          .foreachPartition(
              it ->
                  writePartition(
                      it, TaskContext.getPartitionId(), level, g, ms, aggs, conf.get(), dir));
    }
  }

  private static void writePartition(
      Iterator<Tuple2<PartKey, CellBlock>> it,
      int partition,
      int level,
      TileGeometry g,
      List<Metric> metrics,
      List<Aggregation> aggregations,
      Configuration conf,
      String staging)
      throws IOException {
    List<Tuple2<PartKey, CellBlock>> tiles = new ArrayList<>();
    it.forEachRemaining(tiles::add);
    tiles.sort(
        Comparator.comparingInt((Tuple2<PartKey, CellBlock> kv) -> kv._1().metric())
            .thenComparingLong(kv -> kv._1().a())
            .thenComparingLong(kv -> kv._1().b()));
    for (int m = 0; m < metrics.size(); m++) {
      final int metric = m;
      List<CellBlock> mine =
          tiles.stream().filter(kv -> kv._1().metric() == metric).map(Tuple2::_2).toList();
      if (mine.isEmpty()) {
        continue;
      }
      Path file =
          new Path(
              TileFiles.levelDir(new Path(staging), metrics.get(m), level),
              TileFiles.partName(partition));
      TileFiles.writeTiles(conf, file, g, level, aggregations, mine);
    }
  }

  /** Rows of the visible Parquet files of a directory, from their footers (0 if it is missing). */
  static long rowCount(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) {
      return 0;
    }
    long rows = 0;
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      if (f.isFile() && name.endsWith(".parquet") && !name.startsWith(".")) {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
          rows += r.getRecordCount();
        }
      }
    }
    return rows;
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
    verify(spark, staging, g, storedZoom, metrics, symmetric, neighbors, Map.of());
  }

  /**
   * Verifies the tables as above, and the row count of every table in {@code more} (a directory
   * under the staging directory, e.g. {@code col_embeddings}, {@code clusters}, {@code
   * cluster_tiles/metric=cosine}).
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
      boolean neighbors,
      Map<String, Long> more) {
    Map<String, Long> expected = new HashMap<>(more);
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
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      for (Metric m : metrics) {
        for (int z = 0; z <= storedZoom; z++) {
          actual.put(
              "tiles/" + m.id() + "/" + z, rowCount(TileFiles.levelDir(staging, m, z), conf));
        }
        if (neighbors) {
          Path dir =
              new Path(new Path(staging, RunLayout.NEIGHBORS), Columns.METRIC + "=" + m.id());
          actual.put("neighbors/" + m.id(), rowCount(dir, conf));
        }
      }
      actual.put("embeddings", rowCount(new Path(staging, RunLayout.EMBEDDINGS), conf));
      for (String table : more.keySet()) {
        actual.put(table, rowCount(new Path(staging, table), conf));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read back the tables under " + staging, e);
    }
    if (!expected.equals(actual)) {
      throw new IllegalStateException(
          "Written tables do not hold what they must: expected " + expected + ", found " + actual);
    }
  }
}
