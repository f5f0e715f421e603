package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.ViewRequest;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.NaiveSimilarity;
import org.simheat.viewer.testing.PooledCells;

/** Viewport specs of the fixture run: every inline cell against naive pooling of its ranges. */
class RunServiceViewTest {
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
  void theWholeMatrixIsPooledFurtherThanTheCoarsestLevel(Metric metric) {
    JsonNode spec = service.view(RUN, new ViewRequest(metric.id(), "mean", 0, 600, 0, 600, 128));
    JsonNode meta = spec.get("usermeta");
    assertThat(meta.get("level").asInt()).isZero();
    assertThat(meta.get("span").asLong()).isEqualTo(4);
    assertThat(meta.get("binRows").asLong()).isEqualTo(8);
    assertThat(meta.get("binCols").asLong()).isEqualTo(8);
    assertThat(meta.get("rows").asInt()).isEqualTo(75);
    assertThat(meta.get("cols").asInt()).isEqualTo(75);
    assertCoverage(meta, 0, 600, 0, 600);
    assertCellsEqualNaive(spec, metric, "mean", 75 * 75);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void aSmallWindowIsDrawnFromTheLiveFinestLevel(Metric metric) {
    JsonNode spec = service.view(RUN, new ViewRequest(metric.id(), "max", 100, 130, 570, 600, 32));
    JsonNode meta = spec.get("usermeta");
    assertThat(meta.get("level").asInt()).isEqualTo(2);
    assertThat(meta.get("span").asLong()).isEqualTo(1);
    assertCoverage(meta, 100, 130, 570, 600);
    assertCellsEqualNaive(spec, metric, "max", 30 * 30);
    JsonNode last = spec.get("data").get("values").get(30 * 30 - 1);
    assertThat(last.get("rowLabel").asText()).isEqualTo("the-last");
    assertThat(last.get("y1").asLong()).isEqualTo(600);
  }

  @Test
  void aViewZoomedAlongOneAxisKeepsThatAxisFine() {
    JsonNode spec = service.view(RUN, new ViewRequest("cosine", "min", 0, 600, 100, 140, 64));
    JsonNode meta = spec.get("usermeta");
    assertThat(meta.get("level").asInt()).isEqualTo(1);
    assertThat(meta.get("binRows").asLong()).isEqualTo(2);
    assertThat(meta.get("binCols").asLong()).isEqualTo(10);
    assertThat(meta.get("rows").asInt()).isEqualTo(20);
    assertThat(meta.get("cols").asInt()).isEqualTo(60);
    assertCoverage(meta, 0, 600, 100, 140);
    assertCellsEqualNaive(spec, Metric.COSINE, "min", 20 * 60);
  }

  @Test
  void aViewOverTheLiveBudgetFallsBackToTheStoredLevel() {
    RunService frugal =
        new RunService(Fixture.dataDir(), ViewerOptions.defaults().withLiveLimits(1L << 36, 1));
    JsonNode spec = frugal.view(RUN, new ViewRequest("dot", "max", 100, 130, 570, 600, 32));
    assertThat(spec.at("/usermeta/level").asInt()).isEqualTo(1);
    assertThat(spec.at("/usermeta/span").asLong()).isEqualTo(2);
    assertCellsEqualNaive(spec, Metric.DOT, "max", 15 * 15);
  }

  @Test
  void anUnalignedViewportIsWidenedToWholeBins() {
    JsonNode spec = service.view(RUN, new ViewRequest("dot", "mean", 5, 203, 17, 411, 40));
    JsonNode meta = spec.get("usermeta");
    assertThat(meta.get("x0").asLong()).isLessThanOrEqualTo(5);
    assertThat(meta.get("x1").asLong()).isGreaterThanOrEqualTo(203);
    assertThat(meta.get("y0").asLong()).isLessThanOrEqualTo(17);
    assertThat(meta.get("y1").asLong()).isGreaterThanOrEqualTo(411);
    assertThat(meta.get("rows").asInt()).isLessThanOrEqualTo(41);
    assertThat(meta.get("cols").asInt()).isLessThanOrEqualTo(41);
    JsonNode values = spec.get("data").get("values");
    assertCellsEqualNaive(spec, Metric.DOT, "mean", values.size());
  }

  @Test
  void labelsNameTheFirstTokenAndHowManyMore() {
    JsonNode spec = service.view(RUN, new ViewRequest("cosine", "mean", 0, 600, 0, 600, 0));
    JsonNode first = spec.get("data").get("values").get(1);
    assertThat(first.get("rowLabel").asText()).isEqualTo("tok0 +7 more");
    assertThat(first.get("colLabel").asText()).isEqualTo("tok8 +7 more");
    assertThat(first.get("colTokens").asText()).isEqualTo("tok8 … tok15");
    JsonNode lastRow = spec.get("data").get("values").get(74 * 75);
    assertThat(lastRow.get("rowLabel").asText()).isEqualTo("tok592 +7 more");
    assertThat(lastRow.get("rowTokens").asText()).isEqualTo("tok592 … the-last");
    assertThat(spec.at("/encoding/y/axis/labelExpr").asText()).startsWith("[\"tok0\",");
  }

  @Test
  void theSpecIsAVegaLiteHeatmapDrivenByPositions() {
    JsonNode spec =
        service.view(
            RUN, new ViewRequest("cosine", "mean", 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, 128));
    assertThat(spec.get("$schema").asText())
        .isEqualTo("https://vega.github.io/schema/vega-lite/v6.json");
    assertThat(spec.at("/mark/type").asText()).isEqualTo("rect");
    assertThat(spec.at("/encoding/x/field").asText()).isEqualTo("x0");
    assertThat(spec.at("/encoding/x2/field").asText()).isEqualTo("x1");
    assertThat(spec.at("/encoding/y/field").asText()).isEqualTo("y0");
    assertThat(spec.at("/encoding/y2/field").asText()).isEqualTo("y1");
    assertThat(spec.at("/encoding/y/scale/reverse").asBoolean()).isTrue();
    assertThat(spec.at("/encoding/color/field").asText()).isEqualTo("value");
    assertThat(spec.at("/encoding/color/scale/domainMid").asInt()).isZero();
    assertThat(spec.at("/encoding/tooltip")).hasSize(8);
    JsonNode meta = spec.get("usermeta");
    assertThat(meta.get("run").asText()).isEqualTo(RUN);
    assertThat(meta.get("n").asLong()).isEqualTo(600);
    assertThat(meta.get("nCols").asLong()).isEqualTo(600);
    assertThat(meta.at("/globalRange/min").asDouble()).isEqualTo(-0.9839103817939758);
    double m = 0;
    for (JsonNode d : spec.get("data").get("values")) {
      m = Math.max(m, Math.abs(d.get("value").asDouble()));
    }
    assertThat(meta.at("/domain/0").asDouble()).isEqualTo(-m);
    assertThat(meta.at("/domain/1").asDouble()).isEqualTo(m);
  }

  @Test
  void distancesGetASequentialScaleOverTheVisibleRange() {
    JsonNode spec = service.view(RUN, new ViewRequest("l2", "max", 0, 64, 0, 64, 64));
    assertThat(spec.at("/encoding/color/scale/scheme").asText()).isEqualTo("viridis");
    assertThat(spec.at("/encoding/color/scale/domainMid").isMissingNode()).isTrue();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (JsonNode d : spec.get("data").get("values")) {
      lo = Math.min(lo, d.get("value").asDouble());
      hi = Math.max(hi, d.get("value").asDouble());
    }
    assertThat(spec.at("/usermeta/domain/0").asDouble()).isEqualTo(lo);
    assertThat(spec.at("/usermeta/domain/1").asDouble()).isEqualTo(hi);
    assertThat(lo).isZero();
  }

  @Test
  void badViewportsAreRefused() {
    assertThatThrownBy(
            () -> service.view(RUN, new ViewRequest("cosine", "mean", 0, 600, 0, 600, 16)))
        .isInstanceOf(ApiException.class)
        .hasMessage("res must be 32..512, got 16");
    assertThatThrownBy(
            () -> service.view(RUN, new ViewRequest("cosine", "mean", 10, 10, 0, 600, 64)))
        .hasMessage("empty viewport: x0 = 10 must be less than x1 = 10");
    assertThatThrownBy(
            () -> service.view(RUN, new ViewRequest("cosine", "mean", 0, 600, -5, 600, 64)))
        .hasMessage("y0 and y1 must be ≥ 0, got -5 and 600");
    assertThatThrownBy(
            () -> service.view(RUN, new ViewRequest("cosine", "mean", 600, 700, 0, 600, 64)))
        .hasMessage("x0 = 600 is past the last position 599 of that axis");
    assertThatThrownBy(
            () -> service.view(RUN, new ViewRequest("cosine", "median", 0, 600, 0, 600, 64)))
        .isInstanceOf(ApiException.class)
        .hasMessage("unknown aggregation 'median': run " + RUN + " has mean, max, min")
        .extracting(e -> ((ApiException) e).status())
        .isEqualTo(404);
  }

  private static void assertCoverage(JsonNode meta, long x0, long x1, long y0, long y1) {
    assertThat(meta.get("x0").asLong()).isEqualTo(x0);
    assertThat(meta.get("x1").asLong()).isEqualTo(x1);
    assertThat(meta.get("y0").asLong()).isEqualTo(y0);
    assertThat(meta.get("y1").asLong()).isEqualTo(y1);
  }

  /** Every inline cell equals naive pooling of its own ranges, and the cells tile the coverage. */
  private static void assertCellsEqualNaive(JsonNode spec, Metric metric, String agg, int count) {
    new PooledCells(naive).checkView(spec, metric, Aggregation.parse(agg), count);
  }
}
