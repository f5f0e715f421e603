package org.simheat.viewer.store;

/**
 * The decoded rows of one row group of a run's {@code embeddings}: each row's position and its
 * vector, row-major. Shared through the row-group cache: never modify the arrays.
 *
 * @param positions the position of each row, in file order
 * @param vectors {@code positions.length × dim} floats
 * @param dim the embedding dimension
 */
public record VectorRows(int[] positions, float[] vectors, int dim) {

  /** Bytes held by the arrays, for cache accounting. */
  public long bytes() {
    return 64 + 4L * positions.length + 4L * vectors.length;
  }
}
