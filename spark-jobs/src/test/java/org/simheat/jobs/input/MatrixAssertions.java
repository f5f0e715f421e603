package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.simheat.jobs.testing.GoldenMatrix;

/** Assertions that a matrix holds the golden formula's values, whole and in every row range. */
final class MatrixAssertions {
  private MatrixAssertions() {}

  /** Asserts the shape, every value, and every row range (including ranges into an offset). */
  static void assertGolden(MatrixSource m, int rows, int cols) throws IOException {
    assertThat(m.rows()).isEqualTo(rows);
    assertThat(m.dim()).isEqualTo(cols);
    assertThat(m.readRows(0, rows)).containsExactly(GoldenMatrix.rows(0, rows, cols));
    for (int start = 0; start <= rows; start++) {
      for (int count = 0; start + count <= rows; count++) {
        float[] dst = new float[(count + 1) * cols];
        m.readRows(start, count, dst, cols);
        float[] expected = new float[dst.length];
        System.arraycopy(GoldenMatrix.rows(start, count, cols), 0, expected, cols, count * cols);
        assertThat(dst).as("rows [%d, %d)", start, start + count).containsExactly(expected);
      }
    }
  }
}
