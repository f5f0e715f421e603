package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.simheat.format.Manifest;

/**
 * {@link DriftAlignment}: each reason two runs do not align, in the order they are checked, and the
 * runs that do (d may differ; the token columns are read only when the shapes agree).
 */
class DriftAlignmentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "20261122T100000Z-aaaaaaaa";
  private static final String B = "20261122T090000Z-bbbbbbbb";

  /** A manifest of n × nCols tokens of dimension d with some metrics, in an order. */
  private static Manifest manifest(
      String id, long n, long nCols, int d, List<String> metrics, String order) {
    ObjectNode m = JSON.createObjectNode();
    m.put("formatVersion", Manifest.FORMAT_VERSION);
    m.put("runId", id);
    m.put("createdAt", "2026-11-22T10:00:00Z");
    m.putObject("source").put("uri", "/in/e.npy").put("format", "npy");
    if (n != nCols) {
      m.putObject("colsSource").put("uri", "/in/c.npy").put("format", "npy");
    }
    m.put("n", n);
    m.put("nCols", nCols);
    m.put("dim", d);
    m.put("symmetric", n == nCols && nCols > 0 && !id.endsWith("c"));
    metrics.forEach(m.putArray("metrics")::add);
    m.putArray("aggregations").add("mean");
    m.put("tileSize", 256);
    m.put("maxZoom", 0);
    m.put("storedZoom", 0);
    m.putObject("order").put("kind", order).put("clusters", order.equals("cluster") ? 2 : 0);
    return Manifest.fromJson(m.toString());
  }

  private static Manifest manifest(String id, long n, int d, List<String> metrics) {
    return manifest(id, n, n, d, metrics, Manifest.Order.INPUT);
  }

  private static DriftAlignment.Tokens tokens(String[] rows, String[] cols) {
    return new DriftAlignment.Tokens() {
      @Override
      public long[] hashes(boolean columns) {
        String[] t = axis(columns);
        long[] out = new long[t.length];
        for (int p = 0; p < t.length; p++) {
          out[p] = DriftAlignment.hash(t[p]);
        }
        return out;
      }

      @Override
      public String token(boolean columns, long position) {
        return axis(columns)[(int) position];
      }

      private String[] axis(boolean columns) {
        String[] t = columns ? cols : rows;
        if (t == null) {
          throw new AssertionError("the tokens of this axis should not be read");
        }
        return t;
      }
    };
  }

  private static DriftAlignment.Tokens tokens(String... rows) {
    return tokens(rows, null);
  }

  @Test
  void runsWithTheSameTokensAlignWhateverTheirDimension() throws IOException {
    String[] t = {"a", "b", "c"};
    Manifest a = manifest(A, 3, 8, List.of("cosine", "dot", "l2"));
    Manifest b = manifest(B, 3, 12, List.of("dot", "cosine"));
    assertThat(DriftAlignment.reason(a, tokens(t), b, tokens(t.clone()))).isNull();
    assertThat(DriftAlignment.common(a, b)).containsExactly("cosine", "dot");
  }

  @Test
  void aCrossRunDoesNotAlignWithASymmetricOne() throws IOException {
    Manifest sym = manifest(A, 4, 8, List.of("cosine"));
    Manifest cross = manifest(B + "c", 4, 4, 8, List.of("cosine"), Manifest.Order.INPUT);
    assertThat(cross.symmetric()).isFalse();
    assertThat(DriftAlignment.reason(sym, tokens(), cross, tokens()))
        .isEqualTo("run " + B + "c is a cross run and run " + A + " is not");
    assertThat(DriftAlignment.reason(cross, tokens(), sym, tokens()))
        .isEqualTo("run " + B + "c is a cross run and run " + A + " is not");
  }

  @Test
  void runsOfOtherSizesNameBothShapes() throws IOException {
    Manifest a = manifest(A, 30522, 8, List.of("cosine"));
    Manifest b = manifest(B, 30000, 8, List.of("cosine"));
    assertThat(DriftAlignment.reason(a, tokens(), b, tokens()))
        .isEqualTo("run " + B + " has 30000 × 30000 tokens, run " + A + " 30522 × 30522");
  }

  @Test
  void runsThatShareNoMetricListEach() throws IOException {
    Manifest a = manifest(A, 3, 8, List.of("cosine"));
    Manifest b = manifest(B, 3, 8, List.of("dot", "l2"));
    assertThat(DriftAlignment.reason(a, tokens(), b, tokens()))
        .isEqualTo("the runs share no metric (" + A + ": cosine; " + B + ": dot, l2)");
  }

  @Test
  void theSameVocabularyInAnotherOrderSuggestsOrderFrom() throws IOException {
    Manifest a = manifest(A, 4, 4, 8, List.of("cosine"), Manifest.Order.CLUSTER);
    Manifest b = manifest(B, 4, 8, List.of("cosine"));
    String reason =
        DriftAlignment.reason(
            a, tokens("cat", "dog", "eel", "fox"), b, tokens("cat", "eel", "dog", "fox"));
    assertThat(reason)
        .isEqualTo(
            "position 1 holds 'dog' in run "
                + A
                + " but 'eel' in run "
                + B
                + " (run "
                + A
                + " is in cluster order, run "
                + B
                + " in input order): recompute one with --order-from the other");
  }

  @Test
  void anotherVocabularyCountsTheTokensOneRunLacks() throws IOException {
    Manifest a = manifest(A, 3, 8, List.of("cosine"));
    Manifest b = manifest(B, 3, 8, List.of("cosine"));
    String reason =
        DriftAlignment.reason(a, tokens("cat", "dog", "dog"), b, tokens("cat", "dog", "emu"));
    assertThat(reason)
        .isEqualTo(
            "position 2 holds 'dog' in run "
                + A
                + " but 'emu' in run "
                + B
                + " (both are in input order): the vocabularies differ (1 of run "
                + B
                + "'s tokens are not in run "
                + A
                + "), so no order aligns them");
  }

  @Test
  void aCrossRunComparesItsColumnsToo() throws IOException {
    Manifest a = manifest(A + "c", 2, 3, 8, List.of("dot"), Manifest.Order.INPUT);
    Manifest b = manifest(B + "c", 2, 3, 8, List.of("dot"), Manifest.Order.INPUT);
    String[] rows = {"r0", "r1"};
    String reason =
        DriftAlignment.reason(
            a,
            tokens(rows, new String[] {"c0", "c1", "c2"}),
            b,
            tokens(rows.clone(), new String[] {"c0", "c1", "cX"}));
    assertThat(reason).startsWith("column position 2 holds 'c2' in run " + A + "c but 'cX'");
    assertThat(
            DriftAlignment.reason(
                a,
                tokens(rows, new String[] {"c0", "c1", "c2"}),
                b,
                tokens(rows.clone(), new String[] {"c0", "c1", "c2"})))
        .isNull();
  }

  @Test
  void theHashTellsTokensApart() {
    assertThat(DriftAlignment.hash("cat")).isEqualTo(DriftAlignment.hash(new String("cat")));
    assertThat(DriftAlignment.hash("cat")).isNotEqualTo(DriftAlignment.hash("act"));
    assertThat(DriftAlignment.hash("")).isNotEqualTo(DriftAlignment.hash("\0"));
    Set<Long> seen = new HashSet<>();
    for (int k = 0; k < 100_000; k++) {
      seen.add(DriftAlignment.hash("w" + k));
    }
    assertThat(seen).hasSize(100_000);
  }

  @Test
  void longTokensAreClipped() throws IOException {
    Manifest a = manifest(A, 1, 8, List.of("cosine"));
    Manifest b = manifest(B, 1, 8, List.of("cosine"));
    String reason = DriftAlignment.reason(a, tokens("x".repeat(100)), b, tokens("y"));
    assertThat(reason).contains("'" + "x".repeat(40) + "…'").doesNotContain("x".repeat(41));
  }
}
