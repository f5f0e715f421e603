package org.simheat.jobs.output;

import static org.apache.parquet.filter2.predicate.FilterApi.eq;
import static org.apache.parquet.filter2.predicate.FilterApi.intColumn;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.RunLayout;
import org.simheat.jobs.input.DenseMatrix;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.TestSpark;

/** The direct embeddings writer: what Spark, DuckDB and parquet-java read back from its files. */
class EmbeddingWriterTest {
  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();
  private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

  private static String token(int i) {
    return switch (i % 5) {
      case 0 -> "tok" + i;
      case 1 -> "naïve東京" + i;
      case 2 -> "";
      case 3 -> "##ing";
      default -> "x".repeat(i % 97);
    };
  }

  private record Written(float[][] e, String[] tokens, double[] norms, Path dir) {}

  private Written write(int n, int d, int blockRows, Path staging) {
    float[][] e = NaiveSimilarity.gaussian(n, d, n);
    e[5] = new float[d];
    String[] tokens = new String[n];
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = token(i);
      norms[i] = Math.sqrt(NaiveSimilarity.value(org.simheat.format.Metric.DOT, e[i], e[i], true));
    }
    Broadcast<MatrixSource> source =
        jsc.broadcast(new DenseMatrix(NaiveSimilarity.flatten(e), n, d, "test"));
    int files =
        EmbeddingWriter.write(
            jsc,
            source,
            jsc.broadcast(tokens),
            jsc.broadcast(norms),
            blockRows,
            new org.apache.hadoop.fs.Path(staging.toUri()));
    Path dir = staging.resolve(RunLayout.EMBEDDINGS);
    assertThat(parts(dir)).hasSize(files);
    return new Written(e, tokens, norms, dir);
  }

  private static List<String> parts(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".parquet"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void sparkReadsEveryRowBackInPositionOrder() {
    Written w = write(9001, 7, 1000, tmp);
    assertThat(parts(w.dir())).containsExactly("part-00000.parquet", "part-00001.parquet");
    List<Row> rows = spark.read().parquet(w.dir().toString()).orderBy("position").collectAsList();
    assertThat(rows).hasSize(9001);
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      assertThat(r.getInt(r.fieldIndex("position"))).isEqualTo(i);
      assertThat(r.getInt(r.fieldIndex("id"))).isEqualTo(i);
      assertThat(r.getString(r.fieldIndex("token"))).isEqualTo(w.tokens()[i]);
      assertThat(r.getInt(r.fieldIndex("cluster"))).isEqualTo(-1);
      assertThat(r.getFloat(r.fieldIndex("norm"))).isEqualTo((float) w.norms()[i]);
      List<Float> v = r.getList(r.fieldIndex("vector"));
      assertThat(v).hasSize(7);
      for (int c = 0; c < 7; c++) {
        assertThat(v.get(c)).isEqualTo(w.e()[i][c]);
      }
    }
    List<String> want =
        Stream.of(RunTables.embeddingSchema().fields())
            .map(f -> f.name() + ":" + f.dataType().simpleString())
            .toList();
    assertThat(
            Stream.of(spark.read().parquet(w.dir().toString()).schema().fields())
                .map((StructField f) -> f.name() + ":" + f.dataType().simpleString()))
        .containsExactlyElementsOf(want);
  }

  @Test
  void duckDbReadsTheFilesInNameOrderAsPositionOrder() throws SQLException {
    Written w = write(9001, 3, 512, tmp);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        var st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery(
              "SELECT filename, min(position), max(position), count(*), sum(len(vector)) "
                  + "FROM read_parquet('"
                  + w.dir()
                  + "/*.parquet', filename = true) GROUP BY filename ORDER BY filename");
      long next = 0;
      while (rs.next()) {
        assertThat(rs.getLong(2)).isEqualTo(next);
        next = rs.getLong(3) + 1;
        assertThat(rs.getLong(4)).isEqualTo(rs.getLong(3) - rs.getLong(2) + 1);
        assertThat(rs.getLong(5)).isEqualTo(3 * rs.getLong(4));
      }
      assertThat(next).isEqualTo(9001);
      rs =
          st.executeQuery(
              "SELECT token, norm, vector FROM read_parquet('"
                  + w.dir()
                  + "/*.parquet') WHERE position = 4321");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(w.tokens()[4321]);
      assertThat(rs.getFloat(2)).isEqualTo((float) w.norms()[4321]);
      Object[] v = (Object[]) rs.getArray(3).getArray();
      for (int k = 0; k < 3; k++) {
        assertThat(((Number) v[k]).floatValue()).isEqualTo(w.e()[4321][k]);
      }
    }
  }

  @Test
  void theSchemaIsTheOneSparkWritesWithItsSparkMetadata() throws IOException {
    Path sparkDir = tmp.resolve("spark");
    spark
        .createDataFrame(
            List.of(RowFactory.create(0, 0, "a", -1, 1f, new float[] {1f, 0f})),
            RunTables.embeddingSchema())
        .write()
        .parquet(sparkDir.toString());
    Path sparkFile = parts(sparkDir).stream().map(sparkDir::resolve).findFirst().orElseThrow();
    Written w = write(10, 2, 4, tmp.resolve("ours"));
    ParquetMetadata theirs = footer(sparkFile);
    ParquetMetadata ours = footer(w.dir().resolve("part-00000.parquet"));
    assertThat(ours.getFileMetaData().getSchema()).isEqualTo(theirs.getFileMetaData().getSchema());
    assertThat(ours.getFileMetaData().getKeyValueMetaData().get(EmbeddingWriter.SPARK_SCHEMA_KEY))
        .isEqualTo(RunTables.embeddingSchema().json());
  }

  @Test
  void aPointReadByPositionDecodesOnePageOfOneRowGroup() throws IOException {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("e.parquet").toUri());
    float[][] e = NaiveSimilarity.gaussian(237, 3, 4);
    try (EmbeddingFileWriter w =
        new EmbeddingFileWriter(
            HadoopOutputFile.fromPath(file, conf),
            conf,
            3,
            CompressionCodecName.SNAPPY,
            Map.of(),
            10,
            4)) {
      for (int i = 0; i < e.length; i++) {
        w.append(i, i, token(i), -1, 1f, e[i], 0);
      }
    }
    ParquetMetadata footer = footer(Path.of(file.toUri()));
    List<long[]> groups = new ArrayList<>();
    for (BlockMetaData b : footer.getBlocks()) {
      var stats = b.getColumns().get(0).getStatistics();
      groups.add(new long[] {b.getRowCount(), (Integer) stats.genericGetMin()});
    }
    assertThat(groups).extracting(g -> g[0]).containsExactly(40L, 40L, 40L, 40L, 40L, 37L);
    assertThat(groups).extracting(g -> g[1]).containsExactly(0L, 40L, 80L, 120L, 160L, 200L);
    FilterCompat.Filter at123 = FilterCompat.get(eq(intColumn("position"), 123));
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(file, conf),
            HadoopReadOptions.builder(conf).withRecordFilter(at123).build())) {
      PageReadStore pages = reader.readNextFilteredRowGroup();
      assertThat(pages.getRowCount()).as("rows decoded for one position").isEqualTo(10);
      assertThat(pages.getRowIndexOffset()).isPresent().hasValue(120L);
      pages.close();
      assertThat(reader.readNextFilteredRowGroup()).isNull();
    }
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), file)
            .withFilter(at123)
            .withConf(conf)
            .build()) {
      Group g = reader.read();
      assertThat(g.getInteger("position", 0)).isEqualTo(123);
      assertThat(g.getString("token", 0)).isEqualTo(token(123));
      Group list = g.getGroup("vector", 0);
      assertThat(list.getFieldRepetitionCount("list")).isEqualTo(3);
      for (int k = 0; k < 3; k++) {
        assertThat(list.getGroup("list", k).getFloat("element", 0)).isEqualTo(e[123][k]);
      }
      assertThat(reader.read()).isNull();
    }
  }

  @Test
  void writingAgainKeepsOneFilePerRangeAndRemovesLeftovers() throws IOException {
    Written first = write(9001, 2, 1000, tmp);
    byte[] before = Files.readAllBytes(first.dir().resolve("part-00001.parquet"));
    Path stray = first.dir().resolve(".part-00000.parquet.77.tmp");
    Files.write(stray, new byte[] {1, 2, 3});
    write(9001, 2, 1000, tmp);
    assertThat(parts(first.dir())).containsExactly("part-00000.parquet", "part-00001.parquet");
    assertThat(stray).doesNotExist();
    assertThat(Files.readAllBytes(first.dir().resolve("part-00001.parquet"))).isEqualTo(before);
    assertThat(spark.read().parquet(first.dir().toString()).count()).isEqualTo(9001);
  }

  @Test
  void filesAreAboutTheTargetSizeAndAMultipleOfTheCores() {
    assertThat(EmbeddingWriter.fileCount(10, 768, 4)).isEqualTo(1);
    assertThat(EmbeddingWriter.fileCount(9001, 7, 4)).isEqualTo(2);
    assertThat(EmbeddingWriter.fileCount(1_000_000, 768, 2)).isEqualTo(24);
    assertThat(EmbeddingWriter.fileCount(100_000, 768, 2)).isEqualTo(4);
    assertThat(EmbeddingWriter.fileName(3, 24)).isEqualTo("part-00003.parquet");
    assertThat(EmbeddingWriter.fileName(3, 200_000)).isEqualTo("part-000003.parquet");
  }

  private static ParquetMetadata footer(Path file) throws IOException {
    Configuration conf = new Configuration();
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))) {
      return r.getFooter();
    }
  }
}
