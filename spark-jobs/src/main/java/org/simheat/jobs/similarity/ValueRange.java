package org.simheat.jobs.similarity;

/** Smallest and largest values of one metric, over all pairs and over pairs off the diagonal. */
public final class ValueRange implements Partial {
  private static final long serialVersionUID = 1L;

  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;
  double minOff = Double.POSITIVE_INFINITY;
  double maxOff = Double.NEGATIVE_INFINITY;

  /** Folds extremes in; {@code offDiagonal} says they came from pairs of distinct positions. */
  void include(double lo, double hi, boolean offDiagonal) {
    min = Math.min(min, lo);
    max = Math.max(max, hi);
    if (offDiagonal) {
      includeOffDiagonal(lo, hi);
    }
  }

  /** Folds extremes over pairs of distinct positions in. */
  void includeOffDiagonal(double lo, double hi) {
    minOff = Math.min(minOff, lo);
    maxOff = Math.max(maxOff, hi);
  }

  @Override
  public Partial mergeWith(Partial other) {
    ValueRange o = (ValueRange) other;
    min = Math.min(min, o.min);
    max = Math.max(max, o.max);
    minOff = Math.min(minOff, o.minOff);
    maxOff = Math.max(maxOff, o.maxOff);
    return this;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  /** Smallest value over distinct positions, or null when there is no such pair (N = 1). */
  public Double minOffDiagonal() {
    return Double.isInfinite(minOff) ? null : minOff;
  }

  /** Largest value over distinct positions, or null when there is no such pair. */
  public Double maxOffDiagonal() {
    return Double.isInfinite(maxOff) ? null : maxOff;
  }
}
