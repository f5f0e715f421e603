package org.simheat.jobs.input;

import java.io.Serializable;

/**
 * Per-cell sums of a matrix's rows: row r belongs to cell ⌊r / s⌋ for a cell span s, and each cell
 * holds the sum of its rows (raw, for dot) and of its rows divided by their norms (unit, for
 * cosine; a zero row adds nothing), in double precision. A block of cells [first, first + cells) is
 * filled from the rows that fall in it, and blocks add up exactly into the whole matrix's sums.
 *
 * <p>Memory: {@code cells · d} doubles per kind asked for.
 */
public final class CellSums implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Spec spec;
  private final int dim;
  private final long first;
  private final int cells;
  private final double[] raw;
  private final double[] unit;

  /**
   * Which sums to accumulate.
   *
   * @param span rows per cell s
   * @param raw sum the rows as they are
   * @param unit sum the rows divided by their L2 norms
   */
  public record Spec(long span, boolean raw, boolean unit) implements Serializable {
    /**
     * Checks the span.
     *
     * @throws IllegalArgumentException if the span is not positive or no sum is asked for
     */
    public Spec {
      if (span <= 0 || !(raw || unit)) {
        throw new IllegalArgumentException("Cell sums need a span ≥ 1 and a kind, got " + span);
      }
    }
  }

  private CellSums(Spec spec, int dim, long first, int cells) {
    this.spec = spec;
    this.dim = dim;
    this.first = first;
    this.cells = cells;
    int n = Math.multiplyExact(cells, dim);
    this.raw = spec.raw() ? new double[n] : null;
    this.unit = spec.unit() ? new double[n] : null;
  }

  /** Zero sums over the cells that rows [fromRow, toRow) fall in. */
  public static CellSums forRows(Spec spec, int dim, long fromRow, long toRow) {
    long first = fromRow / spec.span();
    long last = (toRow - 1) / spec.span();
    return new CellSums(spec, dim, first, Math.toIntExact(last - first + 1));
  }

  /**
   * Adds row {@code row}, whose values are {@code data[offset … offset + d)} and norm {@code norm}.
   */
  public void addRow(long row, float[] data, int offset, double norm) {
    int base = (int) (row / spec.span() - first) * dim;
    if (raw != null) {
      for (int k = 0; k < dim; k++) {
        raw[base + k] += data[offset + k];
      }
    }
    if (unit != null && norm > 0) {
      double inv = 1 / norm;
      for (int k = 0; k < dim; k++) {
        unit[base + k] += data[offset + k] * inv;
      }
    }
  }

  /** Adds every cell of {@code other}, which must lie within this block's cells. */
  public void addAll(CellSums other) {
    if (other.first < first || other.first + other.cells > first + cells) {
      throw new IllegalArgumentException(
          "Cells " + other.first + "+" + other.cells + " lie outside " + first + "+" + cells);
    }
    int at = (int) (other.first - first) * dim;
    add(raw, other.raw, at);
    add(unit, other.unit, at);
  }

  private static void add(double[] to, double[] from, int at) {
    if (to != null) {
      for (int i = 0; i < from.length; i++) {
        to[at + i] += from[i];
      }
    }
  }

  /** What was summed. */
  public Spec spec() {
    return spec;
  }

  /** First cell held. */
  public long first() {
    return first;
  }

  /** Cells held. */
  public int cells() {
    return cells;
  }

  /** The dimension d. */
  public int dim() {
    return dim;
  }

  /** Raw sums, row-major {@code cells × d}, or null if not asked for; not a copy. */
  public double[] raw() {
    return raw;
  }

  /** Sums of normalised rows, row-major {@code cells × d}, or null if not asked for; not a copy. */
  public double[] unit() {
    return unit;
  }
}
