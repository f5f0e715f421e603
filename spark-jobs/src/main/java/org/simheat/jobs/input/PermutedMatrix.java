package org.simheat.jobs.input;

import java.io.IOException;

/**
 * A matrix seen in another row order: row p of this view is row {@code ids[p]} of the underlying
 * matrix. The display order of a clustered run is such a view of its input, so that the blocked
 * pass, the scans and the embeddings writer read positions as they read any matrix.
 *
 * <p>A range of positions becomes one {@link MatrixSource#readRowsAt} of the underlying matrix,
 * which reads runs of consecutive ids as single ranges and opens a file once per call. Serialised
 * with the underlying matrix's small descriptor and the permutation (4 bytes a row).
 */
public final class PermutedMatrix implements MatrixSource {
  private static final long serialVersionUID = 1L;

  private final MatrixSource base;
  private final int[] ids;

  /**
   * A view of {@code base} whose row p is {@code base}'s row {@code ids[p]}.
   *
   * @throws IllegalArgumentException if {@code ids} is not a permutation of base's rows
   */
  public PermutedMatrix(MatrixSource base, int[] ids) {
    if (ids.length != base.rows()) {
      throw new IllegalArgumentException(
          "A permutation of " + base.rows() + " rows cannot have " + ids.length + " entries");
    }
    boolean[] seen = new boolean[ids.length];
    for (int id : ids) {
      if (id < 0 || id >= ids.length || seen[id]) {
        throw new IllegalArgumentException(
            "Not a permutation: row " + id + " is out of range or repeated");
      }
      seen[id] = true;
    }
    this.base = base;
    this.ids = ids;
  }

  @Override
  public long rows() {
    return ids.length;
  }

  @Override
  public int dim() {
    return base.dim();
  }

  @Override
  public String describe() {
    return base.describe();
  }

  /** The underlying row of position p. */
  public int id(int p) {
    return ids[p];
  }

  @Override
  public void readRows(long start, int count, float[] dst, int offset) throws IOException {
    if (start < 0 || count < 0 || start + count > ids.length) {
      throw new IndexOutOfBoundsException(
          "rows [" + start + ", " + (start + count) + ") of " + ids.length);
    }
    base.readRowsAt(ids, (int) start, count, dst, offset);
  }

  @Override
  public void readRowsAt(int[] positions, int from, int count, float[] dst, int offset)
      throws IOException {
    int[] mapped = new int[count];
    for (int i = 0; i < count; i++) {
      mapped[i] = ids[positions[from + i]];
    }
    base.readRowsAt(mapped, 0, count, dst, offset);
  }
}
