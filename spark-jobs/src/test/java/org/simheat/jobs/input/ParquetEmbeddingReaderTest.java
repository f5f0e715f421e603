package org.simheat.jobs.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.jobs.testing.TestSpark;

class ParquetEmbeddingReaderTest {
  private static final DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);
  private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType);

  @TempDir Path dir;

  private final SparkSession spark = TestSpark.session();

  @Test
  void readsFloatArraysWithTokens() throws IOException {
    String uri =
        write(
            "floats",
            schema("token", DataTypes.StringType, "vector", FLOATS),
            5,
            3,
            r -> floats(r, 3));

    LabeledMatrix read = ParquetEmbeddingReader.read(spark, uri, null, null);

    assertThat(read.tokens()).containsExactly("t0", "t1", "t2", "t3", "t4");
    assertFormula(read.matrix(), 5, 3);
    assertThat(read.matrix().describe()).isEqualTo(uri + " column vector");
  }

  @Test
  void readsDoubleArraysFromCustomColumns() throws IOException {
    StructType schema = schema("word", DataTypes.StringType, "emb", DOUBLES);
    String uri = write("doubles", schema, 4, 6, r -> doubles(r, 6));

    LabeledMatrix read = ParquetEmbeddingReader.read(spark, uri, "word", "emb");

    assertThat(read.tokens()).containsExactly("t0", "t1", "t2", "t3");
    assertFormula(read.matrix(), 4, 6);
  }

  @Test
  void readsMllibVectorsWithoutATokenColumn() throws IOException {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      rows.add(RowFactory.create(Vectors.dense(primitive(doubles(r, 2)))));
    }
    String uri = dir.resolve("vectors").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(uri);

    LabeledMatrix read = ParquetEmbeddingReader.read(spark, uri, null, "features");

    assertThat(read.tokens()).isNull();
    assertFormula(read.matrix(), 3, 2);
  }

  @Test
  void keepsFileNameOrderThenRowOrderWhateverTheSplits() throws IOException {
    StructType schema = schema("token", DataTypes.StringType, "vector", FLOATS);
    int[] sizes = {40, 3000, 700};
    Path table = Files.createDirectories(dir.resolve("ordered"));
    int start = 0;
    for (int f = 0; f < sizes.length; f++) {
      int offset = start;
      String part = write("part" + f, schema, sizes[f], 8, r -> floats(offset + r, 8), offset);
      try (Stream<Path> files = Files.list(Path.of(part))) {
        Path file = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        Files.move(file, table.resolve("part-" + f + ".parquet"));
      }
      start += sizes[f];
    }
    String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "4096");
    try {
      LabeledMatrix read = ParquetEmbeddingReader.read(spark, table.toString(), null, null);

      assertThat(tasksReading(table, "part-1.parquet")).isGreaterThan(1);
      assertThat(read.tokens()).hasSize(start);
      for (int r = 0; r < start; r++) {
        assertThat(read.tokens().get(r)).isEqualTo("t" + r);
      }
      assertFormula(read.matrix(), start, 8);
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", before);
    }
  }

  /** How many tasks read rows of one file: more than one when its row groups are split. */
  private long tasksReading(Path table, String file) {
    return spark
        .read()
        .parquet(table.toString())
        .where(col("_metadata.file_name").equalTo(file))
        .select(spark_partition_id())
        .distinct()
        .count();
  }

  @Test
  void rejectsAMissingVectorColumnListingTheColumns() throws IOException {
    String uri =
        write(
            "novec", schema("token", DataTypes.StringType, "emb", FLOATS), 2, 2, r -> floats(r, 2));

    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, uri, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read embeddings: no column 'vector'; columns: token, emb (" + uri + ")");
  }

  @Test
  void rejectsANamedTokenColumnThatIsMissing() throws IOException {
    String uri =
        write(
            "notok",
            schema("token", DataTypes.StringType, "vector", FLOATS),
            2,
            2,
            r -> floats(r, 2));

    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, uri, "word", null))
        .hasMessage(
            "Cannot read embeddings: no column 'word'; columns: token, vector (" + uri + ")");
  }

  @Test
  void rejectsAVectorColumnOfTheWrongType() throws IOException {
    DataType ints = DataTypes.createArrayType(DataTypes.IntegerType);
    StructType schema = schema("token", DataTypes.StringType, "vector", ints);
    String uri = write("ints", schema, 2, 2, r -> List.of(r, r + 1));

    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, uri, null, null))
        .hasMessage(
            "Cannot read embeddings: column 'vector' has type array<int>, expected array<float>,"
                + " array<double> or an MLlib vector ("
                + uri
                + ")");
  }

  @Test
  void rejectsATokenColumnOfTheWrongType() throws IOException {
    StructType schema = schema("token", DataTypes.LongType, "vector", FLOATS);
    String uri = dir.resolve("longtok").toString();
    spark
        .createDataFrame(List.of(RowFactory.create(7L, floats(0, 2))), schema)
        .write()
        .parquet(uri);

    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, uri, null, null))
        .hasMessage(
            "Cannot read embeddings: column 'token' has type bigint, expected string ("
                + uri
                + ")");
  }

  @Test
  void rejectsRaggedVectorsNamingTheRow() throws IOException {
    StructType schema = schema("token", DataTypes.StringType, "vector", FLOATS);
    String uri = write("ragged", schema, 4, 3, r -> floats(r, r == 2 ? 2 : 3));

    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, uri, null, null))
        .hasMessage(
            "Cannot read embeddings: row 2 ('t2') has 2 values, expected 3 as in row 0 ("
                + uri
                + ")");
  }

  @Test
  void rejectsNullVectorsAndNullValues() throws IOException {
    StructType schema = schema("token", DataTypes.StringType, "vector", FLOATS);
    String nullVector = write("nullvec", schema, 3, 2, r -> r == 1 ? null : floats(r, 2));
    String nullValue =
        write(
            "nullval",
            schema,
            3,
            2,
            r -> r == 2 ? java.util.Arrays.asList(1f, null) : floats(r, 2));

    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, nullVector, null, null))
        .hasMessage(
            "Cannot read embeddings: row 1 ('t1') has a null vector in column 'vector' ("
                + nullVector
                + ")");
    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, nullValue, null, null))
        .hasMessage(
            "Cannot read embeddings: row 2 ('t2') has a null value in its vector in column"
                + " 'vector' ("
                + nullValue
                + ")");
  }

  @Test
  void rejectsANullToken() throws IOException {
    StructType schema = schema("token", DataTypes.StringType, "vector", FLOATS);
    String uri = dir.resolve("nulltok").toString();
    List<Row> rows =
        List.of(RowFactory.create("a", floats(0, 2)), RowFactory.create(null, floats(1, 2)));
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(uri);

    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, uri, null, null))
        .hasMessage("Cannot read embeddings: row 1 has a null token (" + uri + ")");
  }

  @Test
  void rejectsAnEmptyTable() throws IOException {
    String uri =
        write("empty", schema("token", DataTypes.StringType, "vector", FLOATS), 0, 2, r -> null);

    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, uri, null, null))
        .hasMessage(
            "Cannot read embeddings: the matrix is empty: the table has no rows (" + uri + ")");
  }

  @Test
  void rejectsAPathSparkCannotRead() {
    String uri = dir.resolve("missing").toString();

    assertThatThrownBy(() -> ParquetEmbeddingReader.read(spark, uri, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read embeddings: Spark cannot read it as Parquet: ")
        .hasMessageContaining("PATH_NOT_FOUND")
        .hasMessageEndingWith("(" + uri + ")");
  }

  private static StructType schema(
      String token, DataType tokenType, String vector, DataType vectorType) {
    return new StructType().add(token, tokenType).add(vector, vectorType);
  }

  private String write(
      String name, StructType schema, int rows, int dim, IntFunction<List<?>> vector)
      throws IOException {
    return write(name, schema, rows, dim, vector, 0);
  }

  /** Writes one Parquet file of rows {@code ("t" + (first + r), vector(r))}, small row groups. */
  private String write(
      String name, StructType schema, int rows, int dim, IntFunction<List<?>> vector, int first) {
    List<Row> data = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      data.add(RowFactory.create("t" + (first + r), vector.apply(r)));
    }
    String uri = dir.resolve(name).toString();
    spark
        .createDataFrame(data, schema)
        .coalesce(1)
        .write()
        .option("parquet.block.size", 16384)
        .parquet(uri);
    return uri;
  }

  private static List<Float> floats(int r, int dim) {
    List<Float> row = new ArrayList<>();
    for (int c = 0; c < dim; c++) {
      row.add(value(r, c, dim));
    }
    return row;
  }

  private static List<Double> doubles(int r, int dim) {
    return floats(r, dim).stream().map(Float::doubleValue).toList();
  }

  private static double[] primitive(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static float value(int r, int c, int dim) {
    return (r * dim + c) * 0.125f - 3;
  }

  private static void assertFormula(MatrixSource matrix, int rows, int dim) throws IOException {
    assertThat(matrix.rows()).isEqualTo(rows);
    assertThat(matrix.dim()).isEqualTo(dim);
    float[] values = matrix.readRows(0, rows);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < dim; c++) {
        assertThat(values[r * dim + c]).as("(%d, %d)", r, c).isEqualTo(value(r, c, dim));
      }
    }
  }
}
