package org.simheat.jobs.input;

/** A matrix held in memory as row-major float32, for formats that must be parsed whole. */
public final class DenseMatrix implements MatrixSource {
  private static final long serialVersionUID = 1L;

  private final float[] data;
  private final int rows;
  private final int dim;
  private final String description;

  /**
   * Wraps row-major data.
   *
   * @throws IllegalArgumentException if the length is not rows × dim
   */
  public DenseMatrix(float[] data, int rows, int dim, String description) {
    if ((long) rows * dim != data.length) {
      throw new IllegalArgumentException(
          "Matrix data has " + data.length + " values, expected " + rows + " × " + dim);
    }
    this.data = data;
    this.rows = rows;
    this.dim = dim;
    this.description = description;
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void readRows(long start, int count, float[] dst, int offset) {
    if (start < 0 || count < 0 || start + count > rows) {
      throw new IndexOutOfBoundsException(
          "rows [" + start + ", " + (start + count) + ") of " + rows);
    }
    System.arraycopy(data, (int) start * dim, dst, offset, count * dim);
  }
}
