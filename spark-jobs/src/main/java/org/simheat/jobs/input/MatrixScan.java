package org.simheat.jobs.input;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * One read of a matrix, block by block on the executors, that checks every value is finite and
 * computes the row norms, and, when asked, the per-cell row sums that the mean pyramid needs
 * ({@link CellSums}), in the same pass. It runs before anything is written: a NaN or ±Inf anywhere
 * fails the run with one line naming the first bad rows (and their tokens) and the file.
 *
 * <p>Each task scans a contiguous range of blocks and returns its rows' norms and one block of cell
 * sums covering its rows; the driver copies the norms into place and adds the sums up, so the
 * driver holds O(N) norms and O(C·d) sums for C cells, never the matrix.
 */
public final class MatrixScan {
  private static final int LISTED = 5;

  private MatrixScan() {}

  /**
   * Norms and zero rows of a checked matrix.
   *
   * @param norms L2 norm of each row
   * @param zeroRows rows whose every value is 0
   * @param sums per-cell row sums over the whole matrix, or null if none were asked for
   */
  public record Result(double[] norms, List<Long> zeroRows, CellSums sums) {}

  /** What one task's range of rows contributes. */
  private record RangeScan(
      long start, double[] norms, long nonFinite, List<Long> listed, List<Long> zero, CellSums sums)
      implements Serializable {}

  /**
   * Scans the matrix for non-finite values and norms.
   *
   * @param tokens tokens of the rows, or null, to name bad rows
   * @throws IllegalArgumentException if any value is NaN or infinite, naming the rows and the file
   */
  public static Result scan(
      JavaSparkContext jsc, Broadcast<MatrixSource> source, int blockRows, List<String> tokens) {
    return scan(jsc, source, blockRows, tokens, null);
  }

  /**
   * Scans the matrix for non-finite values and norms and, in the same read, sums its rows by cell.
   *
   * @param tokens tokens of the rows, or null, to name bad rows
   * @param sums which cell sums to accumulate, or null for none
   * @throws IllegalArgumentException if any value is NaN or infinite, naming the rows and the file
   */
  public static Result scan(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      int blockRows,
      List<String> tokens,
      CellSums.Spec sums) {
    MatrixSource m = source.value();
    int blocks = (int) ((m.rows() + blockRows - 1) / blockRows);
    List<Integer> ids = IntStream.range(0, blocks).boxed().toList();
    List<RangeScan> scans =
        jsc.parallelize(ids, Math.max(1, Math.min(blocks, jsc.defaultParallelism() * 4)))
            .mapPartitions(
                it -> {
                  List<Integer> mine = new ArrayList<>();
                  it.forEachRemaining(mine::add);
                  return mine.isEmpty()
                      ? List.<RangeScan>of().iterator()
                      : List.of(scanRange(source.value(), mine, blockRows, sums)).iterator();
                })
            .collect();
    double[] norms = new double[(int) m.rows()];
    List<Long> bad = new ArrayList<>();
    List<Long> zero = new ArrayList<>();
    long badCount = 0;
    CellSums total = sums == null ? null : CellSums.forRows(sums, m.dim(), 0, m.rows());
    for (RangeScan s : scans) {
      System.arraycopy(s.norms(), 0, norms, (int) s.start(), s.norms().length);
      badCount += s.nonFinite();
      s.listed().stream().limit(LISTED - bad.size()).forEach(bad::add);
      zero.addAll(s.zero());
      if (total != null) {
        total.addAll(s.sums());
      }
    }
    if (badCount > 0) {
      throw nonFinite(m, bad, badCount, tokens);
    }
    return new Result(norms, zero, total);
  }

  /** Scans consecutive blocks {@code ids} (in order, as Spark slices a range). */
  private static RangeScan scanRange(
      MatrixSource m, List<Integer> ids, int blockRows, CellSums.Spec spec) {
    long start = (long) ids.get(0) * blockRows;
    long end = Math.min(m.rows(), ((long) ids.get(ids.size() - 1) + 1) * blockRows);
    int d = m.dim();
    Tally tally = new Tally(start, end, d, spec);
    float[] data = new float[Math.multiplyExact(blockRows, d)];
    for (long b = start; b < end; b += blockRows) {
      int count = (int) Math.min(blockRows, end - b);
      read(m, b, count, data);
      for (int r = 0; r < count; r++) {
        tally.add(b + r, data, r * d);
      }
    }
    return tally.result();
  }

  /** What rows [start, end) add up to, row by row. */
  private static final class Tally {
    private final long start;
    private final int dim;
    private final double[] norms;
    private final List<Long> listed = new ArrayList<>();
    private final List<Long> zero = new ArrayList<>();
    private final CellSums sums;
    private long nonFinite;

    Tally(long start, long end, int dim, CellSums.Spec spec) {
      this.start = start;
      this.dim = dim;
      this.norms = new double[(int) (end - start)];
      this.sums = spec == null ? null : CellSums.forRows(spec, dim, start, end);
    }

    /** Checks row {@code row}, at {@code data[offset …]}, and folds it in. */
    void add(long row, float[] data, int offset) {
      double sq = 0;
      boolean finite = true;
      for (int c = offset; c < offset + dim; c++) {
        float v = data[c];
        finite &= Float.isFinite(v);
        sq += (double) v * v;
      }
      double norm = Math.sqrt(sq);
      norms[(int) (row - start)] = norm;
      if (!finite) {
        if (nonFinite++ < LISTED) {
          listed.add(row);
        }
      } else if (sq == 0) {
        zero.add(row);
      } else if (sums != null) {
        sums.addRow(row, data, offset, norm);
      }
    }

    RangeScan result() {
      return new RangeScan(start, norms, nonFinite, listed, zero, sums);
    }
  }

  private static void read(MatrixSource m, long start, int count, float[] data) {
    try {
      m.readRows(start, count, data, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + m.describe() + ": " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException nonFinite(
      MatrixSource m, List<Long> rows, long count, List<String> tokens) {
    StringBuilder listed = new StringBuilder();
    for (long r : rows) {
      listed.append(listed.length() == 0 ? "" : ", ").append(r);
      if (tokens != null) {
        listed.append(" '").append(tokens.get((int) r)).append("'");
      }
    }
    return new IllegalArgumentException(
        "Cannot read embeddings: "
            + count
            + (count == 1 ? " row has" : " rows have")
            + " NaN or infinite values (row "
            + listed
            + (count > rows.size() ? ", …" : "")
            + ") ("
            + m.describe()
            + ")");
  }
}
