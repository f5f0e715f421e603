package org.simheat.jobs.saliency;

import java.util.List;

/**
 * A text in one or more facets, every facet with the same number of tokens; facet {@code f}'s token
 * {@code i} has a heat row (if any) of {@link #length()} values.
 *
 * @param facets the facets, each a list of tokens in text order
 */
public record SaliencyText(List<List<SaliencyToken>> facets) {
  /** Tokens per facet. */
  public int length() {
    return facets.get(0).size();
  }

  /** The range of every heat value over all facets, or null when no token has heat. */
  public float[] heatRange() {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (List<SaliencyToken> facet : facets) {
      for (SaliencyToken t : facet) {
        if (t.hasHeat()) {
          for (float v : t.heat()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
    }
    return min <= max ? new float[] {min, max} : null;
  }
}
