package org.simheat.jobs.output;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * One Parquet file written straight from arrays with parquet-java, without Spark rows: a {@link
 * WriteSupport} that hands each record to a function writing it field by field. The file appears
 * atomically: it is written under a hidden name ({@code .name.UUID.tmp}, which Spark, DuckDB and
 * the viewer all skip) and renamed on {@link Writer#close()}. A retried or speculative task that
 * writes the same name replaces the file with identical content.
 */
public final class ParquetFile {
  private ParquetFile() {}

  /** Writes records of type T. */
  public interface Writer<T> extends Closeable {
    /** Appends one record. */
    void write(T record) throws IOException;
  }

  /**
   * Opens a writer.
   *
   * @param file the final path
   * @param schema the file's schema
   * @param metadata key-value metadata for the footer
   * @param rowGroupBytes target row-group size
   * @param fields writes one record's fields (between the consumer's startMessage/endMessage)
   */
  public static <T> Writer<T> open(
      Configuration conf,
      Path file,
      MessageType schema,
      Map<String, String> metadata,
      long rowGroupBytes,
      BiConsumer<RecordConsumer, T> fields)
      throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    Path tmp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
    ParquetWriter<T> writer =
        new Builder<>(HadoopOutputFile.fromPath(tmp, conf), schema, metadata, fields)
            .withConf(conf)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize(rowGroupBytes)
            // Records can be large (a tile is up to 0.8 MB): check sizes after every few.
            .withMinRowCountForPageSizeCheck(1)
            .withMaxRowCountForPageSizeCheck(8)
            .withPageWriteChecksumEnabled(false)
            .build();
    return new Writer<>() {
      private boolean closed;

      @Override
      public void write(T record) throws IOException {
        writer.write(record);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        writer.close();
        if (fs.exists(file)) {
          fs.delete(file, false);
        }
        if (!fs.rename(tmp, file)) {
          throw new IOException("Cannot rename " + tmp + " to " + file);
        }
      }
    };
  }

  /** Writes a required {@code list<float>} field in the standard three-level layout. */
  public static void floatList(RecordConsumer rc, String field, int index, float[] v) {
    rc.startField(field, index);
    rc.startGroup();
    if (v.length > 0) {
      rc.startField("list", 0);
      for (float x : v) {
        rc.startGroup();
        rc.startField("element", 0);
        rc.addFloat(x);
        rc.endField("element", 0);
        rc.endGroup();
      }
      rc.endField("list", 0);
    }
    rc.endGroup();
    rc.endField(field, index);
  }

  /** Writes a required {@code list<int>} field in the standard three-level layout. */
  public static void intList(RecordConsumer rc, String field, int index, int[] v) {
    rc.startField(field, index);
    rc.startGroup();
    if (v.length > 0) {
      rc.startField("list", 0);
      for (int x : v) {
        rc.startGroup();
        rc.startField("element", 0);
        rc.addInteger(x);
        rc.endField("element", 0);
        rc.endGroup();
      }
      rc.endField("list", 0);
    }
    rc.endGroup();
    rc.endField(field, index);
  }

  /** Writes a required int32 field. */
  public static void int32(RecordConsumer rc, String field, int index, int v) {
    rc.startField(field, index);
    rc.addInteger(v);
    rc.endField(field, index);
  }

  private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
    private final MessageType schema;
    private final Map<String, String> metadata;
    private final BiConsumer<RecordConsumer, T> fields;

    Builder(
        HadoopOutputFile out,
        MessageType schema,
        Map<String, String> metadata,
        BiConsumer<RecordConsumer, T> fields) {
      super(out);
      this.schema = schema;
      this.metadata = metadata;
      this.fields = fields;
    }

    @Override
    protected Builder<T> self() {
      return this;
    }

    @Override
    protected WriteSupport<T> getWriteSupport(Configuration conf) {
      return new WriteSupport<>() {
        private RecordConsumer consumer;

        @Override
        public WriteContext init(Configuration configuration) {
          return new WriteContext(schema, metadata);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
          this.consumer = recordConsumer;
        }

        @Override
        public void write(T record) {
          consumer.startMessage();
          fields.accept(consumer, record);
          consumer.endMessage();
        }
      };
    }
  }
}
