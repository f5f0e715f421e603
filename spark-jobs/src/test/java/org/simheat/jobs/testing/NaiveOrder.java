package org.simheat.jobs.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order {@code compute --order-from} must give, the slow obvious way: which reference position
 * each new row takes, and the resulting layout in input order and in cluster order. Tests compare
 * the job's embeddings with it.
 */
public final class NaiveOrder {
  private NaiveOrder() {}

  /**
   * The expected cluster layout.
   *
   * @param ids the input row at each position
   * @param bounds leaf i covers positions [bounds[i], bounds[i + 1])
   */
  public record Layout(int[] ids, long[] bounds) {}

  /** The k-th occurrence of a token among the rows takes its k-th position in the reference. */
  public static int[] match(String[] reference, List<String> tokens) {
    int[] refPos = new int[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      int k = (int) tokens.subList(0, i).stream().filter(t::equals).count();
      List<Integer> at = new ArrayList<>();
      for (int q = 0; q < reference.length; q++) {
        if (reference[q].equals(t)) {
          at.add(q);
        }
      }
      refPos[i] = k < at.size() ? at.get(k) : -1;
    }
    return refPos;
  }

  /** Input order: matched rows by the reference position they took, then the rest in row order. */
  public static int[] inputOrder(String[] reference, List<String> tokens) {
    int[] refPos = match(reference, tokens);
    List<Integer> ids = new ArrayList<>();
    for (int q = 0; q < reference.length; q++) {
      for (int i = 0; i < refPos.length; i++) {
        if (refPos[i] == q) {
          ids.add(i);
        }
      }
    }
    for (int i = 0; i < refPos.length; i++) {
      if (refPos[i] < 0) {
        ids.add(i);
      }
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Cluster order: matched rows keep their reference leaf and order; the others join the leaf whose
   * centroid (of its matched rows' unit vectors) is nearest by cosine, ties to the smaller leaf,
   * and follow by cosine descending, ties to the smaller row; empty leaves are dropped.
   *
   * @param reference the reference's token at each position
   * @param referenceLeaf the reference's leaf at each position (leaves 0…K−1 in order)
   * @param e the new matrix
   * @param tokens the new tokens by row
   */
  public static Layout clusterOrder(
      String[] reference, int[] referenceLeaf, float[][] e, List<String> tokens) {
    int[] refPos = match(reference, tokens);
    int leaves = 0;
    for (int l : referenceLeaf) {
      leaves = Math.max(leaves, l + 1);
    }
    List<List<Integer>> matched = lists(leaves);
    for (int i = 0; i < refPos.length; i++) {
      if (refPos[i] >= 0) {
        matched.get(referenceLeaf[refPos[i]]).add(i);
      }
    }
    double[][] centroids = new double[leaves][];
    for (int l = 0; l < leaves; l++) {
      if (!matched.get(l).isEmpty()) {
        int[] members = matched.get(l).stream().mapToInt(Integer::intValue).toArray();
        centroids[l] = NaiveClusters.centroid(e, members);
      }
    }
    List<List<Integer>> placed = lists(leaves);
    Map<Integer, Double> cos = new HashMap<>();
    for (int i = 0; i < refPos.length; i++) {
      if (refPos[i] < 0) {
        int best = -1;
        for (int l = 0; l < leaves; l++) {
          if (centroids[l] != null
              && (best < 0
                  || NaiveClusters.cosine(e[i], centroids[l])
                      > NaiveClusters.cosine(e[i], centroids[best]))) {
            best = l;
          }
        }
        placed.get(best).add(i);
        cos.put(i, NaiveClusters.cosine(e[i], centroids[best]));
      }
    }
    List<Integer> ids = new ArrayList<>();
    List<Long> bounds = new ArrayList<>(List.of(0L));
    for (int l = 0; l < leaves; l++) {
      List<Integer> m = new ArrayList<>(matched.get(l));
      m.sort(Comparator.comparingInt(i -> refPos[i]));
      List<Integer> u = new ArrayList<>(placed.get(l));
      u.sort(Comparator.comparingDouble((Integer i) -> -cos.get(i)).thenComparing(i -> i));
      if (m.size() + u.size() > 0) {
        ids.addAll(m);
        ids.addAll(u);
        bounds.add((long) ids.size());
      }
    }
    return new Layout(
        ids.stream().mapToInt(Integer::intValue).toArray(),
        bounds.stream().mapToLong(Long::longValue).toArray());
  }

  private static List<List<Integer>> lists(int n) {
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    return out;
  }
}
