package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.simheat.viewer.service.RunServiceClustersTest.assertApi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.PairList;
import org.simheat.viewer.service.ViewerService.PairsRequest;
import org.simheat.viewer.testing.ContractRun;
import org.simheat.viewer.testing.NaiveSimilarity;
import org.simheat.viewer.testing.PairChecks;
import org.simheat.viewer.testing.SyntheticRun;

/**
 * The region pairs of {@link RunService} against brute force over the naive matrix, in a symmetric
 * run (self-pairs and mirrored twins skipped: regions across, beside and on the diagonal) and in a
 * cross run (every cell counts); limits, the area cap and bad regions.
 */
class RunServicePairsTest {
  private static final String SYMMETRIC = "20261124T100000Z-5e11a1ed";
  private static final String CROSS = "20261124T110000Z-c2055000";
  private static final String LARGE = "20261124T120000Z-1a2e0000";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Regions {x0, x1, y0, y1}: the whole matrix, across the diagonal, beside it, one self-pair. */
  private static final List<long[]> REGIONS =
      List.of(
          new long[] {0, 300, 0, 300},
          new long[] {50, 170, 100, 220},
          new long[] {200, 300, 0, 60},
          new long[] {5, 6, 5, 6});

  @TempDir static Path data;
  private static NaiveSimilarity symmetric;
  private static NaiveSimilarity cross;
  private static RunService service;

  @BeforeAll
  static void write() throws IOException {
    ContractRun s = ContractRun.symmetric(SYMMETRIC, "2026-11-24T10:00:00Z", 300, 6, 3, 5, true);
    ContractRun c = ContractRun.cross(CROSS, "2026-11-24T11:00:00Z", 300, 200, 6, 4, 5, 0);
    s.write(data);
    c.write(data);
    new SyntheticRun(LARGE, 2100, 4, 9, 0, 1024, 512, false, List.of(Metric.COSINE)).write(data);
    symmetric = s.reference();
    cross = c.reference();
    service = new RunService(data);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void symmetricRegionsCountEachPairOfTokensOnce(Metric metric) {
    for (long[] r : REGIONS) {
      PairList answer = service.pairs(SYMMETRIC, request(metric, r, 25));
      PairChecks.check(json(answer), symmetric, metric, r[0], r[1], r[2], r[3], 25);
    }
    assertThat(service.pairs(SYMMETRIC, request(metric, REGIONS.get(3), 5)).pairs()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void crossRegionsRankEveryCell(Metric metric) {
    for (long[] r : List.of(new long[] {0, 200, 0, 300}, new long[] {10, 90, 40, 70})) {
      PairList answer = service.pairs(CROSS, request(metric, r, 30));
      PairChecks.check(json(answer), cross, metric, r[0], r[1], r[2], r[3], 30);
    }
  }

  @Test
  void largeLimitsAreCappedAndTheRegionIsClampedToTheMatrix() {
    PairList answer =
        service.pairs(SYMMETRIC, new PairsRequest("dot", 0, Long.MAX_VALUE, 250, 1000, 5000));
    assertThat(answer.y1()).isEqualTo(300);
    assertThat(answer.x1()).isEqualTo(300);
    assertThat(answer.pairs()).hasSize(1000);
    PairChecks.check(json(answer), symmetric, Metric.DOT, 0, 300, 250, 300, 1000);
    assertThat(service.pairs(SYMMETRIC, request(Metric.L2, REGIONS.get(1), 0)).pairs())
        .as("limit 0 means the default")
        .hasSize(20);
  }

  @Test
  void aRegionOverTheCapIsRefusedAndOneAtTheCapIsRanked() {
    assertApi(
        () -> service.pairs(LARGE, new PairsRequest("cosine", 0, 2049, 0, 2048, 10)),
        400,
        "region rows 0..2047 × columns 0..2048 holds 4,196,352 pairs, over this viewer's limit"
            + " of 4,194,304 (2048 × 2048): select a smaller region");
    PairList atCap = service.pairs(LARGE, new PairsRequest("cosine", 52, 2100, 0, 2048, 3));
    assertThat(atCap.considered()).isLessThan(4_194_304L).isPositive();
    assertThat(atCap.pairs()).hasSize(3);
  }

  @Test
  void badRegionsAndLimitsAreRefused() {
    assertApi(
        () -> service.pairs(SYMMETRIC, new PairsRequest("cosine", 10, 10, 0, 5, 5)),
        400,
        "empty viewport: x0 = 10 must be less than x1 = 10");
    assertApi(
        () -> service.pairs(SYMMETRIC, new PairsRequest("cosine", 0, 5, 300, 400, 5)),
        400,
        "y0 = 300 is past the last position 299 of that axis");
    assertApi(
        () -> service.pairs(SYMMETRIC, new PairsRequest("cosine", 0, 5, 0, 5, -1)),
        400,
        "limit must be ≥ 1, got -1");
    assertApi(
        () -> service.pairs(SYMMETRIC, new PairsRequest("hamming", 0, 5, 0, 5, 5)),
        404,
        "unknown metric 'hamming'");
  }

  private static PairsRequest request(Metric metric, long[] r, int limit) {
    return new PairsRequest(metric.id(), r[0], r[1], r[2], r[3], limit);
  }

  private static JsonNode json(PairList answer) {
    return JSON.valueToTree(answer);
  }
}
