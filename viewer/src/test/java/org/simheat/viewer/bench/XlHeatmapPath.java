package org.simheat.viewer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * xl-heatmap's view update rebuilt in Java, for comparison in the same run. xl-heatmap (a Dash app)
 * keeps the whole V × V similarity matrix in a cache from which every zoom or pan takes it back in
 * full (unpickling 3.7 GB at 30k tokens), crops the viewport {@code z[y0:y1, x0:x1]}, and
 * mean-pools it with {@code AvgPool2d((ky, kx), ceil_mode=True)}, {@code ky = ⌈h/res⌉}, {@code kx =
 * ⌈w/res⌉}: each output cell is the mean of its window clipped to the crop.
 *
 * <p>Here the cache is a file of the matrix as little-endian float32, row-major, read whole into a
 * fresh array on every update, as the unpickling does; the crop is pooled in place (xl-heatmap's
 * slice is a view, not a copy); then the figure it returns to the browser (z, and the x and y
 * labels of every pooled step, {@code "token [...]"}) is written as JSON, as Dash does. Cost:
 * reading and allocating V² floats, whatever the viewport.
 */
final class XlHeatmapPath {
  private static final int CHUNK = 64 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path matrix;
  private final int n;

  /**
   * The mean-pooled crop.
   *
   * @param rows output rows, ⌈h/ky⌉
   * @param cols output columns, ⌈w/kx⌉
   * @param ky window rows
   * @param kx window columns
   * @param means row-major means
   */
  record Pooled(int rows, int cols, int ky, int kx, double[] means) {}

  XlHeatmapPath(Path matrix, int n) {
    this.matrix = matrix;
    this.n = n;
  }

  /**
   * One view update: loads the matrix, crops rows [y0, y1) × columns [x0, x1) and pools it to about
   * {@code res} cells per side.
   *
   * @throws IOException if the matrix cannot be read
   */
  Pooled update(int x0, int x1, int y0, int y1, int res) throws IOException {
    Pooled p = pool(load(), x0, x1, y0, y1, res);
    figure(p, x0, x1, y0, y1);
    return p;
  }

  /** The heatmap figure of a pooled crop as JSON: z rows, and a label per pooled step. */
  static byte[] figure(Pooled p, int x0, int x1, int y0, int y1) throws IOException {
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("type", "heatmap");
    fig.put("x", labels(x0, x1, p.kx()));
    fig.put("y", labels(y0, y1, p.ky()));
    double[][] z = new double[p.rows()][];
    for (int r = 0; r < p.rows(); r++) {
      z[r] = Arrays.copyOfRange(p.means(), r * p.cols(), (r + 1) * p.cols());
    }
    fig.put("z", z);
    return JSON.writeValueAsBytes(Map.of("data", List.of(fig)));
  }

  private static List<String> labels(int from, int to, int step) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i += step) {
      out.add("w" + i + (step > 1 ? " [...]" : ""));
    }
    return out;
  }

  /**
   * The whole matrix, read into a new array.
   *
   * @throws IOException if the file cannot be read or is shorter than n² floats
   */
  float[] load() throws IOException {
    float[] m = new float[Math.multiplyExact(n, n)];
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(matrix, StandardOpenOption.READ)) {
      int at = 0;
      while (at < m.length) {
        buf.clear();
        buf.limit((int) Math.min(CHUNK, 4L * (m.length - at)));
        while (buf.hasRemaining()) {
          if (ch.read(buf) < 0) {
            throw new IOException(matrix + " holds fewer than " + n + "² floats");
          }
        }
        buf.flip();
        int count = buf.remaining() / 4;
        buf.asFloatBuffer().get(m, at, count);
        at += count;
      }
    }
    return m;
  }

  /** AvgPool2d with ceil_mode of the crop [y0, y1) × [x0, x1) of an n × n matrix. */
  Pooled pool(float[] m, int x0, int x1, int y0, int y1, int res) {
    int h = y1 - y0;
    int w = x1 - x0;
    int ky = ceilDiv(h, Math.min(res, h));
    int kx = ceilDiv(w, Math.min(res, w));
    int rows = ceilDiv(h, ky);
    int cols = ceilDiv(w, kx);
    double[] sums = new double[rows * cols];
    for (int y = 0; y < h; y++) {
      int base = (y0 + y) * n + x0;
      int orow = (y / ky) * cols;
      for (int x = 0; x < w; x++) {
        sums[orow + x / kx] += m[base + x];
      }
    }
    for (int r = 0; r < rows; r++) {
      int wy = Math.min(ky, h - r * ky);
      for (int c = 0; c < cols; c++) {
        sums[r * cols + c] /= (double) wy * Math.min(kx, w - c * kx);
      }
    }
    return new Pooled(rows, cols, ky, kx, sums);
  }

  /** The mean of rows [r0, r1) × columns [c0, c1) of a loaded matrix. */
  double blockMean(float[] m, long r0, long r1, long c0, long c1) {
    double s = 0;
    for (long r = r0; r < r1; r++) {
      for (long c = c0; c < c1; c++) {
        s += m[(int) (r * n + c)];
      }
    }
    return s / ((r1 - r0) * (c1 - c0));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
