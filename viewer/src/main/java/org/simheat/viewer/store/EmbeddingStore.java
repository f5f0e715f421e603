package org.simheat.viewer.store;

import static org.apache.parquet.filter2.predicate.FilterApi.and;
import static org.apache.parquet.filter2.predicate.FilterApi.gtEq;
import static org.apache.parquet.filter2.predicate.FilterApi.intColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.lt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.apache.parquet.column.ColumnReader;
import org.simheat.format.Columns;

/**
 * The vectors of a run's {@code embeddings} table, sorted by position over one or more files.
 *
 * <p>A read of positions [from, to) takes the row groups whose position statistics meet the range,
 * decodes each whole (see {@link VectorGroupDecoder}: bulk page copies for PLAIN floats) and keeps
 * it in a byte-bounded cache shared by every run, so neighbouring live tiles and views, which read
 * the same row and column ranges, decode them once. A row group larger than {@link
 * #MAX_GROUP_BYTES} decoded is never decoded whole: such reads filter on the position column and
 * decode only the pages holding it. Memory: the cache's bound plus {@code (to − from) · d} floats.
 */
public final class EmbeddingStore {
  /** Largest decoded row group read whole (the job writes 4 MiB row groups). */
  static final long MAX_GROUP_BYTES = 32L << 20;

  private static final List<String> COLUMNS = List.of(Columns.POSITION, Columns.VECTOR);
  private static final List<String> NORM_COLUMNS = List.of(Columns.POSITION, Columns.NORM);

  private final ParquetTable table;
  private final int dim;
  private final BoundedCache<GroupKey, VectorRows> groups;
  private final VectorGroupDecoder decoder;

  /** A decoded row group's identity: its file and index. */
  public record GroupKey(Path file, int index) {}

  /** The vectors of {@code table}, each of {@code dim} floats, without a row-group cache. */
  public EmbeddingStore(ParquetTable table, int dim) {
    this(table, dim, newGroupCache(0));
  }

  /** The vectors of {@code table}, decoded row groups kept in {@code groups}. */
  public EmbeddingStore(ParquetTable table, int dim, BoundedCache<GroupKey, VectorRows> groups) {
    this.table = table;
    this.dim = dim;
    this.groups = groups;
    this.decoder = new VectorGroupDecoder(dim);
  }

  /** A cache of decoded row groups holding at most {@code bytes}. */
  public static BoundedCache<GroupKey, VectorRows> newGroupCache(long bytes) {
    return new BoundedCache<>(bytes, VectorRows::bytes);
  }

  /** The embedding dimension d. */
  public int dim() {
    return dim;
  }

  /**
   * Reads the vectors of positions [from, to), row-major: position p at {@code (p − from) · d}.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException if a position is missing, repeated, or has another dimension
   */
  public float[] read(long from, long to) throws IOException {
    int count = Math.toIntExact(to - from);
    float[] out = new float[Math.multiplyExact(count, dim)];
    BitSet seen = new BitSet(count);
    List<ParquetTable.RowGroup> wanted =
        table.rowGroups(KeyFilter.range(Columns.POSITION, from, to));
    if (wanted.stream().anyMatch(g -> g.rows() * dim * 4L > MAX_GROUP_BYTES)) {
      readPages(from, to, out, seen);
    } else {
      for (ParquetTable.RowGroup g : wanted) {
        copy(groups.get(new GroupKey(g.file(), g.index()), () -> decode(g)), from, to, out, seen);
      }
    }
    checkComplete(seen, count, from, to);
    return out;
  }

  private VectorRows decode(ParquetTable.RowGroup g) throws IOException {
    try {
      return table.readRowGroup(g, COLUMNS, decoder::fast);
    } catch (VectorGroupDecoder.NotPlain e) {
      return table.readRowGroup(g, COLUMNS, decoder::generic);
    }
  }

  private void copy(VectorRows rows, long from, long to, float[] out, BitSet seen) {
    int[] positions = rows.positions();
    for (int r = 0; r < positions.length; r++) {
      long p = positions[r];
      if (p >= from && p < to) {
        int k = (int) (p - from);
        if (seen.get(k)) {
          throw new IllegalStateException("The embeddings hold position " + p + " twice");
        }
        seen.set(k);
        rows.copyRow(r, out, k * dim);
      }
    }
  }

  /** Reads [from, to) decoding only the pages that hold it, through column readers. */
  private void readPages(long from, long to, float[] out, BitSet seen) throws IOException {
    table.scanColumns(
        COLUMNS,
        and(
            gtEq(intColumn(Columns.POSITION), (int) from),
            lt(intColumn(Columns.POSITION), (int) to)),
        KeyFilter.range(Columns.POSITION, from, to),
        (readers, rows) -> {
          for (long r = 0; r < rows; r++) {
            readRow(readers[0], readers[1], from, to, out, seen);
          }
          return true;
        });
  }

  /**
   * Reads one row's position and vector from the column readers; the vector lands in {@code out}
   * when the position lies in [from, to), and is skipped otherwise (pages hold neighbouring rows).
   */
  private void readRow(
      ColumnReader position, ColumnReader vector, long from, long to, float[] out, BitSet seen) {
    long p = position.getInteger();
    position.consume();
    boolean wanted = p >= from && p < to;
    int k = (int) (p - from);
    int base = wanted ? k * dim : 0;
    int maxDefinition = vector.getDescriptor().getMaxDefinitionLevel();
    int values = 0;
    do {
      if (vector.getCurrentDefinitionLevel() == maxDefinition) {
        if (wanted && values < dim) {
          out[base + values] = vector.getFloat();
        } else {
          vector.skip();
        }
        values++;
      }
      vector.consume();
    } while (vector.getCurrentRepetitionLevel() > 0);
    if (wanted) {
      check(p, values, seen.get(k));
      seen.set(k);
    }
  }

  private void check(long p, int values, boolean repeated) {
    if (values != dim) {
      throw new IllegalStateException(
          "The embedding of position "
              + p
              + " has "
              + values
              + " values, the manifest says d = "
              + dim);
    }
    if (repeated) {
      throw new IllegalStateException("The embeddings hold position " + p + " twice");
    }
  }

  /**
   * Reads the stored norms ‖x_p‖ of positions [from, to): position p at {@code p − from}. Only the
   * position and norm columns are decoded.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException if a position is missing or repeated, or a file lacks the norm
   *     column
   */
  public float[] norms(long from, long to) throws IOException {
    int count = Math.toIntExact(to - from);
    float[] out = new float[count];
    BitSet seen = new BitSet(count);
    table.scan(
        NORM_COLUMNS,
        and(
            gtEq(intColumn(Columns.POSITION), (int) from),
            lt(intColumn(Columns.POSITION), (int) to)),
        KeyFilter.range(Columns.POSITION, from, to),
        row -> {
          long p = row.intValue(0);
          if (p >= from && p < to) {
            int k = (int) (p - from);
            if (seen.get(k)) {
              throw new IllegalStateException("The embeddings hold position " + p + " twice");
            }
            seen.set(k);
            out[k] = row.floatValue(1);
          }
          return true;
        });
    checkComplete(seen, count, from, to);
    return out;
  }

  private static void checkComplete(BitSet seen, int count, long from, long to) {
    if (seen.cardinality() != count) {
      throw new IllegalStateException(
          "The embeddings miss position "
              + (from + seen.nextClearBit(0))
              + " of "
              + from
              + ".."
              + (to - 1));
    }
  }
}
