package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.simheat.viewer.testing.Fixture;

/** 400 and 404 answers of the service, with their messages. */
class RunServiceErrorsTest {
  private static final String RUN = Fixture.RUN_ID;

  private static RunService service;

  @BeforeAll
  static void open() {
    service = new RunService(Fixture.dataDir());
  }

  @Test
  void unknownRunsAre404() {
    assertApi(
        () -> service.manifest("20991231T000000Z-00000000"),
        404,
        "unknown run '20991231T000000Z-00000000'");
    assertApi(() -> service.tile("../../etc", "cosine", 0, 0, 0), 404, "unknown run '../../etc'");
    assertApi(
        () -> service.tile("..%2F..%2Fetc", "cosine", 0, 0, 0), 404, "unknown run '..%2F..%2Fetc'");
    assertApi(
        () -> service.tile(RUN + "\\..", "cosine", 0, 0, 0), 404, "unknown run '" + RUN + "\\..'");
  }

  @Test
  void unknownMetricsAre404() {
    assertApi(
        () -> service.tile(RUN, "jaccard", 0, 0, 0),
        404,
        "unknown metric 'jaccard': run " + RUN + " has cosine, dot, l2");
    assertApi(
        () -> service.tile(RUN, "../l2", 0, 0, 0),
        404,
        "unknown metric '../l2': run " + RUN + " has cosine, dot, l2");
  }

  @Test
  void levelsOutsideTheRunAre404AndNegativeOnes400() {
    assertApi(
        () -> service.tile(RUN, "cosine", 3, 0, 0),
        404,
        "level 3 is out of range: run " + RUN + " has levels 0..2");
    assertApi(() -> service.tile(RUN, "cosine", -1, 0, 0), 400, "level must be ≥ 0, got -1");
  }

  @Test
  void tilesOutsideTheGridAre404AndNegativeOnes400() {
    assertApi(
        () -> service.tile(RUN, "dot", 1, 2, 0),
        404,
        "tile (1, 2, 0) is outside level 1's grid of 2 × 2 tiles: i in 0..1, j in 0..1");
    assertApi(
        () -> service.tile(RUN, "dot", 2, 0, 3),
        404,
        "tile (2, 0, 3) is outside level 2's grid of 3 × 3 tiles: i in 0..2, j in 0..2");
    assertApi(
        () -> service.tile(RUN, "dot", 0, -1, 0),
        400,
        "tile row and column must be ≥ 0, got (-1, 0)");
    assertApi(
        () -> service.tile(RUN, "dot", 0, 0, Long.MIN_VALUE),
        400,
        "tile row and column must be ≥ 0, got (0, " + Long.MIN_VALUE + ")");
  }

  @Test
  void aLiveTileOverTheCostLimitIs400() {
    RunService capped =
        new RunService(
            Fixture.dataDir(), ViewerOptions.defaults().withLiveLimits(1L << 18, 1L << 32));
    assertApi(
        () -> capped.tile(RUN, "cosine", 2, 0, 0),
        400,
        "tile (2, 0, 0) would take 5.24e+05 multiply-adds to compute live, over this viewer's"
            + " limit of 2.62e+05: use a stored level (0..1)");
    org.assertj.core.api.Assertions.assertThat(capped.tile(RUN, "cosine", 2, 2, 2).rows())
        .isEqualTo(88);
  }

  @Test
  void latestResolvesToTheNewestRun() {
    org.assertj.core.api.Assertions.assertThat(service.manifest("latest").runId()).isEqualTo(RUN);
    org.assertj.core.api.Assertions.assertThat(service.tile("latest", "l2", 0, 0, 0).rows())
        .isEqualTo(150);
  }

  static void assertApi(ThrowingCallable call, int status, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(ApiException.class)
        .hasMessage(message)
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(((ApiException) e).status())
                    .isEqualTo(status));
  }
}
