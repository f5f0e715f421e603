package org.simheat.viewer.spec;

/**
 * The colour domain of a view from its visible values: symmetric around 0 (±max|v|) for the signed
 * metrics cosine and dot, [min, max] for the l2 distance, over the values as the spec writes them
 * (floats), so the domain's ends are values of visible cells. Non-finite values are ignored; an
 * empty or flat range widens to a unit interval so the scale stays valid.
 */
final class ColorDomain {
  private ColorDomain() {}

  /** Whether a metric is drawn with a diverging scheme centred at 0. */
  static boolean diverging(String metric) {
    return !"l2".equals(metric);
  }

  /** {−m, m} with m the largest |value| (signed differences, such as the Δ of a drift view). */
  static double[] symmetric(double[] values) {
    return of("cosine", values);
  }

  /** {lo, hi} for the values of a metric. */
  static double[] of(String metric, double[] values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double exact : values) {
      double v = (float) exact;
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      return diverging(metric) ? new double[] {-1, 1} : new double[] {0, 1};
    }
    if (diverging(metric)) {
      double m = Math.max(Math.abs(lo), Math.abs(hi));
      return m > 0 ? new double[] {-m, m} : new double[] {-1, 1};
    }
    return hi > lo ? new double[] {lo, hi} : new double[] {lo, lo + 1};
  }
}
