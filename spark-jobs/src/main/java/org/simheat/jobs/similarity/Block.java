package org.simheat.jobs.similarity;

/**
 * Consecutive rows of a matrix, ready for products: the data (row-major, count × d), and per row
 * the inverse norm and the squared norm in float, which turn dot products into cosine and l2. When
 * the pass needs only cosine the rows are normalised once here instead, so that the product is the
 * cosine itself.
 *
 * @param start first row
 * @param count rows
 * @param data row-major values
 * @param invNorm 1/‖row‖, or 0 for a zero row
 * @param sqNorm ‖row‖²
 * @param normalised whether data holds the rows divided by their norms
 */
public record Block(
    long start, int count, float[] data, float[] invNorm, float[] sqNorm, boolean normalised) {

  /**
   * A block of rows {@code [start, start + count)} whose data was just read.
   *
   * @param norms the L2 norm of every row of the matrix (kept in double)
   * @param normalise divide the rows by their norms (in place)
   */
  public static Block of(
      float[] data, long start, int count, int dim, double[] norms, boolean normalise) {
    float[] inv = new float[count];
    float[] sq = new float[count];
    for (int i = 0; i < count; i++) {
      double n = norms[(int) (start + i)];
      inv[i] = n == 0 ? 0f : (float) (1 / n);
      sq[i] = (float) (n * n);
      if (normalise) {
        for (int k = i * dim, end = k + dim; k < end; k++) {
          data[k] *= inv[i];
        }
      }
    }
    return new Block(start, count, data, inv, sq, normalise);
  }

  /** Bytes held. */
  public long bytes() {
    return 4L * (data.length + invNorm.length + sqNorm.length);
  }
}
