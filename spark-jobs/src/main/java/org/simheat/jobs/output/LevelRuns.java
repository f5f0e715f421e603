package org.simheat.jobs.output;

import java.io.ByteArrayOutputStream;

/**
 * Repetition and definition levels of bit width 1 in Parquet's RLE/bit-packing hybrid encoding,
 * written as RLE runs only: a run is the varint {@code count << 1} followed by its value in one
 * byte. Lists of a fixed length d have a trivial level pattern, so a page's levels take a few bytes
 * a row however long the rows are.
 */
final class LevelRuns {
  private LevelRuns() {}

  /**
   * Repetition levels of {@code rows} lists of {@code length} ≥ 1 elements each: per row a 0 (a new
   * list), then {@code length − 1} ones.
   */
  static byte[] repetition(int rows, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rows * 6);
    if (length == 1) {
      run(out, 0, rows);
      return out.toByteArray();
    }
    for (int r = 0; r < rows; r++) {
      run(out, 0, 1);
      run(out, 1, length - 1);
    }
    return out.toByteArray();
  }

  /** {@code count} copies of one level. */
  static byte[] constant(int value, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(6);
    run(out, value, count);
    return out.toByteArray();
  }

  private static void run(ByteArrayOutputStream out, int value, int count) {
    long header = (long) count << 1;
    while ((header & ~0x7FL) != 0) {
      out.write((int) ((header & 0x7F) | 0x80));
      header >>>= 7;
    }
    out.write((int) header);
    out.write(value);
  }
}
