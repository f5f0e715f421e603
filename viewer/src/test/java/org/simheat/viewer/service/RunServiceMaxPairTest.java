package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.ViewRequest;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.NaiveSimilarity;

/**
 * The pair attaining each bin's max at live levels of the fixture run, against a naive argmax (the
 * first pair in row-major order), and its absence at stored levels.
 */
class RunServiceMaxPairTest {
  private static final String RUN = Fixture.RUN_ID;

  private static RunService service;
  private static NaiveSimilarity naive;

  @BeforeAll
  static void open() throws IOException {
    service = new RunService(Fixture.dataDir());
    naive = NaiveSimilarity.fixture();
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void atTheLiveLevelEachCellIsItsOwnMaxPair(Metric metric) {
    JsonNode spec = view(metric, 100, 130, 570, 600, 32, false);
    assertThat(spec.at("/usermeta/level").asInt()).isEqualTo(2);
    assertThat(spec.at("/usermeta/binRows").asLong()).isEqualTo(1);
    assertMaxPairsEqualNaive(spec, metric, false);
    JsonNode last = spec.at("/data/values/" + (30 * 30 - 1));
    assertThat(last.get("maxPair").asText()).isEqualTo("the-last × tok129");
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void aLiveViewPooledFurtherNamesTheFirstPairAttainingTheMax(Metric metric) {
    JsonNode spec = view(metric, 0, 20, 0, 200, 32, false);
    assertThat(spec.at("/usermeta/level").asInt()).isEqualTo(2);
    assertThat(spec.at("/usermeta/binRows").asLong()).isEqualTo(7);
    assertMaxPairsEqualNaive(spec, metric, false);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void aMaskedLiveViewNamesTheMaxPairWithoutSelfPairs(Metric metric) {
    JsonNode spec = view(metric, 0, 20, 0, 200, 32, true);
    assertThat(spec.at("/usermeta/maskExact").asBoolean()).isTrue();
    assertMaxPairsEqualNaive(spec, metric, true);
  }

  @Test
  void theTooltipShowsTheMaxPairAtLiveLevelsOnly() {
    JsonNode live = view(Metric.COSINE, 0, 20, 0, 200, 32, false);
    assertThat(live.at("/encoding/tooltip").findValuesAsText("field")).contains("maxPair");
    JsonNode stored = view(Metric.COSINE, 0, 600, 0, 600, 128, false);
    assertThat(stored.at("/usermeta/level").asInt()).isZero();
    assertThat(stored.at("/encoding/tooltip").findValuesAsText("field")).doesNotContain("maxPair");
    for (JsonNode d : stored.at("/data/values")) {
      assertThat(d.has("maxRow") || d.has("maxCol") || d.has("maxPair")).isFalse();
    }
  }

  private static JsonNode view(
      Metric metric, long x0, long x1, long y0, long y1, int res, boolean mask) {
    return service.view(RUN, new ViewRequest(metric.id(), "max", x0, x1, y0, y1, res, mask));
  }

  /**
   * Each bin's max pair is the naive one, or another pair of the same value up to float rounding (a
   * tie that single precision may break otherwise); the bin's max is that value.
   */
  private static void assertMaxPairsEqualNaive(JsonNode spec, Metric metric, boolean mask) {
    double tol = NaiveSimilarity.tolerance(metric);
    int same = 0;
    for (JsonNode d : spec.at("/data/values")) {
      long y0 = d.get("y0").asLong();
      long y1 = d.get("y1").asLong();
      long x0 = d.get("x0").asLong();
      long x1 = d.get("x1").asLong();
      int[] expected = naive.maxPair(metric, y0, y1, x0, x1, mask);
      String where = metric.id() + " bin [" + y0 + "," + y1 + ")×[" + x0 + "," + x1 + ")";
      if (expected == null) {
        assertThat(d.has("maxPair")).as(where).isFalse();
        continue;
      }
      int row = d.get("maxRow").asInt();
      int col = d.get("maxCol").asInt();
      assertThat(row).as(where + " row").isBetween((int) y0, (int) y1 - 1);
      assertThat(col).as(where + " col").isBetween((int) x0, (int) x1 - 1);
      if (mask) {
        assertThat(row).as(where + " is not a self-pair").isNotEqualTo(col);
      }
      double best = naive.value(metric, expected[0], expected[1]);
      assertThat(naive.value(metric, row, col)).as(where + " value").isCloseTo(best, within(tol));
      assertThat(d.get("max").asDouble()).as(where + " max").isCloseTo(best, within(tol));
      assertThat(d.get("maxPair").asText()).isEqualTo(naive.token(row) + " × " + naive.token(col));
      if (row != expected[0] || col != expected[1]) {
        assertThat(naive.value(metric, row, col))
            .as(where + ": (" + row + ", " + col + ") ties the first max pair")
            .isCloseTo(best, within(1e-6 * Math.max(1, Math.abs(best))));
      } else {
        same++;
      }
    }
    assertThat(same).as("bins whose max pair is the naive first one").isPositive();
  }
}
