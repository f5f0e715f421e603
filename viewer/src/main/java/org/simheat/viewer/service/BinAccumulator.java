package org.simheat.viewer.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.simheat.viewer.spec.MaskState;
import org.simheat.viewer.spec.MaxPairs;
import org.simheat.viewer.spec.ViewAxis;
import org.simheat.viewer.spec.ViewCells;
import org.simheat.viewer.store.TileData;

/**
 * The running aggregates of a view's bins while level cells are folded in: Σ mean·pairs, pairs,
 * max, min and, at live levels, the pair attaining the max (the first in row-major order on ties:
 * cells arrive tile by tile, so an equal max replaces the kept pair only if it comes earlier).
 *
 * <p>Cells on the diagonal of a masked view are deferred: their sums and pairs are added, their
 * extremes kept aside for {@link DiagonalMask}, which removes the self-pairs and offers the
 * extremes back. Memory: O(bins) plus the deferred cells (one per diagonal cell in view).
 */
final class BinAccumulator {
  /** A diagonal level cell whose extremes wait for the mask (NaN where the tile has none). */
  record DeferredCell(int bin, long cell, float max, long maxRow, long maxCol, float min) {}

  private final double[] sum;
  private final double[] max;
  private final double[] min;
  private final long[] pairs;
  private final long[] maxRow;
  private final long[] maxCol;
  private final List<DeferredCell> deferred = new ArrayList<>();
  private boolean hasMean;
  private boolean hasMax;
  private boolean hasMin;

  /** Accumulators of n bins, keeping max pairs when {@code trackMaxPairs}. */
  BinAccumulator(int n, boolean trackMaxPairs) {
    sum = new double[n];
    max = new double[n];
    min = new double[n];
    pairs = new long[n];
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    maxRow = trackMaxPairs ? filled(n) : null;
    maxCol = trackMaxPairs ? filled(n) : null;
  }

  /** Folds cell k of a tile, holding {@code cellPairs} pairs, into a bin. */
  void add(int bin, TileData tile, int k, long cellPairs) {
    addMean(bin, tile, k, cellPairs);
    if (tile.max() != null) {
      hasMax = true;
      offerMax(bin, tile.max()[k], maxRowOf(tile, k), maxColOf(tile, k));
    }
    if (tile.min() != null) {
      hasMin = true;
      offerMin(bin, tile.min()[k]);
    }
  }

  /** Folds the sum and pairs of diagonal level cell {@code cell} and defers its extremes. */
  void addDiagonal(int bin, long cell, TileData tile, int k, long cellPairs) {
    addMean(bin, tile, k, cellPairs);
    hasMax |= tile.max() != null;
    hasMin |= tile.min() != null;
    float hi = tile.max() != null ? tile.max()[k] : Float.NaN;
    float lo = tile.min() != null ? tile.min()[k] : Float.NaN;
    deferred.add(new DeferredCell(bin, cell, hi, maxRowOf(tile, k), maxColOf(tile, k), lo));
  }

  /** Removes {@code count} self-pairs whose values sum to {@code valueSum} from a bin. */
  void removeSelfPairs(int bin, long count, double valueSum) {
    pairs[bin] -= count;
    sum[bin] -= valueSum;
  }

  /** Takes a value as the bin's max if larger, or equal and its pair earlier in row-major order. */
  void offerMax(int bin, double value, long row, long col) {
    if (value > max[bin]) {
      max[bin] = value;
      if (maxRow != null) {
        maxRow[bin] = row;
        maxCol[bin] = col;
      }
    } else if (value == max[bin] && maxRow != null && earlier(bin, row, col)) {
      maxRow[bin] = row;
      maxCol[bin] = col;
    }
  }

  /** Takes a value as the bin's min if smaller. */
  void offerMin(int bin, double value) {
    min[bin] = Math.min(min[bin], value);
  }

  /** The diagonal cells deferred so far. */
  List<DeferredCell> deferred() {
    return deferred;
  }

  boolean hasMean() {
    return hasMean;
  }

  boolean hasExtremes() {
    return hasMax || hasMin;
  }

  /** The cells: means divided out; a bin without pairs gets NaN values and no max pair. */
  ViewCells finish(int z, long s, ViewAxis rows, ViewAxis cols, MaskState mask) {
    for (int b = 0; b < pairs.length; b++) {
      if (pairs[b] > 0) {
        sum[b] /= pairs[b];
      } else {
        sum[b] = max[b] = min[b] = Double.NaN;
        if (maxRow != null) {
          maxRow[b] = maxCol[b] = -1;
        }
      }
    }
    MaxPairs maxPairs = maxRow != null && hasMax ? MaxPairs.of(maxRow, maxCol) : null;
    return new ViewCells(
        z,
        s,
        rows,
        cols,
        hasMean ? sum : null,
        hasMax ? max : null,
        hasMin ? min : null,
        pairs,
        maxPairs,
        mask);
  }

  private void addMean(int bin, TileData tile, int k, long cellPairs) {
    pairs[bin] += cellPairs;
    if (tile.mean() != null) {
      hasMean = true;
      sum[bin] += (double) tile.mean()[k] * cellPairs;
    }
  }

  private boolean earlier(int bin, long row, long col) {
    long r = maxRow[bin];
    return row >= 0 && (r < 0 || row < r || row == r && col < maxCol[bin]);
  }

  private static long maxRowOf(TileData tile, int k) {
    return tile.maxRow() == null ? -1 : tile.maxRow()[k];
  }

  private static long maxColOf(TileData tile, int k) {
    return tile.maxCol() == null ? -1 : tile.maxCol()[k];
  }

  private static long[] filled(int n) {
    long[] a = new long[n];
    Arrays.fill(a, -1);
    return a;
  }
}
