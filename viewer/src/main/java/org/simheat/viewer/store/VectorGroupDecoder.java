package org.simheat.viewer.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.MessageType;
import org.simheat.format.Columns;

/**
 * Decodes one row group of a run's {@code embeddings} (position and vector columns) into {@link
 * VectorRows}.
 *
 * <p>Fast path: the vector column's pages are PLAIN floats (what Spark writes for them: a
 * dictionary of random floats never pays, so parquet-java falls back to PLAIN) with RLE levels.
 * When the levels say that every row holds exactly d present values (repetition level 0 exactly at
 * multiples of d, every definition level at its maximum; checked run by run, see {@link
 * LevelRuns}), the values are the row-major matrix itself and are copied in bulk from the
 * decompressed page: about memory bandwidth, against tens of nanoseconds per value through record
 * assembly. Any other page (a dictionary, DELTA encodings, empty or short lists) goes through
 * parquet-java's column readers, value by value, with the same checks.
 */
final class VectorGroupDecoder {
  private final int dim;

  /** Signals that the fast path does not apply to a page; the caller decodes generically. */
  static final class NotPlain extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotPlain() {
      super(null, null, false, false);
    }
  }

  VectorGroupDecoder(int dim) {
    this.dim = dim;
  }

  /**
   * Decodes a row group by bulk page copies.
   *
   * @throws NotPlain if a page of the vector column is not PLAIN with rows of exactly d values
   * @throws IllegalStateException if a position is missing
   */
  VectorRows fast(PageReadStore pages, MessageType projection, String createdBy) {
    int rows = Math.toIntExact(pages.getRowCount());
    int[] positions = positions(pages, projection, createdBy, rows);
    ColumnDescriptor vector = vectorLeaf(projection);
    VectorRows out = new VectorRows(positions, dim);
    PageReader reader = pages.getPageReader(vector);
    if (reader.readDictionaryPage() != null) {
      throw new NotPlain();
    }
    long at = 0;
    DataPage page;
    while ((page = reader.readPage()) != null) {
      at = page.accept(new PageCopy(vector, out, at));
    }
    if (at != out.values()) {
      throw new NotPlain();
    }
    return out;
  }

  /**
   * Decodes a row group value by value through parquet-java's column readers.
   *
   * @throws IllegalStateException if a row has another number of values than d, or a position is
   *     missing
   */
  VectorRows generic(PageReadStore pages, MessageType projection, String createdBy) {
    int rows = Math.toIntExact(pages.getRowCount());
    int[] positions = positions(pages, projection, createdBy, rows);
    ColumnDescriptor leaf = vectorLeaf(projection);
    ColumnReader vector =
        new ColumnReadStoreImpl(pages, IgnoringConverter.of(projection), projection, createdBy)
            .getColumnReader(leaf);
    int maxDefinition = leaf.getMaxDefinitionLevel();
    VectorRows out = new VectorRows(positions, dim);
    for (int r = 0; r < rows; r++) {
      int values = 0;
      do {
        if (vector.getCurrentDefinitionLevel() == maxDefinition) {
          if (values < dim) {
            out.set(r, values, vector.getFloat());
          }
          values++;
        }
        vector.consume();
      } while (vector.getCurrentRepetitionLevel() > 0);
      if (values != dim) {
        throw new IllegalStateException(
            "The embedding of position "
                + positions[r]
                + " has "
                + values
                + " values, the manifest says d = "
                + dim);
      }
    }
    return out;
  }

  private static int[] positions(
      PageReadStore pages, MessageType projection, String createdBy, int rows) {
    ColumnDescriptor leaf = projection.getColumnDescription(new String[] {Columns.POSITION});
    ColumnReader reader =
        new ColumnReadStoreImpl(pages, IgnoringConverter.of(projection), projection, createdBy)
            .getColumnReader(leaf);
    int[] out = new int[rows];
    for (int r = 0; r < rows; r++) {
      if (reader.getCurrentDefinitionLevel() != leaf.getMaxDefinitionLevel()) {
        throw new IllegalStateException("The embeddings have a row without a position");
      }
      out[r] = reader.getInteger();
      reader.consume();
    }
    return out;
  }

  private static ColumnDescriptor vectorLeaf(MessageType projection) {
    for (ColumnDescriptor d : projection.getColumns()) {
      if (d.getPath()[0].equals(Columns.VECTOR)) {
        return d;
      }
    }
    throw new IllegalStateException("The embeddings lack the column " + Columns.VECTOR);
  }

  /** Copies one data page's values into the matrix; returns the value index after them. */
  private final class PageCopy implements DataPage.Visitor<Long> {
    private final ColumnDescriptor column;
    private final VectorRows out;
    private final long at;

    PageCopy(ColumnDescriptor column, VectorRows out, long at) {
      this.column = column;
      this.out = out;
      this.at = at;
    }

    @Override
    public Long visit(DataPageV1 page) {
      if (page.getValueEncoding() != Encoding.PLAIN
          || page.getRlEncoding() != Encoding.RLE
          || page.getDlEncoding() != Encoding.RLE) {
        throw new NotPlain();
      }
      ByteBuffer buf = bytes(page.getBytes());
      int pos = buf.position();
      int n = page.getValueCount();
      int repLength = buf.getInt(pos);
      checkRepetition(buf, pos + 4, pos + 4 + repLength, n);
      pos += 4 + repLength;
      int defLength = buf.getInt(pos);
      checkDefinition(buf, pos + 4, pos + 4 + defLength, n);
      return copy(buf, pos + 4 + defLength, n);
    }

    @Override
    public Long visit(DataPageV2 page) {
      if (page.getDataEncoding() != Encoding.PLAIN) {
        throw new NotPlain();
      }
      int n = page.getValueCount();
      ByteBuffer rep = bytes(page.getRepetitionLevels());
      checkRepetition(rep, rep.position(), rep.limit(), n);
      ByteBuffer def = bytes(page.getDefinitionLevels());
      checkDefinition(def, def.position(), def.limit(), n);
      ByteBuffer data = bytes(page.getData());
      return copy(data, data.position(), n);
    }

    private void checkRepetition(ByteBuffer buf, int start, int end, int n) {
      if (column.getMaxRepetitionLevel() != 1
          || !LevelRuns.check(buf, start, end, 1, n, this::rowStartsAtMultiplesOfD)) {
        throw new NotPlain();
      }
    }

    private boolean rowStartsAtMultiplesOfD(long index, long count, int level) {
      long r = (at + index) % dim;
      if (level == 0) {
        return dim == 1 || (count == 1 && r == 0);
      }
      return level == 1 && r != 0 && r + count <= dim;
    }

    private void checkDefinition(ByteBuffer buf, int start, int end, int n) {
      int max = column.getMaxDefinitionLevel();
      int width = 32 - Integer.numberOfLeadingZeros(max);
      if (max == 0
          || !LevelRuns.check(buf, start, end, width, n, (index, count, level) -> level == max)) {
        throw new NotPlain();
      }
    }

    private long copy(ByteBuffer buf, int start, int n) {
      if (at + n > out.values() || buf.limit() - start < 4L * n) {
        throw new NotPlain();
      }
      ByteBuffer values = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      values.position(start);
      out.put(at, values.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), n);
      return at + n;
    }
  }

  private static ByteBuffer bytes(BytesInput in) {
    try {
      return in.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
