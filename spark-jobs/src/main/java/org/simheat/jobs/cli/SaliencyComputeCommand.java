package org.simheat.jobs.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.simheat.jobs.saliency.ComputeSaliencySpec;
import org.simheat.jobs.saliency.SaliencyCompute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simheat saliency compute}: similarity saliency of a corpus, into a run's saliency/. */
@Command(
    name = "compute",
    mixinStandardHelpOptions = true,
    description = {
      "Tokenise every document of a corpus with a run's vocabulary and store, per token, the",
      "similarity to the tokens within a window (the run's metric) and its top-3 neighbours,",
      "as saliency documents in OUT/runs/<run>/saliency/<doc>/, all committed together."
    })
public final class SaliencyComputeCommand implements Callable<Integer> {
  @Spec CommandSpec commandSpec;

  @Option(
      names = "--corpus",
      required = true,
      paramLabel = "PATH",
      description =
          "A text file, one document per non-blank line (or a directory: --doc-per-file).")
  String corpus;

  @Option(
      names = "--doc-per-file",
      description = "--corpus is a directory; each *.txt file in it is one document.")
  boolean docPerFile;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "RUN",
      description = "The run whose vocabulary, vectors and neighbours to use (an id, or latest).")
  String run;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory holding the run.")
  String out;

  @Option(
      names = "--metric",
      paramLabel = "M",
      description = "cosine, dot or l2; one the run has (default: the run's first).")
  String metric;

  @Option(
      names = "--window",
      paramLabel = "W",
      defaultValue = "" + ComputeSaliencySpec.DEFAULT_WINDOW,
      description = "Words either side of a token that get its heat (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--causal", description = "Heat covers the token and the W words before it only.")
  boolean causal;

  @Option(names = "--force", description = "Replace existing documents of the same ids.")
  boolean force;

  @Option(
      names = "--master",
      paramLabel = "URL",
      defaultValue = "local[*]",
      description = "Spark master when not run by spark-submit (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--verbose", description = "Show stack traces of failures.")
  boolean verbose;

  @Override
  public Integer call() {
    ComputeSaliencySpec spec =
        new ComputeSaliencySpec(corpus, docPerFile, run, out, metric, window, causal, force);
    try (SparkSessions.Session session = SparkSessions.open("simheat saliency compute", master)) {
      long start = System.nanoTime();
      SaliencyCompute.Result r = new SaliencyCompute(session.spark(), spec).run();
      commandSpec.commandLine().getOut().println(describe(r, (System.nanoTime() - start) / 1e9));
    }
    return 0;
  }

  /** The line printed for a call. */
  static String describe(SaliencyCompute.Result r, double seconds) {
    long tokens = r.documents().stream().mapToLong(d -> d.tokens()).sum();
    long sparse = r.documents().stream().filter(d -> d.sparse()).count();
    return String.format(
        Locale.ROOT,
        "saliency: %d documents, %d tokens (%d sparse), %.1f s%n  %s/saliency/",
        r.documents().size(),
        tokens,
        sparse,
        seconds,
        r.runDir());
  }
}
