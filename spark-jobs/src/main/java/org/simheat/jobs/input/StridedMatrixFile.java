package org.simheat.jobs.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A matrix stored at a fixed place in a file with fixed element strides: element (r, c) is at byte
 * {@code base + (r·rowStride + c·colStride)·bytes}. That describes a C-order or Fortran-order
 * {@code .npy}, a safetensors tensor, a torch storage seen through a view (offset, strides) and an
 * ONNX initializer's {@code raw_data}. Only this small descriptor is serialised; each executor
 * opens the file itself and reads just the rows it needs, so the driver never holds the matrix.
 *
 * <p>Reads are coalesced: row-contiguous layouts read one span per call (in pieces of at most
 * {@value #MAX_SPAN} bytes), column-contiguous layouts one span per column, anything else one span
 * per row.
 */
public final class StridedMatrixFile implements MatrixSource {
  private static final long serialVersionUID = 1L;
  static final int MAX_SPAN = 1 << 24;

  private final String uri;
  private final HadoopConf conf;
  private final long base;
  private final long rows;
  private final int dim;
  private final long rowStride;
  private final long colStride;
  private final DType dtype;
  private final boolean bigEndian;
  private final String description;

  /**
   * Describes a strided matrix; checks that the file is long enough to hold it.
   *
   * @param file the open file, used here only for its length
   * @throws IllegalArgumentException if the shape is empty, a stride is negative, or the file is
   *     truncated
   */
  public StridedMatrixFile(
      InputFile file,
      HadoopConf conf,
      long base,
      long rows,
      int dim,
      long rowStride,
      long colStride,
      DType dtype,
      ByteOrder order,
      String description) {
    if (rows <= 0 || dim <= 0) {
      throw new IllegalArgumentException(
          "Cannot read embeddings: the matrix is empty ("
              + rows
              + " × "
              + dim
              + ") ("
              + description
              + ")");
    }
    if (base < 0 || rowStride < 0 || colStride < 0) {
      throw new IllegalArgumentException(
          "Cannot read embeddings: negative offset or stride (" + description + ")");
    }
    this.uri = file.uri();
    this.conf = conf;
    this.base = base;
    this.rows = rows;
    this.dim = dim;
    this.rowStride = rowStride;
    this.colStride = colStride;
    this.dtype = dtype;
    this.bigEndian = order == ByteOrder.BIG_ENDIAN;
    this.description = description;
    long last = (rows - 1) * rowStride + (dim - 1) * colStride;
    file.requireLength(base + (last + 1) * dtype.bytes());
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

  /** The element type as stored. */
  public DType dtype() {
    return dtype;
  }

  @Override
  public void readRows(long start, int count, float[] dst, int offset) throws IOException {
    if (start < 0 || count < 0 || start + count > rows) {
      throw new IndexOutOfBoundsException(
          "rows [" + start + ", " + (start + count) + ") of " + rows);
    }
    if (count == 0) {
      return;
    }
    try (InputFile in = InputFile.open(uri, conf.get())) {
      readRange(in, start, count, dst, offset);
    }
  }

  /**
   * Opens the file once for every run of consecutive ids, and reads the runs in file order, so that
   * nearby rows come from the file system's read buffer.
   */
  @Override
  public void readRowsAt(int[] ids, int from, int count, float[] dst, int offset)
      throws IOException {
    List<long[]> runs = new ArrayList<>();
    for (int i = 0; i < count; ) {
      int run = MatrixSource.runLength(ids, from + i, from + count);
      long start = ids[from + i];
      if (start < 0 || start + run > rows) {
        throw new IndexOutOfBoundsException(
            "rows [" + start + ", " + (start + run) + ") of " + rows);
      }
      runs.add(new long[] {start, run, i});
      i += run;
    }
    if (runs.isEmpty()) {
      return;
    }
    runs.sort(Comparator.comparingLong(r -> r[0]));
    try (InputFile in = InputFile.open(uri, conf.get())) {
      for (long[] r : runs) {
        readRange(in, r[0], (int) r[1], dst, offset + (int) r[2] * dim);
      }
    }
  }

  private void readRange(InputFile in, long start, int count, float[] dst, int offset)
      throws IOException {
    if (colStride == 1) {
      readRowMajor(in, start, count, dst, offset);
    } else if (rowStride == 1) {
      readColumnMajor(in, start, count, dst, offset);
    } else {
      readGeneric(in, start, count, dst, offset);
    }
  }

  private void readRowMajor(InputFile in, long start, int count, float[] dst, int offset)
      throws IOException {
    int eb = dtype.bytes();
    long rowBytes = rowStride * eb;
    int rowsPerSpan = (int) Math.max(1, Math.min(count, MAX_SPAN / Math.max(1, rowBytes)));
    for (int r = 0; r < count; r += rowsPerSpan) {
      int n = Math.min(rowsPerSpan, count - r);
      long pos = base + (start + r) * rowBytes;
      int len = (int) ((n - 1) * rowBytes + (long) dim * eb);
      ByteBuffer buf = in.buffer(pos, len, order());
      if (dtype == DType.F32 && rowStride == dim) {
        // Packed float32 rows: one bulk copy (byte-swapped when the order differs).
        buf.asFloatBuffer().get(dst, offset + r * dim, n * dim);
        continue;
      }
      for (int i = 0; i < n; i++) {
        int rowPos = (int) (i * rowBytes);
        int o = offset + (r + i) * dim;
        for (int c = 0; c < dim; c++) {
          dst[o + c] = dtype.read(buf, rowPos + c * eb);
        }
      }
    }
  }

  private void readColumnMajor(InputFile in, long start, int count, float[] dst, int offset)
      throws IOException {
    int eb = dtype.bytes();
    for (int c = 0; c < dim; c++) {
      ByteBuffer buf = in.buffer(base + (c * colStride + start) * eb, count * eb, order());
      for (int r = 0; r < count; r++) {
        dst[offset + r * dim + c] = dtype.read(buf, r * eb);
      }
    }
  }

  private void readGeneric(InputFile in, long start, int count, float[] dst, int offset)
      throws IOException {
    int eb = dtype.bytes();
    int len = (int) (((dim - 1) * colStride + 1) * eb);
    for (int r = 0; r < count; r++) {
      ByteBuffer buf = in.buffer(base + (start + r) * rowStride * eb, len, order());
      for (int c = 0; c < dim; c++) {
        dst[offset + r * dim + c] = dtype.read(buf, (int) (c * colStride * eb));
      }
    }
  }

  private ByteOrder order() {
    return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }
}
