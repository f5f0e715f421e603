package org.simheat.viewer.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.Neighbor;
import org.simheat.viewer.store.EmbeddingStore;
import org.simheat.viewer.store.OpenRun;
import org.simheat.viewer.store.TokenIndex;

/**
 * How one token's similarities changed between two aligned runs, computed exactly from both runs'
 * embeddings: its whole row in each run (one SGEMM per block of the other axis, as live tiles
 * compute), the largest changes and each run's best neighbours, through heaps of k.
 */
final class DriftChanges {
  private DriftChanges() {}

  /**
   * The changes of position p's row (or column, with {@code cols}): the top k |Δ| over every
   * position of the other axis, each run's top k and the difference of those two lists.
   */
  static DriftQueries.Changes of(OpenRun ra, OpenRun rb, Metric m, long p, int k, boolean cols)
      throws IOException {
    double[] va = row(ra, m, p, cols);
    double[] vb = row(rb, m, p, cols);
    boolean symmetric = ra.manifest().symmetric();
    int self = symmetric ? (int) p : -1;
    int others = va.length;
    Comparator<Integer> byPosition = Comparator.naturalOrder();
    List<Integer> changed =
        top(
            others,
            self,
            Comparator.comparingDouble((Integer q) -> -Math.abs(va[q] - vb[q]))
                .thenComparing(byPosition),
            k);
    Comparator<Integer> best = m == Metric.L2 ? ascending(va) : descending(va);
    Comparator<Integer> bestB = m == Metric.L2 ? ascending(vb) : descending(vb);
    List<Integer> topA = top(others, self, best.thenComparing(byPosition), k);
    List<Integer> topB = top(others, self, bestB.thenComparing(byPosition), k);
    TokenIndex own = cols ? ra.colTokens() : ra.tokens();
    TokenIndex other = cols ? ra.tokens() : ra.colTokens();
    Set<Long> wanted = new LinkedHashSet<>();
    for (List<Integer> list : List.of(changed, topA, topB)) {
      list.forEach(q -> wanted.add((long) q));
    }
    Map<Long, String> tokens = other.tokens(wanted);
    List<DriftQueries.Change> out = new ArrayList<>(changed.size());
    for (int q : changed) {
      out.add(
          new DriftQueries.Change(
              q, tokens.get((long) q), (float) va[q], (float) vb[q], (float) (va[q] - vb[q])));
    }
    Set<Integer> inA = new LinkedHashSet<>(topA);
    Set<Integer> inB = new LinkedHashSet<>(topB);
    List<String> entered = new ArrayList<>();
    topA.stream().filter(q -> !inB.contains(q)).forEach(q -> entered.add(tokens.get((long) q)));
    List<String> left = new ArrayList<>();
    topB.stream().filter(q -> !inA.contains(q)).forEach(q -> left.add(tokens.get((long) q)));
    return new DriftQueries.Changes(
        p,
        own.token(p),
        m.id(),
        cols ? "cols" : "rows",
        List.copyOf(out),
        neighbors(topA, va, tokens),
        neighbors(topB, vb, tokens),
        List.copyOf(entered),
        List.copyOf(left));
  }

  private static List<Neighbor> neighbors(List<Integer> top, double[] v, Map<Long, String> tokens) {
    List<Neighbor> out = new ArrayList<>(top.size());
    for (int q : top) {
      out.add(new Neighbor(q, tokens.get((long) q), (float) v[q]));
    }
    return List.copyOf(out);
  }

  private static Comparator<Integer> ascending(double[] v) {
    return Comparator.comparingDouble(q -> v[q]);
  }

  private static Comparator<Integer> descending(double[] v) {
    return Comparator.comparingDouble(q -> -v[q]);
  }

  /**
   * The first k positions of 0..n−1 but {@code skip} in {@code order}, through a heap of k: O(n log
   * k).
   */
  private static List<Integer> top(int n, int skip, Comparator<Integer> order, int k) {
    PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1, order.reversed());
    for (int q = 0; q < n; q++) {
      if (q == skip) {
        continue;
      }
      heap.add(q);
      if (heap.size() > k) {
        heap.poll();
      }
    }
    List<Integer> out = new ArrayList<>(heap);
    out.sort(order);
    return out;
  }

  /**
   * The values of position p of one axis against every position of the other, computed as live
   * tiles compute them (one SGEMM per block of the other axis, {@link LiveTileComputer#pairValue}).
   */
  private static double[] row(OpenRun run, Metric m, long p, boolean cols) throws IOException {
    EmbeddingStore own = cols ? run.colEmbeddings() : run.embeddings();
    EmbeddingStore other = cols ? run.embeddings() : run.colEmbeddings();
    VectorBlock x = VectorBlock.read(own, p, p + 1);
    long n = cols ? run.geometry().rows() : run.geometry().cols();
    boolean symmetric = run.manifest().symmetric();
    double[] out = new double[(int) n];
    float[] product = new float[LiveTileComputer.BLOCK];
    for (long q0 = 0; q0 < n; q0 += LiveTileComputer.BLOCK) {
      VectorBlock y = VectorBlock.read(other, q0, Math.min(q0 + LiveTileComputer.BLOCK, n));
      DenseProduct.multiplyTransposed(x.vectors(), 1, y.vectors(), y.count(), own.dim(), product);
      for (int e = 0; e < y.count(); e++) {
        long q = q0 + e;
        out[(int) q] =
            LiveTileComputer.pairValue(
                m, product[e], x.norms()[0], y.norms()[e], symmetric && q == p);
      }
    }
    return out;
  }
}
