package org.simheat.jobs.saliency;

/**
 * The heat rows of a text, each given as the slice outside which every value of the row is 0, so a
 * windowed row of a long text never needs its full length in memory.
 */
interface HeatSlices {
  /**
   * The values of facet {@code facet}'s token {@code position} from {@link #start}, or null when
   * the token has no heat row.
   */
  float[] values(int facet, int position);

  /** Where the slice of {@link #values} starts in the row. */
  int start(int facet, int position);

  /** The heat rows of a text, whole: every slice starts at 0. */
  static HeatSlices of(SaliencyText text) {
    return new HeatSlices() {
      @Override
      public float[] values(int facet, int position) {
        return text.facets().get(facet).get(position).heat();
      }

      @Override
      public int start(int facet, int position) {
        return 0;
      }
    };
  }
}
