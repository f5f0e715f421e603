package org.simheat.jobs.similarity;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanelOps} with the JDK Vector API: each loop runs over the machine's widest float vectors
 * (16 lanes with AVX-512) and finishes its tail in scalar code. The arithmetic is the same as
 * {@link ScalarPanelOps}' operation for operation (no fused multiply-add, no reassociation), so
 * both give identical floats.
 */
public final class VectorPanelOps implements PanelOps {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  @Override
  public String name() {
    return "Vector API (" + S.vectorBitSize() + "-bit)";
  }

  @Override
  public void cosine(float[] dot, float[] invA, int aOff, float[] invB, int h, int q, float[] out) {
    int bound = S.loopBound(q);
    for (int i = 0; i < h; i++) {
      float ia = invA[aOff + i];
      int x0 = i * q;
      int j = 0;
      for (; j < bound; j += L) {
        FloatVector.fromArray(S, dot, x0 + j)
            .mul(ia)
            .mul(FloatVector.fromArray(S, invB, j))
            .intoArray(out, x0 + j);
      }
      for (; j < q; j++) {
        out[x0 + j] = dot[x0 + j] * ia * invB[j];
      }
    }
  }

  @Override
  public void l2(float[] dot, float[] sqA, int aOff, float[] sqB, int h, int q, float[] out) {
    int bound = S.loopBound(q);
    for (int i = 0; i < h; i++) {
      float sa = sqA[aOff + i];
      int x0 = i * q;
      int j = 0;
      for (; j < bound; j += L) {
        FloatVector d2 = FloatVector.fromArray(S, dot, x0 + j).mul(2f);
        FloatVector.fromArray(S, sqB, j).add(sa).sub(d2).max(0f).sqrt().intoArray(out, x0 + j);
      }
      for (; j < q; j++) {
        out[x0 + j] = (float) Math.sqrt(Math.max(0f, sa + sqB[j] - 2f * dot[x0 + j]));
      }
    }
  }

  @Override
  public void columnStats(float[] v, int i0, int i1, int q, float[] sum, float[] max, float[] min) {
    System.arraycopy(v, i0 * q, sum, 0, q);
    System.arraycopy(v, i0 * q, max, 0, q);
    System.arraycopy(v, i0 * q, min, 0, q);
    int bound = S.loopBound(q);
    for (int i = i0 + 1; i < i1; i++) {
      int x0 = i * q;
      int j = 0;
      for (; j < bound; j += L) {
        FloatVector e = FloatVector.fromArray(S, v, x0 + j);
        FloatVector.fromArray(S, sum, j).add(e).intoArray(sum, j);
        FloatVector.fromArray(S, max, j).max(e).intoArray(max, j);
        FloatVector.fromArray(S, min, j).min(e).intoArray(min, j);
      }
      for (; j < q; j++) {
        float e = v[x0 + j];
        sum[j] += e;
        max[j] = Math.max(max[j], e);
        min[j] = Math.min(min[j], e);
      }
    }
  }

  @Override
  public int firstAtLeast(float[] v, int from, int to, float sign, float thr) {
    int x = from;
    int bound = from + S.loopBound(to - from);
    for (; x < bound; x += L) {
      VectorMask<Float> hit =
          FloatVector.fromArray(S, v, x).mul(sign).compare(VectorOperators.GE, thr);
      if (hit.anyTrue()) {
        return x + hit.firstTrue();
      }
    }
    return SCALAR.firstAtLeast(v, x, to, sign, thr);
  }

  @Override
  public int firstAtLeastEach(float[] v, int base, int from, int q, float sign, float[] thr) {
    int j = from;
    int bound = from + S.loopBound(q - from);
    for (; j < bound; j += L) {
      VectorMask<Float> hit =
          FloatVector.fromArray(S, v, base + j)
              .mul(sign)
              .compare(VectorOperators.GE, FloatVector.fromArray(S, thr, j));
      if (hit.anyTrue()) {
        return j + hit.firstTrue();
      }
    }
    return SCALAR.firstAtLeastEach(v, base, j, q, sign, thr);
  }

  @Override
  public void extremes(float[] v, int from, int to, float[] lohi) {
    int x = from;
    int bound = from + S.loopBound(to - from);
    float lo = lohi[0];
    float hi = lohi[1];
    if (bound > from) {
      FloatVector vlo = FloatVector.broadcast(S, lo);
      FloatVector vhi = FloatVector.broadcast(S, hi);
      for (; x < bound; x += L) {
        FloatVector e = FloatVector.fromArray(S, v, x);
        vlo = vlo.min(e);
        vhi = vhi.max(e);
      }
      lo = vlo.reduceLanes(VectorOperators.MIN);
      hi = vhi.reduceLanes(VectorOperators.MAX);
    }
    lohi[0] = lo;
    lohi[1] = hi;
    SCALAR.extremes(v, x, to, lohi);
  }

  @Override
  public void groupStats(
      float[] sum,
      float[] max,
      float[] min,
      int from,
      int groups,
      int span,
      float[] gSum,
      float[] gMax,
      float[] gMin) {
    VectorSpecies<Float> g8 = FloatVector.SPECIES_256;
    if (span == 8 && g8.length() == 8) {
      // One 8-lane vector a group: lane sums in a fixed order, like the scalar loop's tree.
      for (int g = 0, x = from; g < groups; g++, x += 8) {
        gSum[g] = FloatVector.fromArray(g8, sum, x).reduceLanes(VectorOperators.ADD);
        gMax[g] = FloatVector.fromArray(g8, max, x).reduceLanes(VectorOperators.MAX);
        gMin[g] = FloatVector.fromArray(g8, min, x).reduceLanes(VectorOperators.MIN);
      }
      return;
    }
    if (span % L == 0) {
      for (int g = 0, x = from; g < groups; g++) {
        FloatVector s = FloatVector.fromArray(S, sum, x);
        FloatVector hi = FloatVector.fromArray(S, max, x);
        FloatVector lo = FloatVector.fromArray(S, min, x);
        for (int end = x + span, y = x + L; y < end; y += L) {
          s = s.add(FloatVector.fromArray(S, sum, y));
          hi = hi.max(FloatVector.fromArray(S, max, y));
          lo = lo.min(FloatVector.fromArray(S, min, y));
        }
        gSum[g] = s.reduceLanes(VectorOperators.ADD);
        gMax[g] = hi.reduceLanes(VectorOperators.MAX);
        gMin[g] = lo.reduceLanes(VectorOperators.MIN);
        x += span;
      }
      return;
    }
    SCALAR.groupStats(sum, max, min, from, groups, span, gSum, gMax, gMin);
  }

  private static final ScalarPanelOps SCALAR = new ScalarPanelOps();
}
