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

  /**
   * Reads the rows {@code ids[from], …, ids[from + count − 1]} (any rows, in any order) into {@code
   * dst} row-major from {@code offset}: row {@code ids[from + i]} lands at {@code offset + i·d}.
   * Runs of consecutive ids are read as one range. Sources that pay for each call (opening a file)
   * override this to pay once.
   *
   * @throws IOException if the underlying file cannot be read
   * @throws IndexOutOfBoundsException if an id is outside the matrix
   */
  default void readRowsAt(int[] ids, int from, int count, float[] dst, int offset)
      throws IOException {
    int d = dim();
    for (int i = 0; i < count; ) {
      int run = runLength(ids, from + i, from + count);
      readRows(ids[from + i], run, dst, offset + i * d);
      i += run;
    }
  }

  /** The length of the run of consecutive ids that starts at {@code ids[at]}, up to {@code end}. */
  static int runLength(int[] ids, int at, int end) {
    int x = at + 1;
    while (x < end && ids[x] == ids[x - 1] + 1) {
      x++;
    }
    return x - at;
  }

  /** Reads rows {@code [start, start + count)} into a new row-major array. */
  default float[] readRows(long start, int count) throws IOException {
    float[] dst = new float[Math.multiplyExact(count, dim())];
    readRows(start, count, dst, 0);
    return dst;
  }
}
