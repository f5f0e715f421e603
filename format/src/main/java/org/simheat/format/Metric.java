package org.simheat.format;

import java.util.Locale;

/** A similarity or distance between two embedding rows, as named in paths and the manifest. */
public enum Metric {
  /** Inner product of the L2-normalised rows; a zero row has cosine 0 with everything. */
  COSINE(true),
  /** Plain inner product (xl-heatmap's {@code ip}). */
  DOT(true),
  /** Euclidean distance, clamped at 0 before the square root; the diagonal is exactly 0. */
  L2(false);

  private final boolean higherIsBetter;

  Metric(boolean higherIsBetter) {
    this.higherIsBetter = higherIsBetter;
  }

  /** The name used in paths, options and JSON: {@code cosine}, {@code dot}, {@code l2}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the best neighbours have the largest values (false for distances). */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /**
   * Parses a metric name.
   *
   * @throws IllegalArgumentException naming the value and the choices when it is unknown
   */
  public static Metric parse(String id) {
    for (Metric m : values()) {
      if (m.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("Unknown metric '" + id + "': choose from cosine, dot, l2");
  }
}
