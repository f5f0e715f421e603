package org.simheat.viewer.service;

import java.io.IOException;
import org.simheat.format.Metric;
import org.simheat.viewer.store.EmbeddingStore;

/**
 * The exact max and min of the off-diagonal pairs of a symmetric run's diagonal cells, for the
 * diagonal mask.
 *
 * <p>Diagonal cell c of span s covers positions [a, b) = [c·s, min((c+1)·s, N)) on both axes; its
 * off-diagonal pairs are (p, q) ∈ [a, b)² with p ≠ q. Their values are computed as live tiles
 * compute them (vectors from the embeddings, norms in double, D = A·Aᵀ by SGEMM, then {@link
 * LiveTileComputer#pairValue}), so a masked live level agrees with its live tiles. The max keeps
 * the pair attaining it, the first in row-major order on ties; a cell of one position has no
 * off-diagonal pair and no extremes.
 *
 * <p>Cost: (b − a)²·d multiply-adds per cell. Consecutive cells are read together in chunks of at
 * most {@value #BLOCK} positions; a larger cell is multiplied in BLOCK × BLOCK blocks, so memory is
 * O(BLOCK·(BLOCK + d)) whatever the span.
 */
final class OffDiagonalScan {
  static final int BLOCK = 1024;

  /**
   * A cell's off-diagonal extremes; a cell without off-diagonal pairs has max −∞, min +∞ and max
   * pair (−1, −1).
   *
   * @param max the largest value, as a float
   * @param maxRow row position of the pair attaining it
   * @param maxCol column position of that pair
   * @param min the smallest value
   */
  record Extremes(float max, long maxRow, long maxCol, float min) {
    /** Whether the cell had any off-diagonal pair. */
    boolean any() {
      return maxRow >= 0;
    }
  }

  private final EmbeddingStore embeddings;
  private final Metric metric;
  private float[] product = new float[0];

  OffDiagonalScan(EmbeddingStore embeddings, Metric metric) {
    this.embeddings = embeddings;
    this.metric = metric;
  }

  /** The multiply-adds the scan of diagonal cells [c0, c1) of span s takes, N positions in all. */
  static double multiplyAdds(long c0, long c1, long span, long n, int dim) {
    double cost = 0;
    for (long c = c0; c < c1; c++) {
      double extent = Math.min((c + 1) * span, n) - c * span;
      cost += extent * extent * dim;
    }
    return cost;
  }

  /**
   * The extremes of diagonal cells [c0, c1) of span s, N positions in all: element c − c0 is cell
   * c's.
   *
   * @throws IOException if the embeddings cannot be read
   */
  Extremes[] cells(long c0, long c1, long span, long n) throws IOException {
    Extremes[] out = new Extremes[(int) (c1 - c0)];
    if (span > BLOCK) {
      for (long c = c0; c < c1; c++) {
        out[(int) (c - c0)] = large(c * span, Math.min((c + 1) * span, n));
      }
      return out;
    }
    long perChunk = BLOCK / span;
    int d = embeddings.dim();
    for (long first = c0; first < c1; first += perChunk) {
      long last = Math.min(first + perChunk, c1);
      VectorBlock chunk = VectorBlock.read(embeddings, first * span, Math.min(last * span, n));
      for (long c = first; c < last; c++) {
        VectorBlock cell = chunk.slice(c * span, Math.min((c + 1) * span, n), d);
        Accumulator acc = new Accumulator();
        fold(cell, cell, acc);
        out[(int) (c - c0)] = acc.extremes();
      }
    }
    return out;
  }

  /** A cell of more than one block: every block pair of [a, b)². */
  private Extremes large(long a, long b) throws IOException {
    Accumulator acc = new Accumulator();
    for (long r = a; r < b; r += BLOCK) {
      VectorBlock rows = VectorBlock.read(embeddings, r, Math.min(r + BLOCK, b));
      for (long c = a; c < b; c += BLOCK) {
        VectorBlock cols = c == r ? rows : VectorBlock.read(embeddings, c, Math.min(c + BLOCK, b));
        fold(rows, cols, acc);
      }
    }
    return acc.extremes();
  }

  /** Offers every pair of rows × cols except the self-pairs. */
  private void fold(VectorBlock rows, VectorBlock cols, Accumulator acc) {
    int p = rows.count();
    int q = cols.count();
    if (product.length < p * q) {
      product = new float[p * q];
    }
    DenseProduct.multiplyTransposed(
        rows.vectors(), p, cols.vectors(), q, embeddings.dim(), product);
    double[] colNorms = cols.norms();
    for (int x = 0; x < p; x++) {
      long row = rows.start() + x;
      double na = rows.norms()[x];
      for (int y = 0, offset = x * q; y < q; y++) {
        long col = cols.start() + y;
        if (col != row) {
          acc.offer(
              (float)
                  LiveTileComputer.pairValue(metric, product[offset + y], na, colNorms[y], false),
              row,
              col);
        }
      }
    }
  }

  /** Running extremes of one cell. */
  private static final class Accumulator {
    private float max = Float.NEGATIVE_INFINITY;
    private float min = Float.POSITIVE_INFINITY;
    private long maxRow = -1;
    private long maxCol = -1;

    void offer(float value, long row, long col) {
      if (value > max
          || value == max && (maxRow < 0 || row < maxRow || row == maxRow && col < maxCol)) {
        max = value;
        maxRow = row;
        maxCol = col;
      }
      min = Math.min(min, value);
    }

    Extremes extremes() {
      return new Extremes(max, maxRow, maxCol, min);
    }
  }
}
