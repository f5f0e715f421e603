package org.simheat.jobs.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.simheat.format.Metric;

/**
 * A cluster's statistics the slow obvious way, in double precision, from its members' rows: the
 * centroid of their unit vectors, each member's cosine to it, the mean cosine over distinct pairs,
 * the radius and the label. Tests compare the clustering's output with it.
 */
public final class NaiveClusters {
  private NaiveClusters() {}

  /**
   * Seeded Gaussian blobs: {@code centers} random directions, each row one of them (in turn) plus
   * noise of scale {@code noise}.
   */
  public static float[][] blobs(int n, int d, int centers, double noise, long seed) {
    Random rnd = new Random(seed);
    double[][] c = new double[centers][d];
    for (double[] row : c) {
      for (int k = 0; k < d; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    float[][] e = new float[n][d];
    for (int i = 0; i < n; i++) {
      double[] center = c[rnd.nextInt(centers)];
      for (int k = 0; k < d; k++) {
        e[i][k] = (float) (center[k] + noise * rnd.nextGaussian());
      }
    }
    return e;
  }

  /** The row divided by its norm in double precision; a zero row stays zero. */
  public static double[] unit(float[] row) {
    double n = 0;
    for (float v : row) {
      n += (double) v * v;
    }
    double inv = n == 0 ? 0 : 1 / Math.sqrt(n);
    double[] u = new double[row.length];
    for (int k = 0; k < u.length; k++) {
      u[k] = row[k] * inv;
    }
    return u;
  }

  /** The mean of the members' unit vectors. */
  public static double[] centroid(float[][] e, int[] members) {
    double[] c = new double[e[0].length];
    for (int m : members) {
      double[] u = unit(e[m]);
      for (int k = 0; k < c.length; k++) {
        c[k] += u[k] / members.length;
      }
    }
    return c;
  }

  /** Cosine of a row to a centroid: 0 when either is zero. */
  public static double cosine(float[] row, double[] c) {
    double[] u = unit(row);
    double dot = 0;
    double cc = 0;
    for (int k = 0; k < c.length; k++) {
      dot += u[k] * c[k];
      cc += c[k] * c[k];
    }
    return cc == 0 ? 0 : dot / Math.sqrt(cc);
  }

  /** Mean cosine over distinct pairs of members, null for a single member. */
  public static Double meanSimilarity(float[][] e, int[] members) {
    if (members.length < 2) {
      return null;
    }
    double sum = 0;
    for (int a : members) {
      for (int b : members) {
        if (a != b) {
          sum += NaiveSimilarity.value(Metric.COSINE, e[a], e[b], false);
        }
      }
    }
    return sum / ((double) members.length * (members.length - 1));
  }

  /** The largest distance from a member's unit vector to the centroid. */
  public static double radius(float[][] e, int[] members) {
    double[] c = centroid(e, members);
    double r = 0;
    for (int m : members) {
      double[] u = unit(e[m]);
      double s = 0;
      for (int k = 0; k < c.length; k++) {
        s += (u[k] - c[k]) * (u[k] - c[k]);
      }
      r = Math.max(r, Math.sqrt(s));
    }
    return r;
  }

  /** The rows of the 3 members most similar to the centroid, ties to the smaller row. */
  public static List<Integer> label(float[][] e, int[] members) {
    double[] c = centroid(e, members);
    List<Integer> sorted = new ArrayList<>(Arrays.stream(members).boxed().toList());
    sorted.sort(Comparator.comparingDouble((Integer m) -> -cosine(e[m], c)).thenComparing(m -> m));
    return sorted.subList(0, Math.min(3, sorted.size()));
  }
}
