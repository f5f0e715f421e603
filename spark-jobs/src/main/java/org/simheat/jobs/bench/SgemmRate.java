package org.simheat.jobs.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.simheat.jobs.similarity.DenseKernel;

/**
 * This machine's best SGEMM rate through the BLAS the job uses: 2048 × d × 2048 products in the
 * four transpose layouts plus the pass's own panel shape (64 and 256 rows against a block), the
 * best of them per thread, summed over concurrent threads.
 */
public final class SgemmRate {
  private static final int SIZE = 2048;

  private SgemmRate() {}

  /**
   * GFLOP/s of {@code threads} concurrent threads, each measuring for about {@code seconds}.
   *
   * @throws Exception if a measuring thread fails
   */
  public static double measure(int d, int threads, double seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Double>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        runs.add(pool.submit(() -> oneThread(d, seconds)));
      }
      double sum = 0;
      for (Future<Double> f : runs) {
        sum += f.get();
      }
      return sum;
    } finally {
      pool.shutdown();
    }
  }

  /** The best single-thread rate over the layouts and shapes a dense A·Bᵀ can take. */
  private static double oneThread(int d, double secs) {
    int n = SIZE;
    float[] a = randomFloats(n * d, 1);
    float[] b = randomFloats(n * d, 2);
    float[] c = new float[n * n];
    BLAS blas = DenseKernel.blas();
    double best = 0;
    for (String[] t : new String[][] {{"T", "N"}, {"N", "T"}, {"N", "N"}, {"T", "T"}}) {
      int lda = t[0].equals("T") ? d : n;
      int ldb = t[1].equals("T") ? n : d;
      Runnable product =
          () -> blas.sgemm(t[0], t[1], n, n, d, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
      best = Math.max(best, rate(product, 2.0 * n * n * d, secs / 6));
    }
    for (int rows : new int[] {64, 256}) {
      Runnable panel = () -> DenseKernel.multiplyTransposed(a, 0, rows, b, n, d, c);
      best = Math.max(best, rate(panel, 2.0 * rows * n * d, secs / 6));
    }
    return best;
  }

  private static double rate(Runnable product, double flops, double secs) {
    product.run();
    long start = System.nanoTime();
    int reps = 0;
    while ((System.nanoTime() - start) / 1e9 < secs) {
      product.run();
      reps++;
    }
    return reps * flops / ((System.nanoTime() - start) / 1e9) / 1e9;
  }

  private static float[] randomFloats(int count, long seed) {
    Random r = new Random(seed);
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }
}
