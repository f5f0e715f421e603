package org.simheat.viewer.http;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.simheat.viewer.service.ViewerService.Tile;

/**
 * The binary tile format ({@code ?format=f32}), all little-endian:
 *
 * <pre>
 * offset  size  field
 *   0      4    magic: ASCII "SHT1"
 *   4      4    int32 z
 *   8      4    int32 i            tile row
 *  12      4    int32 j            tile column
 *  16      4    int32 span         positions per cell side
 *  20      4    int32 rowStart     first cell row of the tile, in cells of level z
 *  24      4    int32 colStart
 *  28      4    int32 rows         cell rows
 *  32      4    int32 cols         cell columns
 *  36      4    int32 aggs         bit 0 mean, bit 1 max, bit 2 min: which arrays follow
 *  40      …    float32[rows·cols] per set bit, in that order, row-major
 * </pre>
 *
 * <p>The arrays start at multiples of 4, so a browser reads them in place with {@code new
 * Float32Array(buffer, 40 + k·4·rows·cols, rows·cols)}. Values are the stored floats, NaN included
 * (JSON writes a non-finite value as null). A full 256 × 256 tile with three aggregations is
 * 786,472 bytes, against about 2.2 MB of JSON.
 */
final class TileBinary {
  static final String CONTENT_TYPE = "application/octet-stream";
  static final int HEADER_BYTES = 40;
  static final int MEAN = 1;
  static final int MAX = 2;
  static final int MIN = 4;
  private static final int MAGIC = 'S' | 'H' << 8 | 'T' << 16 | '1' << 24;

  private TileBinary() {}

  /** The tile's bytes in direct memory, read-only; absent (null) aggregations are left out. */
  static ByteBuffer encode(Tile t) {
    int cells = t.rows() * t.cols();
    float[][] arrays = {t.mean(), t.max(), t.min()};
    int mask = 0;
    int present = 0;
    for (int a = 0; a < arrays.length; a++) {
      if (arrays[a] != null) {
        mask |= 1 << a;
        present++;
      }
    }
    ByteBuffer out =
        ByteBuffer.allocateDirect(HEADER_BYTES + 4 * cells * present)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC).putInt(t.z());
    out.putInt(Math.toIntExact(t.i())).putInt(Math.toIntExact(t.j()));
    out.putInt(Math.toIntExact(t.span()));
    out.putInt(Math.toIntExact(t.rowStart())).putInt(Math.toIntExact(t.colStart()));
    out.putInt(t.rows()).putInt(t.cols()).putInt(mask);
    for (float[] values : arrays) {
      if (values != null) {
        out.asFloatBuffer().put(values, 0, cells);
        out.position(out.position() + 4 * cells);
      }
    }
    return out.flip().asReadOnlyBuffer();
  }
}
