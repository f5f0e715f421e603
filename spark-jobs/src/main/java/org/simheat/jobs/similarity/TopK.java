package org.simheat.jobs.similarity;

/**
 * The k best (key, position) pairs of each row of a block of rows, best first.
 *
 * <p>Keys are "higher is better" (a distance is offered negated). Ties are broken by the smaller
 * position, so the result is a deterministic function of the values, whatever the order in which
 * blocks are offered and partial lists are merged. Each row keeps a sorted array of at most k
 * entries; an offer costs one comparison against the row's current k-th key in the common case and
 * O(k) when it enters. Memory: 8·k bytes per row.
 */
public final class TopK implements Partial {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final long rowStart;
  private final int rows;
  private final float[] keys;
  private final int[] positions;
  private final int[] sizes;

  /** An empty list of capacity k for each of rows [rowStart, rowStart + rows). */
  public TopK(int k, long rowStart, int rows) {
    this.k = k;
    this.rowStart = rowStart;
    this.rows = rows;
    this.keys = new float[rows * k];
    this.positions = new int[rows * k];
    this.sizes = new int[rows];
  }

  public long rowStart() {
    return rowStart;
  }

  public int rows() {
    return rows;
  }

  /** The smallest key that could still enter row i's list (−∞ while it is not full). */
  public float threshold(int i) {
    return sizes[i] < k ? Float.NEGATIVE_INFINITY : keys[i * k + k - 1];
  }

  /** Offers position p with the given key to row i (local index). */
  public void offer(int i, float key, int p) {
    int base = i * k;
    int size = sizes[i];
    if (size == k) {
      float worst = keys[base + k - 1];
      if (key < worst || (key == worst && p > positions[base + k - 1])) {
        return;
      }
      size--;
    }
    int at = base + size;
    while (at > base && better(key, p, keys[at - 1], positions[at - 1])) {
      keys[at] = keys[at - 1];
      positions[at] = positions[at - 1];
      at--;
    }
    keys[at] = key;
    positions[at] = p;
    sizes[i] = size + 1;
  }

  private static boolean better(float key, int p, float otherKey, int otherP) {
    return key > otherKey || (key == otherKey && p < otherP);
  }

  /**
   * Offers every entry of another list over the same rows and returns this.
   *
   * @throws IllegalArgumentException if the two cover different rows
   */
  @Override
  public Partial mergeWith(Partial part) {
    TopK other = (TopK) part;
    if (other.rowStart != rowStart || other.rows != rows || other.k != k) {
      throw new IllegalArgumentException("Cannot merge top-k lists of different rows");
    }
    for (int i = 0; i < rows; i++) {
      for (int e = 0; e < other.sizes[i]; e++) {
        offer(i, other.keys[i * k + e], other.positions[i * k + e]);
      }
    }
    return this;
  }

  /** Number of entries held for row i. */
  public int size(int i) {
    return sizes[i];
  }

  /** The e-th best key of row i. */
  public float key(int i, int e) {
    return keys[i * k + e];
  }

  /** The e-th best position of row i. */
  public int position(int i, int e) {
    return positions[i * k + e];
  }
}
