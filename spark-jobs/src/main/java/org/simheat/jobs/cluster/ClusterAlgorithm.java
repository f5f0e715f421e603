package org.simheat.jobs.cluster;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The MLlib clustering that orders an axis, by its {@code --cluster-algorithm} name. */
public enum ClusterAlgorithm {
  /** Bisecting k-means: a binary tree of clusters; positions follow its leaves left to right. */
  BISECTING_KMEANS("bisecting-kmeans"),
  /** Plain k-means: flat clusters, chained so that similar centroids sit side by side. */
  KMEANS("kmeans");

  private final String id;

  ClusterAlgorithm(String id) {
    this.id = id;
  }

  /** The name on the command line and in the manifest. */
  public String id() {
    return id;
  }

  /**
   * The algorithm of a name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the choices when the name is unknown
   */
  public static ClusterAlgorithm parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ClusterAlgorithm a : values()) {
      if (a.id.equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "Unknown --cluster-algorithm '"
            + name
            + "': choose from "
            + Arrays.stream(values()).map(ClusterAlgorithm::id).collect(Collectors.joining(", ")));
  }
}
