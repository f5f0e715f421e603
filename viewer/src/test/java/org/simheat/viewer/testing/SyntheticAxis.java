package org.simheat.viewer.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One axis of a {@link ContractRun}: n seeded vectors drawn around G group centres (groups
 * interleaved in input order, so input order looks like noise), their tokens ({@code <word>_<id>},
 * the word naming the group), and, when clustered, the display order the contract describes: leaves
 * are the groups in id order, positions run leaf by leaf and inside a leaf by cosine to its
 * centroid (the mean of its unit vectors), best first, ties by id; the tree halves the leaves
 * recursively, internal nodes numbered K… depth-first.
 */
final class SyntheticAxis {
  /** One node of the tree as the {@code clusters} table holds it. */
  record Node(
      int cluster,
      int parent,
      boolean leaf,
      int depth,
      long start,
      long end,
      String label,
      List<String> labelTokens,
      Float meanSimilarity,
      float radius) {}

  private final double[][] input;
  private final List<String> inputTokens;
  private final int[] groupOf;
  private final int groups;
  private final int[] idAt;
  private final int[] leafAt;
  private final List<Node> nodes = new ArrayList<>();

  /**
   * An axis of n vectors of dimension d around {@code groups} centres, in cluster order when {@code
   * clustered}; {@code words} name the groups.
   */
  SyntheticAxis(int n, int d, long seed, int groups, boolean clustered, List<String> words) {
    this.groups = groups;
    this.input = new double[n][];
    this.inputTokens = new ArrayList<>(n);
    this.groupOf = new int[n];
    double[][] centres = new double[groups][];
    for (int g = 0; g < groups; g++) {
      centres[g] = gaussian(new SplittableRandom(seed * 7919 + g), d, 3);
    }
    for (int i = 0; i < n; i++) {
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
      groupOf[i] = i < groups ? i : r.nextInt(groups);
      double[] noise = gaussian(r, d, 1);
      input[i] = new double[d];
      for (int k = 0; k < d; k++) {
        input[i][k] = (float) (centres[groupOf[i]][k] + noise[k]);
      }
      inputTokens.add(words.get(groupOf[i] % words.size()) + "_" + i);
    }
    this.idAt = clustered ? clusterOrder() : IntStream.range(0, n).toArray();
    this.leafAt = new int[n];
    for (int p = 0; p < n; p++) {
      leafAt[p] = clustered ? groupOf[idAt[p]] : -1;
    }
    if (clustered) {
      buildTree();
    }
  }

  int n() {
    return input.length;
  }

  /** The input row shown at a position. */
  int id(int position) {
    return idAt[position];
  }

  /** The leaf cluster of a position, −1 in input order. */
  int leaf(int position) {
    return leafAt[position];
  }

  String token(int position) {
    return inputTokens.get(idAt[position]);
  }

  /** The vector at a position (float values, held as doubles). */
  double[] vector(int position) {
    return input[idAt[position]];
  }

  /** Vectors in display order. */
  double[][] vectors() {
    double[][] out = new double[n()][];
    for (int p = 0; p < out.length; p++) {
      out[p] = vector(p);
    }
    return out;
  }

  /** Tokens in display order. */
  List<String> tokens() {
    return IntStream.range(0, n()).mapToObj(this::token).toList();
  }

  /** The tree, by id (empty in input order). */
  List<Node> nodes() {
    return nodes;
  }

  /** The leaves' [start, end) ranges, in leaf order. */
  long[][] leafRanges() {
    return nodes.stream()
        .filter(Node::leaf)
        .map(l -> new long[] {l.start(), l.end()})
        .toArray(long[][]::new);
  }

  private int[] clusterOrder() {
    List<Integer> order = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      int group = g;
      List<Integer> members =
          IntStream.range(0, n()).filter(i -> groupOf[i] == group).boxed().toList();
      double[] c = centroid(members);
      Comparator<Integer> byCosine = Comparator.comparingDouble(i -> -dot(unit(input[i]), c));
      order.addAll(members.stream().sorted(byCosine.thenComparingInt(i -> i)).toList());
    }
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Leaves 0..G−1, then internal nodes depth-first over halvings of the leaf range. */
  private void buildTree() {
    long[] starts = new long[groups + 1];
    for (int p = 0; p < n(); p++) {
      starts[leafAt[p] + 1]++;
    }
    for (int g = 0; g < groups; g++) {
      starts[g + 1] += starts[g];
    }
    Node[] all = new Node[Math.max(1, 2 * groups - 1)];
    int[] next = {groups};
    add(0, groups, -1, 0, starts, all, next);
    nodes.addAll(List.of(all));
  }

  /** Adds the node over leaves [a, b) and its subtree. */
  private void add(int a, int b, int parent, int depth, long[] starts, Node[] all, int[] next) {
    if (b - a == 1) {
      all[a] = node(a, parent, true, depth, starts[a], starts[b]);
      return;
    }
    int id = next[0]++;
    all[id] = node(id, parent, false, depth, starts[a], starts[b]);
    int mid = (a + b) / 2;
    add(a, mid, id, depth + 1, starts, all, next);
    add(mid, b, id, depth + 1, starts, all, next);
  }

  private Node node(int id, int parent, boolean leaf, int depth, long start, long end) {
    List<Integer> members =
        IntStream.range((int) start, (int) end).map(p -> idAt[p]).boxed().toList();
    double[] c = centroid(members);
    List<Integer> nearest =
        IntStream.range((int) start, (int) end)
            .boxed()
            .sorted(
                Comparator.comparingDouble((Integer p) -> -dot(unit(vector(p)), c))
                    .thenComparingInt(p -> p))
            .limit(3)
            .toList();
    List<String> labelTokens = nearest.stream().map(this::token).toList();
    return new Node(
        id,
        parent,
        leaf,
        depth,
        start,
        end,
        String.join(" · ", labelTokens),
        labelTokens,
        members.size() < 2 ? null : (float) meanCosine(members),
        (float) radius(members, c));
  }

  private double[] centroid(List<Integer> ids) {
    double[] c = new double[input[0].length];
    for (int i : ids) {
      double[] u = unit(input[i]);
      for (int k = 0; k < c.length; k++) {
        c[k] += u[k] / ids.size();
      }
    }
    return c;
  }

  private double meanCosine(List<Integer> ids) {
    double sum = 0;
    for (int a = 0; a < ids.size(); a++) {
      for (int b = a + 1; b < ids.size(); b++) {
        sum += dot(unit(input[ids.get(a)]), unit(input[ids.get(b)]));
      }
    }
    return sum / (ids.size() * (ids.size() - 1) / 2.0);
  }

  private double radius(List<Integer> ids, double[] c) {
    double worst = 0;
    for (int i : ids) {
      double[] u = unit(input[i]);
      double s = 0;
      for (int k = 0; k < c.length; k++) {
        s += (u[k] - c[k]) * (u[k] - c[k]);
      }
      worst = Math.max(worst, Math.sqrt(s));
    }
    return worst;
  }

  static double[] unit(double[] v) {
    double norm = Math.sqrt(dot(v, v));
    double[] u = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      u[k] = norm == 0 ? 0 : v[k] / norm;
    }
    return u;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  private static double[] gaussian(SplittableRandom r, int d, double scale) {
    double[] v = new double[d];
    for (int k = 0; k < d; k++) {
      double u = 1 - r.nextDouble();
      v[k] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
    return v;
  }
}
