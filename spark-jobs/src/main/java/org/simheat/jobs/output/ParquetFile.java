package org.simheat.jobs.output;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * One Parquet file written column by column from arrays with parquet-java's column writers: the
 * values go straight to each column's pages with their repetition and definition levels, with none
 * of the per-value group bookkeeping of the record API (which costs tens of nanoseconds a float,
 * the encoding itself a few). Flat schemas only: required primitives (and optional floats) and
 * required lists of required primitives in the standard three-level layout, which is what Spark
 * writes for non-nullable arrays. Snappy, plain encoding (similarities are nearly all distinct
 * floats, so a dictionary would only overflow), statistics and column indexes as usual.
 *
 * <p>The file appears atomically: it is written under a hidden name ({@code .name.UUID.tmp}, which
 * Spark, DuckDB and the viewer all skip) and renamed by {@link #close()}. A retried or speculative
 * task that writes the same name replaces the file with identical content.
 *
 * <p>Use: for each row, one call per column in schema order, then {@link #endRow()}.
 */
public final class ParquetFile implements Closeable {
  private static final int PAGE_SIZE = 1 << 20;

  private final FileSystem fs;
  private final Path file;
  private final Path tmp;
  private final MessageType schema;
  private final Map<String, String> metadata;
  private final long rowGroupBytes;
  private final ParquetProperties props;
  private final BytesInputCompressor compressor;
  private final CodecFactory codecs;
  private final ParquetFileWriter writer;
  private final List<ColumnDescriptor> columns;
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore store;
  private ColumnWriter[] writers;
  private long rows;
  private boolean closed;

  private ParquetFile(
      Configuration conf,
      Path file,
      MessageType schema,
      Map<String, String> metadata,
      long rowGroupBytes)
      throws IOException {
    this.fs = file.getFileSystem(conf);
    this.file = file;
    this.tmp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
    this.schema = schema;
    this.metadata = metadata;
    this.rowGroupBytes = rowGroupBytes;
    this.props =
        ParquetProperties.builder()
            .withDictionaryEncoding(false)
            .withPageSize(PAGE_SIZE)
            .withPageWriteChecksumEnabled(false)
            .build();
    this.codecs = new CodecFactory(conf, PAGE_SIZE);
    this.compressor = codecs.getCompressor(CompressionCodecName.SNAPPY);
    this.writer =
        new ParquetFileWriter(
            RawOutputFile.of(tmp, conf),
            schema,
            ParquetFileWriter.Mode.OVERWRITE,
            rowGroupBytes,
            0,
            props.getColumnIndexTruncateLength(),
            props.getStatisticsTruncateLength(),
            false);
    this.columns = schema.getColumns();
    writer.start();
    newRowGroup();
  }

  /**
   * Opens a file for writing.
   *
   * @param file the final path
   * @param metadata key-value metadata for the footer
   * @param rowGroupBytes target row-group size
   */
  public static ParquetFile open(
      Configuration conf,
      Path file,
      MessageType schema,
      Map<String, String> metadata,
      long rowGroupBytes)
      throws IOException {
    return new ParquetFile(conf, file, schema, metadata, rowGroupBytes);
  }

  private void newRowGroup() {
    pages =
        new ColumnChunkPageWriteStore(
            compressor,
            schema,
            props.getAllocator(),
            props.getColumnIndexTruncateLength(),
            props.getPageWriteChecksumEnabled());
    store = props.newColumnWriteStore(schema, pages);
    writers = new ColumnWriter[columns.size()];
    for (int c = 0; c < writers.length; c++) {
      writers[c] = store.getColumnWriter(columns.get(c));
    }
    rows = 0;
  }

  private void flushRowGroup() throws IOException {
    if (rows > 0) {
      writer.startBlock(rows);
      store.flush();
      pages.flushToFileWriter(writer);
      writer.endBlock();
    }
    store.close();
    pages.close();
  }

  /** Writes a required int32 column's value. */
  public void int32(int column, int v) {
    writers[column].write(v, 0, 0);
  }

  /** Writes a required int64 column's value. */
  public void int64(int column, long v) {
    writers[column].write(v, 0, 0);
  }

  /** Writes a required boolean column's value. */
  public void bool(int column, boolean v) {
    writers[column].write(v, 0, 0);
  }

  /** Writes a required float column's value. */
  public void float32(int column, float v) {
    writers[column].write(v, 0, 0);
  }

  /** Writes an optional float column's value, null for none. */
  public void optionalFloat32(int column, Float v) {
    if (v == null) {
      writers[column].writeNull(0, 0);
    } else {
      writers[column].write(v, 0, 1);
    }
  }

  /** Writes a required UTF-8 string column's value. */
  public void string(int column, String v) {
    writers[column].write(Binary.fromString(v), 0, 0);
  }

  /** Writes a required {@code list<string>} column's value. */
  public void strings(int column, List<String> v) {
    ColumnWriter w = writers[column];
    if (v.isEmpty()) {
      w.writeNull(0, 0);
      return;
    }
    for (int x = 0; x < v.size(); x++) {
      w.write(Binary.fromString(v.get(x)), x == 0 ? 0 : 1, 1);
    }
  }

  /** Writes a required {@code list<float>} column's value: {@code v[off, off + len)}. */
  public void floats(int column, float[] v, int off, int len) {
    ColumnWriter w = writers[column];
    if (len == 0) {
      w.writeNull(0, 0);
      return;
    }
    w.write(v[off], 0, 1);
    for (int x = off + 1, end = off + len; x < end; x++) {
      w.write(v[x], 1, 1);
    }
  }

  /** Writes a required {@code list<int>} column's value. */
  public void ints(int column, int[] v) {
    ColumnWriter w = writers[column];
    if (v.length == 0) {
      w.writeNull(0, 0);
      return;
    }
    w.write(v[0], 0, 1);
    for (int x = 1; x < v.length; x++) {
      w.write(v[x], 1, 1);
    }
  }

  /**
   * Ends the current row; starts a new row group once this one reaches its target size.
   *
   * @throws IOException naming the file if the row group cannot be written
   */
  public void endRow() throws IOException {
    store.endRecord();
    rows++;
    if (store.getBufferedSize() >= rowGroupBytes) {
      try {
        flushRowGroup();
      } catch (IOException e) {
        throw failed(e);
      }
      newRowGroup();
    }
  }

  /**
   * Finishes the file and renames it into place; on failure the unfinished file is dropped.
   *
   * @throws IOException naming the file if it cannot be finished or renamed
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      flushRowGroup();
      writer.end(metadata);
    } catch (IOException e) {
      abandon();
      throw failed(e);
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
    closed = true;
    codecs.release();
    if (fs.exists(file)) {
      fs.delete(file, false);
    }
    if (!fs.rename(tmp, file)) {
      throw new IOException("Cannot rename " + tmp + " to " + file);
    }
  }

  private IOException failed(IOException e) {
    return FileWriteException.naming(file, e);
  }

  /**
   * Drops an unfinished file: closes its stream (an open stream keeps a deleted file's disk space)
   * and deletes it.
   */
  public void abandon() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      store.close();
      pages.close();
    } catch (RuntimeException e) {
      // Best effort: only buffers are released here.
    }
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      // The stream is closed even when its last flush fails; the data is dropped anyway.
    }
    codecs.release();
    try {
      fs.delete(tmp, false);
    } catch (IOException | RuntimeException e) {
      // Best effort: the hidden temporary name is skipped by every reader, and the run's staging
      // directory is deleted with everything in it.
    }
  }
}
