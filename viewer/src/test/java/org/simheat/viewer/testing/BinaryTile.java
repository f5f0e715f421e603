package org.simheat.viewer.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A tile in the viewer's binary format ({@code ?format=f32}), decoded independently of the server's
 * encoder, as a client would decode it: a 40-byte little-endian header, then the float32 arrays its
 * aggregation bits name.
 *
 * @param magic the first four bytes as ASCII ("SHT1")
 * @param z level
 * @param i tile row
 * @param j tile column
 * @param span cell span
 * @param rowStart first cell row
 * @param colStart first cell column
 * @param rows cell rows
 * @param cols cell columns
 * @param aggs bit 0 mean, 1 max, 2 min
 * @param mean means, or null
 * @param max maxima, or null
 * @param min minima, or null
 */
public record BinaryTile(
    String magic,
    int z,
    int i,
    int j,
    int span,
    int rowStart,
    int colStart,
    int rows,
    int cols,
    int aggs,
    float[] mean,
    float[] max,
    float[] min) {

  /**
   * Decodes a response body.
   *
   * @throws IllegalArgumentException if its length is not what its header says
   */
  public static BinaryTile decode(byte[] body) {
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    String magic = new String(body, 0, 4, StandardCharsets.US_ASCII);
    b.position(4);
    int[] h = new int[9];
    for (int k = 0; k < h.length; k++) {
      h[k] = b.getInt();
    }
    int cells = h[6] * h[7];
    int arrays = Integer.bitCount(h[8]);
    if (body.length != 40 + 4 * cells * arrays) {
      throw new IllegalArgumentException(
          "A binary tile of " + arrays + " × " + cells + " floats has " + body.length + " bytes");
    }
    float[][] values = new float[3][];
    for (int a = 0; a < 3; a++) {
      if ((h[8] & (1 << a)) != 0) {
        values[a] = new float[cells];
        for (int k = 0; k < cells; k++) {
          values[a][k] = b.getFloat();
        }
      }
    }
    return new BinaryTile(
        magic, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], values[0], values[1],
        values[2]);
  }
}
