package org.simheat.viewer.store;

import static org.apache.parquet.filter2.predicate.FilterApi.and;
import static org.apache.parquet.filter2.predicate.FilterApi.gtEq;
import static org.apache.parquet.filter2.predicate.FilterApi.intColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.lt;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import org.simheat.format.Columns;

/**
 * The vectors of a run's {@code embeddings} table, sorted by position over one or more files. A
 * read of positions [from, to) filters on the position column, so only the pages holding them are
 * decoded: memory is {@code (to − from) · d} floats, whatever the run's size.
 */
public final class EmbeddingStore {
  private static final List<String> COLUMNS = List.of(Columns.POSITION, Columns.VECTOR);
  private static final List<String> NORM_COLUMNS = List.of(Columns.POSITION, Columns.NORM);

  private final ParquetTable table;
  private final int dim;

  /** The vectors of {@code table}, each of {@code dim} floats. */
  public EmbeddingStore(ParquetTable table, int dim) {
    this.table = table;
    this.dim = dim;
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
    table.scan(
        COLUMNS,
        and(
            gtEq(intColumn(Columns.POSITION), (int) from),
            lt(intColumn(Columns.POSITION), (int) to)),
        KeyFilter.range(Columns.POSITION, from, to),
        row -> {
          long p = row.intValue(0);
          if (p >= from && p < to) {
            place(row, p, from, out, seen);
          }
          return true;
        });
    checkComplete(seen, count, from, to);
    return out;
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

  private void place(FlatRow row, long p, long from, float[] out, BitSet seen) {
    int k = (int) (p - from);
    if (row.listSize(1) != dim) {
      throw new IllegalStateException(
          "The embedding of position "
              + p
              + " has "
              + row.listSize(1)
              + " values, the manifest says d = "
              + dim);
    }
    if (seen.get(k)) {
      throw new IllegalStateException("The embeddings hold position " + p + " twice");
    }
    seen.set(k);
    row.copyFloats(1, out, k * dim);
  }
}
