package org.simheat.jobs.cluster;

import java.util.List;

/**
 * One row of the {@code clusters} table: a node of an axis's cluster tree.
 *
 * @param id leaves 0…K−1 in display order, internal nodes K… in depth-first order
 * @param parent the parent's id, −1 for a root
 * @param leaf whether it is a leaf (a cluster of the embeddings' {@code cluster} column)
 * @param depth 0 for a root
 * @param start first position
 * @param end one past the last position
 * @param labelTokens its {@value Membership#LABEL} (or fewer) members most similar to its centroid
 * @param meanSimilarity mean cosine over distinct pairs of members, null for a single member
 * @param radius the largest distance from a member's unit vector to the centroid
 */
public record ClusterNode(
    int id,
    int parent,
    boolean leaf,
    int depth,
    long start,
    long end,
    List<String> labelTokens,
    Double meanSimilarity,
    double radius) {

  /** Members. */
  public long size() {
    return end - start;
  }

  /** The label: its tokens joined by {@code " · "}. */
  public String label() {
    return String.join(" · ", labelTokens);
  }
}
