package org.simheat.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.bench.HeapWatch;
import org.simheat.jobs.bench.IoReference;
import org.simheat.jobs.bench.RandomNpy;
import org.simheat.jobs.compute.ComputeJob;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.similarity.DenseKernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simheat bench pyramid}: the compute job on a seeded random N × d matrix (a million × 768
 * by default, cached between runs) with mean pooling only, which takes the mean fast path; prints
 * its wall time, stages and heap beside the time one thread takes to read the input file and to
 * copy it (what any job that reads its input and writes it out again pays).
 */
@Command(
    name = "pyramid",
    mixinStandardHelpOptions = true,
    description = {
      "The mean pyramid of a random N × d matrix (cached under --work) against a copy of that file.",
      "Run with SIMHEAT_HEAP=4g to check the heap target."
    })
public final class PyramidBench implements Callable<Integer> {
  private static final double GIB = 1 << 30;

  @Spec CommandSpec commandSpec;

  @Option(
      names = "--n",
      defaultValue = "1000000",
      description = "Rows (default: ${DEFAULT-VALUE}).")
  long n;

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
      names = "--aggregations",
      split = ",",
      defaultValue = "mean",
      description = "Pooling (default: ${DEFAULT-VALUE}; max or min forces the full pass).")
  List<String> aggregations;

  @Option(
      names = "--master",
      defaultValue = "local[2]",
      description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "Where the input is cached and the run is written (default: $SIMHEAT_CACHE/bench or ~/.cache/simheat/bench).")
  Path work;

  @Option(names = "--keep-output", description = "Keep the computed run (deleted by default).")
  boolean keepOutput;

  @Option(names = "--verbose", description = "Show stack traces of failures.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = commandSpec.commandLine().getOut();
    Path dir = work != null ? work : defaultWork();
    out.println(
        "BLAS: "
            + DenseKernel.describe()
            + ", OPENBLAS_CORETYPE="
            + System.getenv("OPENBLAS_CORETYPE"));
    RandomNpy.Cached input = RandomNpy.ensure(dir, n, d);
    double gib = Files.size(input.file()) / GIB;
    out.printf(
        Locale.ROOT,
        "input: %s, %.2f GiB (%s)%n",
        input.file(),
        gib,
        input.reused()
            ? "cached"
            : String.format(Locale.ROOT, "written in %.1f s", input.seconds()));
    double read = IoReference.readSeconds(input.file());
    out.printf(
        Locale.ROOT,
        "reference: one thread reads the input (page cache) in %.2f s, %.2f GiB/s%n",
        read,
        gib / read);
    Path runs = dir.resolve("out-" + ProcessHandle.current().pid());
    try (HeapWatch heap = new HeapWatch()) {
      long t0 = System.nanoTime();
      try (SparkSessions.Session session = SparkSessions.open("simheat bench pyramid", master)) {
        double startup = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        ComputeJob.Result r = new ComputeJob(session.spark(), spec(input.file(), runs)).run();
        double wall = (System.nanoTime() - t1) / 1e9;
        double copy = IoReference.copySeconds(input.file(), dir);
        out.printf(
            Locale.ROOT,
            "reference: one thread copies the input to a new file in %.2f s, %.2f GiB/s%n",
            copy,
            gib / copy);
        report(out, r, startup, wall, heap, new Reference(copy, gib));
      }
    } finally {
      if (!keepOutput && Files.exists(runs)) {
        SimilarityBench.delete(runs);
      }
    }
    return 0;
  }

  /** The same-run reference: one copy of the input file. */
  private record Reference(double seconds, double gib) {}

  private static Path defaultWork() {
    String cache = System.getenv("SIMHEAT_CACHE");
    return (cache != null
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "simheat"))
        .resolve("bench");
  }

  private ComputeSpec spec(Path npy, Path out) {
    return new ComputeSpec(
        InputSpec.of(npy.toString()),
        out.toString(),
        metrics.stream().map(Metric::parse).toList(),
        aggregations.stream().map(Aggregation::parse).toList(),
        0,
        null,
        ComputeSpec.DEFAULT_CELL_BUDGET,
        0,
        true);
  }

  private void report(
      PrintWriter out,
      ComputeJob.Result r,
      double startup,
      double wall,
      HeapWatch heap,
      Reference ref) {
    double copy = ref.seconds();
    Manifest m = r.manifest();
    TileGeometry g = m.geometry();
    boolean fast = !m.timings().containsKey("similarity");
    long tiles = 0;
    for (int z = 0; z <= m.storedZoom(); z++) {
      tiles += g.storedTiles(z, m.symmetric()) * m.metrics().size();
    }
    Path run = Path.of(r.runDir().toUri());
    out.printf(
        Locale.ROOT,
        "job: %d x %d, metrics %s, pooling %s, %s; levels 0..%d stored of 0..%d (%d cells a side at"
            + " level %d), %d tiles%n",
        m.n(),
        m.dim(),
        String.join(",", m.metrics()),
        String.join(",", m.aggregations()),
        fast ? "mean fast path" : "full blocked pass",
        m.storedZoom(),
        m.maxZoom(),
        g.cellRows(m.storedZoom()),
        m.storedZoom(),
        tiles);
    out.printf(
        Locale.ROOT,
        "output: embeddings %.2f GiB, tiles %.1f MiB%n",
        size(run.resolve(RunLayout.EMBEDDINGS)) / GIB,
        size(run.resolve(RunLayout.TILES)) * 1024 / GIB);
    out.printf(
        Locale.ROOT,
        "wall: Spark start %.1f s, job %.1f s; stage ms %s%n",
        startup,
        wall,
        m.timings());
    out.printf(
        Locale.ROOT,
        "heap: -Xmx %.2f GiB; peak in use %.2f GiB (sampled every 20 ms, garbage included), peak"
            + " after a GC %.2f GiB%n",
        HeapWatch.max() / GIB,
        heap.peakUsed() / GIB,
        heap.peakAfterGc() / GIB);
    out.printf(
        Locale.ROOT,
        "pyramid: %.1f s (%.1f× one copy of the %.2f GiB input file, %.2f s)%n",
        wall,
        wall / copy,
        ref.gib(),
        copy);
  }

  private static long size(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).mapToLong(PyramidBench::bytes).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long bytes(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
