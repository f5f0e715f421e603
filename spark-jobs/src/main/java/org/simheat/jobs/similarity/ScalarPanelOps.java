package org.simheat.jobs.similarity;

/** {@link PanelOps} in plain Java: the reference, and the fallback without the Vector API. */
public final class ScalarPanelOps implements PanelOps {
  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void cosine(float[] dot, float[] invA, int aOff, float[] invB, int h, int q, float[] out) {
    for (int i = 0; i < h; i++) {
      float ia = invA[aOff + i];
      for (int j = 0, x = i * q; j < q; j++, x++) {
        out[x] = dot[x] * ia * invB[j];
      }
    }
  }

  @Override
  public void l2(float[] dot, float[] sqA, int aOff, float[] sqB, int h, int q, float[] out) {
    for (int i = 0; i < h; i++) {
      float sa = sqA[aOff + i];
      for (int j = 0, x = i * q; j < q; j++, x++) {
        out[x] = (float) Math.sqrt(Math.max(0f, sa + sqB[j] - 2f * dot[x]));
      }
    }
  }

  @Override
  public void columnStats(float[] v, int i0, int i1, int q, float[] sum, float[] max, float[] min) {
    System.arraycopy(v, i0 * q, sum, 0, q);
    System.arraycopy(v, i0 * q, max, 0, q);
    System.arraycopy(v, i0 * q, min, 0, q);
    for (int i = i0 + 1; i < i1; i++) {
      for (int j = 0, x = i * q; j < q; j++, x++) {
        float e = v[x];
        sum[j] += e;
        max[j] = Math.max(max[j], e);
        min[j] = Math.min(min[j], e);
      }
    }
  }

  @Override
  public int firstAtLeast(float[] v, int from, int to, float sign, float thr) {
    for (int x = from; x < to; x++) {
      if (sign * v[x] >= thr) {
        return x;
      }
    }
    return -1;
  }

  @Override
  public int firstAtLeastEach(float[] v, int base, int from, int q, float sign, float[] thr) {
    for (int j = from; j < q; j++) {
      if (sign * v[base + j] >= thr[j]) {
        return j;
      }
    }
    return -1;
  }

  @Override
  public void extremes(float[] v, int from, int to, float[] lohi) {
    float lo = lohi[0];
    float hi = lohi[1];
    for (int x = from; x < to; x++) {
      lo = Math.min(lo, v[x]);
      hi = Math.max(hi, v[x]);
    }
    lohi[0] = lo;
    lohi[1] = hi;
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
    for (int g = 0, x = from; g < groups; g++) {
      float s = 0;
      float hi = Float.NEGATIVE_INFINITY;
      float lo = Float.POSITIVE_INFINITY;
      for (int end = x + span; x < end; x++) {
        s += sum[x];
        hi = Math.max(hi, max[x]);
        lo = Math.min(lo, min[x]);
      }
      gSum[g] = s;
      gMax[g] = hi;
      gMin[g] = lo;
    }
  }
}
