package org.simheat.viewer.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.simheat.format.Metric;

/**
 * The committed fixture's embedding matrix and tokens with every pair's similarity computed naively
 * in double precision, the reference that test doubles of the API answer from.
 *
 * <p>For rows a, b: dot = Σ aₖbₖ; cosine = dot / (‖a‖‖b‖), and 0 when either row is zero; l2 =
 * √max(0, ‖a‖² + ‖b‖² − 2·dot), exactly 0 on the diagonal. The full n × n table of each metric is
 * built once at load: O(n²·d) time and 3·n² doubles, fine for the 600-token fixture.
 */
public final class FixtureMatrix {
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+)\\)");

  private final List<String> tokens;
  private final int n;
  private final double[][] tables;

  private FixtureMatrix(float[][] rows, List<String> tokens) {
    this.tokens = List.copyOf(tokens);
    this.n = rows.length;
    this.tables = new double[Metric.values().length][];
    for (Metric m : Metric.values()) {
      tables[m.ordinal()] = table(rows, m);
    }
  }

  /**
   * Reads a C-order float32 {@code .npy} matrix and its newline-separated tokens.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if the header is not a little-endian float32 2-D array or the
   *     token count differs from the row count
   */
  public static FixtureMatrix load(Path npy, Path txt) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = Short.toUnsignedInt(buf.getShort(8));
    String header = new String(buf.array(), 10, headerLength, StandardCharsets.ISO_8859_1);
    Matcher shape = SHAPE.matcher(header);
    if (!header.contains("'<f4'") || header.contains("'fortran_order': True") || !shape.find()) {
      throw new IllegalArgumentException("Cannot read fixture: unsupported header " + header);
    }
    int rows = Integer.parseInt(shape.group(1));
    int dim = Integer.parseInt(shape.group(2));
    buf.position(10 + headerLength);
    float[][] matrix = new float[rows][dim];
    for (float[] row : matrix) {
      buf.asFloatBuffer().get(row);
      buf.position(buf.position() + 4 * dim);
    }
    List<String> tokens = Files.readAllLines(txt, StandardCharsets.UTF_8);
    if (tokens.size() != rows) {
      throw new IllegalArgumentException(
          "Cannot read fixture: " + tokens.size() + " tokens for " + rows + " rows (" + txt + ")");
    }
    return new FixtureMatrix(matrix, tokens);
  }

  /** Number of rows, equal to the number of columns. */
  public int size() {
    return n;
  }

  /** The token at a position. */
  public String token(int position) {
    return tokens.get(position);
  }

  /** The metric's value for the pair (row, col). */
  public double value(Metric metric, int row, int col) {
    return tables[metric.ordinal()][row * n + col];
  }

  private static double[] table(float[][] rows, Metric metric) {
    int n = rows.length;
    double[] norms2 = new double[n];
    for (int i = 0; i < n; i++) {
      norms2[i] = dot(rows[i], rows[i]);
    }
    double[] out = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        out[i * n + j] = pair(metric, dot(rows[i], rows[j]), norms2[i], norms2[j], i == j);
      }
    }
    return out;
  }

  private static double pair(Metric metric, double dot, double a2, double b2, boolean diagonal) {
    return switch (metric) {
      case DOT -> dot;
      case COSINE -> a2 == 0 || b2 == 0 ? 0 : dot / Math.sqrt(a2 * b2);
      case L2 -> diagonal ? 0 : Math.sqrt(Math.max(0, a2 + b2 - 2 * dot));
    };
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += (double) a[k] * b[k];
    }
    return s;
  }
}
