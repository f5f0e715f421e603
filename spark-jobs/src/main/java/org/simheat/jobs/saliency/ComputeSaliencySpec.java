package org.simheat.jobs.saliency;

/**
 * What {@code simheat saliency compute} was asked to do.
 *
 * @param corpus a text file (one document per non-blank line) or, with {@code docPerFile}, a
 *     directory whose {@code *.txt} files are one document each
 * @param docPerFile whether the corpus is a directory of documents
 * @param run a run id, or {@code latest}
 * @param out the output directory holding the run
 * @param metric the metric's name, or null for the run's first metric
 * @param window how many words either side (or before, with {@code causal}) get heat
 * @param causal whether a token's heat covers only itself and the words before it
 * @param force whether to replace existing documents of the same ids
 */
public record ComputeSaliencySpec(
    String corpus,
    boolean docPerFile,
    String run,
    String out,
    String metric,
    int window,
    boolean causal,
    boolean force) {

  /** The default window: words either side of a token that get its heat. */
  public static final int DEFAULT_WINDOW = 32;
}
