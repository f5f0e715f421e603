package org.simheat.viewer.service;

import java.io.IOException;
import java.util.Arrays;
import org.simheat.viewer.store.EmbeddingStore;

/**
 * The vectors of consecutive positions [start, start + count), row-major, with their norms taken in
 * double precision: one operand of a live product.
 *
 * @param start first position
 * @param count positions
 * @param vectors {@code count × d} floats
 * @param norms ‖x‖ of each position
 */
record VectorBlock(long start, int count, float[] vectors, double[] norms) {

  /**
   * Reads positions [from, to) and takes their norms.
   *
   * @throws IOException if the embeddings cannot be read
   */
  static VectorBlock read(EmbeddingStore embeddings, long from, long to) throws IOException {
    float[] v = embeddings.read(from, to);
    int d = embeddings.dim();
    int count = (int) (to - from);
    double[] norms = new double[count];
    for (int x = 0; x < count; x++) {
      double s = 0;
      for (int k = x * d, e = k + d; k < e; k++) {
        s += (double) v[k] * v[k];
      }
      norms[x] = Math.sqrt(s);
    }
    return new VectorBlock(from, count, v, norms);
  }

  /** Positions [from, to) of this block (which must hold them), copied. */
  VectorBlock slice(long from, long to, int d) {
    int a = (int) (from - start);
    int b = (int) (to - start);
    return new VectorBlock(
        from, b - a, Arrays.copyOfRange(vectors, a * d, b * d), Arrays.copyOfRange(norms, a, b));
  }

  /** Whether this block holds exactly the positions of {@code other}. */
  boolean samePositions(VectorBlock other) {
    return start == other.start && count == other.count;
  }
}
