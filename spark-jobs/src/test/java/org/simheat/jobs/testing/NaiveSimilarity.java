package org.simheat.jobs.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;

/**
 * The definitions, computed the slow obvious way in double precision: the full similarity matrix,
 * its pooled cells at any level, and brute-force neighbours. Tests compare the job against it.
 */
public final class NaiveSimilarity {
  private NaiveSimilarity() {}

  /**
   * Seeded Gaussian rows; rows listed in {@code zero} are all zeros, {@code dup[i]} copies row i.
   */
  public static float[][] gaussian(int n, int d, long seed) {
    Random rnd = new Random(seed);
    float[][] e = new float[n][d];
    for (float[] row : e) {
      for (int c = 0; c < d; c++) {
        row[c] = (float) rnd.nextGaussian();
      }
    }
    return e;
  }

  /** Small integer rows (exact products in float), so ties are exact ties. */
  public static float[][] smallIntegers(int n, int d, int range, long seed) {
    Random rnd = new Random(seed);
    float[][] e = new float[n][d];
    for (float[] row : e) {
      for (int c = 0; c < d; c++) {
        row[c] = rnd.nextInt(2 * range + 1) - range;
      }
    }
    return e;
  }

  /** Row-major copy. */
  public static float[] flatten(float[][] e) {
    int d = e[0].length;
    float[] flat = new float[e.length * d];
    for (int r = 0; r < e.length; r++) {
      System.arraycopy(e[r], 0, flat, r * d, d);
    }
    return flat;
  }

  /** The metric between rows a of {@code x} and b of {@code y}, per the contract. */
  public static double value(Metric m, float[] a, float[] b, boolean samePosition) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int c = 0; c < a.length; c++) {
      dot += (double) a[c] * b[c];
      na += (double) a[c] * a[c];
      nb += (double) b[c] * b[c];
    }
    return switch (m) {
      case DOT -> dot;
      case COSINE -> na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na) / Math.sqrt(nb);
      case L2 -> samePosition ? 0 : Math.sqrt(Math.max(0, na + nb - 2 * dot));
    };
  }

  /** The full matrix S[i][j] of rows of x against rows of y. */
  public static double[][] matrix(Metric m, float[][] x, float[][] y, boolean symmetric) {
    double[][] s = new double[x.length][y.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        s[i][j] = value(m, x[i], y[j], symmetric && i == j);
      }
    }
    return s;
  }

  /** Pooled cells of level z: {mean, max, min}, each [cellRows][cellCols]. */
  public static double[][][] pool(double[][] s, TileGeometry g, int z) {
    int cr = (int) g.cellRows(z);
    int cc = (int) g.cellCols(z);
    long span = g.span(z);
    double[][][] out = new double[3][cr][cc];
    for (int r = 0; r < cr; r++) {
      for (int c = 0; c < cc; c++) {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        long count = 0;
        for (long i = r * span; i < Math.min((r + 1) * span, s.length); i++) {
          for (long j = c * span; j < Math.min((c + 1) * span, s[0].length); j++) {
            double v = s[(int) i][(int) j];
            sum += v;
            max = Math.max(max, v);
            min = Math.min(min, v);
            count++;
          }
        }
        out[0][r][c] = sum / count;
        out[1][r][c] = max;
        out[2][r][c] = min;
      }
    }
    return out;
  }

  /** A neighbour and its score. */
  public record Neighbor(int position, double score) {}

  /** Brute-force top k of row i: best first (largest, or smallest for l2), ties by position. */
  public static List<Neighbor> topK(double[][] s, int i, int k, Metric m, boolean excludeSelf) {
    List<Neighbor> all = new ArrayList<>();
    for (int j = 0; j < s[i].length; j++) {
      if (!(excludeSelf && i == j)) {
        all.add(new Neighbor(j, s[i][j]));
      }
    }
    Comparator<Neighbor> byScore = Comparator.comparingDouble(Neighbor::score);
    all.sort(
        (m.higherIsBetter() ? byScore.reversed() : byScore).thenComparingInt(Neighbor::position));
    return all.subList(0, Math.min(k, all.size()));
  }
}
