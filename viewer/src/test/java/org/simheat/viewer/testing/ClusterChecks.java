package org.simheat.viewer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.simheat.format.Metric;

/**
 * Checks the cluster answers of the API in their JSON form against the contract and a naive
 * computation from the run's vectors in display order: a tree's leaves tile the axis in order,
 * every node lies in its parent, and each node's label, mean similarity and radius follow from its
 * members; each cell of the cluster-pooled matrix equals naive pooling of its two clusters' ranges.
 * Nothing here knows how the run was written, so the checks hold for any run, synthetic or computed
 * by the job.
 */
public final class ClusterChecks {
  private static final double TOLERANCE = 1e-4;

  private ClusterChecks() {}

  /** The [start, end) of each leaf of a {@code /clusters} answer, in leaf order. */
  public static long[][] leafRanges(JsonNode clusters) {
    List<long[]> out = new ArrayList<>();
    for (JsonNode c : clusters.get("clusters")) {
      if (c.get("leaf").asBoolean()) {
        out.add(new long[] {c.get("start").asLong(), c.get("end").asLong()});
      }
    }
    return out.toArray(long[][]::new);
  }

  /**
   * A {@code /clusters} answer describes a tree over {@code n} positions whose nodes' labels, mean
   * similarities and radii follow from the vectors and tokens (in display order) of their members.
   */
  public static void checkTree(JsonNode answer, double[][] vectors, List<String> tokens, int k) {
    JsonNode nodes = answer.get("clusters");
    assertThat(answer.get("leaves").asInt()).isEqualTo(k);
    long next = 0;
    for (int id = 0; id < nodes.size(); id++) {
      JsonNode node = nodes.get(id);
      assertThat(node.get("cluster").asInt()).isEqualTo(id);
      assertThat(node.get("leaf").asBoolean()).as("node %d is a leaf", id).isEqualTo(id < k);
      long start = node.get("start").asLong();
      long end = node.get("end").asLong();
      if (id < k) {
        assertThat(start).as("leaf %d starts where leaf %d ended", id, id - 1).isEqualTo(next);
        next = end;
      }
      assertThat(node.get("size").asLong()).isEqualTo(end - start);
      int parent = node.get("parent").asInt();
      if (parent >= 0) {
        JsonNode p = nodes.get(parent);
        assertThat(start).isGreaterThanOrEqualTo(p.get("start").asLong());
        assertThat(end).isLessThanOrEqualTo(p.get("end").asLong());
        assertThat(node.get("depth").asInt()).isEqualTo(p.get("depth").asInt() + 1);
      }
      checkNode(node, vectors, tokens);
    }
    assertThat(next).as("the leaves cover the axis").isEqualTo(vectors.length);
  }

  private static void checkNode(JsonNode node, double[][] vectors, List<String> tokens) {
    int start = node.get("start").asInt();
    int end = node.get("end").asInt();
    double[] c = new double[vectors[0].length];
    for (int p = start; p < end; p++) {
      double[] u = unit(vectors[p]);
      for (int k = 0; k < c.length; k++) {
        c[k] += u[k] / (end - start);
      }
    }
    List<String> nearest =
        IntStream.range(start, end)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer p) -> -dot(unit(vectors[p]), c)))
            .limit(3)
            .map(tokens::get)
            .toList();
    String where = "cluster " + node.get("cluster").asInt();
    List<String> labelTokens = new ArrayList<>();
    node.get("labelTokens").forEach(t -> labelTokens.add(t.asText()));
    assertThat(labelTokens).as(where + " label tokens").containsExactlyElementsOf(nearest);
    assertThat(node.get("label").asText()).isEqualTo(String.join(" · ", nearest));
    double radius = 0;
    double sum = 0;
    for (int a = start; a < end; a++) {
      double[] u = unit(vectors[a]);
      double s = 0;
      for (int k = 0; k < c.length; k++) {
        s += (u[k] - c[k]) * (u[k] - c[k]);
      }
      radius = Math.max(radius, Math.sqrt(s));
      for (int b = a + 1; b < end; b++) {
        sum += dot(u, unit(vectors[b]));
      }
    }
    assertThat(node.get("radius").asDouble()).as(where + " radius").isCloseTo(radius, within());
    if (end - start < 2) {
      assertThat(node.get("meanSimilarity")).as(where).isNull();
    } else {
      double mean = sum / ((end - start) * (end - start - 1) / 2.0);
      assertThat(node.get("meanSimilarity").asDouble())
          .as(where + " mean similarity")
          .isCloseTo(mean, within());
    }
  }

  /**
   * Every cell of a {@code /cluster-tiles} answer equals naive pooling of its row cluster's
   * positions × its column cluster's, with the pair count; the clusters listed along each axis are
   * {@code rowRanges} and {@code colRanges}.
   */
  public static void checkMatrix(
      JsonNode answer,
      NaiveSimilarity naive,
      Metric metric,
      long[][] rowRanges,
      long[][] colRanges) {
    int rows = answer.get("rows").asInt();
    int cols = answer.get("cols").asInt();
    assertThat(rows).isEqualTo(rowRanges.length);
    assertThat(cols).isEqualTo(colRanges.length);
    for (int r = 0; r < rows; r++) {
      assertThat(answer.at("/rowClusters/" + r + "/start").asLong()).isEqualTo(rowRanges[r][0]);
      assertThat(answer.at("/rowClusters/" + r + "/end").asLong()).isEqualTo(rowRanges[r][1]);
    }
    for (int c = 0; c < cols; c++) {
      assertThat(answer.at("/colClusters/" + c + "/start").asLong()).isEqualTo(colRanges[c][0]);
      assertThat(answer.at("/colClusters/" + c + "/end").asLong()).isEqualTo(colRanges[c][1]);
    }
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        NaiveSimilarity.Pool p =
            naive.pool(metric, rowRanges[r][0], rowRanges[r][1], colRanges[c][0], colRanges[c][1]);
        int k = r * cols + c;
        String where = metric.id() + " clusters (" + r + ", " + c + ")";
        assertThat(answer.get("pairs").get(k).asLong()).as(where).isEqualTo(p.pairs());
        Close.check(
            answer.get("mean").get(k).asDouble(),
            p.mean(),
            PooledCells.tolerance(metric, p.mean()),
            () -> where + " mean");
        Close.check(
            answer.get("max").get(k).asDouble(),
            p.max(),
            PooledCells.tolerance(metric, p.max()),
            () -> where + " max");
        Close.check(
            answer.get("min").get(k).asDouble(),
            p.min(),
            PooledCells.tolerance(metric, p.min()),
            () -> where + " min");
      }
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(TOLERANCE);
  }

  private static double[] unit(double[] v) {
    double norm = Math.sqrt(dot(v, v));
    double[] u = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      u[k] = norm == 0 ? 0 : v[k] / norm;
    }
    return u;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
