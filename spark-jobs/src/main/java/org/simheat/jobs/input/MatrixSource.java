package org.simheat.jobs.input;

import java.io.IOException;
import java.io.Serializable;

/**
 * A dense {@code rows × dim} matrix whose row ranges can be read as float32, on the driver or,
 * after serialisation, on an executor.
 */
public interface MatrixSource extends Serializable {
  /** Number of rows N. */
  long rows();

  /** Number of columns d. */
  int dim();

  /** Where the matrix comes from, for messages: the file and, where there is one, the tensor. */
  String describe();

  /**
   * Reads rows {@code [start, start + count)} into {@code dst} row-major from {@code offset}.
   *
   * @throws IOException if the underlying file cannot be read
   * @throws IndexOutOfBoundsException if the range is outside the matrix or {@code dst}
   */
  void readRows(long start, int count, float[] dst, int offset) throws IOException;

  /** Reads rows {@code [start, start + count)} into a new row-major array. */
  default float[] readRows(long start, int count) throws IOException {
    float[] dst = new float[Math.multiplyExact(count, dim())];
    readRows(start, count, dst, 0);
    return dst;
  }
}
