package org.simheat.jobs.cluster;

import java.io.Serializable;

/**
 * The display order a run asks for: input order, or cluster order with its settings.
 *
 * @param clustered order positions by clusters ({@code --order cluster}) rather than by input row
 * @param clusters the number of leaf clusters K asked for, or null for {@link #defaultClusters}
 * @param algorithm the MLlib clustering
 * @param seed the clustering's random seed: the same seed gives the same order
 */
public record OrderSpec(boolean clustered, Integer clusters, ClusterAlgorithm algorithm, long seed)
    implements Serializable {

  /** The seed when none is given. */
  public static final long DEFAULT_SEED = 42;

  /** Most clusters: the cluster-pooled matrix has K² cells, and each pass task holds them. */
  public static final int MAX_CLUSTERS = 1024;

  /** Fewest and most clusters {@link #defaultClusters} chooses. */
  static final int DEFAULT_MIN = 2;

  static final int DEFAULT_MAX = 256;

  /** Input order: position = row of the input. */
  public static final OrderSpec INPUT =
      new OrderSpec(false, null, ClusterAlgorithm.BISECTING_KMEANS, DEFAULT_SEED);

  /**
   * Checks the cluster count.
   *
   * @throws IllegalArgumentException naming the option and its value
   */
  public OrderSpec {
    if (clusters != null && (clusters < 1 || clusters > MAX_CLUSTERS)) {
      throw new IllegalArgumentException(
          "--clusters must be between 1 and " + MAX_CLUSTERS + ", got " + clusters);
    }
    if (algorithm == null) {
      throw new IllegalArgumentException("--cluster-algorithm is required");
    }
  }

  /** Cluster order with the default algorithm and seed. */
  public static OrderSpec cluster(Integer clusters) {
    return new OrderSpec(true, clusters, ClusterAlgorithm.BISECTING_KMEANS, DEFAULT_SEED);
  }

  /** The default K for n rows: about √n, at least 2 and at most 256, and never more than n. */
  public static int defaultClusters(long n) {
    long k = Math.round(Math.sqrt((double) n));
    return (int) Math.min(n, Math.max(DEFAULT_MIN, Math.min(DEFAULT_MAX, k)));
  }

  /**
   * The K for an axis of n rows: the one asked for, or the default.
   *
   * @throws IllegalArgumentException if more clusters are asked for than there are rows
   */
  public int clustersFor(long n, String what) {
    if (clusters == null) {
      return defaultClusters(n);
    }
    if (clusters > n) {
      throw new IllegalArgumentException(
          "--clusters " + clusters + " is more than the " + n + " rows of " + what);
    }
    return clusters;
  }

  /** The settings that change the output, as text for the fingerprint. */
  public String describe() {
    return clustered
        ? "order=cluster,clusters="
            + (clusters == null ? "auto" : clusters)
            + ",algorithm="
            + algorithm.id()
            + ",seed="
            + seed
        : "order=input";
  }
}
