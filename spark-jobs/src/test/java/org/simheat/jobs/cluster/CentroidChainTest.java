package org.simheat.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The k-means chain walks from an end of the spread to its nearest unvisited neighbours. */
class CentroidChainTest {
  @Test
  void chainsCentroidsAlongAnArc() {
    // Centroids on an arc of 0°..100° in 20° steps, listed out of order.
    int[] degrees = {60, 0, 100, 20, 80, 40};
    double[][] c = new double[degrees.length][];
    for (int i = 0; i < c.length; i++) {
      double a = Math.toRadians(degrees[i]);
      c[i] = new double[] {Math.cos(a), Math.sin(a), 0.1 * i};
    }
    int[] chain = CentroidChain.order(c);
    int[] walked = new int[chain.length];
    for (int i = 0; i < chain.length; i++) {
      walked[i] = degrees[chain[i]];
    }
    assertThat(walked)
        .satisfiesAnyOf(
            w -> assertThat(w).containsExactly(0, 20, 40, 60, 80, 100),
            w -> assertThat(w).containsExactly(100, 80, 60, 40, 20, 0));
  }

  @Test
  void tiesGoToTheSmallerIndexAndZeroCentroidsHaveCosineZero() {
    double[][] c = {{1, 0}, {0, 0}, {1, 0}, {-1, 0}};
    // Mean (0.25, 0): cosines 1, 0, 1, −1, so the chain starts at 3; its best match is cluster 1
    // (cosine 0 beats −1), then the first of the two equal ones.
    assertThat(CentroidChain.order(c)).containsExactly(3, 1, 0, 2);
    assertThat(CentroidChain.order(new double[0][])).isEmpty();
  }
}
