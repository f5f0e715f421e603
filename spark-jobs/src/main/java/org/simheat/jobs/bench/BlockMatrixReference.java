package org.simheat.jobs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.BlockMatrix;
import org.apache.spark.mllib.linalg.distributed.IndexedRow;
import org.apache.spark.mllib.linalg.distributed.IndexedRowMatrix;
import org.apache.spark.storage.StorageLevel;
import org.simheat.jobs.input.MatrixSource;

/**
 * The path a Spark user would write for a cosine similarity matrix, timed as the reference of
 * {@code bench similarity}: rows normalised into an MLlib {@link IndexedRowMatrix}, converted to a
 * {@link BlockMatrix} of 1024 × 1024 blocks, multiplied by its transpose, and the product's blocks
 * materialised. It stops there: pooling the product into tiles and finding neighbours would only
 * add to its time, so the ratio it gives simheat is a lower bound.
 */
public final class BlockMatrixReference {
  private static final int BLOCK = 1024;

  private BlockMatrixReference() {}

  /**
   * Seconds taken.
   *
   * @param conversion rows to a cached BlockMatrix
   * @param multiply the product and its materialisation
   */
  public record Timing(double conversion, double multiply) {
    /** Both. */
    public double total() {
      return conversion + multiply;
    }
  }

  /** Times the MLlib path on the first {@code n} rows of {@code source}. */
  public static Timing run(JavaSparkContext jsc, MatrixSource source, int n) {
    Broadcast<MatrixSource> m = jsc.broadcast(source);
    int blocks = (n + BLOCK - 1) / BLOCK;
    JavaRDD<IndexedRow> rows =
        jsc.parallelize(IntStream.range(0, blocks).boxed().toList(), blocks)
            .flatMap(b -> normalisedRows(m.value(), b, n).iterator());
    long t0 = System.nanoTime();
    BlockMatrix e =
        new IndexedRowMatrix(rows.rdd())
            .toBlockMatrix(BLOCK, BLOCK)
            .persist(StorageLevel.MEMORY_AND_DISK());
    e.blocks().count();
    long t1 = System.nanoTime();
    BlockMatrix product = e.multiply(e.transpose());
    product.blocks().count();
    long t2 = System.nanoTime();
    e.blocks().unpersist(false);
    m.destroy();
    return new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  private static List<IndexedRow> normalisedRows(MatrixSource m, int block, int n) {
    long start = (long) block * BLOCK;
    int count = (int) Math.min(BLOCK, n - start);
    int d = m.dim();
    float[] data;
    try {
      data = m.readRows(start, count);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<IndexedRow> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double[] v = new double[d];
      double s = 0;
      for (int k = 0; k < d; k++) {
        v[k] = data[i * d + k];
        s += v[k] * v[k];
      }
      double inv = s == 0 ? 0 : 1 / Math.sqrt(s);
      for (int k = 0; k < d; k++) {
        v[k] *= inv;
      }
      out.add(new IndexedRow(start + i, Vectors.dense(v)));
    }
    return out;
  }
}
