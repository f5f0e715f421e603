package org.simheat.jobs.cluster;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.similarity.DenseKernel;
import scala.Tuple2;

/**
 * One read of an axis's rows on the executors, in input order, each row handed over L2-normalised
 * (a zero row stays zero): every task reads a contiguous range of blocks and folds its rows into
 * one partial result, and the partial results are merged in groups on the way to the driver. Both
 * of the clustering's passes over the rows are such a read.
 */
final class UnitRows {
  /** Partial results merged together on an executor before the driver merges the groups. */
  static final int FAN_IN = 8;

  private UnitRows() {}

  /** What one task folds its rows into. */
  interface Fold<T> extends Serializable {
    /** An empty partial result for rows {@code [from, to)}. */
    T start(long from, long to);

    /**
     * Folds in row {@code row}: its unit vector (a reused buffer) and its raw values at {@code
     * raw[offset …]}.
     */
    void row(T acc, long row, double[] unit, float[] raw, int offset);

    /** Merges two partial results. */
    T merge(T a, T b);
  }

  /**
   * Folds every row of the matrix. Partial results merge in the order of the rows, in groups of
   * {@value #FAN_IN} tasks on the executors and then on the driver, so that the floating-point sums
   * (and all that follows from them) are the same in every run.
   *
   * @param norms each row's L2 norm (input order)
   */
  static <T> T fold(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      Broadcast<double[]> norms,
      int blockRows,
      Fold<T> fold) {
    long n = source.value().rows();
    int blocks = (int) ((n + blockRows - 1) / blockRows);
    List<Integer> ids = IntStream.range(0, blocks).boxed().toList();
    int slices = Math.max(1, Math.min(blocks, jsc.defaultParallelism() * 4));
    List<T> groups =
        jsc.parallelize(ids, slices)
            .mapPartitionsWithIndex(
                (index, it) -> {
                  List<Integer> mine = new ArrayList<>();
                  it.forEachRemaining(mine::add);
                  return mine.isEmpty()
                      ? List.<Tuple2<Integer, T>>of().iterator()
                      : List.of(
                              new Tuple2<>(
                                  index,
                                  range(source.value(), norms.value(), mine, blockRows, fold)))
                          .iterator();
                },
                false)
            .mapToPair(t -> new Tuple2<>(t._1() / FAN_IN, t))
            .groupByKey()
            .mapValues(parts -> mergeInOrder(parts, fold))
            .sortByKey()
            .values()
            .collect();
    return groups.stream().reduce(fold::merge).orElseThrow();
  }

  private static <T> T mergeInOrder(Iterable<Tuple2<Integer, T>> parts, Fold<T> fold) {
    List<Tuple2<Integer, T>> sorted = new ArrayList<>();
    parts.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Tuple2::_1));
    return sorted.stream().map(Tuple2::_2).reduce(fold::merge).orElseThrow();
  }

  /** Folds the rows of consecutive blocks {@code ids} (in order, as Spark slices a range). */
  private static <T> T range(
      MatrixSource m, double[] norms, List<Integer> ids, int blockRows, Fold<T> fold) {
    DenseKernel.blas(); // choose the native BLAS before MLlib's predict loads one
    long start = (long) ids.get(0) * blockRows;
    long end = Math.min(m.rows(), ((long) ids.get(ids.size() - 1) + 1) * blockRows);
    int d = m.dim();
    T acc = fold.start(start, end);
    float[] data = new float[Math.multiplyExact(blockRows, d)];
    double[] unit = new double[d];
    for (long b = start; b < end; b += blockRows) {
      int count = (int) Math.min(blockRows, end - b);
      try {
        m.readRows(b, count, data, 0);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + m.describe() + ": " + e.getMessage(), e);
      }
      for (int r = 0; r < count; r++) {
        normalise(data, r * d, d, norms[(int) (b + r)], unit);
        fold.row(acc, b + r, unit, data, r * d);
      }
    }
    return acc;
  }

  /** Writes {@code x[offset … offset + d) / norm} into {@code unit}, or zeros for a zero row. */
  static void normalise(float[] x, int offset, int d, double norm, double[] unit) {
    double inv = norm == 0 ? 0 : 1 / norm;
    for (int k = 0; k < d; k++) {
      unit[k] = x[offset + k] * inv;
    }
  }
}
