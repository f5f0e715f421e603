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
 * computes the row norms. It runs before anything is written: a NaN or ±Inf anywhere fails the run
 * with one line naming the first bad rows (and their tokens) and the file.
 */
public final class MatrixScan {
  private static final int LISTED = 5;

  private MatrixScan() {}

  /**
   * Norms and zero rows of a checked matrix.
   *
   * @param norms L2 norm of each row
   * @param zeroRows rows whose every value is 0
   */
  public record Result(double[] norms, List<Long> zeroRows) {}

  /** What one block contributes. */
  private record BlockScan(long start, double[] norms, List<Long> nonFinite, List<Long> zero)
      implements Serializable {}

  /**
   * Scans the matrix.
   *
   * @param tokens tokens of the rows, or null, to name bad rows
   * @throws IllegalArgumentException if any value is NaN or infinite, naming the rows and the file
   */
  public static Result scan(
      JavaSparkContext jsc, Broadcast<MatrixSource> source, int blockRows, List<String> tokens) {
    MatrixSource m = source.value();
    int blocks = (int) ((m.rows() + blockRows - 1) / blockRows);
    List<Integer> ids = IntStream.range(0, blocks).boxed().toList();
    List<BlockScan> scans =
        jsc.parallelize(ids, Math.max(1, Math.min(blocks, jsc.defaultParallelism() * 4)))
            .map(b -> scanBlock(source.value(), (long) b * blockRows, blockRows))
            .collect();
    double[] norms = new double[(int) m.rows()];
    List<Long> bad = new ArrayList<>();
    List<Long> zero = new ArrayList<>();
    long badCount = 0;
    for (BlockScan s : scans) {
      System.arraycopy(s.norms(), 0, norms, (int) s.start(), s.norms().length);
      badCount += s.nonFinite().size();
      s.nonFinite().stream().limit(LISTED - bad.size()).forEach(bad::add);
      zero.addAll(s.zero());
    }
    if (badCount > 0) {
      throw nonFinite(m, bad, badCount, tokens);
    }
    return new Result(norms, zero);
  }

  private static BlockScan scanBlock(MatrixSource m, long start, int blockRows) {
    int count = (int) Math.min(blockRows, m.rows() - start);
    float[] data;
    try {
      data = m.readRows(start, count);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + m.describe() + ": " + e.getMessage(), e);
    }
    int d = m.dim();
    double[] norms = new double[count];
    List<Long> nonFinite = new ArrayList<>();
    List<Long> zero = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      double sq = 0;
      boolean finite = true;
      for (int c = r * d; c < (r + 1) * d; c++) {
        float v = data[c];
        finite &= Float.isFinite(v);
        sq += (double) v * v;
      }
      if (!finite) {
        nonFinite.add(start + r);
      } else if (sq == 0) {
        zero.add(start + r);
      }
      norms[r] = Math.sqrt(sq);
    }
    return new BlockScan(start, norms, nonFinite, zero);
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
