package org.simheat.viewer.testing;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;
import org.simheat.viewer.store.StandaloneCodecFactory;
import org.xerial.snappy.Snappy;

/**
 * Writes Parquet as Spark does (SNAPPY, three-level lists, column indexes) without Hadoop, for
 * synthetic runs in tests and benchmarks: rows are arrays of Integer, Long, Boolean, String, Float,
 * int[], float[] or String[] in schema order (null for an optional column's null), with small row
 * groups and pages when a test wants pruning to show.
 */
public final class ParquetRowWriter implements Closeable {
  private final ParquetWriter<Object[]> writer;

  /**
   * Opens {@code file} for rows of {@code schema} (Parquet's message syntax).
   *
   * @param rowGroupBytes row group size
   * @param pageRows most rows per page
   */
  public ParquetRowWriter(Path file, String schema, long rowGroupBytes, int pageRows)
      throws IOException {
    this(file, schema, rowGroupBytes, pageRows, false, false);
  }

  /**
   * Opens {@code file} for rows of {@code schema}, with dictionary encoding (kept only where it
   * pays, as parquet-java decides) and data pages of format v2 when asked.
   *
   * @param rowGroupBytes row group size
   * @param pageRows most rows per page
   */
  public ParquetRowWriter(
      Path file,
      String schema,
      long rowGroupBytes,
      int pageRows,
      boolean dictionary,
      boolean pagesV2)
      throws IOException {
    MessageType type = MessageTypeParser.parseMessageType(schema);
    writer =
        new Builder(new LocalOutputFile(file), type)
            .withConf(new PlainParquetConfiguration())
            .withCodecFactory(new SnappyWriting())
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize(rowGroupBytes)
            .withPageRowCountLimit(pageRows)
            .withMinRowCountForPageSizeCheck(1)
            .withDictionaryEncoding(dictionary)
            .withWriterVersion(
                pagesV2
                    ? ParquetProperties.WriterVersion.PARQUET_2_0
                    : ParquetProperties.WriterVersion.PARQUET_1_0)
            .build();
  }

  /** Appends one row. */
  public void write(Object... row) throws IOException {
    writer.write(row);
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final MessageType schema;

    Builder(LocalOutputFile file, MessageType schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return new RowSupport(schema);
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
      return new RowSupport(schema);
    }
  }

  /** Pushes one row's values into Parquet's record consumer. */
  private static final class RowSupport extends WriteSupport<Object[]> {
    private final MessageType schema;
    private RecordConsumer out;

    RowSupport(MessageType schema) {
      this.schema = schema;
    }

    @Override
    @SuppressWarnings("deprecation")
    public WriteContext init(Configuration conf) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration conf) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      out = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
      out.startMessage();
      for (int f = 0; f < row.length; f++) {
        Type t = schema.getType(f);
        if (row[f] == null) {
          continue;
        }
        out.startField(t.getName(), f);
        if (t.isPrimitive()) {
          scalar(row[f]);
        } else {
          list(row[f]);
        }
        out.endField(t.getName(), f);
      }
      out.endMessage();
    }

    private void scalar(Object v) {
      if (v instanceof Integer i) {
        out.addInteger(i);
      } else if (v instanceof Long l) {
        out.addLong(l);
      } else if (v instanceof Boolean b) {
        out.addBoolean(b);
      } else if (v instanceof Float x) {
        out.addFloat(x);
      } else {
        out.addBinary(Binary.fromString((String) v));
      }
    }

    private void list(Object v) {
      int n =
          v instanceof float[] f
              ? f.length
              : v instanceof String[] strings ? strings.length : ((int[]) v).length;
      out.startGroup();
      if (n > 0) {
        out.startField("list", 0);
        for (int k = 0; k < n; k++) {
          out.startGroup();
          out.startField("element", 0);
          if (v instanceof float[] f) {
            out.addFloat(f[k]);
          } else if (v instanceof String[] strings) {
            out.addBinary(Binary.fromString(strings[k]));
          } else {
            out.addInteger(((int[]) v)[k]);
          }
          out.endField("element", 0);
          out.endGroup();
        }
        out.endField("list", 0);
      }
      out.endGroup();
    }
  }

  /** SNAPPY compression through snappy-java, decompression through the viewer's own factory. */
  private static final class SnappyWriting implements CompressionCodecFactory {
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      return new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
          return BytesInput.from(Snappy.compress(bytes.toInputStream().readAllBytes()));
        }

        @Override
        public CompressionCodecName getCodecName() {
          return CompressionCodecName.SNAPPY;
        }

        @Override
        public void release() {}
      };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      return StandaloneCodecFactory.INSTANCE.getDecompressor(codec);
    }

    @Override
    public void release() {}
  }
}
