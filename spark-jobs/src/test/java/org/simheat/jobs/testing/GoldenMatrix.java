package org.simheat.jobs.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The committed golden files under {@code src/test/resources/golden/} and the formula their
 * generators fill every floating matrix with: value(r, c) = (r · cols + c) · 0.125 − 3.
 */
public final class GoldenMatrix {
  private GoldenMatrix() {}

  /** The absolute local path of {@code golden/<relative>}. */
  public static Path path(String relative) {
    URL url = GoldenMatrix.class.getResource("/golden/" + relative);
    if (url == null) {
      throw new IllegalArgumentException("No golden file " + relative);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The value at (r, c) of a golden matrix with {@code cols} columns. */
  public static float value(long r, int c, int cols) {
    return (r * cols + c) * 0.125f - 3;
  }

  /** Rows {@code [start, start + count)} of a golden matrix, row-major. */
  public static float[] rows(long start, int count, int cols) {
    float[] out = new float[count * cols];
    for (int r = 0; r < count; r++) {
      for (int c = 0; c < cols; c++) {
        out[r * cols + c] = value(start + r, c, cols);
      }
    }
    return out;
  }

  /** The float16 bits of a normal float that float16 holds exactly, as the golden values are. */
  public static int halfBits(float v) {
    int bits = Float.floatToIntBits(v);
    int exp = ((bits >>> 23) & 0xff) - 112;
    return ((bits >>> 16) & 0x8000) | (exp << 10) | ((bits & 0x7fffff) >>> 13);
  }
}
