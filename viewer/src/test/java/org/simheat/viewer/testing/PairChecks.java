package org.simheat.viewer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.simheat.format.Metric;

/**
 * Checks a {@code /pairs} answer against brute force over the naive matrix: every distinct pair of
 * the region is ranked (a symmetric run's self-pairs and mirrored twins excluded), the answer's
 * values equal the brute-force best values rank by rank, and each pair it names lies in the region,
 * carries its own exact value and tokens, and appears once.
 */
public final class PairChecks {
  private PairChecks() {}

  /** Brute force: the counted pairs of rows [y0, y1) × columns [x0, x1), as {row, col}. */
  public static List<int[]> counted(NaiveSimilarity naive, long x0, long x1, long y0, long y1) {
    List<int[]> out = new ArrayList<>();
    for (int r = (int) y0; r < y1; r++) {
      for (int c = (int) x0; c < x1; c++) {
        boolean mirrored = r > c && c >= y0 && c < y1 && r >= x0 && r < x1;
        if (!naive.symmetric() || (r != c && !mirrored)) {
          out.add(new int[] {r, c});
        }
      }
    }
    return out;
  }

  /** Checks the answer for the region and limit it was asked. */
  public static void check(
      JsonNode answer,
      NaiveSimilarity naive,
      Metric metric,
      long x0,
      long x1,
      long y0,
      long y1,
      int limit) {
    double[][] m = naive.matrix(metric);
    List<int[]> all = counted(naive, x0, x1, y0, y1);
    double[] best = all.stream().mapToDouble(p -> m[p[0]][p[1]]).sorted().toArray();
    if (metric.higherIsBetter()) {
      reverse(best);
    }
    JsonNode pairs = answer.get("pairs");
    String where = metric.id() + " pairs of [" + y0 + "," + y1 + ")×[" + x0 + "," + x1 + ")";
    assertThat(answer.get("considered").asLong()).as(where + " considered").isEqualTo(all.size());
    assertThat(answer.get("best").asText())
        .isEqualTo(metric.higherIsBetter() ? "highest" : "lowest");
    assertThat(pairs).as(where).hasSize(Math.min(limit, all.size()));
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < pairs.size(); k++) {
      JsonNode p = pairs.get(k);
      int r = p.get("row").asInt();
      int c = p.get("col").asInt();
      double value = p.get("value").asDouble();
      double tolerance = PooledCells.tolerance(metric, best[k]);
      int rank = k;
      Close.check(value, best[rank], tolerance, () -> where + " rank " + rank);
      Close.check(value, m[r][c], tolerance, () -> where + " value of (" + r + ", " + c + ")");
      assertThat(r).as(where + " row").isBetween((int) y0, (int) y1 - 1);
      assertThat(c).as(where + " col").isBetween((int) x0, (int) x1 - 1);
      assertThat(p.get("rowToken").asText()).isEqualTo(naive.token(r));
      assertThat(p.get("colToken").asText()).isEqualTo(naive.colToken(c));
      String key = naive.symmetric() ? Math.min(r, c) + "," + Math.max(r, c) : r + "," + c;
      assertThat(seen.add(key)).as(where + " lists " + key + " once").isTrue();
      if (naive.symmetric()) {
        assertThat(r).as(where + " holds no self-pair").isNotEqualTo(c);
      }
    }
  }

  private static void reverse(double[] a) {
    for (int i = 0, j = a.length - 1; i < j; i++, j--) {
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
