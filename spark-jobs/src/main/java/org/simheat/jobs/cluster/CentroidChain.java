package org.simheat.jobs.cluster;

/**
 * Orders flat clusters (k-means has no tree) so that similar ones sit side by side: a greedy chain
 * by centroid cosine. It starts at the cluster whose centroid is least similar to the mean of all
 * centroids (an end of the spread), then repeatedly appends the unvisited cluster whose centroid is
 * most similar to the last one appended. Ties go to the smaller index; a zero centroid has cosine 0
 * with everything.
 *
 * <p>Cost: K² cosines of d-vectors.
 */
final class CentroidChain {
  private CentroidChain() {}

  /**
   * The chain over the centroids.
   *
   * @return the cluster indices in chain order
   */
  static int[] order(double[][] centroids) {
    int k = centroids.length;
    int[] chain = new int[k];
    if (k == 0) {
      return chain;
    }
    double[] mean = new double[centroids[0].length];
    for (double[] c : centroids) {
      for (int x = 0; x < mean.length; x++) {
        mean[x] += c[x] / k;
      }
    }
    boolean[] used = new boolean[k];
    int current = 0;
    for (int c = 1; c < k; c++) {
      if (cosine(centroids[c], mean) < cosine(centroids[current], mean)) {
        current = c;
      }
    }
    for (int at = 0; at < k; at++) {
      chain[at] = current;
      used[current] = true;
      current = mostSimilar(centroids, current, used);
    }
    return chain;
  }

  private static int mostSimilar(double[][] centroids, int from, boolean[] used) {
    int best = -1;
    double bestCos = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < centroids.length; c++) {
      if (!used[c]) {
        double cos = cosine(centroids[from], centroids[c]);
        if (cos > bestCos) {
          best = c;
          bestCos = cos;
        }
      }
    }
    return best;
  }

  /** The cosine of two vectors, 0 if either is zero. */
  static double cosine(double[] a, double[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int x = 0; x < a.length; x++) {
      dot += a[x] * b[x];
      na += a[x] * a[x];
      nb += b[x] * b[x];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
