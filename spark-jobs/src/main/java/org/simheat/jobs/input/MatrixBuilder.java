package org.simheat.jobs.input;

import java.util.Arrays;

/**
 * A row-major float32 matrix grown value by value, for readers that learn the row count only at the
 * end (text, Parquet). It holds at most {@value #MAX_VALUES} values, the most one Java array can.
 */
final class MatrixBuilder {
  static final int MAX_VALUES = Integer.MAX_VALUE - 8;
  private static final int MIN_CAPACITY = 1 << 10;

  private final String uri;
  private float[] data;
  private int size;

  /**
   * Starts an empty matrix.
   *
   * @param expectedValues the final size when known (allocated at once), else 0
   * @param uri the file, for messages
   * @throws IllegalArgumentException if {@code expectedValues} is more than an array holds
   */
  MatrixBuilder(long expectedValues, String uri) {
    this.uri = uri;
    if (expectedValues > MAX_VALUES) {
      throw tooLarge(expectedValues);
    }
    this.data = new float[(int) Math.max(MIN_CAPACITY, expectedValues)];
  }

  /** Appends one value. */
  void add(float value) {
    if (size == data.length) {
      grow();
    }
    data[size++] = value;
  }

  /** Values appended so far. */
  int size() {
    return size;
  }

  /**
   * The values as a {@code rows × dim} matrix.
   *
   * @throws IllegalArgumentException if the count is not {@code rows × dim}
   */
  DenseMatrix build(int rows, int dim, String description) {
    float[] values = size == data.length ? data : Arrays.copyOf(data, size);
    data = null;
    return new DenseMatrix(values, rows, dim, description);
  }

  private void grow() {
    if (data.length >= MAX_VALUES) {
      throw tooLarge((long) data.length + 1);
    }
    data = Arrays.copyOf(data, (int) Math.min(MAX_VALUES, 2L * data.length));
  }

  private IllegalArgumentException tooLarge(long values) {
    return new IllegalArgumentException(
        "Cannot read embeddings: "
            + values
            + " values do not fit in one in-memory matrix (at most "
            + MAX_VALUES
            + "), convert the file to .npy or safetensors ("
            + uri
            + ")");
  }
}
