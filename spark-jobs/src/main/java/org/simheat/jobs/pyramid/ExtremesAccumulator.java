package org.simheat.jobs.pyramid;

import org.apache.spark.util.AccumulatorV2;

/**
 * The smallest and largest of the values added, gathered from tasks. Min and max are idempotent, so
 * a task or stage that runs twice leaves the result unchanged.
 */
public final class ExtremesAccumulator extends AccumulatorV2<double[], double[]> {
  private static final long serialVersionUID = 1L;

  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  @Override
  public boolean isZero() {
    return min == Double.POSITIVE_INFINITY && max == Double.NEGATIVE_INFINITY;
  }

  @Override
  public ExtremesAccumulator copy() {
    ExtremesAccumulator c = new ExtremesAccumulator();
    c.min = min;
    c.max = max;
    return c;
  }

  @Override
  public void reset() {
    min = Double.POSITIVE_INFINITY;
    max = Double.NEGATIVE_INFINITY;
  }

  /** Folds in {@code {lo, hi}}. */
  @Override
  public void add(double[] loHi) {
    min = Math.min(min, loHi[0]);
    max = Math.max(max, loHi[1]);
  }

  @Override
  public void merge(AccumulatorV2<double[], double[]> other) {
    add(other.value());
  }

  /** {@code {min, max}}; {+∞, −∞} when nothing was added. */
  @Override
  public double[] value() {
    return new double[] {min, max};
  }
}
