package org.simheat.viewer.spec;

/**
 * The pooled cells of a viewport, row-major (rows.bins() × cols.bins()): each bin pools every pair
 * of its row and column ranges, exactly (means weighted by pair counts), except the self-pairs when
 * the view masks them. An aggregation the run does not store is null; a bin without pairs (a masked
 * bin of self-pairs only) has NaN values.
 *
 * @param level the pyramid level the cells were pooled from
 * @param span that level's cell span
 * @param rows bins along the rows (y)
 * @param cols bins along the columns (x)
 * @param mean means
 * @param max maxima
 * @param min minima
 * @param pairs pairs per bin
 * @param maxPairs the pair attaining each bin's max, or null where the level does not know it
 * @param mask what the view did about self-pairs
 */
public record ViewCells(
    int level,
    long span,
    ViewAxis rows,
    ViewAxis cols,
    double[] mean,
    double[] max,
    double[] min,
    long[] pairs,
    MaxPairs maxPairs,
    MaskState mask) {

  /** Cells of a rectangular run without max pairs or mask. */
  public ViewCells(
      int level,
      long span,
      ViewAxis rows,
      ViewAxis cols,
      double[] mean,
      double[] max,
      double[] min,
      long[] pairs) {
    this(level, span, rows, cols, mean, max, min, pairs, null, MaskState.NOT_APPLICABLE);
  }

  /** These cells with other (labelled) axes of the same bins and (labelled) max pairs. */
  public ViewCells withLabels(ViewAxis labelledRows, ViewAxis labelledCols, MaxPairs labelled) {
    return new ViewCells(
        level, span, labelledRows, labelledCols, mean, max, min, pairs, labelled, mask);
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
