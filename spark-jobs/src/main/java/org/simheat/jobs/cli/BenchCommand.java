package org.simheat.jobs.cli;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.jobs.compute.ComputeJob;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.similarity.DenseKernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simheat bench}: this machine's own SGEMM rate, then the compute job on a seeded random
 * matrix, in one process, printed as ratios so that a noisy machine still gives comparable figures.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure SGEMM (1 and T threads) and the compute job on a random N × d matrix.")
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec commandSpec;

  private static final int GEMM_SIZE = 2048;

  @Option(names = "--n", defaultValue = "30522", description = "Rows (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(
      names = "--d",
      defaultValue = "768",
      description = "Dimension (default: ${DEFAULT-VALUE}).")
  int d;

  @Option(
      names = "--metrics",
      split = ",",
      defaultValue = "cosine",
      description = "Metrics (default: ${DEFAULT-VALUE}).")
  List<String> metrics;

  @Option(
      names = "--master",
      defaultValue = "local[2]",
      description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(
      names = "--seconds",
      defaultValue = "3",
      description = "Seconds per SGEMM measurement (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--verbose", description = "Show stack traces of failures.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    int threads = parallelism(master);
    commandSpec
        .commandLine()
        .getOut()
        .println(
            "BLAS: "
                + DenseKernel.describe()
                + ", OPENBLAS_CORETYPE="
                + System.getenv("OPENBLAS_CORETYPE"));
    double one = sgemmRate(1);
    double all = sgemmRate(threads);
    commandSpec
        .commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "best sgemm (2048 x %d x 2048 in 4 layouts; 64- and 256-row panels): "
                + "%.1f GFLOP/s on 1 thread, %.1f GFLOP/s on %d threads%n",
            d,
            one,
            all,
            threads);
    Path dir = Files.createTempDirectory("simheat-bench");
    Path npy = writeRandomNpy(dir.resolve("bench.npy"));
    try (SparkSessions.Session session = SparkSessions.open("simheat bench", master)) {
      SparkSession spark = session.spark();
      long t0 = System.nanoTime();
      ComputeJob.Result r = new ComputeJob(spark, spec(npy, dir.resolve("out"))).run();
      double wall = (System.nanoTime() - t0) / 1e9;
      report(r.manifest(), wall, all);
    }
    return 0;
  }

  private ComputeSpec spec(Path npy, Path out) {
    return new ComputeSpec(
        InputSpec.of(npy.toString()),
        out.toString(),
        metrics.stream().map(Metric::parse).toList(),
        List.of(Aggregation.values()),
        10,
        null,
        ComputeSpec.DEFAULT_CELL_BUDGET,
        0,
        true);
  }

  private void report(Manifest m, double wall, double sgemmAll) {
    double fullGram = 2.0 * n * n * d;
    double gramSeconds = fullGram / (sgemmAll * 1e9);
    double simSeconds = m.timings().get("similarity") / 1e3;
    double stage = (m.timings().get("similarity") + m.timings().get("pyramid")) / 1e3;
    double passFlops = n * (n + 2048.0) * d;
    commandSpec
        .commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "job: %d x %d, metrics %s, stored levels 0..%d, wall %.1f s (timings ms: %s)%n",
            n,
            d,
            String.join(",", m.metrics()),
            m.storedZoom(),
            wall,
            m.timings());
    commandSpec
        .commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "similarity pass: %.1f s, %.1f GFLOP/s effective (symmetric: about N(N+B)d flops)%n",
            simSeconds,
            passFlops / simSeconds / 1e9);
    commandSpec
        .commandLine()
        .getOut()
        .printf(Locale.ROOT, "E·Eᵀ alone at this machine's sgemm rate: %.1f s%n", gramSeconds);
    commandSpec
        .commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "ratio: similarity stage (pass + pyramid + tables) / E·Eᵀ sgemm time = %.2f; pass rate / sgemm rate = %.2f%n",
            stage / gramSeconds,
            passFlops / simSeconds / 1e9 / sgemmAll);
  }

  /** GFLOP/s of {@code threads} concurrent GEMM_SIZE × d × GEMM_SIZE products. */
  private double sgemmRate(int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Double>> runs = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        runs.add(pool.submit(() -> sgemmOneThread(seconds)));
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

  /**
   * The best single-thread rate of this BLAS over the layouts and shapes a dense A·Bᵀ can take: the
   * reference is the machine's best SGEMM, not one convenient case.
   */
  private double sgemmOneThread(double secs) {
    int n = GEMM_SIZE;
    float[] a = randomFloats(n * d, 1);
    float[] b = randomFloats(n * d, 2);
    float[] c = new float[n * n];
    BLAS blas = DenseKernel.blas();
    double best = 0;
    for (String[] t : new String[][] {{"T", "N"}, {"N", "T"}, {"N", "N"}, {"T", "T"}}) {
      Runnable product =
          () ->
              blas.sgemm(
                  t[0],
                  t[1],
                  n,
                  n,
                  d,
                  1f,
                  a,
                  0,
                  t[0].equals("T") ? d : n,
                  b,
                  0,
                  t[1].equals("T") ? n : d,
                  0f,
                  c,
                  0,
                  n);
      best = Math.max(best, rate(product, 2.0 * n * n * d, secs / 6));
    }
    for (int rows : new int[] {64, 256}) {
      // The pass's own shape: a panel of rows against a block, C = A·Bᵀ.
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

  /** A seeded Gaussian float32 C-order .npy (format version 1.0). */
  private Path writeRandomNpy(Path file) {
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
    int pad = 64 - (10 + header.length() + 1) % 64;
    header = header + " ".repeat(pad % 64) + "\n";
    Random r = new Random(20261122);
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer h = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
      h.put((byte) 0x93)
          .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
          .put((byte) 1)
          .put((byte) 0);
      h.putShort((short) header.length());
      out.write(h.array());
      out.write(header.getBytes(StandardCharsets.US_ASCII));
      ByteBuffer row = ByteBuffer.allocate(4 * d).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        row.clear();
        for (int c = 0; c < d; c++) {
          row.putFloat((float) r.nextGaussian());
        }
        out.write(row.array());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static int parallelism(String master) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("local\\[(\\d+)\\]").matcher(master);
    return m.matches() ? Integer.parseInt(m.group(1)) : Runtime.getRuntime().availableProcessors();
  }
}
