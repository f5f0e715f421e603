package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.ViewRequest;
import org.simheat.viewer.testing.Close;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.NaiveSimilarity;

/**
 * The diagonal mask of the fixture run: every masked cell against naive pooling of its ranges
 * without the pairs i = i, at a stored level, the live level and levels pooled further.
 */
class RunServiceMaskTest {
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
  void aStoredLevelExcludesTheSelfPairs(Metric metric) {
    JsonNode spec = masked(metric, "mean", 0, 256, 0, 256, 128);
    assertLevel(spec, 1, 2, 2);
    assertThat(spec.at("/usermeta/mask").asBoolean()).isTrue();
    assertThat(spec.at("/usermeta/maskExact").asBoolean()).isTrue();
    assertMaskedCellsEqualNaive(spec, metric, 128 * 128);
    JsonNode diagonal = spec.at("/data/values/" + (5 * 128 + 5));
    assertThat(diagonal.get("pairs").asLong())
        .as("a 2 × 2 cell less its 2 self-pairs")
        .isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void theCoarsestLevelPooledFurtherExcludesTheSelfPairs(Metric metric) {
    JsonNode spec = masked(metric, "max", 0, 600, 0, 600, 128);
    assertLevel(spec, 0, 8, 8);
    assertMaskedCellsEqualNaive(spec, metric, 75 * 75);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void theLiveLevelLeavesCellsOfASelfPairEmpty(Metric metric) {
    JsonNode spec = masked(metric, "min", 0, 40, 0, 40, 64);
    assertLevel(spec, 2, 1, 1);
    assertMaskedCellsEqualNaive(spec, metric, 40 * 40);
    JsonNode self = spec.at("/data/values/" + (7 * 40 + 7));
    assertThat(self.get("pairs").asLong()).isZero();
    for (String field : new String[] {"value", "mean", "max", "min"}) {
      assertThat(self.get(field).isNull()).as(field).isTrue();
    }
    assertThat(self.has("maxPair")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void theLiveLevelPooledFurtherExcludesTheSelfPairs(Metric metric) {
    JsonNode spec = masked(metric, "mean", 0, 20, 0, 200, 32);
    assertLevel(spec, 2, 7, 1);
    assertMaskedCellsEqualNaive(spec, metric, 29 * 20);
  }

  @Test
  void overTheBudgetMeansStayExactAndExtremesKeepTheSelfPairs() {
    RunService frugal =
        new RunService(Fixture.dataDir(), ViewerOptions.defaults().withLiveLimits(1L << 36, 1));
    JsonNode spec = frugal.view(RUN, new ViewRequest("dot", "mean", 0, 600, 0, 600, 128, true));
    assertThat(spec.at("/usermeta/mask").asBoolean()).isTrue();
    assertThat(spec.at("/usermeta/maskExact").asBoolean()).isFalse();
    double tol = NaiveSimilarity.tolerance(Metric.DOT);
    for (JsonNode d : spec.at("/data/values")) {
      long y0 = d.get("y0").asLong();
      long y1 = d.get("y1").asLong();
      long x0 = d.get("x0").asLong();
      long x1 = d.get("x1").asLong();
      NaiveSimilarity.Pool off = naive.pool(Metric.DOT, y0, y1, x0, x1, true);
      NaiveSimilarity.Pool all = naive.pool(Metric.DOT, y0, y1, x0, x1, false);
      String where = "bin [" + y0 + "," + y1 + ")×[" + x0 + "," + x1 + ")";
      Close.check(d.get("mean").asDouble(), off.mean(), tol, () -> where + " mean");
      Close.check(d.get("max").asDouble(), all.max(), tol, () -> where + " max");
      Close.check(d.get("min").asDouble(), all.min(), tol, () -> where + " min");
      assertThat(d.get("pairs").asLong()).isEqualTo(off.pairs());
    }
  }

  @Test
  void aSymmetricRunSaysTheMaskIsOffUnlessAsked() {
    JsonNode spec = service.view(RUN, new ViewRequest("cosine", "mean", 0, 600, 0, 600, 128));
    assertThat(spec.at("/usermeta/mask").isBoolean()).isTrue();
    assertThat(spec.at("/usermeta/mask").asBoolean()).isFalse();
    assertThat(spec.at("/usermeta/maskExact").isMissingNode()).isTrue();
    assertThat(spec.at("/data/values/0/pairs").asLong()).isEqualTo(64);
  }

  @Test
  void aRectangularRunIgnoresTheMaskAndSaysSo(@TempDir Path tmp) throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("data"));
    Fixture.editManifest(data, RUN, "\"symmetric\" : true", "\"symmetric\" : false");
    RunService rectangular = new RunService(data);
    JsonNode spec =
        rectangular.view(RUN, new ViewRequest("cosine", "mean", 0, 600, 0, 600, 128, true));
    assertThat(spec.at("/usermeta/mask").isMissingNode()).isTrue();
    assertThat(spec.at("/usermeta/maskIgnored").asText())
        .isEqualTo("run " + RUN + " is rectangular: it has no self-pairs to hide");
    JsonNode first = spec.at("/data/values/0");
    NaiveSimilarity.Pool p = naive.pool(Metric.COSINE, 0, 8, 0, 8);
    Close.check(first.get("mean").asDouble(), p.mean(), 1e-5, () -> "bin [0,8)² mean");
    assertThat(first.get("pairs").asLong()).isEqualTo(64);
    JsonNode unasked =
        rectangular.view(RUN, new ViewRequest("cosine", "mean", 0, 600, 0, 600, 128));
    assertThat(unasked.at("/usermeta/mask").isMissingNode()).isTrue();
    assertThat(unasked.at("/usermeta/maskIgnored").isMissingNode()).isTrue();
  }

  private static JsonNode masked(
      Metric metric, String agg, long x0, long x1, long y0, long y1, int res) {
    return service.view(RUN, new ViewRequest(metric.id(), agg, x0, x1, y0, y1, res, true));
  }

  private static void assertLevel(JsonNode spec, int level, long binRows, long binCols) {
    JsonNode meta = spec.get("usermeta");
    assertThat(meta.get("level").asInt()).isEqualTo(level);
    assertThat(meta.get("binRows").asLong()).isEqualTo(binRows);
    assertThat(meta.get("binCols").asLong()).isEqualTo(binCols);
    assertThat(meta.get("mask").asBoolean()).isTrue();
    assertThat(meta.get("maskExact").asBoolean()).isTrue();
  }

  /** Every cell equals naive pooling of its ranges without self-pairs (null where none remain). */
  private static void assertMaskedCellsEqualNaive(JsonNode spec, Metric metric, int count) {
    JsonNode values = spec.get("data").get("values");
    assertThat(values).hasSize(count);
    double tol = NaiveSimilarity.tolerance(metric);
    int diagonal = 0;
    for (JsonNode d : values) {
      long y0 = d.get("y0").asLong();
      long y1 = d.get("y1").asLong();
      long x0 = d.get("x0").asLong();
      long x1 = d.get("x1").asLong();
      NaiveSimilarity.Pool p = naive.pool(metric, y0, y1, x0, x1, true);
      String where = metric.id() + " bin [" + y0 + "," + y1 + ")×[" + x0 + "," + x1 + ")";
      assertThat(d.get("pairs").asLong()).as(where + " pairs").isEqualTo(p.pairs());
      if (Math.max(y0, x0) < Math.min(y1, x1)) {
        diagonal++;
      }
      if (p.pairs() == 0) {
        assertThat(d.get("value").isNull()).as(where + " value").isTrue();
        continue;
      }
      Close.check(d.get("mean").asDouble(), p.mean(), tol, () -> where + " mean");
      Close.check(d.get("max").asDouble(), p.max(), tol, () -> where + " max");
      Close.check(d.get("min").asDouble(), p.min(), tol, () -> where + " min");
    }
    assertThat(diagonal).as("bins on the diagonal").isPositive();
  }
}
