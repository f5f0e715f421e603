package org.simheat.viewer.spec;

/**
 * The bins along one axis of a view: bin b covers matrix positions [edges[b], edges[b+1]), and its
 * first and last tokens (null until labelled).
 *
 * @param binSpan positions per bin (the last bin may be shorter)
 * @param edges bin boundaries, ascending, one more than the bins
 * @param first each bin's first token
 * @param last each bin's last token
 */
public record ViewAxis(long binSpan, long[] edges, String[] first, String[] last) {

  /** An unlabelled axis. */
  public static ViewAxis of(long binSpan, long[] edges) {
    return new ViewAxis(binSpan, edges, null, null);
  }

  /** This axis with tokens. */
  public ViewAxis withLabels(String[] first, String[] last) {
    return new ViewAxis(binSpan, edges, first, last);
  }

  /** Number of bins. */
  public int bins() {
    return edges.length - 1;
  }

  /** First position of bin b. */
  public long start(int b) {
    return edges[b];
  }

  /** Position past the end of bin b. */
  public long end(int b) {
    return edges[b + 1];
  }

  /** Positions in bin b. */
  public long size(int b) {
    return edges[b + 1] - edges[b];
  }

  /** First position covered. */
  public long from() {
    return edges[0];
  }

  /** Position past the last covered. */
  public long to() {
    return edges[edges.length - 1];
  }
}
