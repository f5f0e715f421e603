package org.simheat.jobs.similarity;

/**
 * The per-value loops that follow each panel's SGEMM: metric transforms, column-wise pooling and
 * the threshold scans of top-k. Every similarity value passes through these once while its panel is
 * in cache, so they are written twice: with the JDK Vector API ({@link VectorPanelOps}, when the
 * JVM runs with {@code --add-modules jdk.incubator.vector}) and in plain Java ({@link
 * ScalarPanelOps}). Both give bit-identical results, except {@link #groupStats}' sums, which add
 * the same floats in another order.
 *
 * <p>Panels are row-major {@code h × q} arrays; a "key" is a value when higher is better and its
 * negation otherwise (l2), so a threshold test is {@code sign · v ≥ thr}.
 */
public interface PanelOps {
  /** The implementation for this JVM: the Vector API when its module is present. */
  static PanelOps best() {
    return Holder.BEST;
  }

  /** Which implementation {@link #best()} is, for logs and manifests. */
  String name();

  /**
   * Cosine from dot products: {@code out[i·q + j] = dot[i·q + j] · invA[i] · invB[j]} for rows i <
   * h; an inverse norm of 0 (a zero row) gives 0.
   */
  void cosine(float[] dot, float[] invA, int aOff, float[] invB, int h, int q, float[] out);

  /**
   * Euclidean distance from dot products and squared norms: {@code √max(0, sqA[i] + sqB[j] −
   * 2·dot)}.
   */
  void l2(float[] dot, float[] sqA, int aOff, float[] sqB, int h, int q, float[] out);

  /**
   * Column-wise sum, max and min of rows {@code [i0, i1)} of a panel: {@code sum[j] = Σᵢ v[i·q +
   * j]}, likewise max and min, for j < q. Overwrites the three arrays.
   */
  void columnStats(float[] v, int i0, int i1, int q, float[] sum, float[] max, float[] min);

  /**
   * The first index x in {@code [from, to)} with {@code sign · v[x] ≥ thr}, or −1.
   *
   * @param sign 1 or −1
   */
  int firstAtLeast(float[] v, int from, int to, float sign, float thr);

  /**
   * The first j in {@code [from, q)} with {@code sign · v[base + j] ≥ thr[j]}, or −1: a panel row
   * tested against per-column thresholds.
   */
  int firstAtLeastEach(float[] v, int base, int from, int q, float sign, float[] thr);

  /**
   * Reduces {@code groups} consecutive groups of {@code span} columns of column statistics, the
   * first starting at {@code from}: {@code gSum[g] = Σ sum[from + g·span + x]} for x < span, in
   * float, likewise the max of max and the min of min.
   */
  void groupStats(
      float[] sum,
      float[] max,
      float[] min,
      int from,
      int groups,
      int span,
      float[] gSum,
      float[] gMax,
      float[] gMin);

  /**
   * Folds the smallest and largest of {@code v[from, to)} into {@code lohi[0]} and {@code lohi[1]}.
   */
  void extremes(float[] v, int from, int to, float[] lohi);

  /** Chooses once per JVM. */
  final class Holder {
    static final PanelOps BEST = choose();

    private Holder() {}

    private static PanelOps choose() {
      if (!"scalar".equals(System.getProperty("simheat.panel"))
          && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
        try {
          return new VectorPanelOps();
        } catch (LinkageError e) {
          return new ScalarPanelOps();
        }
      }
      return new ScalarPanelOps();
    }
  }
}
