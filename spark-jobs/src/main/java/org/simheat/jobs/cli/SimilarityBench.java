package org.simheat.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.jobs.bench.BlockMatrixReference;
import org.simheat.jobs.bench.RandomNpy;
import org.simheat.jobs.bench.SgemmRate;
import org.simheat.jobs.compute.ComputeJob;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.input.EmbeddingInputs;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.similarity.DenseKernel;
import org.simheat.jobs.similarity.KernelBench;
import org.simheat.jobs.similarity.PanelOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simheat bench similarity}: this machine's own SGEMM rate, then the full compute job (mean,
 * max and min pooling and top-10 neighbours, so the blocked pass runs) on a seeded random matrix,
 * in one process, printed as ratios so that a noisy machine still gives comparable figures.
 */
@Command(
    name = "similarity",
    mixinStandardHelpOptions = true,
    description = "SGEMM (1 and T threads), then the full similarity job on a random N × d matrix.")
public final class SimilarityBench implements Callable<Integer> {
  @Spec CommandSpec commandSpec;

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

  @Option(
      names = "--mllib-n",
      defaultValue = "10000",
      description =
          "Rows for the MLlib BlockMatrix.multiply reference and simheat's job beside it"
              + " (0 to skip; default: ${DEFAULT-VALUE}).")
  int mllibN;

  @Option(
      names = "--runs",
      defaultValue = "2",
      description =
          "Runs of the job in the same JVM; the first pays class loading and compilation"
              + " (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--verbose", description = "Show stack traces of failures.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = commandSpec.commandLine().getOut();
    int threads = parallelism(master);
    out.println(
        "BLAS: "
            + DenseKernel.describe()
            + ", OPENBLAS_CORETYPE="
            + System.getenv("OPENBLAS_CORETYPE"));
    double one = SgemmRate.measure(d, 1, seconds);
    double all = SgemmRate.measure(d, threads, seconds);
    out.printf(
        Locale.ROOT,
        "best sgemm (2048 x %d x 2048 in 4 layouts; 64- and 256-row panels): "
            + "%.1f GFLOP/s on 1 thread, %.1f GFLOP/s on %d threads%n",
        d,
        one,
        all,
        threads);
    Metric[] ms = metrics.stream().map(Metric::parse).toArray(Metric[]::new);
    KernelBench.Rates kernel = KernelBench.measure(n, d, 0, ms, seconds);
    out.printf(
        Locale.ROOT,
        "fused kernel (one block pair, products + pooling + top-k rows and columns, %s, %s):"
            + " %.1f GFLOP/s = %.2f× SGEMM on the same panels (%.1f GFLOP/s), 1 thread%n",
        String.join(",", metrics),
        PanelOps.best().name(),
        kernel.fused(),
        kernel.ratio(),
        kernel.sgemm());
    Path dir = Files.createTempDirectory("simheat-bench");
    try {
      Path npy = dir.resolve("bench.npy");
      RandomNpy.write(npy, n, d, RandomNpy.SEED);
      try (SparkSessions.Session session = SparkSessions.open("simheat bench", master)) {
        if (mllibN > 0) {
          mllib(out, session, dir, Math.min(mllibN, n));
        }
        double best = Double.POSITIVE_INFINITY;
        for (int run = 1; run <= runs; run++) {
          out.printf(Locale.ROOT, "run %d of %d:%n", run, runs);
          long t0 = System.nanoTime();
          ComputeJob.Result r =
              new ComputeJob(session.spark(), spec(npy, dir.resolve("out-" + run))).run();
          best = Math.min(best, report(out, r.manifest(), (System.nanoTime() - t0) / 1e9, all));
        }
        double gram = 2.0 * n * n * d / (all * 1e9);
        out.printf(
            Locale.ROOT,
            "similarity: %.1f s (%.2f× E·Eᵀ at the best sgemm on %s, %.1f s; best of %d runs)%n",
            best,
            best / gram,
            master,
            gram,
            runs);
      }
    } finally {
      delete(dir);
    }
    return 0;
  }

  /**
   * The MLlib path and simheat's whole job (pass, pyramid, tables) on the same m rows. MLlib stops
   * at the product, so the ratio is a lower bound.
   */
  private void mllib(PrintWriter out, SparkSessions.Session session, Path dir, int m)
      throws IOException {
    Path small = dir.resolve("mllib.npy");
    RandomNpy.write(small, m, d, RandomNpy.SEED);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
    MatrixSource source =
        EmbeddingInputs.open(session.spark(), InputSpec.of(small.toString())).matrix();
    BlockMatrixReference.Timing ref = BlockMatrixReference.run(jsc, source, m);
    long t0 = System.nanoTime();
    ComputeJob.Result r =
        new ComputeJob(session.spark(), spec(small, dir.resolve("mllib-out"))).run();
    double ours = (System.nanoTime() - t0) / 1e9;
    out.printf(
        Locale.ROOT,
        "MLlib BlockMatrix.multiply on %d x %d (normalised rows, 1024-blocks): conversion %.1f s +"
            + " multiply %.1f s = %.1f s; simheat's whole job (read, pass, pyramid, tables): %.1f s"
            + " = %.1f× faster (stored levels 0..%d; timings ms %s)%n",
        m,
        d,
        ref.conversion(),
        ref.multiply(),
        ref.total(),
        ours,
        ref.total() / ours,
        r.manifest().storedZoom(),
        r.manifest().timings());
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

  /** Prints one run's figures and returns its similarity stage in seconds. */
  private double report(PrintWriter out, Manifest m, double wall, double sgemmAll) {
    double gramSeconds = 2.0 * n * n * d / (sgemmAll * 1e9);
    double simSeconds = m.timings().get("similarity") / 1e3;
    double stage = (m.timings().get("similarity") + m.timings().get("pyramid")) / 1e3;
    double passFlops = n * (n + 2048.0) * d;
    out.printf(
        Locale.ROOT,
        "job: %d x %d, metrics %s, stored levels 0..%d, wall %.1f s (timings ms: %s)%n",
        n,
        d,
        String.join(",", m.metrics()),
        m.storedZoom(),
        wall,
        m.timings());
    out.printf(
        Locale.ROOT,
        "similarity pass: %.1f s, %.1f GFLOP/s effective (symmetric: about N(N+B)d flops)%n",
        simSeconds,
        passFlops / simSeconds / 1e9);
    out.printf(Locale.ROOT, "E·Eᵀ alone at this machine's sgemm rate: %.1f s%n", gramSeconds);
    out.printf(
        Locale.ROOT, "pass rate / sgemm rate = %.2f%n", passFlops / simSeconds / 1e9 / sgemmAll);
    out.printf(
        Locale.ROOT,
        "similarity stage: %.1f s (%.2f× E·Eᵀ at the best sgemm on %s, %.1f s)%n",
        stage,
        stage / gramSeconds,
        master,
        gramSeconds);
    return stage;
  }

  static int parallelism(String master) {
    Matcher m = Pattern.compile("local\\[(\\d+)\\]").matcher(master);
    return m.matches() ? Integer.parseInt(m.group(1)) : Runtime.getRuntime().availableProcessors();
  }

  /** Deletes a directory tree the benchmark created. */
  static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
