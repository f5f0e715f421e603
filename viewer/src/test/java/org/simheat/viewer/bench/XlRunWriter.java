package org.simheat.viewer.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.testing.SyntheticRun;

/**
 * Writes the data of the view-update comparison once: a run of n seeded tokens (d dimensions,
 * cosine) whose stored tiles are the exact pooling of its cosine matrix, and that matrix itself as
 * xl-heatmap's cache ({@code cosine.f32}: n × n little-endian float32, row-major).
 *
 * <p>The matrix is computed in panels of rows, S[r0:r1] = Ê[r0:r1]·Êᵀ for unit rows Ê (one SGEMM
 * per panel, two panels at a time), each written at its place in the file and folded into the cells
 * of the finest stored level (panels are whole cell rows); coarser levels are rolled up exactly
 * (sums add, max of max, min of min). So both paths of the comparison draw the same numbers.
 */
final class XlRunWriter {
  static final String RUN_ID = "20261125T120000Z-0c1d0030";
  static final String MATRIX = "cosine.f32";
  private static final String COMPLETE = "COMPLETE";

  private final SyntheticRun run;
  private final TileGeometry g;
  private final BLAS blas;
  private final int stored;
  private final long[] cellsPerSide;
  private final double[][] sums;
  private final float[][] max;
  private final float[][] min;

  XlRunWriter(int n, int d, BLAS blas) {
    this.stored = TileGeometry.of(n, n).storedZoomFor(SyntheticRun.JOB_CELL_BUDGET, true);
    this.run =
        new SyntheticRun(
            RUN_ID,
            n,
            d,
            30,
            stored,
            2048,
            20_000,
            false,
            List.of(Metric.COSINE),
            SyntheticRun.JOB_EMBEDDING_ROW_GROUP);
    this.g = run.geometry();
    this.blas = blas;
    this.cellsPerSide = new long[stored + 1];
    this.sums = new double[stored + 1][];
    this.max = new float[stored + 1][];
    this.min = new float[stored + 1][];
    for (int z = 0; z <= stored; z++) {
      cellsPerSide[z] = g.cellRows(z);
      int cells = Math.toIntExact(cellsPerSide[z] * cellsPerSide[z]);
      sums[z] = new double[cells];
      max[z] = new float[cells];
      min[z] = new float[cells];
      Arrays.fill(max[z], Float.NEGATIVE_INFINITY);
      Arrays.fill(min[z], Float.POSITIVE_INFINITY);
    }
  }

  /** Whether {@code dir} holds a complete comparison data set. */
  static boolean complete(Path dir) {
    return Files.exists(dir.resolve(COMPLETE));
  }

  /**
   * Writes the run under {@code dir/data} and the matrix to {@code dir/cosine.f32}.
   *
   * @throws IOException if a file cannot be written
   */
  void write(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    float[] unit = unitRows();
    long span = g.span(stored);
    int panel = (int) Math.max(span, 256 / span * span);
    int n = run.n();
    try (FileChannel out =
            FileChannel.open(
                dir.resolve(MATRIX),
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        AutoCloseablePool pool = new AutoCloseablePool(2)) {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int r0 = 0; r0 < n; r0 += panel) {
        int from = r0;
        int to = Math.min(n, r0 + panel);
        done.add(pool.executor.submit(() -> panel(unit, from, to, out)));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IOException("Cannot compute the matrix", e.getCause());
        }
      }
    }
    for (int z = stored - 1; z >= 0; z--) {
      rollUp(z);
    }
    run.write(dir.resolve("data"), this::tile);
    Files.writeString(dir.resolve(COMPLETE), run.n() + " × " + run.dim(), StandardCharsets.UTF_8);
  }

  private float[] unitRows() {
    int d = run.dim();
    float[] e = new float[run.n() * d];
    for (int p = 0; p < run.n(); p++) {
      float[] v = run.vector(p);
      double s = 0;
      for (float x : v) {
        s += (double) x * x;
      }
      double inv = s == 0 ? 0 : 1 / Math.sqrt(s);
      for (int k = 0; k < d; k++) {
        e[p * d + k] = (float) (v[k] * inv);
      }
    }
    return e;
  }

  /** Rows [r0, r1) of the matrix: computed, written, and folded into the finest stored cells. */
  private Void panel(float[] unit, int r0, int r1, FileChannel out) {
    int n = run.n();
    int d = run.dim();
    int rows = r1 - r0;
    float[] s = new float[rows * n];
    float[] a = Arrays.copyOfRange(unit, r0 * d, r1 * d);
    blas.sgemm("T", "N", n, rows, d, 1f, unit, 0, d, a, 0, d, 0f, s, 0, n);
    ByteBuffer bytes = ByteBuffer.allocate(4 * rows * n).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(s);
    try {
      long at = 4L * r0 * n;
      while (bytes.hasRemaining()) {
        at += out.write(bytes, at);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long span = g.span(stored);
    long c = cellsPerSide[stored];
    for (int r = 0; r < rows; r++) {
      long cellRow = (r0 + r) / span;
      for (int col = 0; col < n; col++) {
        int k = (int) (cellRow * c + col / span);
        float v = s[r * n + col];
        sums[stored][k] += v;
        max[stored][k] = Math.max(max[stored][k], v);
        min[stored][k] = Math.min(min[stored][k], v);
      }
    }
    return null;
  }

  /** Level z from level z + 1: each cell is up to 2 × 2 finer cells. */
  private void rollUp(int z) {
    long c = cellsPerSide[z];
    long f = cellsPerSide[z + 1];
    for (long r = 0; r < f; r++) {
      for (long col = 0; col < f; col++) {
        int fine = (int) (r * f + col);
        int coarse = (int) (r / 2 * c + col / 2);
        sums[z][coarse] += sums[z + 1][fine];
        max[z][coarse] = Math.max(max[z][coarse], max[z + 1][fine]);
        min[z][coarse] = Math.min(min[z][coarse], min[z + 1][fine]);
      }
    }
  }

  /** {mean, max, min} of stored tile (z, i, j). */
  private float[][] tile(Metric metric, int z, long i, long j, int rows, int cols) {
    float[][] out = new float[3][rows * cols];
    long c = cellsPerSide[z];
    for (int r = 0; r < rows; r++) {
      long cr = i * g.tileSize() + r;
      for (int col = 0; col < cols; col++) {
        long cc = j * g.tileSize() + col;
        int k = (int) (cr * c + cc);
        long pairs = g.rowExtent(z, cr) * g.colExtent(z, cc);
        out[0][r * cols + col] = (float) (sums[z][k] / pairs);
        out[1][r * cols + col] = max[z][k];
        out[2][r * cols + col] = min[z][k];
      }
    }
    return out;
  }

  /** An executor closed with the writer. */
  private static final class AutoCloseablePool implements AutoCloseable {
    final ExecutorService executor;

    AutoCloseablePool(int threads) {
      executor = Executors.newFixedThreadPool(threads);
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
