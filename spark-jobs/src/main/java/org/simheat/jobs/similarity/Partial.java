package org.simheat.jobs.similarity;

import java.io.Serializable;

/**
 * A partial result of the blocked pass that merges associatively and commutatively with another of
 * the same key: pooled cells, a block's top-k lists, a metric's value range. The pass's one shuffle
 * combines them by {@link PartKey}.
 */
public interface Partial extends Serializable {
  /** Merges {@code other} into this or this into {@code other}, and returns the merged one. */
  Partial mergeWith(Partial other);
}
