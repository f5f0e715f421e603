package org.simheat.jobs.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.simheat.format.SaliencyDocument;
import org.simheat.jobs.saliency.ImportSpec;
import org.simheat.jobs.saliency.SaliencyImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simheat saliency import}: one textualheatmap JSON file into a saliency document. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import textualheatmap's JSON (a list of facets, each a list of {token, meta, heat, format})",
      "into OUT/saliency/<doc>/ (or into a run's saliency/), atomically. Runs no Spark."
    })
public final class SaliencyImportCommand implements Callable<Integer> {
  @Spec CommandSpec commandSpec;

  @Option(
      names = "--json",
      required = true,
      paramLabel = "FILE",
      description = "textualheatmap data: a JSON list of facets.")
  String json;

  @Option(names = "--title", required = true, paramLabel = "TITLE", description = "Title.")
  String title;

  @Option(
      names = "--facet-titles",
      split = ",",
      paramLabel = "A,B",
      description = "One title per facet (default: Facet 1, Facet 2, …).")
  List<String> facetTitles;

  @Option(
      names = "--doc",
      paramLabel = "ID",
      description = "Document id, [a-z0-9-] (default: derived from the title).")
  String doc;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (any Hadoop file system).")
  String out;

  @Option(
      names = "--run",
      paramLabel = "RUN",
      description = "Store the document inside this committed run (an id, or latest).")
  String run;

  @Option(
      names = "--sparse",
      description =
          "Store heat as non-zero values in heat/ (always so from "
              + ImportSpec.SPARSE_TOKENS
              + " tokens).")
  boolean sparse;

  @Option(names = "--force", description = "Replace an existing document of the same id.")
  boolean force;

  @Option(names = "--verbose", description = "Show stack traces of failures.")
  boolean verbose;

  @Override
  public Integer call() {
    ImportSpec spec = new ImportSpec(json, title, facetTitles, doc, out, run, sparse, force);
    long start = System.nanoTime();
    SaliencyImport.Result r = new SaliencyImport(spec, new Configuration()).run();
    commandSpec.commandLine().getOut().println(describe(r, (System.nanoTime() - start) / 1e9));
    return 0;
  }

  /** The line printed for an imported document. */
  static String describe(SaliencyImport.Result r, double seconds) {
    SaliencyDocument d = r.document();
    return String.format(
        Locale.ROOT,
        "saliency %s: %d facets × %d tokens, heat %s%s, %.1f s%n  %s",
        d.doc(),
        d.facets().size(),
        d.tokens(),
        d.heatLayout(),
        d.sparse() ? " (" + r.heatRows() + " non-zero values)" : "",
        seconds,
        r.dir());
  }
}
