package org.simheat.jobs.saliency;

import java.util.List;

/**
 * What {@code simheat saliency import} was asked to do.
 *
 * @param json the textualheatmap JSON file
 * @param title the document's title
 * @param facetTitles one title per facet, or null for {@code Facet 1}, {@code Facet 2}, …
 * @param doc the document id, or null to derive it from the title
 * @param out the output directory
 * @param run a run id or {@code latest} to store the document inside that run, or null
 * @param sparse whether to store heat in the sparse table even for a short text
 * @param force whether to replace an existing document of the same id
 */
public record ImportSpec(
    String json,
    String title,
    List<String> facetTitles,
    String doc,
    String out,
    String run,
    boolean sparse,
    boolean force) {

  /** Texts of at least this many tokens store their heat in the sparse table. */
  public static final int SPARSE_TOKENS = 20_000;
}
