package org.simheat.viewer.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.simheat.format.Metric;
import org.simheat.viewer.store.EmbeddingStore;

/**
 * The N best pairs of tokens inside a region of the similarity matrix, exactly, from the
 * embeddings.
 *
 * <p>The region is rows [y0, y1) × columns [x0, x1). Values are computed as live tiles compute them
 * (float vectors, norms in double, D = A·Bᵀ by SGEMM, then {@link LiveTileComputer#pairValue}), so
 * a pair's value here equals its one-token cell. "Best" is the largest value for cosine and dot,
 * the smallest for l2; ties go to the smaller row, then the smaller column, so the answer is
 * deterministic.
 *
 * <p>In a symmetric run (r, c) and (c, r) are one pair of tokens: self-pairs (r = c) are skipped,
 * and (r, c) with r &gt; c is skipped when its mirror (c, r) lies in the region too, so each
 * unordered pair is ranked once. A cross run ranks every cell.
 *
 * <p>Invariant: a bounded heap holds the N best pairs seen so far, its worst at the head; a
 * candidate that does not beat the head is dropped without allocation. Cost: (y1 − y0)·(x1 − x0)·d
 * multiply-adds in blocks of {@value #BLOCK} × {@value #BLOCK}, plus O(log N) per pair that enters
 * the heap; memory O(BLOCK·(BLOCK + d) + N) whatever the region (the caller caps its area).
 */
final class RegionPairs {
  static final int BLOCK = 1024;

  /**
   * One ranked pair.
   *
   * @param row row position
   * @param col column position
   * @param value the metric's value
   */
  record Found(long row, long col, double value) {}

  /**
   * The best pairs, best first, and how many distinct pairs were ranked.
   *
   * @param best the best pairs
   * @param considered pairs ranked
   */
  record Result(List<Found> best, long considered) {}

  private final EmbeddingStore rows;
  private final EmbeddingStore cols;
  private final Metric metric;
  private final boolean symmetric;
  private final Comparator<Found> better;
  private float[] product = new float[0];

  /**
   * Ranks pairs of {@code rows} × {@code cols} vectors (the same store in a symmetric run).
   *
   * @param symmetric whether rows and columns are one set of tokens
   */
  RegionPairs(EmbeddingStore rows, EmbeddingStore cols, Metric metric, boolean symmetric) {
    this.rows = rows;
    this.cols = cols;
    this.metric = metric;
    this.symmetric = symmetric;
    Comparator<Found> byValue = Comparator.comparingDouble(Found::value);
    this.better =
        (metric.higherIsBetter() ? byValue.reversed() : byValue)
            .thenComparingLong(Found::row)
            .thenComparingLong(Found::col);
  }

  /**
   * The {@code limit} best pairs of rows [y0, y1) × columns [x0, x1), which lie in the matrix.
   *
   * @throws IOException if the embeddings cannot be read
   */
  Result top(long x0, long x1, long y0, long y1, int limit) throws IOException {
    PriorityQueue<Found> heap = new PriorityQueue<>(limit + 1, better.reversed());
    long considered = 0;
    for (long r = y0; r < y1; r += BLOCK) {
      VectorBlock a = VectorBlock.read(rows, r, Math.min(r + BLOCK, y1));
      for (long c = x0; c < x1; c += BLOCK) {
        long cEnd = Math.min(c + BLOCK, x1);
        VectorBlock b =
            symmetric && a.start() == c && a.count() == cEnd - c
                ? a
                : VectorBlock.read(cols, c, cEnd);
        considered += rank(a, b, new long[] {x0, x1, y0, y1}, heap, limit);
      }
    }
    List<Found> best = new ArrayList<>(heap);
    best.sort(better);
    return new Result(List.copyOf(best), considered);
  }

  /** Offers every counted pair of one block to the heap; returns how many were counted. */
  private long rank(
      VectorBlock a, VectorBlock b, long[] region, PriorityQueue<Found> heap, int limit) {
    int p = a.count();
    int q = b.count();
    if (product.length < p * q) {
      product = new float[p * q];
    }
    DenseProduct.multiplyTransposed(a.vectors(), p, b.vectors(), q, rows.dim(), product);
    long counted = 0;
    for (int x = 0; x < p; x++) {
      long row = a.start() + x;
      double na = a.norms()[x];
      for (int y = 0, offset = x * q; y < q; y++) {
        long col = b.start() + y;
        if (symmetric && skipped(row, col, region)) {
          continue;
        }
        counted++;
        double v = LiveTileComputer.pairValue(metric, product[offset + y], na, b.norms()[y], false);
        Found worst = heap.size() < limit ? null : heap.peek();
        if (worst == null || beats(v, row, col, worst)) {
          if (worst != null) {
            heap.poll();
          }
          heap.add(new Found(row, col, v));
        }
      }
    }
    return counted;
  }

  /** Whether a symmetric run's (row, col) is a self-pair or the mirror of a pair in the region. */
  private static boolean skipped(long row, long col, long[] region) {
    if (row == col) {
      return true;
    }
    return row > col && col >= region[2] && col < region[3] && row >= region[0] && row < region[1];
  }

  /** Whether (row, col) with value v ranks before {@code other}. */
  private boolean beats(double v, long row, long col, Found other) {
    if (v != other.value()) {
      return metric.higherIsBetter() ? v > other.value() : v < other.value();
    }
    return row < other.row() || row == other.row() && col < other.col();
  }
}
