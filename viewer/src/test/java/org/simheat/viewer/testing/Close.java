package org.simheat.viewer.testing;

import static org.assertj.core.api.Assertions.fail;

import java.util.function.Supplier;

/** A fast closeness check for the many cells of a tile: the message is built only on failure. */
public final class Close {
  private Close() {}

  /** Fails unless |actual − expected| ≤ tolerance. */
  public static void check(
      double actual, double expected, double tolerance, Supplier<String> where) {
    if (!(Math.abs(actual - expected) <= tolerance)) {
      fail("%s: expected %s within %s but was %s", where.get(), expected, tolerance, actual);
    }
  }
}
