package org.simheat.jobs.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import scala.Tuple3;

/**
 * Reads embeddings from Parquet with Spark: a vector column ({@code array<float>}, {@code
 * array<double>} or an MLlib vector) and, optionally, a string token column.
 *
 * <p>A bare path is a local one, as for every reader here. Rows keep the order they have in the
 * files: files sorted by path, then each file's own row order (Spark's {@code
 * _metadata.row_index}), whatever way Spark splits the files into tasks. The vectors are collected
 * into one in-memory matrix on the driver, one partition at a time.
 */
public final class ParquetEmbeddingReader {
  private static final String PREFIX = "Cannot read embeddings: ";
  private static final String DEFAULT_TOKEN = "token";
  private static final String DEFAULT_VECTOR = "vector";

  private final String uri;

  private ParquetEmbeddingReader(String uri) {
    this.uri = uri;
  }

  /**
   * Reads a Parquet file or directory of Parquet files.
   *
   * @param tokenColumn the string column of tokens; null means {@code "token"} if the table has
   *     one, else no tokens
   * @param vectorColumn the vector column; null means {@code "vector"}
   * @return the matrix and its tokens (null when there is no token column)
   * @throws IllegalArgumentException if Spark cannot read the path as Parquet, a column is missing
   *     or of the wrong type, a vector or token is null, vectors differ in length, or the table is
   *     empty (naming the 0-based row, in file order, and the path)
   */
  public static LabeledMatrix read(
      SparkSession spark, String uri, String tokenColumn, String vectorColumn) {
    ParquetEmbeddingReader reader = new ParquetEmbeddingReader(uri);
    Dataset<Row> table = reader.load(spark);
    String vectorName = vectorColumn == null ? DEFAULT_VECTOR : vectorColumn;
    Column vector = reader.floatArray(table, vectorName);
    Column token = reader.tokens(table, tokenColumn);
    return reader.collect(table, token, vector, vectorName);
  }

  private Dataset<Row> load(SparkSession spark) {
    checkFooters(spark.sparkContext().hadoopConfiguration());
    try {
      return spark.read().parquet(InputFile.path(uri).toString());
    } catch (Exception e) {
      if (e instanceof SparkThrowable) {
        throw error("Spark cannot read it as Parquet: " + firstLine(deepestMessage(e)));
      }
      throw e;
    }
  }

  /**
   * Opens the footer of each Parquet file on the driver, so that a damaged file is refused with its
   * own reason before Spark's footer tasks fail on it (and log their stack traces). Paths that
   * cannot be listed are left to Spark to report.
   */
  private void checkFooters(Configuration conf) {
    List<FileStatus> files;
    try {
      org.apache.hadoop.fs.Path path = InputFile.path(uri);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(path);
      files =
          status.isDirectory()
              ? Arrays.stream(fs.listStatus(path))
                  .filter(f -> f.isFile() && !hidden(f.getPath().getName()))
                  .toList()
              : List.of(status);
    } catch (IOException e) {
      return;
    }
    for (FileStatus f : files) {
      try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
        footer.getFooter();
      } catch (IOException | RuntimeException e) {
        throw error("not a readable Parquet file: " + firstLine(deepestMessage(e)));
      }
    }
  }

  /** Files Spark skips: {@code _SUCCESS}, {@code .crc} and the like. */
  private static boolean hidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }

  private Column floatArray(Dataset<Row> table, String name) {
    DataType type = field(table, name).dataType();
    Column column = table.col(quote(name));
    if (type instanceof ArrayType array) {
      if (array.elementType().equals(DataTypes.FloatType)) {
        return column;
      }
      if (array.elementType().equals(DataTypes.DoubleType)) {
        return column.cast(DataTypes.createArrayType(DataTypes.FloatType));
      }
    }
    if (type instanceof org.apache.spark.ml.linalg.VectorUDT
        || type instanceof org.apache.spark.mllib.linalg.VectorUDT) {
      return org.apache.spark.ml.functions.vector_to_array(column, "float32");
    }
    throw error(
        "column '"
            + name
            + "' has type "
            + type.simpleString()
            + ", expected array<float>, array<double> or an MLlib vector");
  }

  private Column tokens(Dataset<Row> table, String name) {
    boolean present = Arrays.asList(table.columns()).contains(DEFAULT_TOKEN);
    if (name == null && !present) {
      return null;
    }
    String tokenName = name == null ? DEFAULT_TOKEN : name;
    DataType type = field(table, tokenName).dataType();
    if (!type.equals(DataTypes.StringType)) {
      throw error(
          "column '" + tokenName + "' has type " + type.simpleString() + ", expected string");
    }
    return table.col(quote(tokenName));
  }

  private StructField field(Dataset<Row> table, String name) {
    for (StructField field : table.schema().fields()) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    throw error("no column '" + name + "'; columns: " + String.join(", ", table.columns()));
  }

  private LabeledMatrix collect(
      Dataset<Row> table, Column token, Column vector, String vectorName) {
    boolean hasTokens = token != null;
    Dataset<Tuple3<String, float[], Boolean>> rows =
        table
            .select(
                col("_metadata.file_path").as("file"),
                col("_metadata.row_index").as("position"),
                (hasTokens ? token : lit(null).cast(DataTypes.StringType)).as("token"),
                exists(vector, x -> x.isNull()).as("has_null"),
                vector.as("vector"))
            .withColumn("vector", when(col("has_null"), lit(null)).otherwise(col("vector")))
            .orderBy("file", "position")
            .select("token", "vector", "has_null")
            .as(Encoders.tuple(Encoders.STRING(), floatArrayEncoder(table), Encoders.BOOLEAN()));
    RowCollector collector = new RowCollector(vectorName, hasTokens);
    Iterator<Tuple3<String, float[], Boolean>> it = rows.toLocalIterator();
    while (it.hasNext()) {
      Tuple3<String, float[], Boolean> row = it.next();
      collector.add(row._1(), row._2(), Boolean.TRUE.equals(row._3()));
    }
    return collector.finish();
  }

  private static org.apache.spark.sql.Encoder<float[]> floatArrayEncoder(Dataset<Row> table) {
    return table.sparkSession().implicits().newFloatArrayEncoder();
  }

  /** Copies rows into a matrix as they arrive, checking each. */
  private final class RowCollector {
    private final String vectorName;
    private final List<String> tokens;
    private MatrixBuilder values;
    private int dim = -1;
    private long rows;

    RowCollector(String vectorName, boolean hasTokens) {
      this.vectorName = vectorName;
      this.tokens = hasTokens ? new ArrayList<>() : null;
    }

    void add(String token, float[] vector, boolean hasNull) {
      if (vector == null || hasNull) {
        String what = hasNull ? "a null value in its vector" : "a null vector";
        throw error(
            "row " + rows + label(token) + " has " + what + " in column '" + vectorName + "'");
      }
      if (dim < 0) {
        dim = vector.length;
        values = new MatrixBuilder(0, uri);
      } else if (vector.length != dim) {
        throw error(
            "row "
                + rows
                + label(token)
                + " has "
                + vector.length
                + " values, expected "
                + dim
                + " as in row 0");
      }
      if (tokens != null) {
        if (token == null) {
          throw error("row " + rows + " has a null token");
        }
        tokens.add(token);
      }
      for (float v : vector) {
        values.add(v);
      }
      rows++;
    }

    LabeledMatrix finish() {
      if (rows == 0) {
        throw error("the matrix is empty: the table has no rows");
      }
      if (dim == 0) {
        throw error(
            "the matrix is empty: the vectors in column '" + vectorName + "' have no values");
      }
      String description = uri + " column " + vectorName;
      return new LabeledMatrix(values.build((int) rows, dim, description), tokens);
    }

    private String label(String token) {
      return tokens == null || token == null ? "" : " ('" + token + "')";
    }
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /**
   * The message of the deepest cause that has one: a damaged file's "is not a Parquet file" rather
   * than the failed Spark job wrapped around it.
   */
  private static String deepestMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message;
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message).strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(PREFIX + what + " (" + uri + ")");
  }
}
