package org.simheat.viewer.spec;

/** What a view did about the self-pairs (the diagonal) that its request asked to hide or keep. */
public enum MaskState {
  /** A rectangular run, no mask asked: there is no diagonal to speak of. */
  NOT_APPLICABLE,
  /** A rectangular run asked to mask: it has no self-pairs, so nothing was hidden. */
  IGNORED,
  /** A symmetric run, mask off: cells pool every pair, self-pairs included. */
  OFF,
  /** Self-pairs are excluded from every aggregation, exactly. */
  EXACT,
  /**
   * Means and pair counts exclude the self-pairs; the max and min of bins on the diagonal still
   * include them, since recomputing them would have cost more than the view's budget.
   */
  POOLED_EXTREMES
}
