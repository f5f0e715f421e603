package org.simheat.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.jobs.cluster.ClusterAlgorithm;
import org.simheat.jobs.cluster.OrderSpec;
import org.simheat.jobs.compute.ComputeJob;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.input.XlHeatmapLayout;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simheat compute}: one run per input (or per {@code *.pt} found under {@code --path}). */
@Command(
    name = "compute",
    mixinStandardHelpOptions = true,
    description = {
      "Compute similarity tiles, neighbours and embeddings of an embedding matrix into OUT.",
      "An input identical to a committed run (same files, same settings) is not recomputed."
    })
public final class ComputeCommand implements Callable<Integer> {
  @Spec CommandSpec commandSpec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Where the matrices come from: one file, or a directory of xl-heatmap .pt files. */
  static final class Source {
    @Option(
        names = "--input",
        paramLabel = "FILE",
        description =
            "Matrix: .npy, .pt, .safetensors (or model.safetensors.index.json), .onnx, .parquet, word2vec/GloVe text.")
    String input;

    @Option(
        names = "--path",
        paramLabel = "DIR",
        description =
            "Compute every *.pt under DIR (recursively) with its same-stem .txt, as xl-heatmap does.")
    String path;
  }

  @Option(
      names = "--vocab",
      paramLabel = "FILE",
      description =
          "Vocabulary: .txt, BERT vocab.txt, tokenizer.json, GPT-2 vocab.json. Default: the file's own tokens, NAME.txt beside NAME.pt, else indices.")
  String vocab;

  @Option(
      names = "--tensor",
      paramLabel = "NAME",
      description =
          "Tensor inside a .pt, .safetensors or .onnx file (needed when several 2-D tensors fit).")
  String tensor;

  @Option(
      names = "--format",
      paramLabel = "FMT",
      description =
          "Reader: npy, pt, safetensors, onnx, parquet, text. Default: from the file name.")
  String format;

  @Option(
      names = "--token-column",
      paramLabel = "COL",
      description = "Parquet token column (default: token).")
  String tokenColumn;

  @Option(
      names = "--vector-column",
      paramLabel = "COL",
      description = "Parquet vector column (default: vector).")
  String vectorColumn;

  @Option(
      names = "--cols-input",
      paramLabel = "FILE",
      description =
          "A second matrix with the same d for the columns: a rectangular cross-similarity run"
              + " (rows from --input, columns from this).")
  String colsInput;

  @Option(
      names = "--cols-vocab",
      paramLabel = "FILE",
      description = "Vocabulary of --cols-input (same kinds and defaults as --vocab).")
  String colsVocab;

  @Option(
      names = "--cols-tensor",
      paramLabel = "NAME",
      description = "Tensor inside --cols-input, as --tensor.")
  String colsTensor;

  @Option(
      names = "--cols-format",
      paramLabel = "FMT",
      description = "Reader of --cols-input, as --format. Default: from the file name.")
  String colsFormat;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (any Hadoop file system).")
  String out;

  @Option(
      names = "--metrics",
      split = ",",
      paramLabel = "M",
      defaultValue = "cosine",
      description = "cosine, dot, l2 (default: ${DEFAULT-VALUE}).")
  List<String> metrics;

  @Option(
      names = "--aggregations",
      split = ",",
      paramLabel = "A",
      defaultValue = "mean,max,min",
      description = "Pooling of each cell: mean, max, min (default: ${DEFAULT-VALUE}).")
  List<String> aggregations;

  @Option(
      names = "--order",
      paramLabel = "ORDER",
      defaultValue = "input",
      description = "Display order: input (default) or cluster (MLlib clusters, tree order).")
  String order;

  @Option(
      names = "--clusters",
      paramLabel = "K",
      description = "Leaf clusters of --order cluster, 1 to 1024. Default: √N, within 2..256.")
  Integer clusters;

  @Option(
      names = "--cluster-algorithm",
      paramLabel = "ALG",
      description = "bisecting-kmeans (default) or kmeans.")
  String clusterAlgorithm;

  @Option(
      names = "--cluster-seed",
      paramLabel = "SEED",
      description = "Seed of the clustering (default: 42); the same seed gives the same order.")
  Long clusterSeed;

  @Option(
      names = "--neighbors",
      paramLabel = "K",
      defaultValue = "10",
      description = "Nearest neighbours kept per token, 0 to 100 (default: ${DEFAULT-VALUE}).")
  int neighbors;

  @Option(
      names = "--stored-zoom",
      paramLabel = "Z",
      description = "Finest stored level. Default: the finest whose tiles fit --cell-budget.")
  Integer storedZoom;

  @Option(
      names = "--cell-budget",
      paramLabel = "CELLS",
      defaultValue = "16777216",
      description =
          "Stored cells per metric when choosing the stored level (default: ${DEFAULT-VALUE}).")
  long cellBudget;

  @Option(
      names = "--block-size",
      paramLabel = "ROWS",
      defaultValue = "0",
      description =
          "Rows per block of the similarity pass (default: 2048, smaller for tiny cells).")
  int blockSize;

  @Option(
      names = "--keep",
      paramLabel = "N",
      description =
          "After the run, delete the oldest runs in OUT until N remain (never LATEST's, never this"
              + " run's). Default: keep every run.")
  Integer keep;

  @Mixin RunOptions run;

  @Override
  public Integer call() {
    runAll(commandSpec, "simheat compute", run.master, specs());
    return 0;
  }

  /**
   * The job of each input, as the options say; {@code watch} builds its computes here too.
   *
   * @throws IllegalArgumentException for options that do not fit together or out of range
   */
  List<ComputeSpec> specs() {
    OrderSpec orderSpec = orderSpec();
    return inputs().stream().map(in -> spec(in, orderSpec)).toList();
  }

  /** Runs each job in one Spark session and prints a line per run. */
  static void runAll(CommandSpec cmd, String app, String master, List<ComputeSpec> specs) {
    try (SparkSessions.Session session = SparkSessions.open(app, master)) {
      runAll(cmd, session.spark(), specs);
    }
  }

  /** Runs each job in a session and prints a line per run. */
  static void runAll(CommandSpec cmd, SparkSession spark, List<ComputeSpec> specs) {
    for (ComputeSpec spec : specs) {
      long start = System.nanoTime();
      ComputeJob.Result r = new ComputeJob(spark, spec).run();
      cmd.commandLine().getOut().println(describe(r, (System.nanoTime() - start) / 1e9));
      r.removed().forEach(id -> cmd.commandLine().getOut().println(removed(id, spec.keep())));
    }
  }

  /**
   * The order options as a spec.
   *
   * @throws IllegalArgumentException for an unknown order, or clustering options without {@code
   *     --order cluster}
   */
  private OrderSpec orderSpec() {
    if (order.equals("input")) {
      if (clusters != null || clusterAlgorithm != null || clusterSeed != null) {
        throw new IllegalArgumentException(
            "--clusters, --cluster-algorithm and --cluster-seed go with --order cluster");
      }
      return OrderSpec.INPUT;
    }
    if (!order.equals("cluster")) {
      throw new IllegalArgumentException(
          "Unknown --order '" + order + "': choose from input, cluster");
    }
    return new OrderSpec(
        true,
        clusters,
        clusterAlgorithm == null
            ? ClusterAlgorithm.BISECTING_KMEANS
            : ClusterAlgorithm.parse(clusterAlgorithm),
        clusterSeed == null ? OrderSpec.DEFAULT_SEED : clusterSeed);
  }

  private List<InputSpec> inputs() {
    if (source.input != null) {
      return List.of(new InputSpec(source.input, format, tensor, vocab, tokenColumn, vectorColumn));
    }
    if (colsInput != null) {
      throw new IllegalArgumentException(
          "--cols-input goes with --input; --path computes symmetric runs only");
    }
    if (vocab != null) {
      throw new IllegalArgumentException(
          "--vocab goes with --input; --path pairs each NAME.pt with NAME.txt");
    }
    List<InputSpec> specs = new ArrayList<>();
    for (XlHeatmapLayout.PtPair p :
        XlHeatmapLayout.discover(source.path, new org.apache.hadoop.conf.Configuration())) {
      specs.add(new InputSpec(p.pt(), "pt", tensor, p.vocab(), null, null));
    }
    return specs;
  }

  private ComputeSpec spec(InputSpec in, OrderSpec orderSpec) {
    return new ComputeSpec(
        in,
        out,
        metrics.stream().map(Metric::parse).distinct().toList(),
        aggregations.stream().map(Aggregation::parse).distinct().toList(),
        neighbors,
        storedZoom,
        cellBudget,
        blockSize,
        run.force,
        orderSpec,
        colsInput(),
        keep());
  }

  /** {@code --keep}, or 0 when absent. */
  private int keep() {
    if (keep != null && keep < 1) {
      throw new IllegalArgumentException("--keep must be ≥ 1, got " + keep);
    }
    return keep == null ? 0 : keep;
  }

  /** The line printed for a run that {@code --keep} deleted. */
  static String removed(String runId, int keep) {
    return "removed run " + runId + " (--keep " + keep + ")";
  }

  /** The column matrix of a cross run, or null. */
  private InputSpec colsInput() {
    if (colsInput == null) {
      if (colsVocab != null || colsTensor != null || colsFormat != null) {
        throw new IllegalArgumentException(
            "--cols-vocab, --cols-tensor and --cols-format need --cols-input");
      }
      return null;
    }
    return new InputSpec(colsInput, colsFormat, colsTensor, colsVocab, tokenColumn, vectorColumn);
  }

  /** The line printed for a run. */
  static String describe(ComputeJob.Result r, double seconds) {
    Manifest m = r.manifest();
    if (r.upToDate()) {
      return "up to date: " + m.runId() + " (" + r.runDir() + ")";
    }
    return String.format(
        Locale.ROOT,
        "run %s: N=%s, d=%d, metrics %s%s, levels 0..%d stored of 0..%d, %.1f s%n  %s",
        m.runId(),
        m.symmetric() ? Long.toString(m.n()) : m.n() + " × " + m.nCols(),
        m.dim(),
        String.join(",", m.metrics()),
        m.order().clustered()
            ? ", "
                + m.order().clusters()
                + (m.symmetric() ? "" : " × " + m.order().colsClusters())
                + " clusters"
            : "",
        m.storedZoom(),
        m.maxZoom(),
        seconds,
        r.runDir());
  }
}
