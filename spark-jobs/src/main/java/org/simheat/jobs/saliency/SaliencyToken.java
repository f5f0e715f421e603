package org.simheat.jobs.saliency;

import java.util.List;

/**
 * One token of one facet, as textualheatmap defines it.
 *
 * @param token the text shown
 * @param meta lines shown above the text when this token is focused (empty when absent)
 * @param heat this token's heat over every position of the text, or null when it has none
 * @param format whether the token is shown but cannot be focused (spaces, newlines)
 */
public record SaliencyToken(String token, List<String> meta, float[] heat, boolean format) {
  /** Whether the token has a heat row. */
  public boolean hasHeat() {
    return heat != null;
  }
}
