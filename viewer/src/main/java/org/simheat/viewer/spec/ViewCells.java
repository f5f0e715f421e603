package org.simheat.viewer.spec;

/**
 * The pooled cells of a viewport, row-major (rows.bins() × cols.bins()): each bin pools every pair
 * of its row and column ranges, exactly (means weighted by pair counts). An aggregation the run
 * does not store is null.
 *
 * @param level the pyramid level the cells were pooled from
 * @param span that level's cell span
 * @param rows bins along the rows (y)
 * @param cols bins along the columns (x)
 * @param mean means
 * @param max maxima
 * @param min minima
 * @param pairs pairs per bin
 */
public record ViewCells(
    int level,
    long span,
    ViewAxis rows,
    ViewAxis cols,
    double[] mean,
    double[] max,
    double[] min,
    long[] pairs) {

  /** These cells with other (labelled) axes of the same bins. */
  public ViewCells withAxes(ViewAxis labelledRows, ViewAxis labelledCols) {
    return new ViewCells(level, span, labelledRows, labelledCols, mean, max, min, pairs);
  }

  /** The values of an aggregation id ({@code mean}, {@code max}, {@code min}), or null. */
  public double[] values(String agg) {
    return switch (agg) {
      case "mean" -> mean;
      case "max" -> max;
      case "min" -> min;
      default -> null;
    };
  }
}
