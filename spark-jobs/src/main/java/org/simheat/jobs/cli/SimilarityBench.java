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
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.jobs.bench.RandomNpy;
import org.simheat.jobs.bench.SgemmRate;
import org.simheat.jobs.compute.ComputeJob;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.similarity.DenseKernel;
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
    Path dir = Files.createTempDirectory("simheat-bench");
    try {
      Path npy = dir.resolve("bench.npy");
      RandomNpy.write(npy, n, d, RandomNpy.SEED);
      try (SparkSessions.Session session = SparkSessions.open("simheat bench", master)) {
        long t0 = System.nanoTime();
        ComputeJob.Result r = new ComputeJob(session.spark(), spec(npy, dir.resolve("out"))).run();
        report(out, r.manifest(), (System.nanoTime() - t0) / 1e9, all);
      }
    } finally {
      delete(dir);
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

  private void report(PrintWriter out, Manifest m, double wall, double sgemmAll) {
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
        "similarity: %.1f s (%.2f× E·Eᵀ at the best sgemm on %s, %.1f s)%n",
        stage,
        stage / gramSeconds,
        master,
        gramSeconds);
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
