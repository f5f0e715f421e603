package org.simheat.jobs.output;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.simheat.format.Columns;

/**
 * One Parquet file of the {@code embeddings} table, written page by page through parquet-java's
 * {@link ParquetFileWriter} from rows appended in position order.
 *
 * <p>The schema is the one Spark writes for {@link RunTables#embeddingSchema()}: required {@code
 * position}, {@code id}, {@code cluster} (int32), {@code token} (string), {@code norm} (float) and
 * {@code vector} as the standard three-level list {@code vector.list.element} of required floats.
 * Pages are version-1 data pages in PLAIN encoding, built straight from the buffered columns: a
 * vector page is its repetition levels (per row one run of a 0 and one of d − 1 ones, RLE), its
 * definition levels (one run of ones) and the floats' little-endian bytes, so writing costs about a
 * copy of the data rather than a call per value. Every column of a row group is split into pages at
 * the same rows, each page with min/max statistics, so parquet-java fills in the column and offset
 * indexes and a reader filtering on {@code position} decodes one page of each column.
 *
 * <p>Not thread-safe. {@link #close()} writes the last row group and the footer.
 */
final class EmbeddingFileWriter implements Closeable {
  /** Target bytes of one vector page; every column's pages break at the same rows. */
  static final int PAGE_BYTES = 256 << 10;

  /**
   * Target bytes of one row group's vectors: the viewer decodes whole row groups for live tiles, so
   * they are kept small (about 340 rows at d = 768).
   */
  static final int ROW_GROUP_BYTES = 1 << 20;

  static final MessageType SCHEMA =
      Types.buildMessage()
          .required(PrimitiveTypeName.INT32)
          .named(Columns.POSITION)
          .required(PrimitiveTypeName.INT32)
          .named(Columns.ID)
          .required(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named(Columns.TOKEN)
          .required(PrimitiveTypeName.INT32)
          .named(Columns.CLUSTER)
          .required(PrimitiveTypeName.FLOAT)
          .named(Columns.NORM)
          .requiredList()
          .requiredElement(PrimitiveTypeName.FLOAT)
          .named(Columns.VECTOR)
          .named("spark_schema");

  private final ParquetFileWriter file;
  private final CodecFactory codecs;
  private final BytesInputCompressor compressor;
  private final CompressionCodecName codec;
  private final Map<String, String> metadata;
  private final List<ColumnDescriptor> columns = SCHEMA.getColumns();
  private final int dim;
  private final int rowsPerPage;
  private final int[] positions;
  private final int[] ids;
  private final int[] clusters;
  private final float[] norms;
  private final byte[][] tokens;
  private final float[] vectors;
  private int buffered;
  private long rows;

  /**
   * Opens a new file, with pages of about {@link #PAGE_BYTES} of vectors and row groups of about
   * {@link #ROW_GROUP_BYTES}; the file must not exist.
   *
   * @param metadata key-value metadata for the footer (Spark's schema, for one)
   * @throws IOException if the file cannot be created
   */
  EmbeddingFileWriter(
      OutputFile out,
      Configuration conf,
      int dim,
      CompressionCodecName codec,
      Map<String, String> metadata)
      throws IOException {
    this(out, conf, dim, codec, metadata, defaultRowsPerPage(dim), pagesPerGroup(dim));
  }

  /**
   * Opens a new file with explicit page and row-group sizes; the file must not exist.
   *
   * @throws IOException if the file cannot be created
   */
  EmbeddingFileWriter(
      OutputFile out,
      Configuration conf,
      int dim,
      CompressionCodecName codec,
      Map<String, String> metadata,
      int rowsPerPage,
      int pagesPerGroup)
      throws IOException {
    this.dim = dim;
    this.codec = codec;
    this.metadata = metadata;
    this.rowsPerPage = rowsPerPage;
    int groupRows = Math.multiplyExact(rowsPerPage, pagesPerGroup);
    this.positions = new int[groupRows];
    this.ids = new int[groupRows];
    this.clusters = new int[groupRows];
    this.norms = new float[groupRows];
    this.tokens = new byte[groupRows][];
    this.vectors = new float[Math.multiplyExact(groupRows, dim)];
    this.codecs = new CodecFactory(conf, PAGE_BYTES);
    this.compressor = codecs.getCompressor(codec);
    this.file =
        new ParquetFileWriter(
            out,
            SCHEMA,
            ParquetFileWriter.Mode.CREATE,
            ROW_GROUP_BYTES,
            0,
            null,
            ParquetProperties.builder().build());
    file.start();
  }

  private static int defaultRowsPerPage(int dim) {
    return Math.max(1, Math.min(20_000, PAGE_BYTES / (4 * dim)));
  }

  private static int pagesPerGroup(int dim) {
    return Math.max(1, ROW_GROUP_BYTES / (defaultRowsPerPage(dim) * 4 * dim));
  }

  /** Rows per data page. */
  int rowsPerPage() {
    return rowsPerPage;
  }

  /** Rows per row group (the last one may hold fewer). */
  int rowsPerGroup() {
    return positions.length;
  }

  /**
   * Appends one row; rows must come in position order.
   *
   * @param vector holds the row's d values from {@code offset}
   * @throws IOException if a full row group cannot be written
   */
  void append(
      int position, int id, String token, int cluster, float norm, float[] vector, int offset)
      throws IOException {
    positions[buffered] = position;
    ids[buffered] = id;
    tokens[buffered] = token.getBytes(StandardCharsets.UTF_8);
    clusters[buffered] = cluster;
    norms[buffered] = norm;
    System.arraycopy(vector, offset, vectors, buffered * dim, dim);
    if (++buffered == positions.length) {
      flushRowGroup();
    }
  }

  /** Rows appended so far. */
  long rows() {
    return rows + buffered;
  }

  private void flushRowGroup() throws IOException {
    if (buffered == 0) {
      return;
    }
    file.startBlock(buffered);
    writeInts(columns.get(0), positions);
    writeInts(columns.get(1), ids);
    writeTokens(columns.get(2));
    writeInts(columns.get(3), clusters);
    writeNorms(columns.get(4));
    writeVectors(columns.get(5));
    file.endBlock();
    rows += buffered;
    buffered = 0;
  }

  private void writeInts(ColumnDescriptor column, int[] values) throws IOException {
    file.startColumn(column, buffered, codec);
    for (int from = 0; from < buffered; from += rowsPerPage) {
      int n = Math.min(rowsPerPage, buffered - from);
      ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
      b.asIntBuffer().put(values, from, n);
      Statistics<?> stats = Statistics.createStats(column.getPrimitiveType());
      for (int i = from; i < from + n; i++) {
        stats.updateStats(values[i]);
      }
      writePage(b.array(), n, n, stats, Encoding.BIT_PACKED);
    }
    file.endColumn();
  }

  private void writeNorms(ColumnDescriptor column) throws IOException {
    file.startColumn(column, buffered, codec);
    for (int from = 0; from < buffered; from += rowsPerPage) {
      int n = Math.min(rowsPerPage, buffered - from);
      ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(norms, from, n);
      writePage(b.array(), n, n, floatStats(column, norms, from, n), Encoding.BIT_PACKED);
    }
    file.endColumn();
  }

  private void writeTokens(ColumnDescriptor column) throws IOException {
    file.startColumn(column, buffered, codec);
    for (int from = 0; from < buffered; from += rowsPerPage) {
      int n = Math.min(rowsPerPage, buffered - from);
      int size = 0;
      for (int i = from; i < from + n; i++) {
        size += 4 + tokens[i].length;
      }
      ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
      Statistics<?> stats = Statistics.createStats(column.getPrimitiveType());
      for (int i = from; i < from + n; i++) {
        b.putInt(tokens[i].length).put(tokens[i]);
        stats.updateStats(Binary.fromConstantByteArray(tokens[i]));
      }
      writePage(b.array(), n, n, stats, Encoding.BIT_PACKED);
    }
    file.endColumn();
  }

  private void writeVectors(ColumnDescriptor column) throws IOException {
    file.startColumn(column, (long) buffered * dim, codec);
    for (int from = 0; from < buffered; from += rowsPerPage) {
      int n = Math.min(rowsPerPage, buffered - from);
      int values = n * dim;
      byte[] rep = LevelRuns.repetition(n, dim);
      byte[] def = LevelRuns.constant(1, values);
      ByteBuffer b =
          ByteBuffer.allocate(8 + rep.length + def.length + 4 * values)
              .order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(rep.length).put(rep).putInt(def.length).put(def);
      b.asFloatBuffer().put(vectors, from * dim, values);
      writePage(
          b.array(), values, n, floatStats(column, vectors, from * dim, values), Encoding.RLE);
    }
    file.endColumn();
  }

  private static Statistics<?> floatStats(ColumnDescriptor column, float[] v, int from, int n) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int i = from; i < from + n; i++) {
      lo = Math.min(lo, v[i]);
      hi = Math.max(hi, v[i]);
    }
    Statistics<?> stats = Statistics.createStats(column.getPrimitiveType());
    if (!Float.isNaN(lo) && !Float.isNaN(hi)) {
      stats.updateStats(lo);
      stats.updateStats(hi);
    }
    return stats;
  }

  private void writePage(byte[] raw, int values, int pageRows, Statistics<?> stats, Encoding levels)
      throws IOException {
    BytesInput compressed = compressor.compress(BytesInput.from(raw));
    file.writeDataPage(
        values, raw.length, compressed, stats, pageRows, levels, levels, Encoding.PLAIN);
  }

  /**
   * Writes the last row group and the footer; the file is complete once this returns. The stream is
   * closed even when this fails (an open stream keeps a deleted file's disk space).
   */
  @Override
  public void close() throws IOException {
    try {
      flushRowGroup();
      file.end(metadata);
    } catch (IOException | RuntimeException e) {
      try {
        file.close();
      } catch (IOException | RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    } finally {
      codecs.release();
    }
  }
}
