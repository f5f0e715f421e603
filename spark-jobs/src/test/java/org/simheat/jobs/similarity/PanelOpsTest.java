package org.simheat.jobs.similarity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API loops give exactly the plain loops' floats and indices, on widths that are and are
 * not multiples of the vector length, and the plain loops give the definitions.
 */
class PanelOpsTest {
  private final PanelOps scalar = new ScalarPanelOps();
  private final PanelOps vector = new VectorPanelOps();

  private static float[] random(Random r, int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * scale);
    }
    return v;
  }

  @ParameterizedTest(name = "h={0} q={1}")
  @CsvSource({"1, 1", "3, 15", "4, 16", "5, 17", "7, 64", "9, 333"})
  void transformsAgreeWithTheDefinitionsAndEachOther(int h, int q) {
    Random r = new Random(h * 1000L + q);
    float[] dot = random(r, h * q, 3);
    float[] invA = random(r, h + 2, 1);
    float[] invB = random(r, q, 1);
    invA[1] = 0;
    float[] sqA = new float[h + 2];
    float[] sqB = new float[q];
    for (int i = 0; i < sqA.length; i++) {
      sqA[i] = Math.abs(invA[i]) * 4;
    }
    for (int j = 0; j < q; j++) {
      sqB[j] = Math.abs(invB[j]) * 4;
    }
    float[] a = new float[h * q];
    float[] b = new float[h * q];
    scalar.cosine(dot, invA, 2, invB, h, q, a);
    vector.cosine(dot, invA, 2, invB, h, q, b);
    assertThat(b).containsExactly(a);
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < q; j++) {
        assertThat(a[i * q + j]).isEqualTo(dot[i * q + j] * invA[2 + i] * invB[j]);
      }
    }
    scalar.l2(dot, sqA, 1, sqB, h, q, a);
    vector.l2(dot, sqA, 1, sqB, h, q, b);
    for (int x = 0; x < a.length; x++) {
      // Equal floats; only the sign of a zero may differ (max(0, −0)).
      assertThat(b[x] == a[x]).as("l2 at %d: %s vs %s", x, b[x], a[x]).isTrue();
      int i = x / q;
      int j = x % q;
      double want = Math.sqrt(Math.max(0, sqA[1 + i] + sqB[j] - 2f * dot[x]));
      assertThat((double) a[x]).isCloseTo(want, org.assertj.core.api.Assertions.within(1e-5));
    }
  }

  @ParameterizedTest(name = "rows [{0}, {1}) q={2}")
  @CsvSource({"0, 1, 5", "0, 8, 16", "3, 7, 31", "2, 9, 100"})
  void columnStatsAreTheColumnsSumMaxAndMin(int i0, int i1, int q) {
    Random r = new Random(i0 * 31 + i1 * 7 + q);
    float[] v = random(r, 10 * q, 2);
    float[][] got = new float[6][q];
    scalar.columnStats(v, i0, i1, q, got[0], got[1], got[2]);
    vector.columnStats(v, i0, i1, q, got[3], got[4], got[5]);
    for (int j = 0; j < q; j++) {
      float sum = 0;
      float max = Float.NEGATIVE_INFINITY;
      float min = Float.POSITIVE_INFINITY;
      for (int i = i0; i < i1; i++) {
        sum += v[i * q + j];
        max = Math.max(max, v[i * q + j]);
        min = Math.min(min, v[i * q + j]);
      }
      assertThat(got[0][j]).isEqualTo(sum);
      assertThat(got[1][j]).isEqualTo(max);
      assertThat(got[2][j]).isEqualTo(min);
    }
    assertThat(got[3]).containsExactly(got[0]);
    assertThat(got[4]).containsExactly(got[1]);
    assertThat(got[5]).containsExactly(got[2]);
  }

  @ParameterizedTest(name = "n={0} sign={1}")
  @CsvSource({"1, 1", "15, -1", "16, 1", "17, -1", "100, 1", "257, -1"})
  void thresholdScansFindEveryHitInOrder(int n, float sign) {
    Random r = new Random(n);
    float[] v = random(r, n + 3, 1);
    float[] thr = random(r, n, 1);
    for (PanelOps ops : new PanelOps[] {scalar, vector}) {
      float t = 0.8f;
      int from = 3;
      int x = ops.firstAtLeast(v, from, n + 3, sign, t);
      for (int y = from; y < n + 3; y++) {
        if (sign * v[y] >= t) {
          assertThat(x).as(ops.name()).isEqualTo(y);
          x = y + 1 < n + 3 ? ops.firstAtLeast(v, y + 1, n + 3, sign, t) : -1;
        }
      }
      assertThat(x).isEqualTo(-1);
      int j = ops.firstAtLeastEach(v, 3, 0, n, sign, thr);
      for (int y = 0; y < n; y++) {
        if (sign * v[3 + y] >= thr[y]) {
          assertThat(j).as(ops.name()).isEqualTo(y);
          j = y + 1 < n ? ops.firstAtLeastEach(v, 3, y + 1, n, sign, thr) : -1;
        }
      }
      assertThat(j).isEqualTo(-1);
    }
  }

  @ParameterizedTest(name = "[{0}, {1})")
  @CsvSource({"0, 0", "0, 1", "2, 17", "5, 40", "0, 100"})
  void extremesAreTheSmallestAndLargest(int from, int to) {
    float[] v = random(new Random(to), 100, 5);
    float lo = 0.5f;
    float hi = 0.25f;
    for (int x = from; x < to; x++) {
      lo = Math.min(lo, v[x]);
      hi = Math.max(hi, v[x]);
    }
    for (PanelOps ops : new PanelOps[] {scalar, vector}) {
      float[] lohi = {0.5f, 0.25f};
      ops.extremes(v, from, to, lohi);
      assertThat(lohi).as(ops.name()).containsExactly(lo, hi);
    }
  }

  @ParameterizedTest(name = "span={0} groups={1} from={2}")
  @CsvSource({"1, 5, 0", "2, 7, 1", "3, 4, 2", "8, 9, 3", "16, 3, 0", "32, 2, 5", "24, 3, 1"})
  void groupStatsReduceEachGroupOfColumns(int span, int groups, int from) {
    Random r = new Random(span * 100 + groups);
    int q = from + span * groups + 3;
    float[] sum = random(r, q, 2);
    float[] max = random(r, q, 2);
    float[] min = random(r, q, 2);
    for (PanelOps ops : new PanelOps[] {scalar, vector}) {
      float[][] got = new float[3][groups];
      ops.groupStats(sum, max, min, from, groups, span, got[0], got[1], got[2]);
      for (int g = 0; g < groups; g++) {
        double s = 0;
        float hi = Float.NEGATIVE_INFINITY;
        float lo = Float.POSITIVE_INFINITY;
        for (int x = from + g * span; x < from + (g + 1) * span; x++) {
          s += sum[x];
          hi = Math.max(hi, max[x]);
          lo = Math.min(lo, min[x]);
        }
        assertThat((double) got[0][g])
            .as(ops.name())
            .isCloseTo(s, org.assertj.core.api.Assertions.within(1e-5 * span));
        assertThat(got[1][g]).as(ops.name()).isEqualTo(hi);
        assertThat(got[2][g]).as(ops.name()).isEqualTo(lo);
      }
    }
  }
}
